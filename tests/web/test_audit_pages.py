"""The audit pages: the trail with its filters, paging and exports; one aggregate's history with
its state at a version or a moment; the read models "as of" a past moment, replayed aside.

The expected rows come straight from the event store (the notification log), not from the
audit read model the pages read, so the pages are checked against the record itself.
"""

import csv
import io
import json
import re
from dataclasses import dataclass
from datetime import datetime
from html import unescape
from uuid import uuid4

import pytest
from sqlalchemy import inspect, select

from domain.activity import TaskLetterNumber
from domain.period import JAKARTA
from tests.integration.conftest import ADMIN, SITI
from tests.integration.history import make_history
from tests.web.conftest import follow, sign_in
from tests.web.pages import error_text


@dataclass(frozen=True)
class Logged:
    position: int
    type: str
    actor: str
    at: datetime
    aggregate: str


def logged(app) -> list[Logged]:
    """Every stored event, read from the notification log."""
    result = []
    for notification in app.recorder.select_notifications(start=1, limit=10_000):
        event = app.mapper.to_domain_event(notification)
        result.append(Logged(notification.id, type(event).__name__, event.actor.user_id, event.timestamp,
                             str(event.originator_id)))
    return result


def positions(html: str) -> list[int]:
    return [int(p) for p in re.findall(r'<tr data-position="(\d+)"', html)]


def link(html: str, text: str) -> str | None:
    found = re.search(r'<a [^>]*href="([^"]+)"[^>]*>' + re.escape(text) + "</a>", html)
    return unescape(found.group(1)) if found else None


def state_field(html: str, name: str) -> str:
    found = re.search(rf'<dd data-field="{name}">(.*?)</dd>', html, re.DOTALL)
    assert found, f"no state field {name}"
    return unescape(re.sub(r"<[^>]+>", " ", found.group(1))).strip()


def wib(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=JAKARTA)


@pytest.fixture
def history(app_sqlite, clock, client) -> dict[str, object]:
    """The history, then an administrator signed in to read it (their account's events come after)."""
    ids = make_history(app_sqlite, clock)
    sign_in(client, "admin.dpmppa", "admin")
    follow(client)
    return ids


# --- the trail --------------------------------------------------------------------------------


def test_the_trail_lists_events_by_position_with_who_when_and_what(client, app_sqlite, history):
    events = logged(app_sqlite)
    page = client.get("/audit?limit=500")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert positions(html) == [event.position for event in events]
    first = events[0]  # RT 005 registered by the admin, 1 September 2025 08.00 WIB
    assert first.type == "RTRegistered"
    row = html.split(f'<tr data-position="{first.position}">')[1].split("</tr>")[0]
    assert "1 September 2025 08.00 WIB" in row
    assert f'href="/audit/aggregates/{first.aggregate}"' in row and ">RT</a>" in row
    assert "RT didaftarkan" in row and "RTRegistered" in row
    assert "admin.dpmppa" in row and "Administrator" in row
    assert "RT 15.71.01.1001/RT-005 didaftarkan (Simpang IV Sipin, Telanaipura)" in row


def test_the_trail_filters_by_aggregate(client, app_sqlite, history):
    claim = str(history["paid"])
    html = client.get(f"/audit?aggregate={claim}").get_data(as_text=True)
    assert positions(html) == [e.position for e in logged(app_sqlite) if e.aggregate == claim]
    assert len(positions(html)) == len(app_sqlite.history(history["paid"]))


def test_the_trail_filters_by_actor(client, app_sqlite, history):
    html = client.get("/audit?actor=petugas.klaim.1&limit=500").get_data(as_text=True)
    expected = [e.position for e in logged(app_sqlite) if e.actor == "petugas.klaim.1"]
    assert expected and positions(html) == expected


