"""The read models seen from the web (issue 12): ``/healthz`` says "degraded" — still 200 — while an
event is parked; admins and auditors see each read model's position, lag and parked events on
"Status data"; a write whose event is recorded answers its success even when the read models could
not take it, and the page it leads to says the view may lag behind (the API: a header)."""

import pytest

from tests.accounts import api_token, bearer
from tests.integration.conftest import ADMIN
from tests.integration.poison import Broken
from tests.integration.raw_store import appointed_rts
from tests.web.conftest import follow, head, sign_in

LAGGING = "Tampilan mungkin tertinggal"


@pytest.fixture(autouse=True)
def quick_retries(monkeypatch):
    monkeypatch.setenv("KAMPUNG_PROJECTION_BACKOFF", "0")


def broken_coverage(client, positions) -> Broken:
    return Broken(client.application.extensions["kampung.readmodels"].models["coverage"], positions)


def test_health_is_degraded_but_up_while_a_read_model_holds_a_parked_event(client, app_sqlite):
    appointed_rts(app_sqlite, count=1)
    follow(client)
    assert client.get("/healthz").get_json()["status"] == "ok"
    app_sqlite.register_rt("15.71.01.1001", 9, ADMIN)  # 3
    broken_coverage(client, [3])
    follow(client)
    health = client.get("/healthz")
    assert health.status_code == 200
    assert health.get_json() == {"status": "degraded", "read_models": {
        "coverage": {"position": 3, "lag": 0, "parked": 1},
        "audit": {"position": 3, "lag": 0, "parked": 0},
        "claims": {"position": 3, "lag": 0, "parked": 0},
    }, "relay": None}  # no relay to NATS has run (tests/feed/test_relay.py shows it running)


@pytest.mark.parametrize("role", ["admin", "auditor"])
def test_admins_and_auditors_see_each_read_model_and_its_parked_events(client, app_sqlite, role):
    appointed_rts(app_sqlite, count=2)  # 1 to 4; RT 2 registered at 3, its Ketua RT at 4
    broken_coverage(client, [3])
    follow(client)
    sign_in(client, f"{role}.satu", role)
    html = client.get("/admin/read-models").get_data(as_text=True)
    nav = html.split('<nav aria-label="Menu utama">')[1].split("</nav>")[0]
    assert 'aria-current="page">Status data</a>' in nav
    assert "Ada peristiwa tertahan" in html and "kampung projections replay-parked" in html
    assert '<a href="#tertahan-coverage">2 peristiwa</a>' in html
    section = html.split('id="tertahan-coverage"')[1]
    assert "RT didaftarkan" in section and "ProjectionError: no row for the event at position 3" in section
    assert "Menunggu peristiwa tertahan sebelumnya dari objek yang sama (posisi 3); belum dicoba." in section
    assert 'id="tertahan-audit"' not in html


def test_without_parked_events_the_page_says_all_is_well_and_others_may_not_see_it(client, app_sqlite):
    appointed_rts(app_sqlite, count=1)
    follow(client)
    sign_in(client, "admin.dpmppa", "admin")
    assert "Tidak ada peristiwa tertahan." in client.get("/admin/read-models").get_data(as_text=True)
    sign_in(client, "petugas.klaim.1", "claim_officer")
    assert client.get("/admin/read-models").status_code == 403


def test_a_form_whose_event_a_read_model_cannot_take_still_succeeds_and_says_the_view_may_lag(
    signed_in, app_sqlite
):
    registered_at = head(app_sqlite) + 1
    broken_coverage(signed_in, [registered_at])
    response = signed_in.post("/rts/new", data={"kelurahan_code": "15.71.01.1001", "rt_number": "5"})
    assert response.status_code == 302 and head(app_sqlite) == registered_at
    page = signed_in.get(response.headers["Location"]).get_data(as_text=True)
    assert "terdaftar." in page and LAGGING in page
    # The next page, the view caught up with nothing new to tell, says nothing of it.
    assert LAGGING not in signed_in.get("/rts").get_data(as_text=True)


def test_a_write_answers_its_success_even_when_bringing_the_read_models_up_to_date_fails(
    signed_in, app_sqlite, monkeypatch, caplog
):
    runner = signed_in.application.extensions["kampung.readmodels"]

    def down() -> bool:
        raise ConnectionError("the read models' database is gone")

    monkeypatch.setattr(runner, "catch_up_with_log", down)
    before = head(app_sqlite)
    response = signed_in.post("/rts/new", data={"kelurahan_code": "15.71.01.1001", "rt_number": "5"})
    assert response.status_code == 302 and head(app_sqlite) == before + 1
    assert LAGGING in signed_in.get(response.headers["Location"]).get_data(as_text=True)
    assert "read models not brought up to date after POST /rts/new" in caplog.text


def test_an_api_write_answers_201_with_a_header_when_a_read_model_cannot_take_its_event(client, app_sqlite):
    headers = bearer(api_token(app_sqlite, "admin.dpmppa", "admin"))
    broken_coverage(client, [head(app_sqlite) + 1])
    created = client.post("/api/v1/rts", json={"kelurahan_code": "15.71.01.1001", "rt_number": 5}, headers=headers)
    assert created.status_code == 201
    assert created.headers["Read-Models-Lagging"] == "true"
    fine = client.post("/api/v1/rts", json={"kelurahan_code": "15.71.01.1001", "rt_number": 6}, headers=headers)
    assert fine.status_code == 201 and "Read-Models-Lagging" not in fine.headers
