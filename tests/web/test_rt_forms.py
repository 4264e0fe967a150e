"""The RT forms, read as specifications: register an RT, appoint its Ketua RT, enrol it, record its
musyawarah and launch it. Each: the form (labelled, CSRF, version), success (redirect, flash, the
event stored), invalid input (422 beside the field, input kept), a refused rule (409), a stale
version (409), an unknown RT (404) and no sign-in (redirect); nothing is written on a refusal."""

from datetime import date
from uuid import uuid4

import pytest

from tests.integration.conftest import ADMIN, KETUA_NIK, launched_rt
from tests.web.conftest import follow, head, sign_in
from tests.web.pages import (
    CONFLICT, REQUIRED, csrf_token_of, element, error_beside, flash_after, has_label, sent_to_sign_in, value_of,
)


# --- fixtures ------------------------------------------------------------------------------------


@pytest.fixture
def new_rt(app_sqlite, client):
    """RT 009 Simpang IV Sipin, registered only."""
    rt_id = app_sqlite.register_rt("15.71.01.1001", 9, ADMIN)
    follow(client)
    return rt_id


@pytest.fixture
def enrolled_rt(app_sqlite, new_rt):
    app_sqlite.appoint_ketua_rt(new_rt, KETUA_NIK, "Budi Santoso", "081234567890", date(2025, 7, 1), ADMIN)
    app_sqlite.enrol_rt(new_rt, "pilot", date(2025, 8, 1), ADMIN)
    return new_rt


RT_FORMS = ("ketua", "enrolment", "musyawarah", "launch")


# --- every form ----------------------------------------------------------------------------------


@pytest.mark.parametrize("form", RT_FORMS)
def test_each_rt_form_needs_a_signed_in_user_first(client, app_sqlite, new_rt, form):
    url = f"/rts/{new_rt}/{form}"
    assert sent_to_sign_in(client.get(url)) == url
    before = head(app_sqlite)
    assert sent_to_sign_in(client.post(url, data={"launched_on": "2025-09-01"})) == url
    assert head(app_sqlite) == before


def test_the_register_form_needs_a_signed_in_user_first(client, app_sqlite):
    assert sent_to_sign_in(client.get("/rts/new")) == "/rts/new"
    assert sent_to_sign_in(client.post("/rts/new", data={"kelurahan_code": "15.71.01.1001", "rt_number": "5"})) \
        == "/rts/new"
    assert app_sqlite.rt_ids() == []


