"""Malformed input to the JSON API: each request gets a problem document naming what is wrong (4xx,
with the field when there is one) and the event log is left exactly as it was."""

from collections.abc import Iterator
from typing import Any

import pytest

from tests.api.conftest import assert_problem
from tests.integration.conftest import SITI, World

LIMIT = 2 * 1024 * 1024  # the app's MAX_CONTENT_LENGTH


@pytest.fixture
def unchanged(api, app_sqlite, world: World) -> Iterator[None]:
    """The test's requests leave the event log where it was (its highest notification id)."""
    api.headers(api.actor)  # authentication set up before the log is looked at
    before = app_sqlite.recorder.max_notification_id()
    yield
    assert app_sqlite.recorder.max_notification_id() == before


def path(template: str, world: World) -> str:
    return template.format(activity=world.activity_id, rt=world.rt_id)


PARTICIPANTS = "/activities/{activity}/participants"
PAYMENTS = "/activities/{activity}/premium-payments"
VALUE = "/activities/{activity}/value"


def joining(nik: Any) -> dict[str, Any]:
    return {"nik": nik, "name": "Ahmad Fauzi", "role": "resident"}


def paying(**changes: Any) -> dict[str, Any]:
    return {"amount": 10_000, "reference": "BJ-2025-0001", "paid_on": "2025-09-01", **changes}


def planning(**changes: Any) -> dict[str, Any]:
    return {"rt_id": "{rt}", "title": "Perbaikan jalan setapak", "kind": "road_repair", "location": "Gang Mawar",
            "total_value": 20_000_000, "planned_start": "2025-09-10", "planned_end": "2025-09-20", **changes}


def reporting(incident_at: str) -> dict[str, Any]:
    return {"activity_id": "{activity}", "nik": SITI, "incident_at": incident_at, "kind": "work_accident",
            "chronology": "Terpeleset.", "reporter": "Ketua RT"}


BAD_FIELDS = [
    pytest.param(PARTICIPANTS, joining("157101450790000"), "nik", id="nik-15-digits"),
    pytest.param(PARTICIPANTS, joining("15710145079000021"), "nik", id="nik-17-digits"),
    pytest.param(PARTICIPANTS, joining("15710145079O0002"), "nik", id="nik-letter-O"),
    pytest.param(PARTICIPANTS, joining("１５７１０１４５０７９０００２"), "nik", id="nik-fullwidth-digits"),
    pytest.param(PARTICIPANTS, joining("9971014507900002"), "nik", id="nik-unknown-province"),
    pytest.param(PARTICIPANTS, joining("1500014507900002"), "nik", id="nik-regency-00"),
    pytest.param(PARTICIPANTS, joining("1571013213900002"), "nik", id="nik-day-32"),
    pytest.param(PARTICIPANTS, joining("1571013002900002"), "nik", id="nik-30-february"),
    pytest.param(PARTICIPANTS, joining("1571011513900002"), "nik", id="nik-month-13"),
    pytest.param(PARTICIPANTS, joining("1571014507900000"), "nik", id="nik-serial-0000"),
    pytest.param(PAYMENTS, paying(amount=-10_000), "amount", id="amount-negative"),
    pytest.param(PAYMENTS, paying(amount=0), "amount", id="amount-zero"),
    pytest.param(PAYMENTS, paying(amount=10**14), "amount", id="amount-absurd"),
    pytest.param(PAYMENTS, paying(amount=10**400), "amount", id="amount-400-digits"),
    pytest.param(PAYMENTS, paying(amount="sepuluh ribu"), "amount", id="amount-words"),
    pytest.param(PAYMENTS, paying(amount="1.500"), "amount", id="amount-fraction"),
    pytest.param(PAYMENTS, paying(amount=1500.5), "amount", id="amount-float"),
    pytest.param(PAYMENTS, paying(amount="NaN"), "amount", id="amount-nan"),
    pytest.param(PAYMENTS, paying(amount="Infinity"), "amount", id="amount-infinity"),
    pytest.param(PAYMENTS, paying(amount=True), "amount", id="amount-boolean"),
    pytest.param(VALUE, {"total_value": "-5", "reason": "Revisi"}, "total_value", id="value-negative"),
    pytest.param(VALUE, {"total_value": "1e20", "reason": "Revisi"}, "total_value", id="value-exponent-absurd"),
    pytest.param("/activities", planning(total_value="Rp 20 juta"), "total_value", id="value-words"),
    pytest.param(PAYMENTS, paying(paid_on="2025-13-01"), "paid_on", id="day-month-13"),
    pytest.param(PAYMENTS, paying(paid_on="01/09/2025"), "paid_on", id="day-local-format"),
    pytest.param(PAYMENTS, paying(paid_on="2025-09-01T00:00:00+07:00"), "paid_on", id="day-with-time"),
    pytest.param(PAYMENTS, paying(paid_on="2099-09-01"), "paid_on", id="day-far-future"),
    pytest.param(PAYMENTS, paying(paid_on="2025-07-31"), "paid_on", id="day-before-programme"),
    pytest.param("/activities", planning(planned_start="2024-01-01", planned_end="2024-01-10"), "planned_start",
                 id="activity-before-programme"),
    pytest.param("/activities", planning(planned_start="9999-12-31", planned_end="9999-12-31"), "planned_start",
                 id="activity-year-9999"),
    pytest.param("/claims", reporting("2025-09-03 jam 9"), "incident_at", id="moment-malformed"),
    pytest.param("/claims", reporting("2025-09-03T09:30:00+25:00"), "incident_at", id="moment-offset-25-hours"),
    pytest.param("/claims", reporting("2025-09-03T09:30:00 WIB"), "incident_at", id="moment-zone-abbreviation"),
    pytest.param("/claims", reporting("2099-09-03T09:30:00+07:00"), "incident_at", id="moment-far-future"),
    pytest.param("/claims", reporting("2025-07-31T16:59:59Z"), "incident_at", id="moment-before-programme-in-wib"),
]


