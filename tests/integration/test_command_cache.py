"""Several servers on one store, each keeping aggregates between commands: a copy another server made
stale never lets a rule be broken, nor refuses what the store allows. Server A keeps copies (or,
for comparison, none: every outcome must be the same); server B changes the store behind A's back."""

from collections.abc import Iterator
from datetime import date, datetime

import pytest
from eventsourcing.persistence import IntegrityError

from application.clock import FixedClock
from domain.errors import ConcurrencyConflict
from application.service import KampungBahagia
from domain.errors import ActivityClosed, InvalidValue, NotCovered, NotCurrentKetuaRT
from domain.period import JAKARTA, Period
from tests.integration.conftest import ADMIN, AHMAD, KETUA, KETUA_NIK, OFFICER, SITI, World, covered_world

NEW_KETUA_NIK = "1571011505800004"
RINA = "1571015803920005"
LATER_COVER = Period(date(2025, 9, 1), date(2025, 9, 15))


@pytest.fixture(params=["kept copies", "no cache"])
def a(request, store_env, clock) -> Iterator[KampungBahagia]:
    """Server A: keeps the aggregates its commands used (or, for comparison, nothing)."""
    size = {"kept copies": "2000", "no cache": "0"}[request.param]
    service = KampungBahagia(env={**store_env, "KAMPUNG_COMMAND_CACHE": size}, clock=clock)
    yield service
    service.close()


@pytest.fixture
def b(store_env, clock) -> Iterator[KampungBahagia]:
    """Server B, on the same store."""
    service = KampungBahagia(env=store_env, clock=clock)
    yield service
    service.close()


@pytest.fixture
def world(a) -> World:
    """Built by A's commands, so A keeps the RT and the activity as they were then."""
    return covered_world(a)


def kept_version(app: KampungBahagia, aggregate_id) -> int | None:
    kept = app._commands._kept.get(aggregate_id)
    return kept.aggregate.version if kept is not None else None


def given_a_keeps(a: KampungBahagia, aggregate_id) -> None:
    """The premise: A keeps a copy of the aggregate as the store has it now (unless A keeps nothing)."""
    if a._commands.size:
        assert kept_version(a, aggregate_id) == a.repository.get(aggregate_id).version


def test_a_task_letter_signed_by_a_ketua_rt_replaced_on_another_server_is_refused(a, b, world):
    given_a_keeps(a, world.rt_id)
    b.appoint_ketua_rt(world.rt_id, NEW_KETUA_NIK, "Rahmat Hidayat", "081298765432", date(2025, 8, 30), ADMIN)
    head = a.recorder.max_notification_id()

    with pytest.raises(NotCurrentKetuaRT):
        a.issue_task_letter(world.activity_id, "ST/002/RT-005/IX/2025", date(2025, 9, 1), LATER_COVER, KETUA_NIK,
                            KETUA)

    assert a.recorder.max_notification_id() == head
    a.issue_task_letter(world.activity_id, "ST/002/RT-005/IX/2025", date(2025, 9, 1), LATER_COVER, NEW_KETUA_NIK,
                        KETUA)
    assert [letter.ketua_nik for letter in a.get_activity(world.activity_id).task_letters] == [KETUA_NIK,
                                                                                             NEW_KETUA_NIK]


def test_joining_an_activity_cancelled_on_another_server_is_refused(a, b, world):
    given_a_keeps(a, world.activity_id)
    b.cancel_activity(world.activity_id, "Hujan lebat", ADMIN)
    head = a.recorder.max_notification_id()

    with pytest.raises(ActivityClosed):
        a.join_participant(world.activity_id, AHMAD, "Ahmad Fauzi", "resident", KETUA)

    assert a.recorder.max_notification_id() == head
    assert AHMAD not in a.get_activity(world.activity_id).participants


def test_cover_for_a_participant_withdrawn_on_another_server_is_refused(a, b, world, clock, store_env):
    clock.set(datetime(2025, 9, 3, 12, 0, tzinfo=JAKARTA))
    claim_id = a.report_accident(world.activity_id, SITI, datetime(2025, 9, 3, 9, 0, tzinfo=JAKARTA),
                                 "work_accident", "Tergelincir di saluran.", "Budi Santoso", KETUA)
    given_a_keeps(a, world.activity_id)
    given_a_keeps(a, claim_id)
    with KampungBahagia(env=store_env, clock=FixedClock(datetime(2025, 9, 2, 10, 0, tzinfo=JAKARTA))) as b_earlier:
        b_earlier.withdraw_participant(world.activity_id, SITI, "Pindah domisili", KETUA)
    head = a.recorder.max_notification_id()

    with pytest.raises(NotCovered, match="withdrawn"):
        a.confirm_coverage(claim_id, OFFICER)

    assert a.recorder.max_notification_id() == head
    assert a.get_claim(claim_id).cover is None


def test_a_version_the_user_saw_newer_than_the_kept_copy_means_reading_the_store_not_a_conflict(a, b, world):
    kept = a.get_activity(world.activity_id).version
    given_a_keeps(a, world.activity_id)
    b.join_participant(world.activity_id, AHMAD, "Ahmad Fauzi", "resident", KETUA)

    a.join_participant(world.activity_id, RINA, "Rina Putri", "resident", KETUA, expected_version=kept + 1)

    activity = a.get_activity(world.activity_id)
    assert activity.version == kept + 2 and {AHMAD, RINA} <= set(activity.participants)