def test_the_trail_filters_by_event_type_from_a_select_of_known_types(client, app_sqlite, history):
    html = client.get("/audit?type=SantunanPaid").get_data(as_text=True)
    expected = [e.position for e in logged(app_sqlite) if e.type == "SantunanPaid"]
    assert len(expected) == 2 and positions(html) == expected
    assert '<option value="SantunanPaid" selected>' in html
    assert '<optgroup label="Klaim">' in html and '<option value="RTLaunched">' in html


def test_the_trail_filters_by_a_time_window_read_as_wib(client, app_sqlite, history):
    # The first claim was reported at 12.00 WIB on 4 September and closed at 12.00 WIB on the 5th.
    html = client.get("/audit?since=2025-09-04T12:00&until=2025-09-05T12:00").get_data(as_text=True)
    since, until = wib("2025-09-04T12:00"), wib("2025-09-05T12:00")
    expected = [e.position for e in logged(app_sqlite) if since <= e.at <= until]
    assert expected and positions(html) == expected
    types = {e.type for e in logged(app_sqlite) if e.position in expected}
    assert {"AccidentReported", "SantunanPaid", "ClaimClosed"} <= types
    assert 'value="2025-09-04T12:00"' in html  # the input is kept in the form


def test_filters_combine(client, app_sqlite, history):
    html = client.get(
        f"/audit?aggregate={history['paid']}&actor=petugas.klaim.1&type=DocumentReceived"
    ).get_data(as_text=True)
    expected = [e.position for e in logged(app_sqlite)
                if e.aggregate == str(history["paid"]) and e.type == "DocumentReceived"]
    assert len(expected) == 7 and positions(html) == expected


def test_a_filter_that_matches_nothing_says_so(client, history):
    html = client.get("/audit?actor=nobody").get_data(as_text=True)
    assert positions(html) == [] and "Tidak ada peristiwa yang sesuai saringan" in html


@pytest.mark.parametrize("query, field", [
    ("aggregate=not-a-uuid", "aggregate"),
    ("since=kemarin", "since"),
    ("until=2025-13-45T25:00", "until"),
    ("after=-1", "after"),
    ("limit=0", "limit"),
])
def test_an_invalid_filter_value_is_422_with_the_error_beside_its_field(client, history, query, field):
    page = client.get(f"/audit?{query}")
    assert page.status_code == 422
    html = page.get_data(as_text=True)
    assert error_text(html, field)
    assert positions(html) == []


def test_an_unknown_event_type_and_a_window_ending_before_it_starts_are_explained(client, history):
    page = client.get("/audit?type=Hacked&actor=admin.dpmppa")
    assert page.status_code == 422
    html = page.get_data(as_text=True)
    assert error_text(html, "type") == "Jenis peristiwa tidak dikenal."
    assert 'value="admin.dpmppa"' in html  # what the user typed is kept
    assert 'id="type" name="type" aria-describedby="type-error" aria-invalid="true"' in html
    page = client.get("/audit?since=2025-09-05T00:00&until=2025-09-04T00:00")
    assert page.status_code == 422
    assert error_text(page.get_data(as_text=True), "until") == "Waktu akhir harus sesudah waktu mulai."


def test_empty_fields_of_the_get_form_are_no_filter(client, app_sqlite, history):
    html = client.get("/audit?aggregate=&actor=&type=&since=&until=&limit=500").get_data(as_text=True)
    assert len(positions(html)) == len(logged(app_sqlite))


# --- paging -------------------------------------------------------------------------------------


