"""The API's keyset lists page the same on SQLite and on PostgreSQL (SQL comparisons of codes,
days, moments and ids), with ties on the sort key broken by id."""

from datetime import date, datetime, timedelta

import pytest

from domain.period import JAKARTA, Period
from tests.api.conftest import ApiClient, api_app
from tests.integration.conftest import ADMIN, AHMAD, COVER, KETUA, KETUA_NIK, OFFICER, SITI, launched_rt


@pytest.fixture
def store_api(app):  # ``app`` runs each test on SQLite and on PostgreSQL
    flask_app = api_app(app)
    yield ApiClient(flask_app.test_client())
    flask_app.extensions["kampung.readmodels"].engine.dispose()


def all_pages(api: ApiClient, path: str, limit: int, **params) -> list[str]:
    ids, cursor = [], None
    while True:
        page = api.get(path, {**params, "limit": limit, **({"cursor": cursor} if cursor else {})}).get_json()
        ids += [item["id"] for item in page["items"]]
        cursor = page["next"]
        if cursor is None:
            return ids


def test_every_list_pages_like_its_whole(app, store_api, clock):
    rt_id = launched_rt(app)
    for number in (9, 1, 7):
        app.register_rt("15.71.01.1001", number, ADMIN)
    activity_id = app.plan_activity(rt_id, "Drainase", "drainage", "Jl. Sipin", 50_000_000, COVER, ADMIN)
    for number in range(4):  # all starting the same day
        app.plan_activity(rt_id, f"Kerja bakti {number}", "cleaning", "Gang", 1_000_000,
                          Period(date(2025, 9, 5), date(2025, 9, 6)), ADMIN)
    app.issue_task_letter(activity_id, "ST/001", COVER.start, COVER, KETUA_NIK, KETUA)
    app.join_participants(activity_id, [(SITI, "Siti", "resident"), (AHMAD, "Ahmad", "phl")], KETUA)
    incident = datetime(2025, 9, 2, 9, 0, tzinfo=JAKARTA)
    clock.set(incident + timedelta(hours=1))
    for nik in (SITI, AHMAD):  # the same incident moment
        app.report_accident(activity_id, nik, incident, "work_accident", "x", "y", OFFICER)
    app.report_accident(activity_id, SITI, incident - timedelta(hours=1), "work_accident", "x", "y", OFFICER)
    store_api.post("/rts", {"kelurahan_code": "15.71.01.1001", "rt_number": 3})  # also catches the read models up

    for path, count in (("/rts", 5), ("/activities", 5), ("/claims", 3)):
        whole = [item["id"] for item in store_api.get(path, {"limit": 200}).get_json()["items"]]
        assert len(whole) == len(set(whole)) == count
        assert all_pages(store_api, path, 2) == whole, path
    codes = [rt["code"] for rt in store_api.get("/rts").get_json()["items"]]
    assert codes == sorted(codes)
    positions = [event["position"] for event in store_api.get("/audit", {"limit": 500}).get_json()["items"]]
    paged, after = [], 0
    while after is not None:
        page = store_api.get("/audit", {"limit": 7, "after": after}).get_json()
        paged += [event["position"] for event in page["items"]]
        after = page["next"]
    assert paged == positions
