"""The RT registry pages: listing, detail, errors, and phone-sized layout basics."""

from uuid import uuid4

from tests.integration.conftest import ADMIN, launched_rt
from tests.web.conftest import follow


def test_the_home_page_lists_every_registered_rt(client, app_sqlite):
    rt_id = launched_rt(app_sqlite)
    app_sqlite.register_rt("15.71.03.1002", 7, ADMIN)
    follow(client)
    page = client.get("/")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "2 RT terdaftar" in html
    assert "15.71.01.1001/RT-005" in html and "Simpang IV Sipin" in html and "Budi Santoso" in html
    assert "15.71.03.1002/RT-007" in html and "Kasang Jaya" in html
    assert f"/rt/{rt_id}" in html
    assert "24 Agustus 2025" in html  # launch date, written the Indonesian way


def test_an_empty_registry_says_how_to_load_the_demo(client):
    html = client.get("/").get_data(as_text=True)
    assert "Belum ada RT" in html and "kampung demo" in html


def test_the_rt_page_shows_its_ketua_and_musyawarah(client, app_sqlite):
    rt_id = launched_rt(app_sqlite)
    html = client.get(f"/rt/{rt_id}").get_data(as_text=True)
    assert "RT 005 · Simpang IV Sipin" in html
    assert "Budi Santoso" in html and "Drainase lingkungan, Jalan setapak" in html
    assert "Percontohan" in html


def test_an_unknown_rt_is_a_404_page_in_indonesian(client):
    page = client.get(f"/rt/{uuid4()}")
    assert page.status_code == 404
    assert "Tidak ditemukan" in page.get_data(as_text=True)


def test_a_json_client_gets_a_problem_document(client):
    page = client.get(f"/rt/{uuid4()}", headers={"Accept": "application/json"})
    assert page.status_code == 404
    assert page.mimetype == "application/problem+json"
    assert page.get_json()["status"] == 404


def test_pages_are_built_for_phones_and_keyboards(client):
    html = client.get("/").get_data(as_text=True)
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in html
    assert '<html lang="id">' in html
    assert 'href="#isi"' in html  # skip link for keyboard users
    css = client.get("/static/style.css").get_data(as_text=True)
    assert "@media (max-width: 40rem)" in css and ":focus-visible" in css


def test_health_check_reaches_the_store(client):
    health = client.get("/healthz").get_json()
    assert health["status"] == "ok"
    assert set(health["read_models"]) == {"coverage", "audit", "claims"}