def test_paging_by_position_walks_every_event_once(client, app_sqlite, history):
    seen: list[int] = []
    url: str | None = "/audit?limit=10"
    pages = 0
    while url:
        html = client.get(url).get_data(as_text=True)
        rows = positions(html)
        assert 0 < len(rows) <= 10
        seen += rows
        url = link(html, "Halaman berikutnya")
        if url:
            assert f"after={rows[-1]}" in url
        pages += 1
    events = logged(app_sqlite)
    assert seen == [event.position for event in events]
    assert pages == -(-len(events) // 10)


def test_paging_is_stable_when_events_are_added_meanwhile(client, app_sqlite, history):
    first = client.get("/audit?limit=10").get_data(as_text=True)
    second_url = link(first, "Halaman berikutnya")
    before = positions(client.get(second_url).get_data(as_text=True))
    app_sqlite.register_rt("15.71.01.1001", 9, ADMIN)  # new events land at the end
    follow(client)
    assert positions(client.get(second_url).get_data(as_text=True)) == before
    assert positions(client.get("/audit?limit=10").get_data(as_text=True)) == positions(first)


def test_the_next_page_keeps_the_filter(client, app_sqlite, history):
    html = client.get("/audit?type=DocumentReceived&limit=3").get_data(as_text=True)
    expected = [e.position for e in logged(app_sqlite) if e.type == "DocumentReceived"]
    url = link(html, "Halaman berikutnya")
    assert "type=DocumentReceived" in url and "limit=3" in url
    second = client.get(url).get_data(as_text=True)
    assert positions(html) + positions(second) == expected[:6]
    assert link(second, "Halaman pertama").startswith("/audit?")


def test_the_last_page_has_no_next_link(client, app_sqlite, history):
    html = client.get("/audit?limit=500").get_data(as_text=True)
    assert link(html, "Halaman berikutnya") is None
    last = logged(app_sqlite)[-1].position
    html = client.get(f"/audit?after={last}").get_data(as_text=True)
    assert positions(html) == [] and link(html, "Halaman berikutnya") is None


# --- exports ------------------------------------------------------------------------------------


def test_the_csv_export_holds_exactly_the_filtered_rows_of_every_page(client, app_sqlite, history):
    page = client.get("/audit?actor=petugas.klaim.1&limit=5").get_data(as_text=True)
    url = link(page, "Unduh CSV")
    assert url and "actor=petugas.klaim.1" in url and "after" not in url and "limit" not in url
    export = client.get(url)
    assert export.status_code == 200
    assert export.mimetype == "text/csv"
    assert export.headers["Content-Disposition"].startswith("attachment;")
    assert export.headers["Content-Disposition"].endswith('.csv"')
    rows = list(csv.DictReader(io.StringIO(export.get_data(as_text=True))))
    expected = [e for e in logged(app_sqlite) if e.actor == "petugas.klaim.1"]
    assert len(expected) > 5  # more than the page shown: the export is not paged
    assert [int(row["position"]) for row in rows] == [e.position for e in expected]
    assert {row["actor_id"] for row in rows} == {"petugas.klaim.1"}
    assert rows[0]["aggregate_id"] == expected[0].aggregate
    assert datetime.fromisoformat(rows[0]["recorded_at"]) == expected[0].at


def test_the_jsonl_export_holds_exactly_the_filtered_rows(client, app_sqlite, history):
    page = client.get(f"/audit?aggregate={history['paid']}&since=2025-09-04T12:00&until=2025-09-04T23:59")
    url = link(page.get_data(as_text=True), "Unduh JSON Lines")
    export = client.get(url)
    assert export.status_code == 200
    assert export.headers["Content-Disposition"].startswith("attachment;")
    assert export.headers["Content-Disposition"].endswith('.jsonl"')
    records = [json.loads(line) for line in export.get_data(as_text=True).splitlines()]
    since, until = wib("2025-09-04T12:00"), wib("2025-09-04T23:59")
    expected = [e for e in logged(app_sqlite) if e.aggregate == str(history["paid"]) and since <= e.at <= until]
    assert [record["position"] for record in records] == [e.position for e in expected]
    assert records[-1]["event_type"] == "SantunanPaid"
    assert records[-1]["payload"]["amount"] == 400_000


def test_an_export_in_an_unknown_format_or_with_a_bad_filter_is_refused(client, history):
    assert client.get("/audit/export?format=xlsx").status_code == 422
    assert client.get("/audit/export?format=csv&aggregate=x").status_code == 422
    assert client.get("/audit/export").status_code == 422


# --- one aggregate's history -----------------------------------------------------------------


def test_the_history_shows_each_event_with_who_when_and_what_changed(client, app_sqlite, history):
    claim = history["paid"]
    page = client.get(f"/audit/aggregates/{claim}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    entries = app_sqlite.history(claim)
    assert re.findall(r'<li id="v(\d+)">', html) == [str(n) for n in range(1, len(entries) + 1)]
    assert "Riwayat Klaim Siti Aminah, kejadian 4 September 2025 09.00 WIB" in html
    first = html.split('<li id="v1">')[1].split('<li id="v2">')[0]
    assert "Kecelakaan dilaporkan" in first and "AccidentReported" in first
    assert "4 September 2025 12.00 WIB" in first
    assert "ketua.simpang-iv-sipin.005" in first and "(Ketua RT)" in first
    assert "Nama peserta</strong>: Siti Aminah" in first
    assert "Waktu kejadian</strong>: 4 September 2025 09.00 WIB" in first
    approved = next(n for n, e in enumerate(entries, 1) if type(e.event).__name__ == "ClaimApproved")
    text = unescape(re.sub(r"<[^>]+>", "", html.split(f'<li id="v{approved}">')[1].split("</li>\n  <li")[0]))
    assert "petugas.klaim.1" in text and "(Petugas klaim)" in text
    assert "Jumlah disetujui: – →menjadi Rp 900.000" in text
    paid = html.split(f'<li id="v{approved + 1}">')[1]
    assert "Santunan dibayar" in paid and "ditambahkan" in paid and "Rp 400.000" in paid
    assert SITI not in html and "1571********0002" in html  # NIKs are masked


def test_the_history_renders_value_objects_and_before_after(client, history):
    html = client.get(f"/audit/aggregates/{history['road']}").get_data(as_text=True)
    text = unescape(re.sub(r"<[^>]+>", "", html))
    assert "Nilai kegiatan: Rp 30.000.000 →menjadi Rp 35.000.000" in text
    assert "Periode rencana: 10 September 2025 s.d. 20 September 2025" in text
    assert "Masa perlindungan: 10 September 2025 s.d. 20 September 2025" in text
    assert "JKK: Rp 63.000 →menjadi Rp 73.500" in text  # the premium re-assessed on the new value
    html = client.get(f"/audit/aggregates/{history['rt_id']}").get_data(as_text=True)
    text = unescape(re.sub(r"<[^>]+>", "", html))
    assert "10 Agustus 2025: Drainase lingkungan, Jalan setapak" in text
    assert "Tahap: – →menjadi pilot" in text


def test_the_state_as_of_a_version(client, app_sqlite, history):
    claim = history["paid"]
    entries = app_sqlite.history(claim)
    approved = next(n for n, e in enumerate(entries, 1) if type(e.event).__name__ == "ClaimApproved")
    page = client.get(f"/audit/aggregates/{claim}?version={approved}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert f"Keadaan pada versi {approved}" in html
    assert state_field(html, "status") == "Disetujui"
    assert state_field(html, "approved_amount") == "Rp 900.000"
    assert state_field(html, "payments") == "(kosong)"
    assert state_field(html, "closed") == "tidak"
    assert state_field(html, "nik") == "1571********0002"
    latest = client.get(f"/audit/aggregates/{claim}?version={len(entries)}").get_data(as_text=True)
    assert state_field(latest, "status") == "Ditutup"


def test_the_state_as_of_a_moment_read_as_wib(client, app_sqlite, history):
    claim = history["paid"]
    # Between the first instalment (4 September 12.00 WIB) and the second (5 September 12.00 WIB).
    html = client.get(f"/audit/aggregates/{claim}?at=2025-09-04T18:00").get_data(as_text=True)
    version = app_sqlite.version_as_of(claim, wib("2025-09-04T18:00"))
    assert f"Keadaan pada versi {version} (per 4 September 2025 18.00 WIB)" in html
    assert state_field(html, "status") == "Dibayar sebagian"
    assert "Rp 400.000" in state_field(html, "payments") and "TRF-2" not in state_field(html, "payments")
    # 11.59 WIB on the 5th is 04.59 UTC: still before the second instalment.
    html = client.get(f"/audit/aggregates/{claim}?at=2025-09-05T11:59").get_data(as_text=True)
    assert state_field(html, "status") == "Dibayar sebagian"
    html = client.get(f"/audit/aggregates/{claim}?at=2025-09-05T12:00").get_data(as_text=True)
    assert state_field(html, "status") == "Ditutup"


def test_the_activity_state_as_of_a_moment_before_a_withdrawal(client, history):
    html = client.get(f"/audit/aggregates/{history['drainage']}?at=2025-09-03T12:00").get_data(as_text=True)
    participants = state_field(html, "participants")
    assert "Ahmad Fauzi" in participants and "Mundur: –" in participants
    assert state_field(html, "status") == "Berjalan"


@pytest.mark.parametrize("query, field, message", [
    ("version=99", "version", "Versi terakhir adalah"),
    ("version=0", "version", "Versi dimulai dari 1."),
    ("at=2025-08-01T00:00", "at", "Belum ada pada waktu itu"),
    ("at=besok", "at", ""),
])
def test_an_impossible_version_or_moment_is_422_beside_its_field(client, history, query, field, message):
    page = client.get(f"/audit/aggregates/{history['paid']}?{query}")
    assert page.status_code == 422
    html = page.get_data(as_text=True)
    assert error_text(html, field).startswith(message)
    assert '<li id="v1">' in html  # the history is still shown


def test_a_version_and_a_moment_together_are_refused(client, history):
    page = client.get(f"/audit/aggregates/{history['paid']}?version=1&at=2025-09-05T00:00")
    assert page.status_code == 422
    assert "Isi versi atau waktu, tidak keduanya." in page.get_data(as_text=True)


def test_a_task_letter_number_has_a_history_and_a_state_too(client, history):
    number = TaskLetterNumber.create_id("ST/001/RT-005/IX/2025")
    html = client.get(f"/audit/aggregates/{number}?version=1").get_data(as_text=True)
    assert "Riwayat Nomor surat tugas ST/001/RT-005/IX/2025" in html
    assert state_field(html, "number") == "ST/001/RT-005/IX/2025"


def test_an_unknown_aggregate_is_404(client, history):
    page = client.get(f"/audit/aggregates/{uuid4()}")
    assert page.status_code == 404
    assert "Tidak ditemukan" in page.get_data(as_text=True)
    assert client.get("/audit/aggregates/not-a-uuid").status_code == 404


def test_the_trail_links_each_row_to_its_history(client, history):
    html = client.get(f"/audit?aggregate={history['rt_id']}").get_data(as_text=True)
    target = link(html, "RT")
    assert target == f"/audit/aggregates/{history['rt_id']}"
    assert client.get(target).status_code == 200


# --- read models as of a past moment -------------------------------------------------------------


def live_snapshot(client) -> tuple[object, ...]:
    runner = client.application.extensions["kampung.readmodels"]
    with runner.reading("claims") as (connection, tables):
        claims = [tuple(row) for row in connection.execute(select(tables["claims"]).order_by("claim_id"))]
    with runner.reading("coverage") as (connection, tables):
        activities = [tuple(row) for row in connection.execute(select(tables["activities"]).order_by("activity_id"))]
    return (tuple(runner.status()), tuple(sorted(inspect(runner.engine).get_table_names())), tuple(claims),
            tuple(activities))


def test_the_claims_board_as_of_a_past_moment_shows_the_earlier_status(client, history):
    before = live_snapshot(client)
    page = client.get("/audit/as-of?at=2025-09-04T13:00&view=claims")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Keadaan per 4 September 2025 13.00 WIB" in html
    row = html.split(f'<tr data-claim="{history["paid"]}">')[1].split("</tr>")[0]
    assert "Dibayar sebagian" in row and "Rp 400.000" in row
    assert str(history["denied"]) not in html  # reported two days later
    assert live_snapshot(client) == before  # the live read models are untouched
    live = client.get("/").get_data(as_text=True)
    assert "2 dari 3 klaim" in live


def test_coverage_as_of_a_past_moment(client, history):
    before = live_snapshot(client)
    html = client.get("/audit/as-of?at=2025-09-02T12:00&view=coverage").get_data(as_text=True)
    assert "Keadaan per 2 September 2025 12.00 WIB" in html
    # Siti and Ahmad were on the drainage work (Ahmad withdrew on the 4th); the road was worth Rp30 juta.
    assert '<strong id="peserta-lampau">2 orang</strong>' in html
    row = html.split('data-label="Kecamatan">Telanaipura</th>')[1].split("</tr>")[0]
    assert "Rp 192.000" in row and "Rp 100.000" in row and "Rp 92.000" in row
    assert live_snapshot(client) == before


def test_the_state_as_of_a_position(client, app_sqlite, history):
    approved = next(e.position for e in logged(app_sqlite)
                    if e.type == "ClaimApproved" and e.aggregate == str(history["paid"]))
    html = client.get(f"/audit/as-of?position={approved}&view=claims").get_data(as_text=True)
    assert f"(sampai posisi {approved})" in html and "Keadaan per 4 September 2025 12.00 WIB" in html
    row = html.split(f'<tr data-claim="{history["paid"]}">')[1].split("</tr>")[0]
    assert '<td data-label="Status" class="status">Disetujui</td>' in row


def test_the_as_of_page_starts_with_its_form(client, history):
    page = client.get("/audit/as-of")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert '<label for="at">' in html and '<label for="position">' in html
    assert "Keadaan per" not in html


@pytest.mark.parametrize("query, field", [
    ("at=kemarin", "at"),
    ("position=0", "position"),
    ("position=100000", "position"),
    ("at=2025-09-04T13:00&view=everything", "view"),
])
def test_an_invalid_as_of_query_is_422_beside_its_field(client, history, query, field):
    page = client.get(f"/audit/as-of?{query}")
    assert page.status_code == 422
    assert error_text(page.get_data(as_text=True), field)


def test_ids_in_a_state_link_to_their_own_history(client, history):
    html = client.get(f"/audit/aggregates/{history['paid']}?version=1").get_data(as_text=True)
    dd = html.split('<dd data-field="activity_id">')[1].split("</dd>")[0]
    assert f'<a href="/audit/aggregates/{history["drainage"]}">' in dd


@pytest.mark.parametrize("path", ["/audit", "/audit/as-of?at=2025-09-04T13:00&view=claims", "history"])
def test_every_field_is_labelled_and_the_pages_need_no_javascript(client, history, path):
    if path == "history":
        path = f"/audit/aggregates/{history['paid']}?version=2"
    html = client.get(path).get_data(as_text=True)
    assert "<script" not in html and re.search(r'(src|href)="https?://', html) is None
    labels = set(re.findall(r'<label for="([^"]+)"', html))
    for tag, attributes in re.findall(r"<(input|select|textarea)\b([^>]*)>", html):
        if 'type="hidden"' in attributes or 'type="radio"' in attributes:
            continue  # radios sit inside their label
        field_id = re.search(r'id="([^"]+)"', attributes)
        assert field_id and field_id.group(1) in labels, f"unlabelled {tag} {attributes}"
    assert re.search(r"<form method=\"get\"", html)
