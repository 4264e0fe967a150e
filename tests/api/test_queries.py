"""The read side of the API: the coverage check, the audit trail and every aggregate's history."""

from datetime import datetime, timedelta

from domain.activity import TaskLetterNumber
from domain.period import JAKARTA
from tests.api.conftest import ADMIN_ACTOR, LETTER, assert_problem
from tests.integration.conftest import AHMAD, SITI

MISSING = "00000000-0000-0000-0000-000000000000"


# --- coverage -----------------------------------------------------------------------------


def test_a_participant_is_covered_inside_the_cover_period(api, world):
    response = api.get("/coverage", {"nik": SITI, "at": "2025-09-02T09:00:00+07:00"})
    assert response.status_code == 200
    check = response.get_json()
    assert check["covered"] is True and check["nik"] == SITI
    [letter] = check["covered_by"]
    assert letter == {"task_letter_number": LETTER, "cover_start": "2025-09-01", "cover_end": "2025-09-30",
                      "activity_id": str(world.activity_id), "activity_title": "Gotong royong pembersihan drainase",
                      "rt_code": "15.71.01.1001/RT-005", "name": "Siti Aminah", "role": "resident"}
    [cover] = check["covers"]
    assert cover["status"] == "active" and cover["letters"] == 1 and cover["kelurahan"] == "Simpang IV Sipin"


def test_outside_the_cover_period_or_before_joining_nobody_is_covered(api, world):
    after = api.get("/coverage", {"nik": SITI, "at": "2025-10-01T00:30"}).get_json()  # WIB, no offset
    assert after["covered"] is False and after["covered_by"] == [] and len(after["covers"]) == 1
    before_joining = api.get("/coverage", {"nik": SITI, "at": "2025-09-01T07:59:00+07:00"}).get_json()
    assert before_joining["covered"] is False
    stranger = api.get("/coverage", {"nik": AHMAD, "at": "2025-09-02T09:00:00+07:00"}).get_json()
    assert stranger == {"nik": AHMAD, "at": "2025-09-02T09:00:00+07:00", "covered": False, "covered_by": [],
                        "covers": []}


def test_the_coverage_check_needs_a_valid_nik_and_moment(api):
    assert_problem(api.get("/coverage"), 422, "nik", "at")
    assert_problem(api.get("/coverage", {"nik": "1571", "at": "besok"}), 422, "nik", "at")


# --- audit ----------------------------------------------------------------------------------


def test_the_audit_trail_lists_events_with_their_actor_and_payload(api, world):
    api.post(f"/activities/{world.activity_id}/participants", {"nik": AHMAD, "name": "Ahmad Fauzi", "role": "phl"})
    page = api.get("/audit", {"type": "ParticipantJoined"}).get_json()
    assert [event["payload"]["nik"] for event in page["items"]] == [SITI, AHMAD] and page["next"] is None
    ahmad = page["items"][-1]
    assert ahmad["actor"] == {"user_id": "admin.dpmppa", "role": "admin"}
    assert ahmad["aggregate_type"] == "Activity" and ahmad["aggregate_id"] == str(world.activity_id)
    assert ahmad["summary"].startswith("Ahmad Fauzi")
    by_actor = api.get("/audit", {"actor": "ketua.simpang-iv-sipin.005"}).get_json()["items"]
    assert {event["event_type"] for event in by_actor} >= {"MusyawarahHeld", "TaskLetterIssued"}
    of_activity = api.get("/audit", {"aggregate": str(world.activity_id)}).get_json()["items"]
    assert [event["version"] for event in of_activity] == list(range(1, len(of_activity) + 1))


def test_the_audit_trail_pages_by_position(api, world):
    everything = api.get("/audit", {"limit": 500}).get_json()["items"]
    positions = [event["position"] for event in everything]
    assert positions == sorted(positions) and len(positions) > 5
    seen, after = [], 0
    while after is not None:
        page = api.get("/audit", {"limit": 4, "after": after}).get_json()
        assert len(page["items"]) <= 4
        seen += [event["position"] for event in page["items"]]
        after = page["next"]
    assert seen == positions


def test_the_audit_trail_filters_by_time(api, world, clock):
    api.token(api.actor)  # the admin's account and token (audited too) are made before the day passes
    clock.advance(timedelta(days=1))
    api.post(f"/activities/{world.activity_id}/participants", {"nik": AHMAD, "name": "Ahmad Fauzi", "role": "phl"})
    since = (clock.now() - timedelta(minutes=1)).isoformat()
    assert [e["event_type"] for e in api.get("/audit", {"since": since}).get_json()["items"]] == ["ParticipantJoined"]
    until = api.get("/audit", {"until": since}).get_json()["items"]
    assert until and "ParticipantJoined" in {e["event_type"] for e in until}  # Siti's, the day before
    assert_problem(api.get("/audit", {"since": "gisteren", "limit": 0, "after": -1, "aggregate": "x"}),
                   422, "since", "limit", "after", "aggregate")


