"""Activities through the API: plan, task letters, participants (one or many), premium, end."""

from datetime import date, timedelta

from domain.period import Period
from tests.api.conftest import LETTER, assert_problem, follow
from tests.integration.conftest import ADMIN, AHMAD, KETUA, KETUA_NIK, SITI, launched_rt

DEWI = "1571015808950004"
RUDI = "1571010303700005"
PLAN = {"title": "Perbaikan jalan setapak", "kind": "road_repair", "location": "Gang Mawar",
        "total_value": 100_000_000, "planned_start": "2025-09-10", "planned_end": "2025-09-20"}


def plan(api, rt_id, **changes):
    response = api.post("/activities", {"rt_id": str(rt_id), **PLAN, **changes})
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def test_planning_answers_201_with_the_activity_and_its_premium(api, world):
    response = api.post("/activities", {"rt_id": str(world.rt_id), **PLAN})
    assert response.status_code == 201
    activity = response.get_json()
    assert response.headers["Location"].endswith(f"/api/v1/activities/{activity['id']}")
    assert activity["status"] == "planned" and activity["version"] == 2  # planned, premium assessed
    assert activity["premium"]["breakdown"] == {"value": 100_000_000, "jkk": 210_000, "jkm": 30_000,
                                                "total": 240_000, "rule": "PERMENAKER-44-2015"}
    assert (activity["premium"]["assessed"], activity["premium"]["paid"], activity["premium"]["outstanding"]) == (
        240_000, 0, 240_000)
    assert api.get(f"/activities/{activity['id']}").get_json() == activity


def test_planning_validates_and_refuses(api, world, app_sqlite, client):
    assert_problem(api.post("/activities", {"rt_id": str(world.rt_id), **PLAN, "total_value": 1.5, "kind": "party"}),
                   422, "total_value", "kind")
    assert_problem(api.post("/activities", {"rt_id": str(world.rt_id), **PLAN, "planned_end": "2025-09-01"}),
                   422, "planned_end")
    assert_problem(api.post("/activities", {"rt_id": "00000000-0000-0000-0000-000000000000", **PLAN}), 404)
    same = {"title": "Gotong royong pembersihan drainase", "planned_start": "2025-09-01", "planned_end": "2025-09-30"}
    assert_problem(api.post("/activities", {"rt_id": str(world.rt_id), **PLAN, **same}), 409)
    not_enrolled = app_sqlite.register_rt("15.71.01.1001", 8, ADMIN)
    assert_problem(api.post("/activities", {"rt_id": str(not_enrolled), **PLAN}), 409, "rt_id")


def test_reading_an_activity_shows_letters_participants_and_premium(api, world):
    activity = api.get(f"/activities/{world.activity_id}").get_json()
    assert activity["status"] == "active" and activity["rt_code"] == "15.71.01.1001/RT-005"
    assert activity["task_letters"] == [{
        "number": LETTER, "issued_on": "2025-09-01", "cover_start": "2025-09-01", "cover_end": "2025-09-30",
        "ketua_nik": KETUA_NIK, "ketua_name": "Budi Santoso",
    }]
    [siti] = activity["participants"]
    assert siti["nik"] == SITI and siti["withdrawn"] is False and siti["withdrawn_at"] is None
    assert_problem(api.get("/activities/00000000-0000-0000-0000-000000000000"), 404)


def test_issuing_a_task_letter(api, world):
    activity = plan(api, world.rt_id)
    response = api.post(f"/activities/{activity['id']}/task-letters", {
        "number": "ST/002/RT-005/IX/2025", "issued_on": "2025-09-01", "cover_start": "2025-09-10",
        "cover_end": "2025-09-20", "issued_by_nik": KETUA_NIK, "expected_version": activity["version"],
    })
    assert response.status_code == 200
    assert response.get_json()["status"] == "active"
    assert [letter["number"] for letter in response.get_json()["task_letters"]] == ["ST/002/RT-005/IX/2025"]


def test_task_letter_refusals(api, world):
    activity = plan(api, world.rt_id)
    path = f"/activities/{activity['id']}/task-letters"
    letter = {"number": "ST/002", "issued_on": "2025-09-01", "cover_start": "2025-09-10", "cover_end": "2025-09-20",
              "issued_by_nik": KETUA_NIK}
    assert_problem(api.post(path, {**letter, "cover_end": "2025-09-01"}), 422, "cover_end")
    assert_problem(api.post(path, {**letter, "issued_by_nik": SITI}), 409, "issued_by_nik")  # not the Ketua RT
    assert_problem(api.post(path, {**letter, "number": LETTER}), 409)  # a number is used once city-wide
    assert_problem(api.post(path, {**letter, "cover_start": "2025-08-30"}), 409, "cover_period")  # backdated


