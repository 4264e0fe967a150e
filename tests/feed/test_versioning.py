"""Event schema versions: ``Claim.AccidentReported`` v2 added ``location`` (v3 renamed the kind ``death``); a v1
event already in the store is upcast by the library as it is read, so the aggregate, the read models and the
feed see the current version."""

from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

import pytest
from eventsourcing.persistence import StoredEvent
from eventsourcing.utils import get_topic

from domain.claim import Claim
from domain.errors import InvalidValue
from domain.period import JAKARTA
from projections.cloudevents import catalogue, feed_page
from interfaces.feed.dataschema import data_schema
from interfaces.consumers import build_runner
from interfaces.app import create_app
from tests.api.conftest import ApiClient
from tests.feed.feed_support import LOCATION, feed_api  # noqa: F401 (feed_api: a fixture)
from tests.feed.test_event_types import validator
from tests.integration.conftest import ADMIN, COVER, KETUA, KETUA_NIK, OFFICER, SITI, World, launched_rt
from tests.web.conftest import sign_in

CURRENT = "id.go.jambikota.kampungbahagia.claim.AccidentReported.v3"
INCIDENT = datetime(2025, 9, 2, 9, 30, tzinfo=JAKARTA)


@pytest.fixture
def world(app_sqlite) -> World:
    rt_id = launched_rt(app_sqlite)
    activity_id = app_sqlite.plan_activity(
        rt_id, "Gotong royong pembersihan drainase", "drainage", "Jl. Sipin Ujung", 50_000_000, COVER, ADMIN
    )
    app_sqlite.issue_task_letter(activity_id, "ST/001/RT-005/IX/2025", COVER.start, COVER, KETUA_NIK, KETUA)
    app_sqlite.join_participant(activity_id, SITI, "Siti Aminah", "resident", KETUA)
    return World(rt_id=rt_id, activity_id=activity_id)


def store_v1_report(app: Any, world: World, clock: Any) -> Claim:
    """Write an AccidentReported exactly as v1 stored it: the same topic, a state without ``location``
    and without ``class_version`` (the library writes it only for versions above 1)."""
    clock.set(INCIDENT + timedelta(hours=2))
    claim = Claim.report(app.get_activity(world.activity_id), SITI, INCIDENT, "work_accident", "Kaki terkilir.",
                         "Budi Santoso (Ketua RT)", clock.now(), KETUA)
    (event,) = claim.collect_events()
    state = {key: value for key, value in vars(event).items()
             if key not in ("originator_id", "originator_version", "location")}
    stored = StoredEvent(originator_id=event.originator_id, originator_version=1,
                         topic=get_topic(Claim.AccidentReported), state=app.mapper.transcoder.encode(state))
    assert b"location" not in stored.state and b"class_version" not in stored.state
    app.recorder.insert_events([stored])
    return claim


def test_a_v2_report_stores_its_class_version_and_location(app_sqlite, world, clock):
    clock.set(INCIDENT + timedelta(hours=2))
    claim_id = app_sqlite.report_accident(world.activity_id, SITI, INCIDENT, "work_accident", "Kaki terkilir.",
                                          "Budi", KETUA, location=f"  {LOCATION}  ")
    (notification,) = app_sqlite.recorder.select_notifications(start=1, limit=100, topics=[get_topic(
        Claim.AccidentReported)])
    assert b'"class_version":3' in notification.state and b"location" in notification.state
    assert app_sqlite.get_claim(claim_id).location == LOCATION  # cleaned like any free text
    event = app_sqlite.mapper.to_domain_event(notification)
    assert event.location == LOCATION


@pytest.mark.parametrize("given, stored", [(None, None), ("", None), ("   ", None), (" Gang  Mawar ", "Gang Mawar")])
def test_a_blank_location_is_recorded_as_none(app_sqlite, world, clock, given, stored):
    clock.set(INCIDENT + timedelta(hours=2))
    claim_id = app_sqlite.report_accident(world.activity_id, SITI, INCIDENT, "work_accident", "Jatuh.", "Budi",
                                          KETUA, location=given)
    assert app_sqlite.get_claim(claim_id).location == stored


def test_a_location_longer_than_200_characters_is_refused(app_sqlite, world, clock):
    clock.set(INCIDENT + timedelta(hours=2))
    head = app_sqlite.recorder.max_notification_id()
    with pytest.raises(InvalidValue) as raised:
        app_sqlite.report_accident(world.activity_id, SITI, INCIDENT, "work_accident", "Jatuh.", "Budi", KETUA,
                                   location="x" * 201)
    assert raised.value.field == "location"
    assert app_sqlite.recorder.max_notification_id() == head  # nothing recorded


