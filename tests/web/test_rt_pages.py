"""The RT registry pages: the list and its filters, an RT's page, errors, and phone-sized layout basics."""

import re
from datetime import date
from uuid import uuid4

import pytest

from tests.integration.conftest import ADMIN, launched_rt
from tests.web.conftest import follow, sign_in

# The pages are read by a signed-in administrator: who else may read them is test_access.py's subject.
pytestmark = pytest.mark.usefixtures("signed_in")


def test_the_rt_list_lists_every_registered_rt(client, app_sqlite):
    rt_id = launched_rt(app_sqlite)
    app_sqlite.register_rt("15.71.03.1002", 7, ADMIN)
    follow(client)
    page = client.get("/rts")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "<h1>Daftar RT</h1>" in html
    assert "2 RT terdaftar" in html
    assert "15.71.01.1001/RT-005" in html and "Simpang IV Sipin" in html and "Budi Santoso" in html
    assert "15.71.03.1002/RT-007" in html and "Kasang Jaya" in html
    assert f"/rts/{rt_id}" in html
    assert "24 Agustus 2025" in html  # launch date, written the Indonesian way
    assert "Percontohan" in html and "Belum terdaftar" in html


def test_the_brand_link_leads_to_the_rt_list(client):
    html = client.get("/rts").get_data(as_text=True)
    assert re.search(r'<a class="brand" href="/rts">', html)


def test_an_empty_registry_says_how_to_load_the_demo(client):
    html = client.get("/rts").get_data(as_text=True)
    assert "Belum ada RT" in html and "kampung demo" in html
    assert 'href="/rts/new"' in html


def test_the_filters_are_a_plain_get_form_with_labelled_fields(client):
    html = client.get("/rts").get_data(as_text=True)
    assert re.search(r'<form method="get" action="/rts"', html)
    for name in ("kecamatan", "kelurahan", "phase"):
        assert f'<label for="filter-{name}">' in html and f'id="filter-{name}" name="{name}"' in html
    assert '<optgroup label="Telanaipura">' in html  # kelurahan grouped by kecamatan
    assert '<option value="15.71.01">Telanaipura</option>' in html
    assert "<script" not in html


def _registry(client, app_sqlite):
    launched_rt(app_sqlite)  # Simpang IV Sipin, Telanaipura: pilot, launched
    app_sqlite.register_rt("15.71.03.1002", 7, ADMIN)  # Kasang Jaya: not enrolled
    rt_id = app_sqlite.register_rt("15.71.01.1002", 3, ADMIN)  # Buluran Kenali, Telanaipura
    app_sqlite.enrol_rt(rt_id, "expansion", date(2025, 8, 1), ADMIN)
    follow(client)


def test_filter_by_kecamatan(client, app_sqlite):
    _registry(client, app_sqlite)
    html = client.get("/rts?kecamatan=15.71.01").get_data(as_text=True)
    assert "2 RT cocok dengan saringan" in html
    assert "15.71.01.1001/RT-005" in html and "15.71.01.1002/RT-003" in html
    assert "15.71.03.1002/RT-007" not in html
    assert '<option value="15.71.01" selected>Telanaipura</option>' in html  # the filter is kept
    assert 'href="/rts">Hapus saringan' in html


def test_filter_by_kelurahan(client, app_sqlite):
    _registry(client, app_sqlite)
    html = client.get("/rts?kelurahan=15.71.03.1002").get_data(as_text=True)
    assert "1 RT cocok dengan saringan" in html and "15.71.03.1002/RT-007" in html
    assert "15.71.01.1001/RT-005" not in html


def test_filter_by_phase(client, app_sqlite):
    _registry(client, app_sqlite)
    pilot = client.get("/rts?phase=pilot").get_data(as_text=True)
    assert "15.71.01.1001/RT-005" in pilot and "15.71.01.1002/RT-003" not in pilot
    expansion = client.get("/rts?phase=expansion").get_data(as_text=True)
    assert "15.71.01.1002/RT-003" in expansion and "15.71.01.1001/RT-005" not in expansion
    not_enrolled = client.get("/rts?phase=none").get_data(as_text=True)
    assert "15.71.03.1002/RT-007" in not_enrolled and "15.71.01.1001/RT-005" not in not_enrolled


