"""Malformed input to the web forms: the form comes back with an Indonesian message beside the field
(4xx), or an error page saying what was wrong, and the event log is left exactly as it was."""

import io
import re
from uuid import UUID

import pytest

from tests.integration.conftest import AHMAD, World
from tests.web.conftest import head
from tests.web.pages import error_beside
from tests.web.test_activity_forms import bulk_url, join_form, payment_form
from tests.web.test_claim_forms import report_form

LIMIT = 2 * 1024 * 1024  # the app's MAX_CONTENT_LENGTH


@pytest.fixture
def unchanged(app_sqlite, web_world):
    before = head(app_sqlite)
    yield
    assert head(app_sqlite) == before


def join(app, world, **changes):
    return f"/activities/{world.activity_id}/participants/new", join_form(app, world, **changes)


def pay(app, world, **changes):
    return f"/activities/{world.activity_id}/premium-payments/new", payment_form(app, world, **changes)


def report(app, world, **changes):
    return "/claims/report", report_form(world, **changes)


BAD_FIELDS = [
    pytest.param(join, {"nik": "157101450790000"}, "nik", "NIK harus tepat 16 angka.", id="nik-15-digits"),
    pytest.param(join, {"nik": "1571O14507900002"}, "nik", "NIK harus tepat 16 angka.", id="nik-letter-O"),
    pytest.param(join, {"nik": "9971014507900002"}, "nik", "bukan kode provinsi", id="nik-unknown-province"),
    pytest.param(join, {"nik": "1571013213900002"}, "nik", "bukan tanggal", id="nik-day-32"),
    pytest.param(pay, {"amount": "-100000"}, "amount", "", id="amount-negative"),
    pytest.param(pay, {"amount": "0"}, "amount", "", id="amount-zero"),
    pytest.param(pay, {"amount": "Rp 99.999.999.999.999"}, "amount", "", id="amount-absurd"),
    pytest.param(pay, {"amount": "seratus ribu"}, "amount", "", id="amount-words"),
    pytest.param(pay, {"paid_on": "2025-07-31"}, "paid_on", "awal program", id="day-before-programme"),
    pytest.param(pay, {"paid_on": "31-08-2025"}, "paid_on", "Tanggal tidak sah.", id="day-malformed"),
    pytest.param(pay, {"paid_on": "2099-09-01"}, "paid_on", "", id="day-far-future"),
    pytest.param(report, {"incident_at": "2025-07-30T09:00"}, "incident_at", "awal program",
                 id="moment-before-programme"),
    pytest.param(report, {"incident_at": "2025-09-02 pukul 9"}, "incident_at", "Tanggal dan jam tidak sah.",
                 id="moment-malformed"),
    pytest.param(report, {"incident_at": "2025-09-02T09:00+25:00"}, "incident_at", "", id="moment-offset-25-hours"),
    pytest.param(report, {"incident_at": "9999-12-31T23:59"}, "incident_at", "awal program", id="moment-year-9999"),
    pytest.param(join, {"name": "Ahmad\x07Fauzi"}, "name", "Kolom nama berisi karakter kendali (U+0007)",
                 id="name-bell"),
    pytest.param(join, {"name": "Ahmad\tFauzi"}, "name", "karakter kendali (U+0009)", id="name-tab"),
    pytest.param(join, {"nik": "1571011203880003\t"}, "nik", "NIK harus tepat 16 angka.", id="nik-tab-around"),
    pytest.param(report, {"chronology": "Terpeleset\x1bdi parit."}, "chronology",
                 "Kolom kronologi berisi karakter kendali (U+001B)", id="chronology-escape"),
    pytest.param(pay, {"amount": "1e5"}, "amount", "bukan jumlah rupiah", id="amount-exponent"),
]


@pytest.mark.parametrize(("form", "changes", "field", "message"), BAD_FIELDS)
def test_a_bad_value_comes_back_beside_its_field(signed_in, app_sqlite, web_world: World, unchanged, form, changes,
                                                 field, message) -> None:
    url, data = form(app_sqlite, web_world, **changes)
    response = signed_in.post(url, data=data)
    assert 400 <= response.status_code < 500
    beside = error_beside(response.get_data(as_text=True), field)
    assert beside and message in beside


def test_spaces_around_a_nik_are_ignored_as_in_the_api(signed_in, app_sqlite, web_world) -> None:
    url, data = join(app_sqlite, web_world, nik=f"  {AHMAD} ")
    assert signed_in.post(url, data=data).status_code == 302
    assert AHMAD in app_sqlite.get_activity(web_world.activity_id).participants


def test_a_chronology_typed_in_paragraphs_keeps_them(signed_in, app_sqlite, web_world) -> None:
    url, data = report(app_sqlite, web_world, incident_at="2025-09-01T07:00",
                       chronology="Pagi itu hujan.\r\n\r\n\tSiti terpeleset.")
    response = signed_in.post(url, data=data)
    assert response.status_code == 302, re.findall(r'field-error"[^>]*>([^<]*)', response.get_data(as_text=True))
    claim_id = UUID(response.headers["Location"].rsplit("/", 1)[1])
    assert app_sqlite.get_claim(claim_id).chronology == "Pagi itu hujan.\n\nSiti terpeleset."


def test_a_method_not_allowed_says_which_are(signed_in, web_world) -> None:
    response = signed_in.put(f"/activities/{web_world.activity_id}/participants/new")
    assert response.status_code == 405 and set(response.headers["Allow"].split(", ")) >= {"GET", "POST"}


@pytest.mark.parametrize("request_options", [
    pytest.param({"json": {"nik": AHMAD, "name": "Ahmad Fauzi", "role": "phl"}}, id="json-to-a-form"),
    pytest.param({"data": '[1, "x"]', "content_type": "application/json"}, id="json-array-to-a-form"),
    pytest.param({"data": "1571011203880003", "content_type": "text/plain"}, id="text-plain"),
    pytest.param({}, id="missing-body"),
])
def test_a_body_that_is_not_the_form_is_refused_beside_the_fields(signed_in, web_world, unchanged,
                                                                  request_options) -> None:
    response = signed_in.post(f"/activities/{web_world.activity_id}/participants/new", **request_options)
    assert response.status_code == 422
    assert error_beside(response.get_data(as_text=True), "nik") == "Wajib diisi."


@pytest.mark.parametrize("client_name", ["signed_in", "browser"])
def test_an_upload_above_the_limit_is_refused_with_413_saying_the_limit(request, app_sqlite, web_world,
                                                                        client_name) -> None:
    client = request.getfixturevalue(client_name)
    before = head(app_sqlite)
    rows = f"{AHMAD},Ahmad Fauzi,phl\n".encode() * (LIMIT // 25)
    response = client.post(bulk_url(web_world), content_type="multipart/form-data",
                           data={"rows": (io.BytesIO(rows), "peserta.csv")})
    assert response.status_code == 413
    assert "Kiriman terlalu besar: paling banyak 2 MiB" in response.get_data(as_text=True)
    assert head(app_sqlite) == before