@pytest.mark.parametrize(("target", "body", "field"), BAD_FIELDS)
def test_a_bad_value_is_a_field_error_and_records_nothing(api, world, unchanged, target, body, field) -> None:
    body = {key: path(value, world) if isinstance(value, str) else value for key, value in body.items()}
    response = api.post(path(target, world), body)
    assert_problem(response, 422, field)


BAD_BODIES = [
    pytest.param({"data": {"nik": SITI, "name": "Siti", "role": "resident"}}, 415, id="form-post"),
    pytest.param({"data": "nik=1571014507900002", "content_type": "text/plain"}, 415, id="text-plain"),
    pytest.param({"data": '{"nik": "1571014507900002",', "content_type": "application/json"}, 400,
                 id="invalid-json"),
    pytest.param({"data": b"\xff\xfe{}", "content_type": "application/json"}, 400, id="not-utf-8"),
    pytest.param({"data": '["1571014507900002"]', "content_type": "application/json"}, 422, id="json-array"),
    pytest.param({"data": "1571014507900002", "content_type": "application/json"}, 422, id="json-number"),
    pytest.param({"data": '"1571014507900002"', "content_type": "application/json"}, 422, id="json-string"),
    pytest.param({"data": "null", "content_type": "application/json"}, 422, id="json-null"),
    pytest.param({"data": "", "content_type": "application/json"}, 422, id="missing-body"),
]


@pytest.mark.parametrize(("request_options", "status"), BAD_BODIES)
def test_a_body_that_is_not_a_json_object_is_refused(api, world, unchanged, request_options, status) -> None:
    response = api.post(path(PARTICIPANTS, world), **request_options)
    assert_problem(response, status)


def test_every_write_documents_the_413(client) -> None:
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    writes = [operation["responses"] for operations in paths.values() for method, operation in operations.items()
              if method in ("post", "delete")]
    assert writes and all("413" in responses for responses in writes)


def test_a_json_body_above_the_limit_is_refused_with_413(api, world, unchanged) -> None:
    rows = [joining(SITI)] * (LIMIT // 60)
    response = api.post(path(PARTICIPANTS, world), {"rows": rows})
    body = assert_problem(response, 413)
    assert "2 MiB" in body["detail"]


@pytest.mark.parametrize(("query", "field"), [
    pytest.param({"nik": "12345", "at": "2025-09-03T09:30:00+07:00"}, "nik", id="nik-short"),
    pytest.param({"nik": SITI, "at": "kemarin"}, "at", id="at-words"),
    pytest.param({"nik": SITI, "at": "2025-09-03T09:30:00+99:00"}, "at", id="at-offset-99"),
])
def test_a_bad_coverage_question_is_a_field_error(api, world, query, field) -> None:
    assert_problem(api.get("/coverage", query), 422, field)