def test_filters_combine_and_say_when_nothing_matches(client, app_sqlite):
    _registry(client, app_sqlite)
    html = client.get("/rts?kecamatan=15.71.03&phase=pilot").get_data(as_text=True)
    assert "0 RT cocok dengan saringan" in html and "Tidak ada RT yang cocok" in html


def test_the_rt_page_shows_its_ketua_and_musyawarah(client, app_sqlite):
    rt_id = launched_rt(app_sqlite)
    follow(client)
    page = client.get(f"/rts/{rt_id}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "RT 005 · Simpang IV Sipin" in html
    assert "Budi Santoso" in html and "Drainase lingkungan, Jalan setapak" in html
    assert "Percontohan" in html and "Telanaipura" in html
    assert "Belum ada kegiatan" in html and "Tidak ada peserta yang terlindungi hari ini" in html


def test_the_rt_page_lists_its_activities_and_who_is_covered_today(client, web_world):
    html = client.get(f"/rts/{web_world.rt_id}").get_data(as_text=True)
    assert "Gotong royong pembersihan drainase" in html
    assert f'href="/activities/{web_world.activity_id}"' in html
    assert "Drainase" in html and "Berjalan" in html and "Rp 50.000.000" in html
    assert "Peserta terlindungi hari ini (1 September 2025)" in html
    assert "Siti Aminah" in html and "1571********0002" in html  # NIK masked on the RT page
    assert "1571014507900002" not in html
    assert "ST/001/RT-005/IX/2025" in html and "30 September 2025" in html


def test_the_rt_page_offers_the_next_steps_of_its_life_cycle(client, app_sqlite):
    rt_id = app_sqlite.register_rt("15.71.01.1001", 9, ADMIN)
    follow(client)
    html = client.get(f"/rts/{rt_id}").get_data(as_text=True)
    assert "Langkah berikutnya: tunjuk Ketua RT" in html
    assert f'href="/rts/{rt_id}/ketua"' in html and f'href="/rts/{rt_id}/enrolment"' in html
    assert f'href="/rts/{rt_id}/launch"' not in html  # not enrolled yet
    launched = launched_rt(app_sqlite)
    follow(client)
    html = client.get(f"/rts/{launched}").get_data(as_text=True)
    assert f'href="/activities/new?rt_id={launched}"' in html and "Ganti Ketua RT" in html
    assert f'href="/rts/{launched}/launch"' not in html  # already launched


def test_an_unknown_rt_is_a_404_page_in_indonesian(client):
    page = client.get(f"/rts/{uuid4()}")
    assert page.status_code == 404
    assert "Tidak ditemukan" in page.get_data(as_text=True)


def test_a_json_client_gets_a_problem_document(client):
    page = client.get(f"/rts/{uuid4()}", headers={"Accept": "application/json"})
    assert page.status_code == 404
    assert page.mimetype == "application/problem+json"
    assert page.get_json()["status"] == 404


def test_pages_are_built_for_phones_and_keyboards(client, web_world):
    for url in ("/rts", f"/rts/{web_world.rt_id}"):
        html = client.get(url).get_data(as_text=True)
        assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in html
        assert '<html lang="id">' in html
        assert 'href="#isi"' in html  # skip link for keyboard users
        assert 'class="cards"' in html and 'data-label="' in html  # tables become cards on a phone
        assert 'tabindex="0"' in html  # scrollable regions can be reached by keyboard
    css = client.get("/static/style.css").get_data(as_text=True)
    assert "@media (max-width: 40rem)" in css and ":focus-visible" in css


def test_only_those_who_may_register_an_rt_see_the_register_button(client):
    sign_in(client, "admin.dpmppa", "admin")
    assert "Daftarkan RT baru</a>" in client.get("/rts").get_data(as_text=True)
    sign_in(client, "petugas.klaim.1", "claim_officer")
    assert "Daftarkan RT baru" not in client.get("/rts").get_data(as_text=True)


def test_health_check_reaches_the_store(client):
    health = client.get("/healthz").get_json()
    assert health["status"] == "ok"
    assert set(health["read_models"]) == {"coverage", "audit", "claims"}
