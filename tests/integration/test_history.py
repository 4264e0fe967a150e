"""Auditors' replay of one aggregate: its state at a version or a moment, and what each event changed."""

from datetime import date, datetime, timedelta

import pytest

from domain.errors import NotFound
from domain.period import JAKARTA
from tests.integration.conftest import ADMIN, AHMAD, KETUA, SITI


def test_each_event_lists_the_state_it_changed_before_and_after(app, world):
    app.join_participant(world.activity_id, AHMAD, "Ahmad Fauzi", "phl", KETUA)
    app.revise_value(world.activity_id, 60_000_000, "Tambah pipa", ADMIN)
    entries = app.history(world.activity_id)
    names = [type(entry.event).__name__ for entry in entries]
    assert names == ["ActivityPlanned", "PremiumAssessed", "TaskLetterIssued", "ParticipantJoined",
                     "ParticipantJoined", "ValueRevised", "PremiumAssessed"]
    revised = entries[5]
    assert revised.changes == {"total_value": (50_000_000, 60_000_000)}
    assert entries[5].event.actor == ADMIN
    reassessed = entries[6].changes["premium"]
    assert (reassessed[0].total, reassessed[1].total) == (120_000, 144_000)
    joined = entries[4].changes["participants"]
    assert set(joined[1]) - set(joined[0]) == {AHMAD}


def test_the_version_as_of_a_moment_gives_the_state_then(app, world, clock):
    before = clock.now()
    clock.advance(timedelta(days=1))
    app.withdraw_participant(world.activity_id, SITI, "Pindah", KETUA)
    version = app.version_as_of(world.activity_id, before)
    then = app.get_activity(world.activity_id, version=version)
    assert then.participants[SITI].withdrawn_at is None
    assert app.get_activity(world.activity_id).participants[SITI].withdrawn_at is not None
    with pytest.raises(NotFound):
        app.version_as_of(world.activity_id, datetime(2020, 1, 1, tzinfo=JAKARTA))


def test_events_are_recorded_at_the_application_clock(app, world, clock):
    recorded = [event.timestamp for event in app.events.get(world.rt_id)]
    assert recorded == sorted(recorded)
    assert all(moment.tzinfo is not None for moment in recorded)
    assert recorded[-1] == clock.now()
    assert app.get_rt(world.rt_id).launched_on == date(2025, 8, 24)
