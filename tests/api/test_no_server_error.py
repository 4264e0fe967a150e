"""Inputs that were each a 500 (issue 12), and the rules that now answer them: a 4xx problem naming
what is wrong, the event log unchanged. Where the store matters, on SQLite and on PostgreSQL."""

import base64
from collections.abc import Iterator
from typing import Any

import pytest

from tests.api.conftest import ADMIN_ACTOR, ApiClient, api_app, assert_problem
from tests.integration.conftest import SITI, World, covered_world


@pytest.fixture
def served(app) -> Iterator[tuple[ApiClient, World]]:
    """The JSON API over each store, with the covered world."""
    world = covered_world(app)
    flask_app = api_app(app)
    flask_app.extensions["kampung.readmodels"].catch_up()
    yield ApiClient(flask_app.test_client(), ADMIN_ACTOR), world
    flask_app.extensions["kampung.readmodels"].engine.dispose()


@pytest.fixture
def unchanged(app, served) -> Iterator[None]:
    api, _ = served
    api.headers(api.actor)  # the account made before the log is looked at
    before = app.recorder.max_notification_id()
    yield
    assert app.recorder.max_notification_id() == before


def planning(world: World, **changes: Any) -> dict[str, Any]:
    return {"rt_id": str(world.rt_id), "title": "Perbaikan jalan setapak", "kind": "road_repair",
            "location": "Gang Mawar", "total_value": 20_000_000, "planned_start": "2025-09-10",
            "planned_end": "2025-09-20", **changes}


def raw(api: ApiClient, path: str, text: str, **kwargs: Any) -> Any:
    return api.post(path, data=text.encode(), content_type="application/json", **kwargs)


# --- a lone surrogate: UnicodeEncodeError in natural_id ---------------------------------------


def test_a_lone_surrogate_in_a_title_is_a_field_error(served, unchanged) -> None:
    api, world = served
    body = '{"rt_id": "%s", "title": "\\ud800x", "kind": "road_repair", "location": "Gang Mawar", ' \
           '"total_value": 20000000, "planned_start": "2025-09-10", "planned_end": "2025-09-20"}' % world.rt_id
    problem = assert_problem(raw(api, "/activities", body), 422, "title")
    assert problem["errors"]["title"] == ["title contains an unpaired surrogate (U+D800)"]


def test_a_lone_surrogate_in_a_task_letter_number_is_a_field_error(served, unchanged) -> None:
    api, world = served
    body = '{"number": "ST/\\udc00", "issued_on": "2025-09-01", "cover_start": "2025-09-01", ' \
           '"cover_end": "2025-09-02", "issued_by_nik": "1571010101750001"}'
    assert_problem(raw(api, f"/activities/{world.activity_id}/task-letters", body), 422, "number")


# --- the text rule --------------------------------------------------------------------------


@pytest.mark.parametrize(("field", "value", "code"), [
    pytest.param("title", "Kerja\x07bakti", "0007", id="bell"),
    pytest.param("title", "Kerja\tbakti", "0009", id="tab-in-one-line"),
    pytest.param("location", "Gang\nMawar", "000A", id="newline-in-one-line"),
    pytest.param("location", "Gang Mawar\x85", "0085", id="c1-next-line"),
    pytest.param("title", "\x1f", "001F", id="only-a-control-is-not-blank"),
])
def test_a_control_character_is_refused_naming_the_field(served, unchanged, field, value, code) -> None:
    api, world = served
    problem = assert_problem(api.post("/activities", planning(world, **{field: value})), 422, field)
    assert problem["errors"][field] == [f"{field} contains a control character (U+{code})"]


def test_multi_line_fields_keep_their_line_breaks_and_tabs(app, served) -> None:
    api, world = served
    path = f"/activities/{world.activity_id}/participants/{SITI}/withdrawal"
    response = api.post(path, {"reason": "Pindah domisili.\r\n\tSurat pindah terlampir."})
    assert response.status_code == 200, response.get_json()
    assert app.get_activity(world.activity_id).participants[SITI].withdrawn_at is not None
    assert [event for event in app.history(world.activity_id)][-1].event.reason == \
        "Pindah domisili.\nSurat pindah terlampir."


def test_text_is_normalised_to_nfc_before_its_length_is_counted(app, served) -> None:
    api, world = served
    decomposed = "Kafe\u0301 " + "e\u0301" * 144  # 150 characters once composed, 295 as sent
    response = api.post("/activities", planning(world, title=decomposed))
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["title"] == "Kafé " + "é" * 144


# --- nesting, numbers, content types -------------------------------------------------------


@pytest.mark.parametrize("text", ["[" * 100_000, '{"a":' * 50_000, '{"title": ' + "[" * 40 + "]" * 40 + "}"])
@pytest.mark.parametrize("key", [None, "retry-1"], ids=["no-key", "idempotency-key"])
def test_a_deeply_nested_body_is_a_400(served, unchanged, text, key) -> None:
    api, world = served
    headers = {"Idempotency-Key": key} if key else {}
    problem = assert_problem(raw(api, f"/activities/{world.activity_id}/value", text, headers=headers), 400)
    assert problem["detail"] == "The request body is not valid JSON."


@pytest.mark.parametrize("text", ['{"total_value": ' + "9" * 5000 + "}", '{"total_value": NaN}',
                                  '{"total_value": Infinity}'], ids=["5000-digits", "nan", "infinity"])
