"""API test fixtures: the app over SQLite with CSRF protection ON (the API must be exempt), a JSON
client acting with a bearer token of an account made for it, and the integration tests' covered world."""

from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from projections.webhooks.targets import TargetPolicy
from interfaces.app import create_app
from tests.accounts import api_token, bearer
from tests.feed.webhook_support import public_example
from tests.integration.conftest import ADMIN, COVER, KETUA, KETUA_NIK, SITI, World, launched_rt

ADMIN_ACTOR = "admin.dpmppa:admin"
OFFICER_ACTOR = "petugas.klaim.1:claim_officer"
LETTER = "ST/001/RT-005/IX/2025"


class ApiClient:
    """JSON requests to /api/v1 as one actor, ``"<user name>:<role>"``: the account is made on first
    use and the requests carry an API token of it (``actor=None``: no token at all)."""

    def __init__(self, client: FlaskClient, actor: str | None = ADMIN_ACTOR):
        self.client = client
        self.actor = actor
        self.tokens: dict[str, str] = {}

    def token(self, actor: str) -> str:
        if actor not in self.tokens:
            username, _, role = actor.rpartition(":")
            self.tokens[actor] = api_token(self.client.application.extensions["kampung"], username, role)
        return self.tokens[actor]

    def headers(self, actor: str | None, extra: dict[str, str] | None = None) -> dict[str, str]:
        headers = bearer(self.token(actor)) if actor else {}
        return {**headers, **(extra or {})}

    def get(self, path: str, params: dict[str, Any] | None = None, actor: Any = ..., **kwargs: Any) -> Any:
        actor = self.actor if actor is ... else actor
        return self.client.get(f"/api/v1{path}", query_string=params, headers=self.headers(actor), **kwargs)

    def post(self, path: str, body: Any = None, actor: Any = ..., **kwargs: Any) -> Any:
        actor = self.actor if actor is ... else actor
        headers = self.headers(actor, kwargs.pop("headers", None))
        if "data" in kwargs:
            return self.client.post(f"/api/v1{path}", headers=headers, **kwargs)
        return self.client.post(f"/api/v1{path}", json={} if body is None else body, headers=headers, **kwargs)


def api_app(service: Any, **config: Any) -> Flask:
    """The app the API tests drive over ``service``: webhook targets such as https://bpjs.example.org are
    public hosts here (tests/feed/webhook_support.py)."""
    return create_app({"TESTING": True, "KAMPUNG_APP": service, "SECRET_KEY": "test",
                       "KAMPUNG_WEBHOOK_TARGETS": TargetPolicy(resolve=public_example), **config})


@pytest.fixture
def flask_app(app_sqlite):
    return api_app(app_sqlite)


@pytest.fixture
def client(flask_app) -> Iterator[FlaskClient]:
    yield flask_app.test_client()


@pytest.fixture
def api(client) -> ApiClient:
    return ApiClient(client)


def follow(client: FlaskClient) -> None:
    """Bring the read models up to the log's head after commands sent to the service directly."""
    client.application.extensions["kampung.readmodels"].catch_up()


@pytest.fixture
def world(app_sqlite, client) -> World:
    """RT 005 Simpang IV Sipin launched, a drainage activity with task letter ST/001 covering
    September 2025, Siti Aminah joined; at 1 September 2025 08:00 WIB."""
    rt_id = launched_rt(app_sqlite)
    activity_id = app_sqlite.plan_activity(
        rt_id, "Gotong royong pembersihan drainase", "drainage", "Jl. Sipin Ujung", 50_000_000, COVER, ADMIN
    )
    app_sqlite.issue_task_letter(activity_id, LETTER, COVER.start, COVER, KETUA_NIK, KETUA)
    app_sqlite.join_participant(activity_id, SITI, "Siti Aminah", "resident", KETUA)
    follow(client)
    return World(rt_id=rt_id, activity_id=activity_id)


def assert_problem(response: Any, status: int, *fields: str) -> dict[str, Any]:
    """The response is an RFC 9457 problem of ``status`` naming ``fields`` in its ``errors``."""
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/problem+json"
    body = response.get_json()
    assert body["status"] == status and body["title"] and body["detail"] and body["type"].startswith("urn:")
    for field in fields:
        assert field in body.get("errors", {}), body
    return body