def test_joining_one_participant(api, world):
    path = f"/activities/{world.activity_id}/participants"
    response = api.post(path, {"nik": AHMAD, "name": "Ahmad Fauzi", "role": "phl"})
    assert response.status_code == 200
    assert [p["nik"] for p in response.get_json()["participants"]] == [SITI, AHMAD]
    assert_problem(api.post(path, {"nik": AHMAD, "name": "Ahmad Fauzi", "role": "phl"}), 409, "nik")
    assert_problem(api.post(path, {"nik": "1571010101010000", "name": "", "role": "boss"}), 422, "nik", "name", "role")


def test_joining_several_participants_at_once(api, world):
    path = f"/activities/{world.activity_id}/participants"
    rows = [{"nik": AHMAD, "name": "Ahmad Fauzi", "role": "phl"}, {"nik": DEWI, "name": "Dewi", "role": "resident"}]
    response = api.post(path, {"rows": rows, "expected_version": 4})
    assert response.status_code == 200
    assert [p["nik"] for p in response.get_json()["participants"]] == [SITI, AHMAD, DEWI]


def test_a_bulk_join_is_all_or_nothing(api, world):
    path = f"/activities/{world.activity_id}/participants"
    rows = [{"nik": DEWI, "name": "Dewi", "role": "resident"}, {"nik": SITI, "name": "Siti Aminah", "role": "resident"}]
    assert_problem(api.post(path, {"rows": rows}), 409, "nik")  # Siti has joined already
    assert [p["nik"] for p in api.get(path).get_json()["items"]] == [SITI]


def test_bulk_rows_are_checked_row_by_row(api, world):
    path = f"/activities/{world.activity_id}/participants"
    rows = [{"nik": DEWI, "name": "Dewi", "role": "resident"}, {"nik": "123", "name": "X", "role": "resident"},
            {"nik": DEWI, "name": "Dewi L.", "role": "phl"}]
    body = assert_problem(api.post(path, {"rows": rows}), 422, "rows")
    assert body["errors"]["rows"] == {"1": {"nik": ["NIK must be exactly 16 digits"]}}
    rows[1]["nik"] = RUDI
    body = assert_problem(api.post(path, {"rows": rows}), 422, "rows")
    assert body["errors"]["rows"] == {"2": {"nik": ["Same NIK as row 0."]}}
    assert_problem(api.post(path, {"rows": []}), 422, "rows")
    extra = {"nik": DEWI, "name": "Dewi", "role": "resident", "age": 30}
    assert_problem(api.post(path, {"rows": [extra]}), 422, "rows")
    assert_problem(api.post(path, [rows[0]]), 422)  # a bare list is not a body


def test_participants_page_in_join_order(api, world, app_sqlite):
    app_sqlite.join_participants(
        world.activity_id, [(AHMAD, "Ahmad", "phl"), (DEWI, "Dewi", "resident"), (RUDI, "Rudi", "resident")], KETUA
    )
    path = f"/activities/{world.activity_id}/participants"
    first = api.get(path, {"limit": 2}).get_json()
    assert [p["nik"] for p in first["items"]] == [SITI, AHMAD] and first["next"]
    second = api.get(path, {"limit": 2, "cursor": first["next"]}).get_json()
    assert [p["nik"] for p in second["items"]] == [DEWI, RUDI] and second["next"] is None
    assert_problem(api.get("/activities/00000000-0000-0000-0000-000000000000/participants"), 404)


def test_withdrawing_a_participant(api, world):
    path = f"/activities/{world.activity_id}/participants"
    response = api.post(f"{path}/{SITI}/withdrawal", {"reason": "Pindah kerja"})
    assert response.status_code == 200
    [siti] = response.get_json()["participants"]
    assert siti["withdrawn"] is True and siti["withdrawn_at"]
    assert_problem(api.post(f"{path}/{AHMAD}/withdrawal", {"reason": "x"}), 409)  # not a participant
    assert_problem(api.post(f"{path}/123/withdrawal", {"reason": "x"}), 422, "nik")
    assert_problem(api.post(f"{path}/{SITI}/withdrawal", {}), 422, "reason")