def test_numbers_json_has_not_are_a_400(served, unchanged, text) -> None:
    api, world = served
    assert_problem(raw(api, f"/activities/{world.activity_id}/value", text), 400)


@pytest.mark.parametrize("value", ["1e5", "100000", "100000.0", 1e5, True])
def test_an_amount_is_a_json_integer_never_a_string_or_a_float(served, unchanged, value) -> None:
    api, world = served
    assert_problem(api.post("/activities", planning(world, total_value=value)), 422, "total_value")


def test_an_amount_as_a_json_integer_is_taken(served) -> None:
    api, world = served
    response = api.post("/activities", planning(world, total_value=100_000))
    assert response.status_code == 201 and response.get_json()["total_value"] == 100_000


@pytest.mark.parametrize("value", ["2", 2.5, True])
def test_a_version_is_a_json_integer(served, unchanged, value) -> None:
    api, world = served
    body = {"total_value": 60_000_000, "reason": "Revisi", "expected_version": value}
    assert_problem(api.post(f"/activities/{world.activity_id}/value", body), 422, "expected_version")


# --- far dates and big integers in queries ---------------------------------------------------


@pytest.mark.parametrize("at", ["9999-12-31T23:59:59Z", "0001-01-01T00:00:00+14:00", "1969-12-31T23:59:59Z",
                                "2025-W36-1T08:00", "20250901T080000"])
def test_a_far_or_odd_moment_in_a_coverage_question_is_a_field_error(served, at) -> None:
    api, _ = served
    assert_problem(api.get("/coverage", {"nik": SITI, "at": at}), 422, "at")


@pytest.mark.parametrize("after", ["2147483648", "9223372036854775808", "99999999999999999999", "-1", "1e3", "0x10"])
def test_an_audit_position_past_what_a_store_holds_is_a_field_error(served, after) -> None:
    api, _ = served
    assert_problem(api.get("/audit", {"after": after}), 422, "after")


def test_the_largest_position_a_store_holds_is_a_question_with_an_empty_answer(served) -> None:
    api, _ = served
    response = api.get("/audit", {"after": str(2**31 - 1)})
    assert response.status_code == 200 and response.get_json()["items"] == []


def test_the_feed_never_answers_a_head_it_was_sent(app, served) -> None:
    api, _ = served
    assert_problem(api.get("/events", {"after": "99999999999999999999"}), 422, "after")
    page = api.get("/events", {"after": "5000"}).get_json()
    assert page["items"] == [] and page["head"] == app.recorder.max_notification_id()


def test_an_unknown_query_parameter_is_refused(served) -> None:
    api, _ = served
    assert_problem(api.get("/audit", {"aftr": "5"}), 422, "aftr")


def test_a_cursor_that_is_no_cursor_is_a_field_error(served) -> None:
    api, _ = served
    nested = base64.urlsafe_b64encode(("[" * 300).encode()).decode().rstrip("=")
    for cursor in ("", "!!", nested, "x" * 601):
        assert_problem(api.get("/rts", {"cursor": cursor}), 422, "cursor")


# --- NIKs: spaces around are ignored, everywhere alike ---------------------------------------


def test_spaces_around_a_nik_are_ignored(app, served) -> None:
    api, world = served
    response = api.post(f"/activities/{world.activity_id}/participants",
                        {"nik": "  1571011203880003 ", "name": "Ahmad Fauzi", "role": "phl"})
    assert response.status_code == 200, response.get_json()
    assert "1571011203880003" in app.get_activity(world.activity_id).participants
    assert api.get("/coverage", {"nik": f" {SITI}  ", "at": "2025-09-03T09:00"}).get_json()["covered"] is True


@pytest.mark.parametrize("nik", ["\t1571011203880003", "1571011203880003\u00a0", "1571011203880003\n"])
def test_anything_but_spaces_around_a_nik_is_refused(served, unchanged, nik) -> None:
    api, world = served
    response = api.post(f"/activities/{world.activity_id}/participants", {"nik": nik, "name": "Ahmad", "role": "phl"})
    assert_problem(response, 422, "nik")


# --- methods and content types ---------------------------------------------------------------


@pytest.mark.parametrize(("method", "path"), [("PUT", "/api/v1/rts"), ("PATCH", "/api/v1/audit"),
                                              ("DELETE", "/api/v1/coverage"), ("PUT", "/rts/new")])
def test_a_method_not_allowed_says_which_are(served, method, path) -> None:
    api, _ = served
    response = api.client.open(path, method=method, headers=api.headers(api.actor))
    assert response.status_code == 405
    assert response.headers["Allow"]
    if path.startswith("/api/"):
        assert response.mimetype == "application/problem+json"


def test_a_delete_without_a_body_needs_no_content_type(served) -> None:
    api, _ = served
    headers = api.headers(api.actor)
    created = api.client.post("/api/v1/webhooks", json={"url": "https://bpjs.example/hook"}, headers=headers)
    response = api.client.delete(f"/api/v1/webhooks/{created.get_json()['id']}", headers=headers)
    assert response.status_code == 200, response.get_json()


@pytest.mark.parametrize("key", ["kunci\tsatu", " awal", "akhir ", "kunci-é", "x" * 201])
def test_an_idempotency_key_is_printable_ascii(served, unchanged, key) -> None:
    api, world = served
    response = api.post(f"/activities/{world.activity_id}/value", {"total_value": 60_000_000, "reason": "Revisi"},
                        headers={"Idempotency-Key": key})
    assert_problem(response, 400, "Idempotency-Key")
