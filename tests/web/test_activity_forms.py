"""The activity pages and forms, read as specifications: the list and its filters, an activity's page,
the printable surat tugas; plan, issue a task letter, participants one by one and in bulk (pasted
or uploaded), withdraw, premium payment, value revision, complete and cancel. Each form: success
(redirect, flash, the event stored), invalid input (422 beside the field, input kept), a refused
rule (409), a stale version (409), an unknown activity (404) and no sign-in (redirect); nothing is
written on a refusal."""

import io
from datetime import date
from uuid import UUID, uuid4

import pytest

import interfaces.web.activities as activity_pages
from tests.integration.conftest import ADMIN, AHMAD, COVER, KETUA, KETUA_NIK, SITI, launched_rt
from tests.web.conftest import follow, head, sign_in
from tests.web.pages import (
    CONFLICT, REQUIRED, csrf_token_of, element, error_beside, flash_after, has_label, sent_to_sign_in, value_of,
)

LETTER = "ST/001/RT-005/IX/2025"
DEWI = "1571016108950004"  # a woman born 21 August 1995
RUDI = "1571010502800005"


def version(app, activity_id) -> str:
    return str(app.get_activity(activity_id).version)


FORMS = ("task-letters/new", "participants/new", "participants/bulk", "participants/withdrawal",
         "premium-payments/new", "value", "completion", "cancellation")


# --- pages ---------------------------------------------------------------------------------------


@pytest.mark.usefixtures("signed_in")  # an administrator reads it
def test_the_activity_list_shows_each_activity_with_its_figures(client, web_world):
    page = client.get("/activities")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Kegiatan gotong royong" in html and "1 kegiatan." in html
    assert f'href="/activities/{web_world.activity_id}">Gotong royong pembersihan drainase</a>' in html
    assert "15.71.01.1001/RT-005" in html and "Simpang IV Sipin" in html
    assert "Drainase" in html and "Berjalan" in html
    assert "1 September 2025 – 30 September 2025" in html
    assert "Rp 50.000.000" in html and "Rp 120.000" in html  # value and premium outstanding
    assert 'class="cards"' in html and "<script" not in html


@pytest.mark.usefixtures("signed_in")  # an administrator reads it
def test_the_activity_list_filters_by_rt_code_and_status(client, app_sqlite, web_world):
    other = launched_rt(app_sqlite, "15.71.03.1002", 7)
    app_sqlite.plan_activity(other, "Penghijauan taman RT", "greening", "Taman RT 007", 10_000_000, COVER, ADMIN)
    follow(client)
    html = client.get("/activities?rt=15.71.01.1001%2FRT-005").get_data(as_text=True)
    assert "1 kegiatan cocok dengan saringan" in html
    assert "Gotong royong pembersihan drainase" in html and "Penghijauan taman RT" not in html
    assert value_of(html, "filter-rt") == "15.71.01.1001/RT-005"
    kelurahan = client.get("/activities?rt=15.71.03").get_data(as_text=True)  # a code's beginning
    assert "Penghijauan taman RT" in kelurahan and "Gotong royong pembersihan drainase" not in kelurahan
    planned = client.get("/activities?status=planned").get_data(as_text=True)
    assert "Penghijauan taman RT" in planned and "Gotong royong pembersihan drainase" not in planned
    assert value_of(planned, "filter-status") == "planned"
    none = client.get("/activities?rt=15.71.01.1001%2FRT-005&status=cancelled").get_data(as_text=True)
    assert "Tidak ada kegiatan yang cocok" in none
    assert 'action="/activities"' in none and 'method="get"' in none
    assert '<label for="filter-rt">' in none and '<label for="filter-status">' in none


@pytest.mark.usefixtures("signed_in")  # an administrator reads it
def test_the_activity_list_is_paged(client, app_sqlite, web_world, monkeypatch):
    monkeypatch.setattr(activity_pages, "PAGE_SIZE", 1)
    app_sqlite.plan_activity(web_world.rt_id, "Kerja bakti jalan", "road_repair", "Gang Mawar", 5_000_000,
                             COVER, ADMIN)
    follow(client)
    first = client.get("/activities?status=").get_data(as_text=True)
    assert "2 kegiatan; ditampilkan 1–1" in first and 'href="/activities?page=2"' in first
    second = client.get("/activities?page=2").get_data(as_text=True)
    assert "ditampilkan 2–2" in second and 'href="/activities?page=1"' in second