def test_premium_payments_revision_and_the_premium_view(api, world):
    path = f"/activities/{world.activity_id}"
    premium = api.get(f"{path}/premium").get_json()
    assert premium["breakdown"]["total"] == 120_000 and premium["outstanding"] == 120_000
    response = api.post(f"{path}/premium-payments", {"amount": 100000, "reference": "BJ-1", "paid_on": "2025-09-01"})
    assert response.status_code == 200 and response.get_json()["premium"]["outstanding"] == 20_000
    assert_problem(api.post(f"{path}/premium-payments", {"amount": 50_000, "reference": "BJ-2",
                                                         "paid_on": "2025-09-01"}), 409, "amount")
    assert_problem(api.post(f"{path}/premium-payments", {"amount": -5, "reference": "", "paid_on": "x"}),
                   422, "amount", "reference", "paid_on")
    response = api.post(f"{path}/value", {"total_value": 200_000_000, "reason": "Tambah saluran"})
    activity = response.get_json()
    assert activity["total_value"] == 200_000_000 and activity["premium"]["breakdown"]["total"] == 430_000
    premium = api.get(f"{path}/premium").get_json()
    assert premium["payments"] == [{"amount": 100_000, "reference": "BJ-1", "paid_on": "2025-09-01"}]
    assert (premium["assessed"], premium["paid"], premium["outstanding"]) == (430_000, 100_000, 330_000)
    assert_problem(api.post(f"{path}/value", {"total_value": 200_000_000, "reason": "Sama"}), 409)
    assert_problem(api.get("/activities/00000000-0000-0000-0000-000000000000/premium"), 404)


def test_completing_an_activity(api, world):
    path = f"/activities/{world.activity_id}"
    response = api.post(f"{path}/completion")
    assert response.status_code == 200
    assert response.get_json()["status"] == "completed" and response.get_json()["completed_at"]
    assert_problem(api.post(f"{path}/participants", {"nik": AHMAD, "name": "Ahmad", "role": "phl"}), 409)
    assert_problem(api.post(f"{path}/completion"), 409)


def test_an_activity_without_a_letter_is_cancelled_not_completed(api, world):
    activity = plan(api, world.rt_id)
    path = f"/activities/{activity['id']}"
    assert_problem(api.post(f"{path}/completion", {"expected_version": activity["version"]}), 409)
    assert_problem(api.post(f"{path}/cancellation", {}), 422, "reason")
    response = api.post(f"{path}/cancellation", {"reason": "Material tidak tersedia", "expected_version": 2})
    assert response.status_code == 200
    cancelled = response.get_json()
    assert cancelled["status"] == "cancelled" and cancelled["cancel_reason"] == "Material tidak tersedia"


def test_the_list_filters_by_rt_and_status_and_pages_stably(api, world, app_sqlite, client):
    other_rt = launched_rt(app_sqlite, "15.71.03.1002", 7)
    for number, day in enumerate((3, 5, 5, 5, 8)):  # three start the same day: ties go by id
        start = date(2025, 9, day)
        app_sqlite.plan_activity(world.rt_id, f"Kerja bakti {number}", "cleaning", "Gang", 10_000_000,
                                 Period(start, start + timedelta(days=1)), ADMIN)
    app_sqlite.plan_activity(other_rt, "Penghijauan", "greening", "Taman", 5_000_000,
                             Period(date(2025, 9, 4), date(2025, 9, 4)), ADMIN)
    follow(client)
    everything = api.get("/activities", {"limit": 200}).get_json()["items"]
    assert len(everything) == 7
    keys = [(a["planned_start"], a["id"]) for a in everything]
    assert keys == sorted(keys, key=lambda key: (-date.fromisoformat(key[0]).toordinal(), key[1]))
    seen, cursor = [], None
    while True:
        page = api.get("/activities", {"limit": 2, **({"cursor": cursor} if cursor else {})}).get_json()
        seen += [a["id"] for a in page["items"]]
        cursor = page["next"]
        if cursor is None:
            break
    assert seen == [a["id"] for a in everything]
    in_other = api.get("/activities", {"rt_id": str(other_rt)}).get_json()["items"]
    assert [a["title"] for a in in_other] == ["Penghijauan"]
    active = api.get("/activities", {"status": "active"}).get_json()["items"]
    assert [a["id"] for a in active] == [str(world.activity_id)] and active[0]["participants"] == 1
    assert_problem(api.get("/activities", {"status": "busy", "rt_id": "x"}), 422, "status", "rt_id")
