"""Every operation of the JSON API, fuzzed from its own OpenAPI document (schemathesis, in-process),
with every check schemathesis has.

Whatever a client sends, the API answers without a server error, with a status code its document
lists for that operation and a body matching the documented schema; it accepts what the document
allows and refuses what it does not (the document states every limit the server enforces); an
unknown method is 405 with ``Allow``; a request without a valid token is refused. Path parameters
are drawn half from the ids of an existing world (an RT, an activity with a participant, a claim, a
webhook subscription), so the generated requests reach past 404 into the commands' validation and rules.

What a JSON Schema cannot say, the API description says in words, and the generated data is held
to it (``within_the_prose``): a cursor is only ever one the server gave; ``version`` or ``at``, not
both; a period ends on or after its start; a list of participants names each NIK once. And a command the document allows may still be refused
by a rule of the programme applied to the resource or the day (a payment dated tomorrow, a document
not on this claim's checklist, a position past the log's end): a 422 problem of type ``InvalidValue``,
which the description lists beside the 409s.
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
from schemathesis.core.failures import Failure
from schemathesis.core.parameters import ParameterLocation
from schemathesis.generation.meta import TestPhase
from schemathesis.specs.openapi.checks import positive_data_acceptance

from application.service import KampungBahagia
from domain.period import JAKARTA
from interfaces.apibase import idempotency
from interfaces.app import create_app
from tests.api.conftest import ADMIN_ACTOR, ApiClient, api_app, follow
from tests.integration.conftest import KETUA, SITI, World

# The event stream never ends by itself; it is specified under a real server in tests/feed/test_sse_served.py.
ENDLESS = "GET /api/v1/events/stream"
# Stands in a generated path for the id of the world's own resource of that name.
KNOWN = "known"
# A rule applied in context (domain/errors.py InvalidValue): the API description's "rules of the programme".
RULE_IN_CONTEXT = "urn:kampung-bahagia:error:InvalidValue"
PERIODS = (("planned_start", "planned_end"), ("cover_start", "cover_end"))


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
# The bearer token of the world under test (set by ``fuzz_world``), which schemathesis puts on each
# case itself, so that it knows a case's credentials and can take them away to probe the refusals.
CURRENT_TOKEN: dict[str, str] = {}


@schema.auth(refresh_interval=None)
class WorldToken:
    def get(self, case: Any, context: Any) -> str | None:
        return CURRENT_TOKEN.get("authorization")

    def set(self, case: Any, data: str, context: Any) -> None:
        case.headers = {**(case.headers or {}), "Authorization": data}


@schema.hook
def flatmap_path_parameters(context: Any, path_parameters: dict[str, Any]) -> Any:
    """Half the time a path names the world's own RT, activity, participant, claim or subscription."""
    return st.fixed_dictionaries(
        {name: st.sampled_from([KNOWN, value]) for name, value in (path_parameters or {}).items()}
    )


@dataclass
class FuzzWorld:
    app: Flask
    known: dict[str, str]


@pytest.fixture
def flask_app(app_sqlite):
    # The token limiter off: the refusal probes send many bad tokens, which would soon make every
    # request a 429 (tests/api/test_tokens.py specifies the limit).
    return api_app(app_sqlite, RATELIMIT_ENABLED=False)


@pytest.fixture
def fuzz_world(app_sqlite, client, world: World) -> FuzzWorld:
    """The API tests' covered world with Siti Aminah's accident reported and a webhook subscription:
    one of everything a path can name, and those names."""
    headers = ApiClient(client).headers(ADMIN_ACTOR)
    CURRENT_TOKEN["authorization"] = headers["Authorization"]
    claim_id = app_sqlite.report_accident(
        world.activity_id, SITI, datetime(2025, 9, 1, 7, 30, tzinfo=JAKARTA), "work_accident",
        "Terpeleset di tepi parit.", "Budi Santoso (Ketua RT)", KETUA,
    )
    subscription = client.post("/api/v1/webhooks", json={"url": "https://bpjs.example/hook"}, headers=headers)
    follow(client)
    return FuzzWorld(app=client.application, known={
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


def accepts_what_the_document_allows(ctx: Any, response: Any, case: Any) -> None:
    """schemathesis's ``positive_data_acceptance``, but a rule of the programme applied in context
    (a 422 ``InvalidValue`` problem, see the module's docstring) is an answer, not a mismatch."""
    if response.status_code == 422 and (response.json() or {}).get("type") == RULE_IN_CONTEXT:
        return
    positive_data_acceptance(ctx, response, case)


def within_the_prose(case: Any) -> None:
    """A positive case held to what the API description says in words (the module's docstring)."""
    if case.meta is None or not case.meta.generation.mode.is_positive:
        return
    query = case.query if isinstance(case.query, dict) else {}
    query.pop("cursor", None)
    if query.get("version") is not None:
        query.pop("at", None)
    body = case.body if isinstance(case.body, dict) else {}
    if isinstance(body.get("rows"), list):
        body["rows"] = list({str(row.get("nik")).strip(" "): row for row in body["rows"]}.values())
    for start, end in PERIODS:
        if isinstance(body.get(start), str) and isinstance(body.get(end), str) and body[end] < body[start]:
            body[start], body[end] = body[end], body[start]


def forget_idempotency_keys(app: Flask) -> None:
    """Each case is a new client's request: the keys earlier cases sent (schemathesis draws "0" often)
    are forgotten, else a key reused with another body is rightly a 422."""
    store = app.extensions.get(idempotency.EXTENSION)
    if store is not None:
        with store.engine.begin() as connection:
            connection.execute(idempotency.keys.delete())


@schema.parametrize()
@settings(
    max_examples=25, deadline=None, derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.function_scoped_fixture],
)
def test_every_operation_answers_as_documented(case: Any, fuzz_world: FuzzWorld) -> None:
    # The examples and coverage phases vary bodies and queries on one fixed path (unless the path
    # itself is what they make invalid); the fuzzing phase has the hook above choose.
    fuzzing = case.meta is not None and case.meta.phase.name == TestPhase.FUZZING
    invalid_path = case.meta is not None and case.meta.is_negative_at(ParameterLocation.PATH)
    for name, value in (case.path_parameters or {}).items():
        if value == KNOWN or not (fuzzing or invalid_path):
            case.path_parameters[name] = fuzz_world.known[name]
    within_the_prose(case)
    forget_idempotency_keys(fuzz_world.app)
    # The probes schemathesis sends (without credentials, with a method not allowed, …) go to this app too.
    case.operation.schema.app = fuzz_world.app
    case.call_and_validate(
        app=fuzz_world.app,
        excluded_checks=[positive_data_acceptance],
        additional_checks=[documented_status_code, accepts_what_the_document_allows],
    )