def test_the_version_of_the_kept_copy_after_another_server_changed_it_is_a_conflict(a, b, world):
    kept = a.get_activity(world.activity_id).version
    given_a_keeps(a, world.activity_id)
    b.join_participant(world.activity_id, AHMAD, "Ahmad Fauzi", "resident", KETUA)
    head = a.recorder.max_notification_id()

    with pytest.raises(ConcurrencyConflict):  # a command that would record nothing, so no save catches it
        a.join_participants(world.activity_id, [], KETUA, expected_version=kept)
    with pytest.raises(ConcurrencyConflict):
        a.join_participant(world.activity_id, RINA, "Rina Putri", "resident", KETUA, expected_version=kept)

    assert a.recorder.max_notification_id() == head


def test_a_change_another_server_saved_first_is_kept_and_the_command_applies_after_it(a, b, world):
    given_a_keeps(a, world.activity_id)
    b.join_participant(world.activity_id, AHMAD, "Ahmad Fauzi", "resident", KETUA)

    a.join_participant(world.activity_id, RINA, "Rina Putri", "resident", KETUA)

    events = list(a.events.get(world.activity_id))
    assert [event.originator_version for event in events] == list(range(1, len(events) + 1))
    assert [type(event).__name__ for event in events[-2:]] == ["ParticipantJoined", "ParticipantJoined"]
    assert [event.nik for event in events[-2:]] == [AHMAD, RINA]


def test_an_aggregate_another_server_keeps_changing_is_read_first_instead_of_trusted(a, b, world):
    given_a_keeps(a, world.activity_id)
    b.join_participant(world.activity_id, AHMAD, "Ahmad Fauzi", "resident", KETUA)
    a.join_participant(world.activity_id, RINA, "Rina Putri", "resident", KETUA)  # A's copy was stale
    refused = []
    insert = a.recorder.insert_events

    def counted(stored_events, **kwargs):
        try:
            return insert(stored_events, **kwargs)
        except IntegrityError:
            refused.append(stored_events)
            raise

    a.recorder.insert_events = counted
    for serial in range(3):  # the two servers take turns, as two workers behind one address do
        b.join_participant(world.activity_id, f"15710141079{serial + 20:05d}", f"Warga {serial}", "resident", KETUA)
        a.join_participant(world.activity_id, f"15710141079{serial + 30:05d}", f"Warga {serial}", "resident", KETUA)

    assert refused == []  # A read the store first each time: no attempt wasted on a stale copy
    assert len(a.get_activity(world.activity_id).participants) == 1 + 2 + 6


def test_what_another_server_allowed_meanwhile_is_not_refused_on_a_stale_copy(a, b, world):
    given_a_keeps(a, world.activity_id)
    b.join_participant(world.activity_id, AHMAD, "Ahmad Fauzi", "resident", KETUA)

    a.withdraw_participant(world.activity_id, AHMAD, "Salah input", KETUA)  # A's copy has no Ahmad

    assert a.get_activity(world.activity_id).participants[AHMAD].withdrawn_at is not None


def test_a_refusal_on_the_current_state_is_the_same_with_or_without_kept_copies(a, world):
    head = a.recorder.max_notification_id()
    with pytest.raises(InvalidValue):
        a.join_participant(world.activity_id, "1234", "Nama", "resident", KETUA)
    assert a.recorder.max_notification_id() == head
    a.join_participant(world.activity_id, AHMAD, "Ahmad Fauzi", "resident", KETUA)  # the copy was not spoiled
    assert AHMAD in a.get_activity(world.activity_id).participants


def test_reads_see_what_another_server_wrote_at_once(a, b, world):
    a.get_activity(world.activity_id)
    b.join_participant(world.activity_id, AHMAD, "Ahmad Fauzi", "resident", KETUA)
    assert AHMAD in a.get_activity(world.activity_id).participants
    b.appoint_ketua_rt(world.rt_id, NEW_KETUA_NIK, "Rahmat Hidayat", "081298765432", date(2025, 8, 30), ADMIN)
    assert a.get_rt(world.rt_id).ketua.nik == NEW_KETUA_NIK


def test_a_copy_changed_by_a_command_that_was_then_refused_is_not_kept(a, world):
    given_a_keeps(a, world.activity_id)
    before = a.get_activity(world.activity_id).version
    with pytest.raises(InvalidValue):  # the rows are applied in turn: Ahmad joins the copy, then a bad NIK
        a.join_participants(world.activity_id, [(AHMAD, "Ahmad Fauzi", "resident"), ("1234", "Nama", "resident")],
                            KETUA)

    a.join_participant(world.activity_id, RINA, "Rina Putri", "resident", KETUA)

    activity = a.get_activity(world.activity_id)
    assert activity.version == before + 1 and RINA in activity.participants and AHMAD not in activity.participants


@pytest.mark.parametrize("value", ["-1", "many", "1.5"])
def test_a_cache_size_that_is_not_a_whole_number_is_refused_at_start(store_env, clock, value):
    with pytest.raises(InvalidValue, match="KAMPUNG_COMMAND_CACHE"):
        KampungBahagia(env={**store_env, "KAMPUNG_COMMAND_CACHE": value}, clock=clock)
