"""The group-commit writer's window: a command alone never waits for it; a write waits for the commands
of the process that are still computing, and takes them along. On the library's in-memory store."""

import threading

import pytest
from eventsourcing.application import Application
from eventsourcing.domain import Aggregate, event
from eventsourcing.persistence import OperationalError

from application.group_commit import GroupCommit, window_of
from domain.errors import InvalidValue

LONG = 60.0  # seconds: a window no write in these tests reaches; they end as soon as the others queue


class Counter(Aggregate):
    @event("Counted")
    def count(self) -> None:
        pass


@pytest.fixture
def store() -> Application:
    return Application(env={"PERSISTENCE_MODULE": "eventsourcing.popo"})


def writer(store: Application, window: float | None) -> tuple[GroupCommit, list[int], list[float | None]]:
    """A writer on ``store``, the number of events of each write, and the timeouts it waited with."""
    group = GroupCommit(store.mapper, store.recorder, window)
    writes: list[int] = []
    insert = store.recorder.insert_events
    store.recorder.insert_events = lambda stored, **kwargs: writes.append(len(stored)) or insert(stored, **kwargs)
    waits: list[float | None] = []
    wait = group._changed.wait
    group._changed.wait = lambda timeout=None: waits.append(timeout) or wait(timeout)
    return group, writes, waits


def events() -> list:
    counter = Counter()
    counter.count()
    return counter.collect_events()


def test_a_command_alone_writes_at_once_without_waiting_for_the_window(store):
    group, writes, waits = writer(store, LONG)
    with group.command():
        recordings = group.record(events())
    assert writes == [2] and waits == []
    assert [recording.notification.id for recording in recordings] == [1, 2]


def test_a_write_waits_for_a_command_still_computing_and_takes_it_along(store):
    group, writes, _ = writer(store, LONG)
    computing, outcome = threading.Event(), {}

    def other() -> None:
        with group.command():
            computing.set()
            while not group._writing:  # until the first command's write is waiting for this one
                threading.Event().wait(0.001)
            outcome["other"] = group.record(events())

    thread = threading.Thread(target=other)
    thread.start()
    computing.wait()
    with group.command():
        outcome["first"] = group.record(events())
    thread.join()

    assert writes == [4]  # both commands' events in one transaction
    assert {r.notification.id for r in outcome["first"]} | {r.notification.id for r in outcome["other"]} == {1, 2, 3, 4}


def test_a_command_that_ends_without_saving_is_not_waited_for(store):
    group, writes, _ = writer(store, LONG)
    computing, refused = threading.Event(), threading.Event()

    def refused_command() -> None:
        with group.command():
            computing.set()
            while not group._writing:
                threading.Event().wait(0.001)
        refused.set()  # it ended (a rule refused it) without queueing anything

    thread = threading.Thread(target=refused_command)
    thread.start()
    computing.wait()
    with group.command():
        group.record(events())
    thread.join()
    assert refused.is_set() and writes == [2]


def test_a_failure_of_the_store_is_each_members_and_saves_nothing(store):
    group, _, _ = writer(store, None)

    def unreachable(stored, **kwargs):
        raise OperationalError("connection refused")

    store.recorder.insert_events = unreachable
    with pytest.raises(OperationalError):
        group.record(events())
    assert store.recorder.max_notification_id() is None


@pytest.mark.parametrize(("value", "seconds"), [("", 0.002), ("0", 0.0), ("5", 0.005), ("2.5", 0.0025), ("off", None),
                                                 (" OFF ", None), ("100", 0.1)])
def test_the_window_is_read_in_milliseconds(value, seconds):
    assert window_of({"KAMPUNG_GROUP_COMMIT_MS": value}) == seconds


@pytest.mark.parametrize("value", ["-1", "101", "soon", "nan"])
def test_a_window_out_of_range_is_refused(value):
    with pytest.raises(InvalidValue, match="KAMPUNG_GROUP_COMMIT_MS"):
        window_of({"KAMPUNG_GROUP_COMMIT_MS": value})
