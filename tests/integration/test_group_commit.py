"""Commands of one process that save at the same moment share one transaction (group commit): every
command's events are stored exactly once, each caller gets its own outcome, and a conflict refuses
only the command it belongs to."""

import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from uuid import UUID

import pytest

from domain.errors import ConcurrencyConflict
from application.service import KampungBahagia
from domain.activity import Activity
from domain.errors import ParticipantAlreadyJoined
from domain.period import Period
from tests.integration.conftest import ADMIN, AHMAD, KETUA, launched_rt

THREADS = 12
PERIOD = Period(date(2025, 9, 1), date(2025, 9, 30))
HOLD_LIMIT = 60  # seconds a held write waits for the others to queue before the test gives up


def nik(serial: int) -> str:
    return f"15710141079{serial + 10:05d}"


@pytest.fixture
def without_window(store_env, clock) -> Iterator[KampungBahagia]:
    """The application writing whatever is queued at once (no window), for writes a test holds."""
    service = KampungBahagia(env={**store_env, "KAMPUNG_GROUP_COMMIT_MS": "0"}, clock=clock)
    yield service
    service.close()


def planned(app: KampungBahagia, count: int = THREADS) -> list[UUID]:
    rt_id = launched_rt(app)
    return [app.plan_activity(rt_id, f"Kerja bakti {k}", "cleaning", "Jl. Sipin", 10_000_000, PERIOD, ADMIN)
            for k in range(count)]


def at_once(work: Callable[[int], object], count: int = THREADS) -> list[object]:
    """``work(k)`` for each k in its own thread, all released together; each outcome, value or error."""
    start = threading.Barrier(count)

    def run(k: int) -> object:
        start.wait()
        try:
            return work(k)
        except Exception as error:  # noqa: BLE001 - the outcome under test
            return error

    with ThreadPoolExecutor(count) as pool:
        return list(pool.map(run, range(count)))


def hold_first_write(app: KampungBahagia, others: int) -> tuple[list[int], threading.Event]:
    """Hold the store's first write until ``others`` commands have queued theirs. Returns the number of
    events of each write, and an event set once the first write has begun."""
    writes: list[int] = []
    begun = threading.Event()
    insert = app.recorder.insert_events

    def held(stored_events, **kwargs):
        writes.append(len(stored_events))
        if len(writes) == 1:
            begun.set()
            deadline = time.monotonic() + HOLD_LIMIT
            while len(app._group_commit._queue) < others and time.monotonic() < deadline:
                time.sleep(0.001)
        return insert(stored_events, **kwargs)

    app.recorder.insert_events = held
    return writes, begun


def test_concurrent_commands_are_each_stored_once_and_each_caller_gets_its_own_result(app):
    rt_id = launched_rt(app)

    def plan_and_join(k: int) -> tuple[UUID, Activity]:
        activity_id = app.plan_activity(rt_id, f"Kerja bakti {k}", "cleaning", "Jl. Sipin", 10_000_000, PERIOD,
                                        ADMIN)
        app.join_participant(activity_id, nik(k), f"Warga {k}", "resident", KETUA)
        return activity_id, app.get_activity(activity_id)  # what the caller reads right after its command

    outcomes = at_once(plan_and_join)

    for k, (activity_id, activity) in enumerate(outcomes):
        assert activity_id == Activity.create_id(rt_id, f"Kerja bakti {k}", PERIOD)
        assert activity.title == f"Kerja bakti {k}" and list(activity.participants) == [nik(k)]
    log = app.recorder.select_notifications(start=1, limit=10_000)
    joined = [n for n in log if n.topic.endswith("ParticipantJoined")]
    assert len(joined) == THREADS
    assert len({(n.originator_id, n.originator_version) for n in log}) == len(log)


def test_commands_queued_while_a_write_is_under_way_are_written_together(without_window):
    app = without_window
    activities = planned(app)
    writes, _ = hold_first_write(app, THREADS - 1)

    at_once(lambda k: app.join_participant(activities[k], nik(k), f"Warga {k}", "resident", KETUA))

    assert writes == [1, THREADS - 1]  # one event each: the held one, then all the others in one transaction
    assert all(nik(k) in app.get_activity(activities[k]).participants for k in range(THREADS))


def test_a_conflict_in_a_group_refuses_that_command_alone(without_window, clock):
    app = without_window
    activities = planned(app)
    stale = app.repository.get(activities[0])
    app.join_participant(activities[0], AHMAD, "Ahmad Fauzi", "resident", KETUA)  # after the stale copy was read
    writes, begun = hold_first_write(app, THREADS - 1)

    def work(k: int) -> object:
        if k == 0:  # queued behind the held write, in the group; its next version is taken
            begun.wait(HOLD_LIMIT)
            stale.join_participant(nik(0), "Warga 0", "resident", clock.now(), KETUA)
            return app._save(stale)
        return app.join_participant(activities[k], nik(k), f"Warga {k}", "resident", KETUA)

    outcomes = at_once(work)

    assert isinstance(outcomes[0], ConcurrencyConflict)
    assert outcomes[1:] == [None] * (THREADS - 1)
    assert writes == [1, THREADS - 1] + [1] * (THREADS - 1)  # the held one; the group refused; each alone
    assert list(app.get_activity(activities[0]).participants) == [AHMAD]
    assert all(list(app.get_activity(activities[k]).participants) == [nik(k)] for k in range(1, THREADS))


def test_a_refusal_in_one_command_leaves_the_others_alone(app):
    activities = planned(app)
    app.join_participant(activities[0], nik(0), "Warga 0", "resident", KETUA)

    outcomes = at_once(lambda k: app.join_participant(activities[k], nik(k), f"Warga {k}", "resident", KETUA))

    assert isinstance(outcomes[0], ParticipantAlreadyJoined)
    assert outcomes[1:] == [None] * (THREADS - 1)
    assert all(list(app.get_activity(activities[k]).participants) == [nik(k)] for k in range(THREADS))


def test_many_commands_racing_on_one_aggregate_each_land_once_or_are_refused(app):
    activity_id = planned(app, 1)[0]
    before = app.get_activity(activity_id).version

    outcomes = at_once(lambda k: app.join_participant(activity_id, nik(k), f"Warga {k}", "resident", KETUA))

    assert all(outcome is None or isinstance(outcome, ConcurrencyConflict) for outcome in outcomes), outcomes
    joined = {nik(k) for k, outcome in enumerate(outcomes) if outcome is None}
    activity = app.get_activity(activity_id)
    assert joined and set(activity.participants) == joined
    assert activity.version == before + len(joined)
    versions = [event.originator_version for event in app.events.get(activity_id)]
    assert versions == list(range(1, activity.version + 1))


def test_each_caller_is_told_the_positions_of_its_own_events(without_window):
    app = without_window
    activities = planned(app)
    hold_first_write(app, THREADS - 1)  # so that most of them share one transaction

    def join(k: int) -> list:
        activity = app.repository.get(activities[k])
        activity.join_participant(nik(k), f"Warga {k}", "resident", app.clock.now(), KETUA)
        return app._save(activity)

    for k, recordings in enumerate(at_once(join)):
        [recording] = recordings
        [stored] = app.recorder.select_notifications(start=recording.notification.id, limit=1)
        assert stored.originator_id == activities[k] and recording.domain_event.nik == nik(k)
        assert app.recorder.max_notification_id() >= recording.notification.id