# --- history and time travel ------------------------------------------------------------------


def test_the_history_lists_each_event_with_its_position_actor_and_changes(api, world):
    api.post(f"/activities/{world.activity_id}/participants", {"nik": AHMAD, "name": "Ahmad Fauzi", "role": "phl"})
    page = api.get(f"/aggregates/{world.activity_id}/history").get_json()
    events = page["items"]
    assert [event["type"] for event in events] == [
        "ActivityPlanned", "PremiumAssessed", "TaskLetterIssued", "ParticipantJoined", "ParticipantJoined"]
    assert [event["version"] for event in events] == [1, 2, 3, 4, 5] and page["next"] is None
    audit = api.get("/audit", {"aggregate": str(world.activity_id)}).get_json()["items"]
    assert [event["position"] for event in events] == [event["position"] for event in audit]
    last = events[-1]
    assert last["actor"] == {"user_id": "admin.dpmppa", "role": "admin"}
    assert last["data"]["nik"] == AHMAD and "actor" not in last["data"]
    assert set(last["changes"]) == {"participants"}
    assert set(last["changes"]["participants"]["after"]) == {SITI, AHMAD}
    assert set(last["changes"]["participants"]["before"]) == {SITI}
    assert events[1]["changes"]["premium"] == {
        "before": None, "after": {"value": 50_000_000, "jkk": 105_000, "jkm": 15_000, "total": 120_000,
                                  "rule": "PERMENAKER-44-2015"}}


def test_the_history_pages_by_version(api, world):
    first = api.get(f"/aggregates/{world.rt_id}/history", {"limit": 3}).get_json()
    assert [event["version"] for event in first["items"]] == [1, 2, 3] and first["next"]
    rest = api.get(f"/aggregates/{world.rt_id}/history", {"limit": 3, "cursor": first["next"]}).get_json()
    assert [event["version"] for event in rest["items"]] == [4, 5] and rest["next"] is None
    assert_problem(api.get(f"/aggregates/{MISSING}/history"), 404)


def test_the_state_of_an_aggregate_now_at_a_version_and_at_a_moment(api, world, clock):
    path = f"/aggregates/{world.activity_id}"
    now = api.get(path).get_json()
    assert now["type"] == "Activity" and now["version"] == 4 and now["state"]["status"] == "active"
    assert now["state"] == api.get(f"/activities/{world.activity_id}").get_json()
    planned = api.get(path, {"version": 1}).get_json()
    assert planned["version"] == 1 and planned["state"]["status"] == "planned"
    assert planned["state"]["premium"]["breakdown"] is None and planned["state"]["participants"] == []
    before_ahmad = clock.now()
    clock.advance(timedelta(hours=2))
    api.post(f"{path.replace('aggregates', 'activities')}/participants", {"nik": AHMAD, "name": "Ahmad", "role": "phl"})
    then = api.get(path, {"at": before_ahmad.isoformat()}).get_json()
    assert then["version"] == 4 and [p["nik"] for p in then["state"]["participants"]] == [SITI]
    assert datetime.fromisoformat(then["recorded_at"]) == before_ahmad
    assert api.get(path).get_json()["version"] == 5
    rt = api.get(f"/aggregates/{world.rt_id}", {"version": 2}).get_json()
    assert rt["type"] == "RT" and rt["state"]["ketua"]["name"] == "Budi Santoso" and rt["state"]["phase"] is None


def test_state_queries_that_cannot_be_answered(api, world):
    path = f"/aggregates/{world.activity_id}"
    assert_problem(api.get(path, {"version": 99}), 404)
    assert_problem(api.get(path, {"at": datetime(2020, 1, 1, tzinfo=JAKARTA).isoformat()}), 404)
    assert_problem(api.get(path, {"version": 0}), 422, "version")
    assert_problem(api.get(path, {"version": 1, "at": "2025-09-01T08:00:00+07:00"}), 422, "at")
    assert_problem(api.get(f"/aggregates/{MISSING}"), 404)
    reservation = TaskLetterNumber.create_id(LETTER)  # not a resource: only its history is served
    assert_problem(api.get(f"/aggregates/{reservation}"), 404)
    assert api.get(f"/aggregates/{reservation}/history").get_json()["items"][0]["type"] == "TaskLetterNumberReserved"


def test_reads_need_an_actor_too(api, world):
    for path in ("/rts", f"/rts/{world.rt_id}", "/activities", "/claims", "/audit", f"/aggregates/{world.rt_id}",
                 f"/aggregates/{world.rt_id}/history", f"/activities/{world.activity_id}/premium"):
        assert_problem(api.get(path, actor=None), 401)
    assert api.get("/rts", actor=ADMIN_ACTOR).status_code == 200
