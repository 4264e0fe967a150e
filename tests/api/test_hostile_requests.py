"""No input answers 5xx: hostile values (control characters, lone surrogates, huge and negative numbers,
numbers in strings, far dates, deep nesting, wrong types, empty bodies, wrong content types) sent to
every operation of the API, on SQLite and on PostgreSQL. Every answer is below 500, nothing is logged
as an error, and a refused request records nothing.

The operations are read from the served OpenAPI document, and every API route of the app must be in
it, so an endpoint added tomorrow is covered tomorrow.
"""

import logging
from collections.abc import Iterator
from datetime import datetime
from typing import Any
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from domain.period import JAKARTA
from tests.api.conftest import ADMIN_ACTOR, ApiClient, api_app
from tests.hostile import bodies, texts
from tests.integration.conftest import KETUA, SITI, covered_world

# The event stream never ends by itself (tests/feed/test_sse_served.py); the rest is served.
ENDLESS = ("/api/v1/events/stream", "get")
HEADER_TEXT = st.text(alphabet=st.characters(min_codepoint=0x20, max_codepoint=0xFF, exclude_characters="\x7f"),
                      max_size=250)


@pytest.fixture
def served(app) -> Iterator[tuple[Any, dict[str, str], dict[str, str]]]:
    """The app over each store with the covered world and a claim: its client, the headers acting as
    the administrator, and the world's ids by path parameter name."""
    world = covered_world(app)
    claim_id = app.report_accident(world.activity_id, SITI, datetime(2025, 9, 1, 7, 30, tzinfo=JAKARTA),
                                   "work_accident", "Terpeleset.", "Budi Santoso", KETUA)
    flask_app = api_app(app)
    client = flask_app.test_client()
    headers = ApiClient(client).headers(ADMIN_ACTOR)
    subscription = client.post("/api/v1/webhooks", json={"url": "https://bpjs.example/hook"}, headers=headers)
    flask_app.extensions["kampung.readmodels"].catch_up()
    known = {"rt_id": str(world.rt_id), "activity_id": str(world.activity_id), "claim_id": str(claim_id),
             "aggregate_id": str(claim_id), "subscription_id": subscription.get_json()["id"], "nik": SITI}
    yield client, headers, known
    flask_app.extensions["kampung.readmodels"].engine.dispose()


def _resolve(document: dict[str, Any], schema: dict[str, Any]) -> list[dict[str, Any]]:
    if "$ref" in schema:
        return _resolve(document, document["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]])
    return [part for branch in schema.get("oneOf", []) for part in _resolve(document, branch)] or [schema]


def operations(document: dict[str, Any]) -> list[dict[str, Any]]:
    """Each operation: its path, method, parameters by place, and the names its body has."""
    found = []
    for path, methods in document["paths"].items():
        for method, operation in methods.items():
            if method not in ("get", "post", "delete") or (path, method) == ENDLESS:
                continue
            parameters = operation.get("parameters", []) + methods.get("parameters", [])
            body = operation.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema", {})
            found.append({
                "path": path, "method": method.upper(),
                "names": {place: [p["name"] for p in parameters if p["in"] == place] for place in ("path", "query",
                                                                                                     "header")},
                "fields": sorted({name for part in _resolve(document, body) for name in part.get("properties", {})}),
            })
    return found


def test_every_api_route_is_in_the_document(client) -> None:
    documented = {path for path in client.get("/api/v1/openapi.json").get_json()["paths"]}
    rules = {rule.rule.replace("<uuid:", "{").replace("<nik:", "{").replace("<", "{").replace(">", "}")
             for rule in client.application.url_map.iter_rules()
             if rule.rule.startswith("/api/v1/") and not rule.endpoint.startswith("api_docs.")}
    assert rules - documented == set()


def _query(names: list[str]) -> st.SearchStrategy[dict[str, Any]]:
    value = st.one_of(texts(surrogates=False), st.lists(texts(surrogates=False), max_size=3))
    return st.dictionaries(st.one_of(st.sampled_from(names), texts(surrogates=False)) if names
                           else texts(surrogates=False), value, max_size=4)


@st.composite
def hostile_requests(draw: Any, every_operation: list[dict[str, Any]], known: dict[str, str]) -> dict[str, Any]:
    operation = draw(st.sampled_from(every_operation))
    path = operation["path"]
    for name in operation["names"]["path"]:
        value = draw(st.one_of(st.just(known[name]), texts(surrogates=False)))
        path = path.replace("{" + name + "}", quote(value, safe="") or "%20")
    body, content_type = draw(bodies(operation["fields"])) if operation["method"] != "GET" else ("", None)
    headers = {name: draw(HEADER_TEXT) for name in operation["names"]["header"] if draw(st.booleans())}
    return {"method": operation["method"], "path": path, "query_string": draw(_query(operation["names"]["query"])),
            "data": body, "content_type": content_type, "headers": headers}


def test_no_hostile_request_is_answered_with_a_server_error(served, app, caplog) -> None:
    client, authorization, known = served
    every_operation = operations(client.get("/api/v1/openapi.json").get_json())
    caplog.set_level(logging.WARNING)

    @settings(max_examples=120, deadline=None, derandomize=True, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
    @given(request=hostile_requests(every_operation, known))
    def answered(request: dict[str, Any]) -> None:
        caplog.clear()
        before = app.recorder.max_notification_id()
        response = client.open(**{**request, "headers": {**request["headers"], **authorization}})
        assert response.status_code < 500, response.get_data(as_text=True)
        assert [record for record in caplog.records if record.levelno >= logging.ERROR] == []
        if response.status_code >= 400:
            assert app.recorder.max_notification_id() == before

    answered()
