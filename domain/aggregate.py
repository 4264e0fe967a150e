"""The base of the project's aggregates: events take their recorded time from the caller's
clock when one is set (the demo and tests place history in time), else from the system."""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime, timezone

from eventsourcing.domain import Aggregate as LibraryAggregate

_clock: ContextVar[Callable[[], datetime] | None] = ContextVar("kampung_event_clock", default=None)


@contextmanager
def recording_with(now: Callable[[], datetime]) -> Iterator[None]:
    """Events created inside this block are timestamped by ``now``."""
    token = _clock.set(now)
    try:
        yield
    finally:
        _clock.reset(token)


class Aggregate(LibraryAggregate):
    class Event(LibraryAggregate.Event):
        @staticmethod
        def create_timestamp() -> datetime:
            now = _clock.get()
            return now().astimezone(timezone.utc) if now else datetime.now(timezone.utc)
