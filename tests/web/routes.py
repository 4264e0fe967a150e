"""Every route of the app as a request a test can send: each URL rule with its variables filled in
from a world (an RT, its activity with a task letter, a claim), so tests that must cover every route
follow ``app.url_map`` and a new route is covered the day it is added."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID, uuid4

from flask import Flask
from werkzeug.routing import Rule

from domain.period import JAKARTA
from tests.api.conftest import ApiClient
from tests.integration.conftest import OFFICER, SITI, World
from tests.web.conftest import sign_in

LETTER = "ST/001/RT-005/IX/2025"
ANONYMOUS = "anonymous"
USERS = {
    "admin": "admin.dpmppa",
    "ketua_rt": "ketua.simpang-iv-sipin.005",
    "claim_officer": "petugas.klaim.1",
    "auditor": "auditor.inspektorat",
    "integrator": "integrasi.bpjstk",
}
OWN_RT = "15.71.01.1001/RT-005"
IGNORED_METHODS = frozenset({"HEAD", "OPTIONS"})


@dataclass(frozen=True)
class Route:
    endpoint: str
    method: str
    path: str

    @property
    def is_api(self) -> bool:
        return self.path.startswith("/api/")

    def __str__(self) -> str:
        return f"{self.method} {self.path} ({self.endpoint})"


def report_claim(app, world: World) -> UUID:
    """A claim on the world's activity: Siti hurt early on the first morning of the works."""
    incident = datetime(2025, 9, 1, 7, 0, tzinfo=JAKARTA)
    return app.report_accident(world.activity_id, SITI, incident, "work_accident", "Kaki terkilir.", "Budi", OFFICER)


def example_values(world: World, claim_id: UUID) -> dict[str, Any]:
    """A value for each URL variable: the world's own objects, so a Ketua RT of RT 005 is at home."""
    return {
        "rt_id": world.rt_id, "activity_id": world.activity_id, "claim_id": claim_id,
        "aggregate_id": world.rt_id, "subscription_id": uuid4(), "number": LETTER, "nik": SITI,
        "filename": "style.css",
    }


def example_path(app: Flask, rule: Rule, values: dict[str, Any]) -> str:
    arguments = {name: values[name] for name in rule.arguments}
    if rule.endpoint == "api_docs.asset":
        arguments["filename"] = "swagger-ui.css"
    with app.test_request_context():
        return app.url_for(rule.endpoint, **arguments)


def every_route(app: Flask, values: dict[str, Any]) -> list[Route]:
    """Each rule × each of its methods, as a request to send."""
    return [
        Route(rule.endpoint, method, example_path(app, rule, values))
        for rule in sorted(app.url_map.iter_rules(), key=lambda rule: rule.rule)
        for method in sorted((rule.methods or set()) - IGNORED_METHODS)
    ]


class Visitor:
    """Sends any route's request as one role (or anonymously): signed in on the web, with an API
    token of the same account on the API."""

    def __init__(self, flask_app, role: str):
        self.role = role
        self.web = flask_app.test_client()
        self.api = ApiClient(flask_app.test_client(), None if role == ANONYMOUS else f"{USERS[role]}:{role}")
        if role != ANONYMOUS:  # the account and its token are made now, not inside a test's "before"
            self.sign_in()
            self.api.token(self.api.actor)

    def sign_in(self) -> None:
        sign_in(self.web, USERS[self.role], self.role, OWN_RT if self.role == "ketua_rt" else None)

    def send(self, route: Route):
        if route.is_api:
            headers = self.api.headers(self.api.actor)
            body = {} if route.method == "GET" else {"json": {}}
            response = self.api.client.open(route.path, method=route.method, headers=headers, **body)
        else:
            if self.role != ANONYMOUS:
                self.sign_in()  # again before each request: a POST to /sign-out ends the session
            response = self.web.open(route.path, method=route.method, data={})
        response.close()  # the event stream would run on if read
        return response