def test_a_stored_v1_report_is_read_as_v2_with_no_location(app_sqlite, world, clock):
    claim = store_v1_report(app_sqlite, world, clock)
    (notification,) = app_sqlite.recorder.select_notifications(
        start=1, limit=100, topics=[get_topic(Claim.AccidentReported)]
    )
    event = app_sqlite.mapper.to_domain_event(notification)
    assert type(event) is Claim.AccidentReported and event.location is None
    assert "class_version" not in vars(event)  # the version is the class's, not part of the data
    loaded = app_sqlite.get_claim(claim.id)
    assert loaded.location is None and loaded.nik == SITI and loaded.status == "reported"
    # The old claim goes on like any other: its next events are current ones.
    app_sqlite.confirm_coverage(claim.id, OFFICER)
    assert app_sqlite.get_claim(claim.id).status == "coverage_confirmed"


def test_the_feed_sends_a_stored_v1_report_as_v2_valid_against_the_v2_schema(app_sqlite, world, clock):
    claim = store_v1_report(app_sqlite, world, clock)
    page, _ = feed_page(app_sqlite, 0, 100, ["AccidentReported"])
    (report,) = page
    assert report["type"] == CURRENT and report["id"] == f"{claim.id}/1"
    assert report["data"]["location"] is None and report["data"]["nik"] == SITI
    schema = data_schema(next(entry for entry in catalogue() if entry.type == CURRENT))
    assert validator(schema).is_valid(report["data"])
    # A filter by the v2 type finds it too.
    assert feed_page(app_sqlite, 0, 100, [CURRENT])[0] == [report]


def test_the_read_models_project_a_stored_v1_report(app_sqlite, world, clock):
    claim = store_v1_report(app_sqlite, world, clock)
    runner = build_runner(app_sqlite)
    try:
        runner.catch_up()
        with runner.reading("audit") as (connection, tables):
            rows = connection.execute(tables["events"].select().where(
                tables["events"].c.aggregate_id == str(claim.id))).mappings().all()
        assert [row["event_type"] for row in rows] == ["AccidentReported"]
        assert '"location": null' in rows[0]["payload"]
    finally:
        runner.engine.dispose()


# --- the command, through the API and the web form ------------------------------------------------------------------


def test_the_api_reports_an_accident_with_its_location(feed_api, app_sqlite, world, clock):
    clock.set(INCIDENT + timedelta(hours=2))
    body = {"activity_id": str(world.activity_id), "nik": SITI, "incident_at": INCIDENT.isoformat(),
            "kind": "work_accident", "chronology": "Kaki terkilir.", "reporter": "Budi", "location": LOCATION}
    officer = ApiClient(feed_api.client, "petugas.klaim.1:claim_officer")  # claims are the officer's, not the feed's
    response = officer.post("/claims", body)
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["location"] == LOCATION
    without = officer.post("/claims", {**body, "incident_at": (INCIDENT + timedelta(hours=1)).isoformat(),
                                        "location": None})
    assert without.status_code == 201 and without.get_json()["location"] is None
    too_long = officer.post("/claims", {**body, "location": "x" * 201})
    assert too_long.status_code == 422 and "location" in too_long.get_json()["errors"]
    page, _ = feed_page(app_sqlite, 0, 100, ["AccidentReported"])
    assert [event["data"]["location"] for event in page] == [LOCATION, None]


def test_the_report_form_has_an_optional_location_field(feed_api, app_sqlite, world, clock):
    client = feed_api.client
    sign_in(client, "petugas.klaim.1", "claim_officer")
    page = client.get("/claims/report", query_string={"nik": SITI}).get_data(as_text=True)
    assert "Lokasi kejadian" in page and 'name="location"' in page
    start = page.index('<input id="location"')
    field = page[start:page.index(">", start)]
    assert 'maxlength="200"' in field and " required" not in field


def test_the_report_form_records_the_location_and_the_claim_page_shows_it(app_sqlite, world, clock):
    flask_app = create_app({"TESTING": True, "WTF_CSRF_ENABLED": False, "KAMPUNG_APP": app_sqlite,
                            "SECRET_KEY": "test"})
    client = flask_app.test_client()
    sign_in(client, "petugas.klaim.1", "claim_officer")
    clock.set(INCIDENT + timedelta(hours=2))
    form = {"nik": SITI, "activity_id": str(world.activity_id), "incident_at": "2025-09-02T09:00",
            "kind": "work_accident", "chronology": "Terpeleset.", "reporter": "Budi", "location": LOCATION}
    response = client.post("/claims/report", data=form)
    assert response.status_code == 302, response.get_data(as_text=True)
    claim_id = UUID(response.headers["Location"].rsplit("/", 1)[1])
    assert app_sqlite.get_claim(claim_id).location == LOCATION
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Lokasi kejadian" in page and LOCATION in page
