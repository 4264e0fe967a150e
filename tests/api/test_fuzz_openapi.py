"""Every operation of the JSON API, fuzzed from its own OpenAPI document (schemathesis, in-process).

Whatever a client sends, the API answers without a server error, with a status code its document
lists for that operation and a body matching the documented schema. Path parameters are drawn half
from the ids of an existing world (an RT, an activity with a participant, a claim, a webhook
subscription), so the generated requests reach past 404 into the commands' validation and rules.
"""

import tempfile
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import pytest
import schemathesis
from flask import Flask
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import Failure
from schemathesis.generation.meta import TestPhase
from schemathesis.specs.openapi.checks import response_schema_conformance

from application.service import KampungBahagia
from domain.period import JAKARTA
from interfaces.web import create_app
from tests.api.conftest import ADMIN_ACTOR, ApiClient, follow
from tests.integration.conftest import KETUA, SITI, World

# The event stream never ends by itself; it is specified under a real server in tests/feed/test_sse_served.py.
ENDLESS = "GET /api/v1/events/stream"
# Stands in a generated path for the id of the world's own resource of that name.
KNOWN = "known"


def auth_headers(client: Any) -> dict[str, str]:
    """How a fuzzed request authenticates: as the API tests' administrator does (tests/api/conftest.py)."""
    return ApiClient(client).headers(ADMIN_ACTOR)


def openapi_document() -> dict[str, Any]:
    """The API's OpenAPI document, as the app serves it (its content does not depend on the data)."""
    with tempfile.TemporaryDirectory() as folder:
        service = KampungBahagia(env={
            "PERSISTENCE_MODULE": "eventsourcing.sqlite", "SQLITE_DBNAME": f"{folder}/events.sqlite",
            "CREATE_TABLE": "y",
        })
        try:
            flask_app = create_app({"TESTING": True, "KAMPUNG_APP": service, "SECRET_KEY": "fuzz"})
            return flask_app.test_client().get("/api/v1/openapi.json").get_json()
        finally:
            flask_app.extensions["kampung.readmodels"].engine.dispose()
            service.close()


schema = schemathesis.openapi.from_dict(openapi_document()).exclude(name=ENDLESS)


@schema.hook
def flatmap_path_parameters(context: Any, path_parameters: dict[str, Any]) -> Any:
    """Half the time a path names the world's own RT, activity, participant, claim or subscription."""
    return st.fixed_dictionaries(
        {name: st.sampled_from([KNOWN, value]) for name, value in (path_parameters or {}).items()}
    )


@dataclass
class FuzzWorld:
    app: Flask
    headers: dict[str, str]
    known: dict[str, str]


@pytest.fixture
def fuzz_world(app_sqlite, client, world: World) -> FuzzWorld:
    """The API tests' covered world with Siti Aminah's accident reported and a webhook subscription:
    one of everything a path can name, those names, and the headers every request acts with."""
    headers = auth_headers(client)
    claim_id = app_sqlite.report_accident(
        world.activity_id, SITI, datetime(2025, 9, 1, 7, 30, tzinfo=JAKARTA), "work_accident",
        "Terpeleset di tepi parit.", "Budi Santoso (Ketua RT)", KETUA,
    )
    subscription = client.post("/api/v1/webhooks", json={"url": "https://bpjs.example/hook"}, headers=headers)
    follow(client)
    return FuzzWorld(app=client.application, headers=headers, known={
        "rt_id": str(world.rt_id), "activity_id": str(world.activity_id), "nik": SITI, "claim_id": str(claim_id),
        "aggregate_id": str(claim_id), "subscription_id": subscription.get_json()["id"],
    })


def documented_status_code(ctx: Any, response: Any, case: Any) -> None:
    """The status is one the operation lists. (The document also has flask-smorest's catch-all
    ``default`` response, which would let any status pass schemathesis's ``status_code_conformance``.)
    A method the operation does not have is refused: a 4xx (OPTIONS may also answer 200, the methods allowed)."""
    if case.method.upper() != case.operation.method.upper():
        if 400 <= response.status_code < 500 or (case.method.upper() == "OPTIONS" and response.status_code == 200):
            return
        listed = {"4xx"}
    else:
        listed = {code for code in case.operation.responses.status_codes if code != "default"}
    if str(response.status_code) not in listed:
        raise Failure(
            operation=case.operation.label,
            title="Undocumented status code",
            message=f"{response.status_code} is not among the documented {', '.join(sorted(listed))}",
        )


@schema.parametrize()
@settings(
    max_examples=25, deadline=None, derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.function_scoped_fixture],
)
def test_every_operation_answers_as_documented(case: Any, fuzz_world: FuzzWorld) -> None:
    # The examples and coverage phases vary bodies and queries on one fixed path; the fuzzing phase
    # has the hook above choose.
    fuzzing = case.meta is not None and case.meta.phase.name == TestPhase.FUZZING
    for name, value in (case.path_parameters or {}).items():
        if value == KNOWN or not fuzzing:
            case.path_parameters[name] = fuzz_world.known[name]
    case.call_and_validate(
        app=fuzz_world.app,
        headers=fuzz_world.headers,
        checks=[not_a_server_error, response_schema_conformance, documented_status_code],
    )