@pytest.mark.parametrize("form", RT_FORMS)
def test_each_rt_form_has_csrf_the_version_seen_and_a_way_back(signed_in, new_rt, form):
    page = signed_in.get(f"/rts/{new_rt}/{form}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert 'name="csrf_token"' in html
    assert '<input type="hidden" name="expected_version" value="1">' in html
    assert "15.71.01.1001/RT-009" in html
    assert f'href="/rts/{new_rt}">Batal</a>' in html
    assert "<script" not in html


@pytest.mark.parametrize("form", RT_FORMS)
def test_each_rt_form_of_an_unknown_rt_is_404(signed_in, app_sqlite, form):
    assert signed_in.get(f"/rts/{uuid4()}/{form}").status_code == 404
    before = head(app_sqlite)
    posted = signed_in.post(f"/rts/{uuid4()}/{form}", data={"launched_on": "2025-09-01"})
    assert posted.status_code == 404 and "Tidak ditemukan" in posted.get_data(as_text=True)
    assert head(app_sqlite) == before


# --- register ------------------------------------------------------------------------------------


def test_register_form_offers_the_kelurahan_grouped_by_kecamatan(signed_in):
    html = signed_in.get("/rts/new").get_data(as_text=True)
    assert has_label(html, "kelurahan_code") and has_label(html, "rt_number")
    assert '<optgroup label="Telanaipura">' in html
    assert '<option value="15.71.01.1001">Simpang IV Sipin</option>' in html
    assert 'name="csrf_token"' in html and 'name="expected_version"' not in html  # nothing exists yet


def test_register_an_rt(signed_in, app_sqlite):
    response = signed_in.post("/rts/new", data={"kelurahan_code": "15.71.01.1001", "rt_number": "5"})
    rt_id = app_sqlite.rt_id_for("15.71.01.1001", 5)
    assert response.headers["Location"] == f"/rts/{rt_id}"
    html = flash_after(signed_in, response)
    assert "RT 005 Simpang IV Sipin (15.71.01.1001/RT-005) terdaftar." in html
    assert app_sqlite.get_rt(rt_id).code == "15.71.01.1001/RT-005"
    assert "15.71.01.1001/RT-005" in signed_in.get("/rts").get_data(as_text=True)


def test_register_without_a_kelurahan_is_422_beside_the_field_with_the_input_kept(signed_in, app_sqlite):
    response = signed_in.post("/rts/new", data={"kelurahan_code": "", "rt_number": "12"})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert error_beside(html, "kelurahan_code") == REQUIRED
    assert value_of(html, "rt_number") == "12"
    assert app_sqlite.rt_ids() == []


def test_register_with_a_bad_number_is_422(signed_in, app_sqlite):
    response = signed_in.post("/rts/new", data={"kelurahan_code": "15.71.01.1001", "rt_number": "lima"})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert error_beside(html, "rt_number")
    assert value_of(html, "rt_number") == "lima" and value_of(html, "kelurahan_code") == "15.71.01.1001"
    response = signed_in.post("/rts/new", data={"kelurahan_code": "15.71.01.1001", "rt_number": "1000"})
    assert response.status_code == 422 and error_beside(response.get_data(as_text=True), "rt_number")
    assert app_sqlite.rt_ids() == []


def test_register_a_kelurahan_outside_kota_jambi_is_422(signed_in, app_sqlite):
    response = signed_in.post("/rts/new", data={"kelurahan_code": "31.71.01.1001", "rt_number": "5"})
    assert response.status_code == 422
    assert "Harus salah satu dari" in error_beside(response.get_data(as_text=True), "kelurahan_code")


def test_register_the_same_rt_twice_is_refused(signed_in, app_sqlite, new_rt):
    before = head(app_sqlite)
    response = signed_in.post("/rts/new", data={"kelurahan_code": "15.71.01.1001", "rt_number": "9"})
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    assert 'id="id-error"' in html and "15.71.01.1001/RT-009" in html
    assert value_of(html, "rt_number") == "9"
    assert head(app_sqlite) == before


# --- Ketua RT ------------------------------------------------------------------------------------

KETUA_FORM = {"nik": KETUA_NIK, "name": "Budi Santoso", "phone": "0812 3456 7890", "appointed_on": "2025-07-01",
              "expected_version": "1"}


def test_the_ketua_form_has_labelled_fields_and_today_as_the_date(signed_in, new_rt):
    html = signed_in.get(f"/rts/{new_rt}/ketua").get_data(as_text=True)
    assert "Tunjuk Ketua RT" in html
    for name in ("nik", "name", "phone", "appointed_on"):
        assert has_label(html, name)
    assert value_of(html, "appointed_on") == "2025-09-01"


def test_appoint_the_ketua_rt(signed_in, app_sqlite, new_rt):
    response = signed_in.post(f"/rts/{new_rt}/ketua", data=KETUA_FORM)
    assert response.headers["Location"] == f"/rts/{new_rt}"
    html = flash_after(signed_in, response)
    assert "Budi Santoso ditetapkan sebagai Ketua RT 009 Simpang IV Sipin." in html
    ketua = app_sqlite.get_rt(new_rt).ketua
    assert (ketua.nik, ketua.name, ketua.phone, ketua.appointed_on) == (
        KETUA_NIK, "Budi Santoso", "081234567890", date(2025, 7, 1))


def test_appoint_with_a_bad_nik_and_no_name_is_422_with_the_input_kept(signed_in, app_sqlite, new_rt):
    before = head(app_sqlite)
    response = signed_in.post(f"/rts/{new_rt}/ketua", data={**KETUA_FORM, "nik": "15710101", "name": ""})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert error_beside(html, "nik").startswith("NIK harus tepat 16 angka")
    assert error_beside(html, "name") == REQUIRED
    assert value_of(html, "nik") == "15710101" and value_of(html, "phone") == "0812 3456 7890"
    assert head(app_sqlite) == before


def test_appoint_with_a_bad_phone_or_date_is_422(signed_in, new_rt):
    response = signed_in.post(f"/rts/{new_rt}/ketua", data={**KETUA_FORM, "phone": "call me"})
    assert response.status_code == 422 and error_beside(response.get_data(as_text=True), "phone")
    response = signed_in.post(f"/rts/{new_rt}/ketua", data={**KETUA_FORM, "appointed_on": "1 Juli"})
    assert response.status_code == 422 and error_beside(response.get_data(as_text=True), "appointed_on")


def test_appoint_in_the_future_is_422(signed_in, app_sqlite, new_rt):
    response = signed_in.post(f"/rts/{new_rt}/ketua", data={**KETUA_FORM, "appointed_on": "2025-09-02"})
    assert response.status_code == 422
    assert error_beside(response.get_data(as_text=True), "appointed_on")
    assert app_sqlite.get_rt(new_rt).ketua is None


def test_appoint_the_same_ketua_again_is_refused(signed_in, app_sqlite, new_rt):
    app_sqlite.appoint_ketua_rt(new_rt, KETUA_NIK, "Budi Santoso", "081234567890", date(2025, 7, 1), ADMIN)
    before = head(app_sqlite)
    response = signed_in.post(f"/rts/{new_rt}/ketua", data={**KETUA_FORM, "expected_version": "2"})
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    assert error_beside(html, "nik") and "Budi Santoso" in html
    assert value_of(html, "name") == "Budi Santoso"
    assert head(app_sqlite) == before


def test_appoint_on_a_stale_version_is_a_conflict(signed_in, app_sqlite, new_rt):
    app_sqlite.enrol_rt(new_rt, "pilot", date(2025, 8, 1), ADMIN)  # someone else, meanwhile
    before = head(app_sqlite)
    response = signed_in.post(f"/rts/{new_rt}/ketua", data=KETUA_FORM)
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    assert CONFLICT in html and 'role="alert"' in html
    assert value_of(html, "name") == "Budi Santoso"
    assert head(app_sqlite) == before and app_sqlite.get_rt(new_rt).ketua is None


# --- enrol ---------------------------------------------------------------------------------------


def test_the_enrol_form_offers_the_phases(signed_in, new_rt):
    html = signed_in.get(f"/rts/{new_rt}/enrolment").get_data(as_text=True)
    assert has_label(html, "phase") and has_label(html, "from_date")
    assert "Percontohan (pilot)" in html and "Perluasan (expansion)" in html
    assert value_of(html, "phase") == "pilot"


def test_enrol_an_rt(signed_in, app_sqlite, new_rt):
    response = signed_in.post(f"/rts/{new_rt}/enrolment",
                              data={"phase": "expansion", "from_date": "2025-08-15", "expected_version": "1"})
    html = flash_after(signed_in, response)
    assert "RT 009 Simpang IV Sipin ikut Program Kampung Bahagia, tahap Perluasan, mulai 15 Agustus 2025." in html
    rt = app_sqlite.get_rt(new_rt)
    assert (rt.phase, rt.enrolled_from) == ("expansion", date(2025, 8, 15))


def test_enrol_in_an_unknown_phase_or_without_a_date_is_422(signed_in, app_sqlite, new_rt):
    before = head(app_sqlite)
    response = signed_in.post(f"/rts/{new_rt}/enrolment", data={"phase": "gold", "from_date": "", "expected_version": "1"})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Harus salah satu dari" in error_beside(html, "phase")
    assert error_beside(html, "from_date") == REQUIRED
    assert head(app_sqlite) == before


def test_enrol_twice_is_refused(signed_in, app_sqlite, enrolled_rt):
    before = head(app_sqlite)
    response = signed_in.post(f"/rts/{enrolled_rt}/enrolment",
                              data={"phase": "expansion", "from_date": "2025-08-15", "expected_version": "3"})
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    assert error_beside(html, "phase") and value_of(html, "phase") == "expansion"
    assert head(app_sqlite) == before


def test_enrol_on_a_stale_version_is_a_conflict(signed_in, app_sqlite, enrolled_rt):
    before = head(app_sqlite)
    response = signed_in.post(f"/rts/{enrolled_rt}/enrolment",
                              data={"phase": "pilot", "from_date": "2025-08-15", "expected_version": "1"})
    assert response.status_code == 409 and CONFLICT in response.get_data(as_text=True)
    assert head(app_sqlite) == before


# --- musyawarah ----------------------------------------------------------------------------------


def test_record_a_musyawarah_with_one_priority_per_line(signed_in, app_sqlite, enrolled_rt):
    html = signed_in.get(f"/rts/{enrolled_rt}/musyawarah").get_data(as_text=True)
    assert has_label(html, "held_on") and has_label(html, "priorities")
    assert element(html, "priorities")["tag"] == "textarea" and "Satu prioritas per baris" in html
    response = signed_in.post(f"/rts/{enrolled_rt}/musyawarah", data={
        "held_on": "2025-08-10", "priorities": "Drainase lingkungan\r\n\r\n  Jalan setapak \r\nPenerangan gang\r\n",
        "expected_version": "3",
    })
    html = flash_after(signed_in, response)
    assert "Musyawarah 10 Agustus 2025 tercatat dengan 3 prioritas." in html
    assert "Drainase lingkungan, Jalan setapak, Penerangan gang" in html
    assert app_sqlite.get_rt(enrolled_rt).musyawarah == [
        (date(2025, 8, 10), ["Drainase lingkungan", "Jalan setapak", "Penerangan gang"])]


def test_a_musyawarah_without_priorities_is_422_with_the_date_kept(signed_in, app_sqlite, enrolled_rt):
    before = head(app_sqlite)
    response = signed_in.post(f"/rts/{enrolled_rt}/musyawarah",
                              data={"held_on": "2025-08-10", "priorities": "  \n ", "expected_version": "3"})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert error_beside(html, "priorities") == REQUIRED
    assert value_of(html, "held_on") == "2025-08-10"
    assert head(app_sqlite) == before


def test_a_musyawarah_with_a_bad_date_keeps_the_priorities(signed_in, enrolled_rt):
    response = signed_in.post(f"/rts/{enrolled_rt}/musyawarah",
                              data={"held_on": "kemarin", "priorities": "Drainase\nJalan", "expected_version": "3"})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert error_beside(html, "held_on")
    assert value_of(html, "priorities") == "Drainase\nJalan"


def test_a_musyawarah_before_enrolment_is_refused(signed_in, app_sqlite, new_rt):
    before = head(app_sqlite)
    response = signed_in.post(f"/rts/{new_rt}/musyawarah",
                              data={"held_on": "2025-08-10", "priorities": "Drainase", "expected_version": "1"})
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    assert error_beside(html, "held_on") and value_of(html, "priorities") == "Drainase"
    assert head(app_sqlite) == before


def test_a_musyawarah_on_a_stale_version_is_a_conflict(signed_in, app_sqlite, enrolled_rt):
    before = head(app_sqlite)
    response = signed_in.post(f"/rts/{enrolled_rt}/musyawarah",
                              data={"held_on": "2025-08-10", "priorities": "Drainase", "expected_version": "2"})
    assert response.status_code == 409 and CONFLICT in response.get_data(as_text=True)
    assert head(app_sqlite) == before


# --- launch --------------------------------------------------------------------------------------


def test_the_launch_form_shows_what_is_still_missing(signed_in, enrolled_rt):
    html = signed_in.get(f"/rts/{enrolled_rt}/launch").get_data(as_text=True)
    assert has_label(html, "launched_on")
    assert "Ketua RT: Budi Santoso" in html and "Musyawarah belum diadakan" in html


def test_launch_an_rt(signed_in, app_sqlite, enrolled_rt):
    app_sqlite.hold_musyawarah(enrolled_rt, date(2025, 8, 10), ["Drainase"], ADMIN)
    response = signed_in.post(f"/rts/{enrolled_rt}/launch",
                              data={"launched_on": "2025-08-24", "expected_version": "4"})
    html = flash_after(signed_in, response)
    assert "RT 009 Simpang IV Sipin diluncurkan pada 24 Agustus 2025." in html
    assert app_sqlite.get_rt(enrolled_rt).launched_on == date(2025, 8, 24)


def test_launch_without_a_musyawarah_is_refused_beside_the_date(signed_in, app_sqlite, enrolled_rt):
    before = head(app_sqlite)
    response = signed_in.post(f"/rts/{enrolled_rt}/launch",
                              data={"launched_on": "2025-08-24", "expected_version": "3"})
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    assert "musyawarah" in error_beside(html, "launched_on").lower()
    assert value_of(html, "launched_on") == "2025-08-24"
    assert head(app_sqlite) == before and not app_sqlite.get_rt(enrolled_rt).launched


def test_launch_without_a_date_is_422(signed_in, app_sqlite, enrolled_rt):
    response = signed_in.post(f"/rts/{enrolled_rt}/launch", data={"launched_on": "", "expected_version": "3"})
    assert response.status_code == 422
    assert error_beside(response.get_data(as_text=True), "launched_on") == REQUIRED


def test_launch_twice_is_refused(signed_in, app_sqlite):
    rt_id = launched_rt(app_sqlite)
    before = head(app_sqlite)
    response = signed_in.post(f"/rts/{rt_id}/launch", data={"launched_on": "2025-08-30", "expected_version": "5"})
    assert response.status_code == 409 and error_beside(response.get_data(as_text=True), "launched_on")
    assert head(app_sqlite) == before


def test_launch_on_a_stale_version_is_a_conflict(signed_in, app_sqlite, enrolled_rt):
    app_sqlite.hold_musyawarah(enrolled_rt, date(2025, 8, 10), ["Drainase"], ADMIN)
    before = head(app_sqlite)
    response = signed_in.post(f"/rts/{enrolled_rt}/launch",
                              data={"launched_on": "2025-08-24", "expected_version": "3"})
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    assert CONFLICT in html
    # The form shown again carries the version as it is now, to send again once checked.
    assert '<input type="hidden" name="expected_version" value="4">' in html
    assert head(app_sqlite) == before


def test_the_whole_life_cycle_through_the_forms(signed_in, app_sqlite):
    """Register → Ketua RT → enrol → musyawarah → launch, each from the page the last one led to."""
    response = signed_in.post("/rts/new", data={"kelurahan_code": "15.71.03.1002", "rt_number": "7"})
    rt_url = response.headers["Location"]
    steps = [
        ("ketua", {**KETUA_FORM, "name": "Rahmat Hidayat"}),
        ("enrolment", {"phase": "pilot", "from_date": "2025-08-01"}),
        ("musyawarah", {"held_on": "2025-08-10", "priorities": "Drainase"}),
        ("launch", {"launched_on": "2025-08-24"}),
    ]
    for version, (form, data) in enumerate(steps, start=1):
        page = signed_in.get(rt_url).get_data(as_text=True)
        assert f'href="{rt_url}/{form}"' in page
        response = signed_in.post(f"{rt_url}/{form}", data={**data, "expected_version": str(version)})
        assert response.status_code == 302 and response.headers["Location"] == rt_url
    html = signed_in.get(rt_url).get_data(as_text=True)
    assert "Rahmat Hidayat" in html and "24 Agustus 2025" in html
    assert app_sqlite.get_rt(app_sqlite.rt_id_for("15.71.03.1002", 7)).launched


# --- as a browser sends it -----------------------------------------------------------------------


def test_a_form_posted_by_a_browser_with_its_csrf_token_is_accepted(app_sqlite, browser):
    """CSRF on, as in production: the token travels with the form and is not a field of the command."""
    sign_in(browser, "admin.dpmppa", "admin")
    html = browser.get("/rts/new").get_data(as_text=True)
    token = csrf_token_of(html)
    response = browser.post("/rts/new", data={"csrf_token": token, "kelurahan_code": "15.71.01.1001",
                                               "rt_number": "5"})
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    assert app_sqlite.get_rt(app_sqlite.rt_id_for("15.71.01.1001", 5)).rt_number == 5
    before = head(app_sqlite)
    forged = browser.post("/rts/new", data={"kelurahan_code": "15.71.01.1001", "rt_number": "6"})
    assert forged.status_code == 400 and head(app_sqlite) == before