@pytest.mark.usefixtures("signed_in")  # an administrator reads it
def test_the_activity_page_shows_value_premium_letters_and_participants_with_full_nik(client, web_world):
    page = client.get(f"/activities/{web_world.activity_id}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "<h1>Gotong royong pembersihan drainase</h1>" in html
    assert "RT 005 Simpang IV Sipin" in html and "Telanaipura" in html
    assert "Berjalan" in html and "Drainase" in html and "Jl. Sipin Ujung" in html
    assert "Rp 50.000.000" in html
    assert "Rp 120.000" in html and "JKK Rp 105.000 + JKM Rp 15.000" in html  # assessed
    assert "<dt>Premi dibayar</dt><dd>Rp 0</dd>" in html
    assert "<dt>Premi terutang</dt><dd>Rp 120.000</dd>" in html
    letter_url = f"/activities/{web_world.activity_id}/task-letters/{LETTER}"
    assert f'href="{letter_url}">{LETTER}</a>' in html and '<td data-label="Ketua RT">Budi Santoso</td>' in html
    assert "Siti Aminah" in html and SITI in html and "Warga" in html  # officers see the full NIK
    assert "1 September 2025 08.00 WIB" in html
    for form in ("task-letters/new", "participants/new", "participants/bulk", "premium-payments/new", "value",
                 "completion", "cancellation"):
        assert f'href="/activities/{web_world.activity_id}/{form}"' in html
    assert f'href="/activities/{web_world.activity_id}/participants/withdrawal?nik={SITI}"' in html


@pytest.mark.usefixtures("signed_in")  # an administrator reads it
def test_a_closed_activity_offers_no_more_forms(client, app_sqlite, web_world):
    app_sqlite.cancel_activity(web_world.activity_id, "Hujan deras", ADMIN)
    follow(client)
    html = client.get(f"/activities/{web_world.activity_id}").get_data(as_text=True)
    assert "Dibatalkan" in html and "Hujan deras" in html
    assert f'href="/activities/{web_world.activity_id}/participants/new"' not in html


@pytest.mark.usefixtures("signed_in")  # an administrator reads it
def test_the_task_letter_prints_as_a_surat_tugas(client, app_sqlite, web_world):
    app_sqlite.join_participant(web_world.activity_id, AHMAD, "Ahmad Fauzi", "phl", KETUA)
    app_sqlite.join_participant(web_world.activity_id, RUDI, "Rudi Hartono", "resident", KETUA)
    app_sqlite.withdraw_participant(web_world.activity_id, RUDI, "Pindah rumah", KETUA)
    page = client.get(f"/activities/{web_world.activity_id}/task-letters/{LETTER}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "SURAT TUGAS" in html and f"Nomor: {LETTER}" in html
    assert "Rukun Tetangga 005" in html and "Kelurahan Simpang IV Sipin" in html
    assert "Kecamatan Telanaipura" in html and "Kota Jambi" in html
    assert "Gotong royong pembersihan drainase" in html and "Jl. Sipin Ujung" in html
    assert "1 September 2025 s.d. 30 September 2025" in html
    assert "Daftar peserta (2 orang)" in html
    assert "Siti Aminah" in html and "1571********0002" in html and "Warga" in html
    assert "Ahmad Fauzi" in html and "1571********0003" in html and "Pekerja harian lepas (PHL)" in html
    assert SITI not in html and AHMAD not in html  # NIK masked on paper
    assert "Rudi Hartono" not in html  # withdrawn
    assert "Jambi, 1 September 2025" in html and "Budi Santoso" in html
    assert 'href="/static/print.css" media="print"' in html and 'class="no-print"' in html


@pytest.mark.usefixtures("signed_in")  # an administrator reads it
def test_an_unknown_activity_or_letter_is_404(client, web_world):
    assert client.get(f"/activities/{uuid4()}").status_code == 404
    assert client.get(f"/activities/{web_world.rt_id}").status_code == 404  # an RT is not an activity
    assert client.get(f"/activities/{web_world.activity_id}/task-letters/ST/999").status_code == 404
    assert client.get(f"/activities/{uuid4()}/task-letters/{LETTER}").status_code == 404


# --- every form ----------------------------------------------------------------------------------


@pytest.mark.parametrize("form", FORMS)
def test_each_activity_form_needs_a_signed_in_user_first(client, app_sqlite, web_world, form):
    url = f"/activities/{web_world.activity_id}/{form}"
    assert sent_to_sign_in(client.get(url)) == url
    before = head(app_sqlite)
    assert sent_to_sign_in(client.post(url, data={"reason": "x", "nik": SITI, "name": "A", "role": "resident"})) == url
    assert head(app_sqlite) == before


def test_the_plan_form_needs_a_signed_in_user_first(client, web_world):
    url = f"/activities/new?rt_id={web_world.rt_id}"
    assert sent_to_sign_in(client.get(url)) == url


@pytest.mark.parametrize("form", FORMS)
def test_each_activity_form_has_csrf_and_the_version_seen(signed_in, app_sqlite, web_world, form):
    page = signed_in.get(f"/activities/{web_world.activity_id}/{form}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert 'name="csrf_token"' in html
    expected = version(app_sqlite, web_world.activity_id)
    assert f'<input type="hidden" name="expected_version" value="{expected}">' in html
    assert "Gotong royong pembersihan drainase" in html and "15.71.01.1001/RT-005" in html
    assert f'href="/activities/{web_world.activity_id}">' in html  # a way back
    assert "<script" not in html


@pytest.mark.parametrize("form", FORMS)
def test_each_activity_form_of_an_unknown_activity_is_404(signed_in, app_sqlite, web_world, form):
    assert signed_in.get(f"/activities/{uuid4()}/{form}").status_code == 404
    before = head(app_sqlite)
    posted = signed_in.post(f"/activities/{uuid4()}/{form}", data={"reason": "x", "expected_version": "1"})
    assert posted.status_code == 404 and "Tidak ditemukan" in posted.get_data(as_text=True)
    assert head(app_sqlite) == before


# --- plan ----------------------------------------------------------------------------------------

PLAN = {"title": "Kerja bakti perbaikan jalan setapak", "kind": "road_repair", "location": "Gang Mawar",
        "total_value": "75000000", "planned_start": "2025-09-06", "planned_end": "2025-09-07"}


def test_the_plan_form_comes_with_the_rt_preselected(signed_in, web_world):
    html = signed_in.get(f"/activities/new?rt_id={web_world.rt_id}").get_data(as_text=True)
    assert value_of(html, "rt_id") == str(web_world.rt_id)
    assert "RT 005 Simpang IV Sipin (15.71.01.1001/RT-005)" in html
    for name in ("rt_id", "title", "kind", "location", "total_value", "planned_start", "planned_end"):
        assert has_label(html, name)
    assert "Perbaikan jalan" in html and 'name="csrf_token"' in html


def test_plan_an_activity(signed_in, app_sqlite, web_world):
    response = signed_in.post("/activities/new", data={**PLAN, "rt_id": str(web_world.rt_id)})
    assert response.status_code == 302 and response.headers["Location"].startswith("/activities/")
    activity_id = UUID(response.headers["Location"].rsplit("/", 1)[1])
    html = flash_after(signed_in, response)
    assert 'Kegiatan “Kerja bakti perbaikan jalan setapak” direncanakan; premi dihitung.' in html
    assert "Rp 75.000.000" in html and "Rp 180.000" in html and "Direncanakan" in html
    activity = app_sqlite.get_activity(activity_id)
    assert (activity.title, activity.kind, activity.total_value) == (PLAN["title"], "road_repair", 75_000_000)
    assert activity.premium.total == 180_000
    assert "Kerja bakti perbaikan jalan setapak" in signed_in.get(f"/rts/{web_world.rt_id}").get_data(as_text=True)


def test_plan_with_missing_and_bad_fields_is_422_with_the_input_kept(signed_in, app_sqlite, web_world):
    before = head(app_sqlite)
    response = signed_in.post("/activities/new", data={
        **PLAN, "rt_id": str(web_world.rt_id), "title": "", "total_value": "75,000,000",  # "75.000.000" is fine
        "planned_start": "2025-09-07", "planned_end": "2025-09-06",
    })
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert error_beside(html, "title") == REQUIRED
    assert error_beside(html, "total_value")
    assert value_of(html, "total_value") == "75,000,000" and value_of(html, "location") == "Gang Mawar"
    assert value_of(html, "rt_id") == str(web_world.rt_id) and value_of(html, "kind") == "road_repair"
    assert head(app_sqlite) == before


def test_plan_ending_before_it_starts_is_422(signed_in, web_world):
    response = signed_in.post("/activities/new", data={**PLAN, "rt_id": str(web_world.rt_id),
                                                      "planned_start": "2025-09-07", "planned_end": "2025-09-06"})
    assert response.status_code == 422
    assert error_beside(response.get_data(as_text=True), "planned_end")


def test_plan_in_an_rt_not_enrolled_is_refused(signed_in, app_sqlite, web_world):
    rt_id = app_sqlite.register_rt("15.71.01.1001", 9, ADMIN)
    follow(signed_in)
    before = head(app_sqlite)
    response = signed_in.post("/activities/new", data={**PLAN, "rt_id": str(rt_id)})
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    assert 'id="rt_id-error"' in html and "15.71.01.1001/RT-009" in html
    assert value_of(html, "title") == PLAN["title"]
    assert head(app_sqlite) == before


def test_plan_the_same_activity_twice_is_refused(signed_in, app_sqlite, web_world):
    before = head(app_sqlite)
    response = signed_in.post("/activities/new", data={
        **PLAN, "rt_id": str(web_world.rt_id), "title": "Gotong royong pembersihan drainase",
        "planned_start": "2025-09-01", "planned_end": "2025-09-30",
    })
    assert response.status_code == 409 and 'id="id-error"' in response.get_data(as_text=True)
    assert head(app_sqlite) == before


# --- task letter ---------------------------------------------------------------------------------

def letter_form(app, world, **changes):
    return {"number": "ST/002/RT-005/IX/2025", "issued_on": "2025-09-01", "cover_start": "2025-09-01",
            "cover_end": "2025-09-15", "issued_by_nik": KETUA_NIK,
            "expected_version": version(app, world.activity_id), **changes}


def test_the_task_letter_form_is_prefilled_with_the_current_ketua(signed_in, web_world):
    html = signed_in.get(f"/activities/{web_world.activity_id}/task-letters/new").get_data(as_text=True)
    assert value_of(html, "issued_by_nik") == KETUA_NIK and "Ketua RT sekarang: <strong>Budi Santoso</strong>" in html
    assert value_of(html, "issued_on") == "2025-09-01"
    assert (value_of(html, "cover_start"), value_of(html, "cover_end")) == ("2025-09-01", "2025-09-30")
    for name in ("number", "issued_on", "cover_start", "cover_end", "issued_by_nik"):
        assert has_label(html, name)


def test_the_task_letter_form_suggests_the_rts_next_free_number_of_the_month(signed_in, app_sqlite, web_world):
    url = f"/activities/{web_world.activity_id}/task-letters/new"
    # The programme's format: sequence, RT, kecamatan and kelurahan digits, month in Roman numerals, year.
    assert value_of(signed_in.get(url).get_data(as_text=True), "number") == "ST/001/RT-005/01.1001/IX/2025"
    signed_in.post(url, data=letter_form(app_sqlite, web_world, number="ST/001/RT-005/01.1001/IX/2025"))
    assert value_of(signed_in.get(url).get_data(as_text=True), "number") == "ST/002/RT-005/01.1001/IX/2025"
    # The suggestion may be replaced by a number of the RT's own.
    response = signed_in.post(url, data=letter_form(app_sqlite, web_world, number="045/ST/RT005/2025",
                                                    cover_start="2025-09-16", cover_end="2025-09-20"))
    assert response.status_code == 302
    assert app_sqlite.get_activity(web_world.activity_id).task_letters[-1].number == "045/ST/RT005/2025"


def test_issue_a_task_letter(signed_in, app_sqlite, web_world):
    url = f"/activities/{web_world.activity_id}/task-letters/new"
    response = signed_in.post(url, data=letter_form(app_sqlite, web_world))
    assert response.headers["Location"] == f"/activities/{web_world.activity_id}"
    html = flash_after(signed_in, response)
    assert "Surat tugas ST/002/RT-005/IX/2025 tercatat." in html
    letter = app_sqlite.get_activity(web_world.activity_id).task_letters[-1]
    assert (letter.number, letter.cover_period.end, letter.ketua_name) == (
        "ST/002/RT-005/IX/2025", date(2025, 9, 15), "Budi Santoso")
    assert signed_in.get(f"/activities/{web_world.activity_id}/task-letters/ST/002/RT-005/IX/2025").status_code == 200


def test_a_task_letter_by_someone_not_the_current_ketua_is_refused(signed_in, app_sqlite, web_world):
    before = head(app_sqlite)
    response = signed_in.post(f"/activities/{web_world.activity_id}/task-letters/new",
                              data=letter_form(app_sqlite, web_world, issued_by_nik=AHMAD))
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    assert "Budi Santoso" in error_beside(html, "issued_by_nik")
    assert value_of(html, "issued_by_nik") == AHMAD and value_of(html, "number") == "ST/002/RT-005/IX/2025"
    assert head(app_sqlite) == before


def test_a_backdated_cover_is_refused_beside_the_cover_period(signed_in, app_sqlite, web_world):
    before = head(app_sqlite)
    response = signed_in.post(f"/activities/{web_world.activity_id}/task-letters/new",
                              data=letter_form(app_sqlite, web_world, issued_on="2025-08-30", cover_start="2025-08-29"))
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    assert element(html, "cover_period-error")["attrs"]["class"] == "field-error"
    assert value_of(html, "cover_start") == "2025-08-29"
    assert head(app_sqlite) == before


def test_a_task_letter_with_bad_fields_is_422(signed_in, app_sqlite, web_world):
    before = head(app_sqlite)
    response = signed_in.post(f"/activities/{web_world.activity_id}/task-letters/new", data=letter_form(
        app_sqlite, web_world, number="", issued_by_nik="1234"))
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert error_beside(html, "number") == REQUIRED
    assert error_beside(html, "issued_by_nik").startswith("NIK harus tepat 16 angka")
    assert value_of(html, "issued_by_nik") == "1234" and value_of(html, "cover_end") == "2025-09-15"
    response = signed_in.post(f"/activities/{web_world.activity_id}/task-letters/new", data=letter_form(
        app_sqlite, web_world, cover_start="2025-09-10", cover_end="2025-09-05"))
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert error_beside(html, "cover_end") and value_of(html, "cover_start") == "2025-09-10"
    assert head(app_sqlite) == before


def test_a_task_letter_dated_in_the_future_is_422(signed_in, app_sqlite, web_world):
    response = signed_in.post(f"/activities/{web_world.activity_id}/task-letters/new", data=letter_form(
        app_sqlite, web_world, issued_on="2025-09-02", cover_start="2025-09-02"))
    assert response.status_code == 422 and error_beside(response.get_data(as_text=True), "issued_on")


def test_a_task_letter_number_is_used_once_city_wide(signed_in, app_sqlite, web_world):
    other = app_sqlite.plan_activity(web_world.rt_id, "Kerja bakti jalan", "road_repair", "Gang Mawar", 5_000_000,
                                     COVER, ADMIN)
    before = head(app_sqlite)
    response = signed_in.post(f"/activities/{other}/task-letters/new", data={
        **letter_form(app_sqlite, web_world), "number": LETTER, "expected_version": version(app_sqlite, other)})
    assert response.status_code == 409 and LETTER in response.get_data(as_text=True)
    assert head(app_sqlite) == before


def test_a_task_letter_before_the_rt_is_launched_is_refused(signed_in, app_sqlite, web_world):
    rt_id = app_sqlite.register_rt("15.71.01.1001", 9, ADMIN)
    app_sqlite.appoint_ketua_rt(rt_id, DEWI, "Dewi Lestari", "081298765432", date(2025, 7, 1), ADMIN)
    app_sqlite.enrol_rt(rt_id, "pilot", date(2025, 8, 1), ADMIN)
    activity_id = app_sqlite.plan_activity(rt_id, "Penghijauan", "greening", "Taman", 5_000_000, COVER, ADMIN)
    follow(signed_in)
    html = signed_in.get(f"/activities/{activity_id}/task-letters/new").get_data(as_text=True)
    assert "belum diluncurkan" in html
    before = head(app_sqlite)
    response = signed_in.post(f"/activities/{activity_id}/task-letters/new", data={
        **letter_form(app_sqlite, web_world), "issued_by_nik": DEWI,
        "expected_version": version(app_sqlite, activity_id)})
    assert response.status_code == 409 and 'class="alert alert-error" role="alert"' in response.get_data(as_text=True)
    assert head(app_sqlite) == before


def test_a_task_letter_on_a_stale_version_is_a_conflict(signed_in, app_sqlite, web_world):
    form = letter_form(app_sqlite, web_world)
    app_sqlite.join_participant(web_world.activity_id, AHMAD, "Ahmad Fauzi", "phl", KETUA)  # meanwhile
    before = head(app_sqlite)
    response = signed_in.post(f"/activities/{web_world.activity_id}/task-letters/new", data=form)
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    assert CONFLICT in html and value_of(html, "number") == "ST/002/RT-005/IX/2025"
    assert head(app_sqlite) == before


# --- one participant -----------------------------------------------------------------------------


def join_form(app, world, **changes):
    return {"nik": AHMAD, "name": "Ahmad Fauzi", "role": "phl", "expected_version": version(app, world.activity_id),
            **changes}


def test_add_a_participant(signed_in, app_sqlite, web_world):
    html = signed_in.get(f"/activities/{web_world.activity_id}/participants/new").get_data(as_text=True)
    assert has_label(html, "nik") and has_label(html, "name") and has_label(html, "role")
    assert value_of(html, "role") == "resident"
    response = signed_in.post(f"/activities/{web_world.activity_id}/participants/new", data=join_form(app_sqlite, web_world))
    html = flash_after(signed_in, response)
    assert "Ahmad Fauzi ditambahkan sebagai peserta." in html
    assert AHMAD in html and "Pekerja harian lepas (PHL)" in html
    assert app_sqlite.get_activity(web_world.activity_id).participants[AHMAD].role == "phl"


def test_add_a_participant_with_bad_fields_is_422_with_the_input_kept(signed_in, app_sqlite, web_world):
    before = head(app_sqlite)
    response = signed_in.post(f"/activities/{web_world.activity_id}/participants/new",
                              data=join_form(app_sqlite, web_world, nik="157101", role="mandor"))
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert error_beside(html, "nik").startswith("NIK harus tepat 16 angka")
    assert "Harus salah satu dari" in error_beside(html, "role")
    assert value_of(html, "nik") == "157101" and value_of(html, "name") == "Ahmad Fauzi"
    assert head(app_sqlite) == before


def test_joining_twice_is_refused(signed_in, app_sqlite, web_world):
    before = head(app_sqlite)
    response = signed_in.post(f"/activities/{web_world.activity_id}/participants/new",
                              data=join_form(app_sqlite, web_world, nik=SITI, name="Siti Aminah"))
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    assert SITI in error_beside(html, "nik") and value_of(html, "name") == "Siti Aminah"
    assert head(app_sqlite) == before


def test_joining_a_completed_activity_is_refused(signed_in, app_sqlite, web_world):
    app_sqlite.complete_activity(web_world.activity_id, ADMIN)
    before = head(app_sqlite)
    response = signed_in.post(f"/activities/{web_world.activity_id}/participants/new", data=join_form(app_sqlite, web_world))
    assert response.status_code == 409 and 'role="alert"' in response.get_data(as_text=True)
    assert head(app_sqlite) == before


def test_joining_on_a_stale_version_is_a_conflict(signed_in, app_sqlite, web_world):
    before = head(app_sqlite)
    response = signed_in.post(f"/activities/{web_world.activity_id}/participants/new",
                              data=join_form(app_sqlite, web_world, expected_version="2"))
    assert response.status_code == 409 and CONFLICT in response.get_data(as_text=True)
    assert head(app_sqlite) == before


# --- participants in bulk ------------------------------------------------------------------------


def bulk_url(world) -> str:
    return f"/activities/{world.activity_id}/participants/bulk"


def bulk_form(app, world, rows) -> dict:
    return {"rows": rows, "expected_version": version(app, world.activity_id)}


def test_the_bulk_form_takes_pasted_text_or_a_csv_file_in_one_field(signed_in, web_world):
    html = signed_in.get(bulk_url(web_world)).get_data(as_text=True)
    assert 'enctype="multipart/form-data"' in html
    assert element(html, "rows")["tag"] == "textarea" and element(html, "rows")["attrs"]["name"] == "rows"
    upload = element(html, "rows-file")
    assert upload["attrs"]["type"] == "file" and upload["attrs"]["name"] == "rows"
    assert '<label for="rows">' in html and '<label for="rows-file">' in html
    assert "NIK,nama,peran" in html and "pokja_member" in html


def test_paste_two_valid_rows_and_both_join(signed_in, app_sqlite, web_world):
    rows = f"{AHMAD},Ahmad Fauzi,phl\n{DEWI}, Dewi Lestari ,pokja_member\n"
    response = signed_in.post(bulk_url(web_world), data=bulk_form(app_sqlite, web_world, rows))
    html = flash_after(signed_in, response)
    assert "2 peserta ditambahkan." in html
    assert "Ahmad Fauzi" in html and "Dewi Lestari" in html and "3 peserta aktif" in html
    participants = app_sqlite.get_activity(web_world.activity_id).participants
    assert participants[AHMAD].role == "phl" and participants[DEWI].name == "Dewi Lestari"


def test_roles_may_be_pasted_with_their_indonesian_names(signed_in, app_sqlite, web_world):
    html = signed_in.get(bulk_url(web_world)).get_data(as_text=True)
    assert "<code>resident</code> atau <code>warga</code>" in html
    assert "<code>phl</code> atau <code>pekerja harian lepas</code>" in html
    assert "<code>petugas_syara</code> atau <code>petugas syara&#39;</code>" in html
    rows = f"{AHMAD},Ahmad Fauzi,Pekerja Harian Lepas\n{DEWI},Dewi Lestari, anggota pokja \n{RUDI},Rudi Hartono,Warga\n"
    response = signed_in.post(bulk_url(web_world), data=bulk_form(app_sqlite, web_world, rows))
    assert "3 peserta ditambahkan." in flash_after(signed_in, response)
    participants = app_sqlite.get_activity(web_world.activity_id).participants
    assert (participants[AHMAD].role, participants[DEWI].role, participants[RUDI].role) == (
        "phl", "pokja_member", "resident")


def test_paste_with_one_invalid_row_shows_the_row_and_joins_nobody(signed_in, app_sqlite, web_world):
    rows = f"NIK,nama,peran\n{AHMAD},Ahmad Fauzi,phl\n1571,Dewi Lestari,mandor\n{RUDI},Rudi Hartono\n"
    before = head(app_sqlite)
    response = signed_in.post(bulk_url(web_world), data=bulk_form(app_sqlite, web_world, rows))
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    errors = error_beside(html, "rows")
    assert "Ada 2 baris yang salah; tidak ada peserta yang disimpan." in errors
    assert "Baris 2: NIK: NIK harus tepat 16 angka" in errors and "peran: Harus salah satu dari" in errors
    assert "Baris 3:" in errors and "Baris 1:" not in errors
    assert value_of(html, "rows") == rows  # the pasted text is kept to be corrected
    assert head(app_sqlite) == before
    assert set(app_sqlite.get_activity(web_world.activity_id).participants) == {SITI}


def test_the_same_nik_twice_in_a_paste_is_a_row_error(signed_in, app_sqlite, web_world):
    rows = f"{AHMAD},Ahmad Fauzi,phl\n{AHMAD},Ahmad F.,resident"
    response = signed_in.post(bulk_url(web_world), data=bulk_form(app_sqlite, web_world, rows))
    assert response.status_code == 422
    assert "Baris 2: NIK:" in error_beside(response.get_data(as_text=True), "rows")


def test_an_empty_paste_is_422(signed_in, app_sqlite, web_world):
    response = signed_in.post(bulk_url(web_world), data=bulk_form(app_sqlite, web_world, " "))
    assert response.status_code == 422
    assert error_beside(response.get_data(as_text=True), "rows") == REQUIRED


def test_a_paste_with_someone_already_joined_is_refused_and_nobody_joins(signed_in, app_sqlite, web_world):
    rows = f"{AHMAD},Ahmad Fauzi,phl\n{SITI},Siti Aminah,resident"
    before = head(app_sqlite)
    response = signed_in.post(bulk_url(web_world), data=bulk_form(app_sqlite, web_world, rows))
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    assert SITI in html and 'role="alert"' in html and value_of(html, "rows") == rows
    assert head(app_sqlite) == before


def test_upload_a_csv_file(signed_in, app_sqlite, web_world):
    content = f"NIK,nama,peran\r\n{AHMAD},Ahmad Fauzi,phl\r\n{DEWI},Dewi Lestari,resident\r\n".encode("utf-8-sig")
    response = signed_in.post(bulk_url(web_world), content_type="multipart/form-data", data={
        "rows": (io.BytesIO(content), "peserta.csv"),
        "expected_version": version(app_sqlite, web_world.activity_id),
    })
    assert "2 peserta ditambahkan." in flash_after(signed_in, response)
    assert set(app_sqlite.get_activity(web_world.activity_id).participants) == {SITI, AHMAD, DEWI}


def test_an_uploaded_csv_with_a_bad_row_joins_nobody(signed_in, app_sqlite, web_world):
    content = f"{AHMAD},Ahmad Fauzi,phl\n{DEWI},,resident\n".encode()
    before = head(app_sqlite)
    response = signed_in.post(bulk_url(web_world), content_type="multipart/form-data", data={
        "rows": (io.BytesIO(content), "peserta.csv"),
        "expected_version": version(app_sqlite, web_world.activity_id),
    })
    assert response.status_code == 422
    assert "Baris 2: nama:" in error_beside(response.get_data(as_text=True), "rows")
    assert head(app_sqlite) == before


def test_an_uploaded_csv_with_errors_comes_back_as_text_to_correct_in_place(signed_in, app_sqlite, web_world):
    text = f"NIK,nama,peran\r\n{AHMAD},Ahmad Fauzi,phl\r\n{DEWI},Dewi Lestari,mandor\r\n"
    response = signed_in.post(bulk_url(web_world), content_type="multipart/form-data", data={
        "rows": ["", (io.BytesIO(text.encode("utf-8-sig")), "peserta.csv")],  # the empty textarea, the file
        "expected_version": version(app_sqlite, web_world.activity_id),
    })
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Baris 2: peran:" in error_beside(html, "rows")
    assert value_of(html, "rows") == text  # the file's text, without its byte order mark
    corrected = value_of(html, "rows").replace("mandor", "warga")
    response = signed_in.post(bulk_url(web_world), data=bulk_form(app_sqlite, web_world, corrected))
    assert "2 peserta ditambahkan." in flash_after(signed_in, response)


def test_a_bulk_join_on_a_stale_version_is_a_conflict(signed_in, app_sqlite, web_world):
    before = head(app_sqlite)
    response = signed_in.post(bulk_url(web_world), data={"rows": f"{AHMAD},Ahmad Fauzi,phl", "expected_version": "1"})
    assert response.status_code == 409 and CONFLICT in response.get_data(as_text=True)
    assert head(app_sqlite) == before


# --- withdraw ------------------------------------------------------------------------------------


def test_withdraw_a_participant(signed_in, app_sqlite, web_world):
    url = f"/activities/{web_world.activity_id}/participants/withdrawal"
    html = signed_in.get(f"{url}?nik={SITI}").get_data(as_text=True)
    assert value_of(html, "nik") == SITI and f"Siti Aminah ({SITI})" in html
    assert has_label(html, "nik") and has_label(html, "reason")
    response = signed_in.post(url, data={"nik": SITI, "reason": "Sakit",
                                         "expected_version": version(app_sqlite, web_world.activity_id)})
    html = flash_after(signed_in, response)
    assert "Siti Aminah keluar dari kegiatan" in html and "0 peserta aktif, 1 sudah keluar" in html
    assert app_sqlite.get_activity(web_world.activity_id).participants[SITI].withdrawn_at is not None


def test_withdraw_without_a_reason_is_422_with_the_choice_kept(signed_in, app_sqlite, web_world):
    before = head(app_sqlite)
    response = signed_in.post(f"/activities/{web_world.activity_id}/participants/withdrawal", data={
        "nik": SITI, "reason": "", "expected_version": version(app_sqlite, web_world.activity_id)})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert error_beside(html, "reason") == REQUIRED and value_of(html, "nik") == SITI
    assert head(app_sqlite) == before


def test_withdraw_someone_not_taking_part_is_refused(signed_in, app_sqlite, web_world):
    before = head(app_sqlite)
    response = signed_in.post(f"/activities/{web_world.activity_id}/participants/withdrawal", data={
        "nik": AHMAD, "reason": "Salah input", "expected_version": version(app_sqlite, web_world.activity_id)})
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    assert AHMAD in error_beside(html, "nik") and value_of(html, "reason") == "Salah input"
    assert head(app_sqlite) == before


def test_withdraw_on_a_stale_version_is_a_conflict(signed_in, app_sqlite, web_world):
    before = head(app_sqlite)
    response = signed_in.post(f"/activities/{web_world.activity_id}/participants/withdrawal",
                              data={"nik": SITI, "reason": "Sakit", "expected_version": "1"})
    assert response.status_code == 409 and CONFLICT in response.get_data(as_text=True)
    assert head(app_sqlite) == before


# --- premium payment -----------------------------------------------------------------------------


def payment_form(app, world, **changes):
    return {"amount": "100000", "reference": "BPJS-2025-0001", "paid_on": "2025-09-01",
            "expected_version": version(app, world.activity_id), **changes}


def test_the_payment_form_offers_the_outstanding_premium(signed_in, web_world):
    html = signed_in.get(f"/activities/{web_world.activity_id}/premium-payments/new").get_data(as_text=True)
    assert value_of(html, "amount") == "120000" and value_of(html, "paid_on") == "2025-09-01"
    assert "<dt>Terutang</dt><dd>Rp 120.000</dd>" in html
    for name in ("amount", "reference", "paid_on"):
        assert has_label(html, name)


def test_record_a_premium_payment(signed_in, app_sqlite, web_world):
    response = signed_in.post(f"/activities/{web_world.activity_id}/premium-payments/new",
                              data=payment_form(app_sqlite, web_world))
    html = flash_after(signed_in, response)
    assert "Pembayaran premi Rp 100.000 (BPJS-2025-0001) tercatat." in html
    assert "<dt>Premi dibayar</dt><dd>Rp 100.000</dd>" in html and "<dt>Premi terutang</dt><dd>Rp 20.000</dd>" in html
    assert app_sqlite.get_activity(web_world.activity_id).premium_paid == 100_000


def test_a_payment_above_what_is_outstanding_is_refused(signed_in, app_sqlite, web_world):
    before = head(app_sqlite)
    response = signed_in.post(f"/activities/{web_world.activity_id}/premium-payments/new",
                              data=payment_form(app_sqlite, web_world, amount="200000"))
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    assert error_beside(html, "amount") and value_of(html, "amount") == "200000"
    assert value_of(html, "reference") == "BPJS-2025-0001"
    assert head(app_sqlite) == before


def test_a_payment_with_bad_fields_is_422(signed_in, app_sqlite, web_world):
    before = head(app_sqlite)
    response = signed_in.post(f"/activities/{web_world.activity_id}/premium-payments/new",
                              data=payment_form(app_sqlite, web_world, amount="seratus ribu", reference=""))
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert error_beside(html, "amount") and error_beside(html, "reference") == REQUIRED
    assert value_of(html, "amount") == "seratus ribu"
    response = signed_in.post(f"/activities/{web_world.activity_id}/premium-payments/new",
                              data=payment_form(app_sqlite, web_world, paid_on="2025-09-02"))
    assert response.status_code == 422 and error_beside(response.get_data(as_text=True), "paid_on")
    assert head(app_sqlite) == before


def test_a_payment_on_a_stale_version_is_a_conflict(signed_in, app_sqlite, web_world):
    before = head(app_sqlite)
    response = signed_in.post(f"/activities/{web_world.activity_id}/premium-payments/new",
                              data=payment_form(app_sqlite, web_world, expected_version="3"))
    assert response.status_code == 409 and CONFLICT in response.get_data(as_text=True)
    assert head(app_sqlite) == before


# --- value revision ------------------------------------------------------------------------------


def test_revise_the_value_and_the_premium_follows(signed_in, app_sqlite, web_world):
    html = signed_in.get(f"/activities/{web_world.activity_id}/value").get_data(as_text=True)
    assert value_of(html, "total_value") == "50000000" and has_label(html, "reason")
    response = signed_in.post(f"/activities/{web_world.activity_id}/value", data={
        "total_value": "75000000", "reason": "Tambahan material",
        "expected_version": version(app_sqlite, web_world.activity_id)})
    html = flash_after(signed_in, response)
    assert "Nilai kegiatan diubah menjadi Rp 75.000.000; premi dihitung ulang." in html
    assert "<dt>Premi terutang</dt><dd>Rp 180.000</dd>" in html
    activity = app_sqlite.get_activity(web_world.activity_id)
    assert activity.total_value == 75_000_000 and activity.premium.total == 180_000


def test_revise_to_the_same_value_is_refused(signed_in, app_sqlite, web_world):
    before = head(app_sqlite)
    response = signed_in.post(f"/activities/{web_world.activity_id}/value", data={
        "total_value": "50000000", "reason": "Cek", "expected_version": version(app_sqlite, web_world.activity_id)})
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    assert error_beside(html, "total_value") and value_of(html, "reason") == "Cek"
    assert head(app_sqlite) == before


def test_revise_without_a_reason_is_422(signed_in, app_sqlite, web_world):
    response = signed_in.post(f"/activities/{web_world.activity_id}/value", data={
        "total_value": "0", "reason": "", "expected_version": version(app_sqlite, web_world.activity_id)})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert error_beside(html, "reason") == REQUIRED and error_beside(html, "total_value")
    assert value_of(html, "total_value") == "0"


def test_revise_on_a_stale_version_is_a_conflict(signed_in, app_sqlite, web_world):
    before = head(app_sqlite)
    response = signed_in.post(f"/activities/{web_world.activity_id}/value",
                              data={"total_value": "75000000", "reason": "Tambahan", "expected_version": "2"})
    assert response.status_code == 409 and CONFLICT in response.get_data(as_text=True)
    assert head(app_sqlite) == before


# --- complete and cancel -------------------------------------------------------------------------


def test_complete_an_activity(signed_in, app_sqlite, web_world):
    response = signed_in.post(f"/activities/{web_world.activity_id}/completion",
                              data={"expected_version": version(app_sqlite, web_world.activity_id)})
    html = flash_after(signed_in, response)
    assert "Kegiatan ditandai selesai." in html and "Selesai" in html
    assert app_sqlite.get_activity(web_world.activity_id).status == "completed"


def test_complete_without_a_task_letter_is_refused(signed_in, app_sqlite, web_world):
    activity_id = app_sqlite.plan_activity(web_world.rt_id, "Kerja bakti jalan", "road_repair", "Gang Mawar",
                                           5_000_000, COVER, ADMIN)
    before = head(app_sqlite)
    response = signed_in.post(f"/activities/{activity_id}/completion",
                              data={"expected_version": version(app_sqlite, activity_id)})
    assert response.status_code == 409
    assert 'class="alert alert-error" role="alert"' in response.get_data(as_text=True)
    assert head(app_sqlite) == before


def test_complete_on_a_stale_version_is_a_conflict(signed_in, app_sqlite, web_world):
    before = head(app_sqlite)
    response = signed_in.post(f"/activities/{web_world.activity_id}/completion", data={"expected_version": "1"})
    assert response.status_code == 409 and CONFLICT in response.get_data(as_text=True)
    assert head(app_sqlite) == before


def test_cancel_an_activity(signed_in, app_sqlite, web_world):
    assert has_label(signed_in.get(f"/activities/{web_world.activity_id}/cancellation").get_data(as_text=True), "reason")
    response = signed_in.post(f"/activities/{web_world.activity_id}/cancellation", data={
        "reason": "Banjir", "expected_version": version(app_sqlite, web_world.activity_id)})
    html = flash_after(signed_in, response)
    assert "Kegiatan dibatalkan." in html and "Banjir" in html
    activity = app_sqlite.get_activity(web_world.activity_id)
    assert activity.status == "cancelled" and activity.cancel_reason == "Banjir"
    assert "Tidak ada peserta yang terlindungi hari ini" in signed_in.get(f"/rts/{web_world.rt_id}").get_data(
        as_text=True)


def test_cancel_without_a_reason_is_422(signed_in, app_sqlite, web_world):
    before = head(app_sqlite)
    response = signed_in.post(f"/activities/{web_world.activity_id}/cancellation", data={
        "reason": "  ", "expected_version": version(app_sqlite, web_world.activity_id)})
    assert response.status_code == 422 and error_beside(response.get_data(as_text=True), "reason") == REQUIRED
    assert head(app_sqlite) == before


def test_cancel_twice_is_refused(signed_in, app_sqlite, web_world):
    app_sqlite.cancel_activity(web_world.activity_id, "Banjir", ADMIN)
    before = head(app_sqlite)
    response = signed_in.post(f"/activities/{web_world.activity_id}/cancellation", data={
        "reason": "Lagi", "expected_version": version(app_sqlite, web_world.activity_id)})
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    assert 'class="alert alert-error" role="alert"' in html and value_of(html, "reason") == "Lagi"
    assert head(app_sqlite) == before


def test_cancel_on_a_stale_version_is_a_conflict(signed_in, app_sqlite, web_world):
    before = head(app_sqlite)
    response = signed_in.post(f"/activities/{web_world.activity_id}/cancellation",
                              data={"reason": "Banjir", "expected_version": "1"})
    assert response.status_code == 409 and CONFLICT in response.get_data(as_text=True)
    assert head(app_sqlite) == before


def test_a_csv_upload_with_its_csrf_token_as_a_browser_sends_it(app_sqlite, web_world, browser):
    sign_in(browser, "ketua.simpang-iv-sipin.005", "ketua_rt")
    html = browser.get(bulk_url(web_world)).get_data(as_text=True)
    token = csrf_token_of(html)
    response = browser.post(bulk_url(web_world), content_type="multipart/form-data", data={
        "csrf_token": token, "expected_version": version(app_sqlite, web_world.activity_id),
        # as the page's two "rows" fields send it: the empty textarea and the chosen file
        "rows": ["", (io.BytesIO(f"{AHMAD},Ahmad Fauzi,phl\n".encode()), "peserta.csv")],
    })
    assert "1 peserta ditambahkan." in flash_after(browser, response)
    assert AHMAD in app_sqlite.get_activity(web_world.activity_id).participants
