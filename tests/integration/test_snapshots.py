"""Snapshots: an aggregate with a long history loads from its latest snapshot plus the events after
it, and is then exactly the aggregate a full replay gives; time travel, history and the event log
are unchanged by them."""

from datetime import date, datetime, timedelta
from decimal import Decimal
from uuid import UUID

import pytest

from application.base import state_of
from application.service import KampungBahagia
from domain.activity import Activity
from domain.benefits import AssessmentInputs
from domain.claim import DOCUMENTS, Claim
from domain.period import JAKARTA
from domain.rt import RT
from tests.integration.conftest import KETUA, OFFICER, SITI

INTERVAL = KampungBahagia.snapshotting_intervals[Activity]


class WithoutSnapshots(KampungBahagia):
    """The same application (and tables) replaying every event, as it did before snapshots."""

    name = KampungBahagia.name
    snapshotting_intervals = {}


@pytest.fixture
def replaying(store_env, clock):
    service = WithoutSnapshots(env=store_env, clock=clock)
    yield service
    service.close()


def nik(serial: int) -> str:
    return f"15710141079{serial:05d}"  # Kota Jambi, born 1 October 1979 (women: day + 40)


def crowded_activity(app, world) -> UUID:
    """The world's activity after INTERVAL + 10 more residents joined one by one."""
    for serial in range(INTERVAL + 10):
        app.join_participant(world.activity_id, nik(serial + 10), f"Warga {serial}", "resident", KETUA)
    return world.activity_id


def rt_over_the_years(app, world) -> UUID:
    """The world's RT after a musyawarah on each of INTERVAL more days."""
    for day in range(INTERVAL):
        app.hold_musyawarah(world.rt_id, date(2025, 5, 1) + timedelta(days=day), [f"Prioritas {day}"], KETUA)
    return world.rt_id


def claim_paid_in_instalments(app, world, clock) -> UUID:
    """A covered work accident whose medical care is paid in INTERVAL instalments of Rp100.000."""
    incident = datetime(2025, 9, 1, 10, 0, tzinfo=JAKARTA)
    clock.set(incident + timedelta(hours=2))
    claim_id = app.report_accident(world.activity_id, SITI, incident, "work_accident", "Tergelincir.", "Budi", KETUA)
    app.confirm_coverage(claim_id, OFFICER)
    app.receive_documents(claim_id, [name for name, required in DOCUMENTS["work_accident"].items() if required], OFFICER)
    app.assess_claim(claim_id, AssessmentInputs(medical_costs=Decimal(100_000 * INTERVAL)), OFFICER)
    app.approve_claim(claim_id, OFFICER)
    for instalment in range(INTERVAL):
        app.pay_santunan(claim_id, "medical_care", 100_000, "Siti Aminah", f"TRF-{instalment}", date(2025, 9, 1), OFFICER)
    return claim_id


LONG_HISTORIES = {
    Activity: lambda app, world, clock: crowded_activity(app, world),
    RT: lambda app, world, clock: rt_over_the_years(app, world),
    Claim: claim_paid_in_instalments,
}


@pytest.fixture(params=list(LONG_HISTORIES), ids=lambda cls: cls.__name__)
def long_history(request, app, world, clock) -> UUID:
    aggregate_id = LONG_HISTORIES[request.param](app, world, clock)
    assert app.repository.get(aggregate_id).version > INTERVAL
    return aggregate_id


def snapshot_versions(app, aggregate_id: UUID) -> list[int]:
    return [snapshot.originator_version for snapshot in app.snapshots.get(aggregate_id)]


def test_every_aggregate_with_a_long_history_is_snapshotted_at_the_same_interval():
    assert set(KampungBahagia.snapshotting_intervals) == {RT, Activity, Claim}
    assert set(KampungBahagia.snapshotting_intervals.values()) == {INTERVAL}


def test_an_aggregate_past_the_interval_loads_from_its_snapshot(app, long_history):
    assert snapshot_versions(app, long_history) == [INTERVAL]
    asked_for = []
    read_events = app.repository.event_store.get

    def spy(originator_id, **kwargs):
        asked_for.append(kwargs.get("gt"))
        return read_events(originator_id, **kwargs)

    app.repository.event_store.get = spy
    app.repository.get(long_history)
    assert asked_for == [INTERVAL]  # only the events after the snapshot are read


def test_an_aggregate_below_the_interval_is_replayed_without_asking_for_a_snapshot(app, replaying, world):
    app.take_snapshot(world.activity_id)  # even one taken by hand below the interval is not needed
    asked = []
    read_snapshots = app.repository.snapshot_store.get

    def spy(originator_id, **kwargs):
        asked.append(originator_id)
        return read_snapshots(originator_id, **kwargs)

    app.repository.snapshot_store.get = spy
    loaded = app.repository.get(world.activity_id)
    assert loaded.version < INTERVAL and asked == []
    assert state_of(loaded) == state_of(replaying.repository.get(world.activity_id))
    assert state_of(app.repository.get(world.activity_id, version=2)) == state_of(
        replaying.repository.get(world.activity_id, version=2))


def test_loading_from_a_snapshot_gives_the_state_of_a_full_replay(app, replaying, long_history):
    from_snapshot = app.repository.get(long_history)
    replayed = replaying.repository.get(long_history)
    assert replaying.snapshots is None
    assert type(from_snapshot) is type(replayed)
    assert from_snapshot.version == replayed.version
    assert (from_snapshot.created_on, from_snapshot.modified_on) == (replayed.created_on, replayed.modified_on)
    assert state_of(from_snapshot) == state_of(replayed)


def test_time_travel_around_the_snapshot_gives_the_replayed_state(app, replaying, long_history):
    latest = app.repository.get(long_history).version
    for version in (1, INTERVAL - 1, INTERVAL, INTERVAL + 1, latest):
        then = app.repository.get(long_history, version=version)
        assert then.version == version
        assert state_of(then) == state_of(replaying.repository.get(long_history, version=version))


def test_history_lists_every_event_not_the_snapshot(app, replaying, long_history):
    entries = app.history(long_history)
    assert [entry.event.originator_version for entry in entries] == list(range(1, len(entries) + 1))
    assert [entry.changes for entry in entries] == [entry.changes for entry in replaying.history(long_history)]


def test_snapshots_stay_out_of_the_event_log(app, long_history):
    notifications = app.recorder.select_notifications(start=1, limit=10_000)
    assert notifications and not [n for n in notifications if "Snapshot" in n.topic]
    assert len({n.id for n in notifications}) == len(notifications)
    assert app.recorder.max_notification_id() == notifications[-1].id
