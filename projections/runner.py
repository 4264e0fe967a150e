"""The one runner that moves read models along the notification log.

It pages through the log (a polling catch-up: the library's live runner does not work on
SQLite), applies a page of events to a read model and stores the new position in the same
transaction. A crash anywhere in a page rolls the page back; the next run starts from the
last committed position, so every event is applied exactly once. A page that fails is applied
again event by event, and the event that fails is retried, then parked (``projections.parking``):
the model goes on with the next event.
"""

import gc
import logging
import threading
import time
from datetime import datetime
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Connection, Engine, MetaData, Table, text

from projections import parking, tracking
from projections.engine import DDL_LOCK
from projections.readmodel import ProjectionError, ReadModel, Rows, UndecodableEvent
from projections.rebuild import Rebuilding
from projections.retry import RetryPolicy
from projections.eventlog import EventLog, EventMapper

log = logging.getLogger(__name__)




class ProjectionRunner(Rebuilding):
    def __init__(
        self,
        engine: Engine,
        log: EventLog,
        mapper: EventMapper,
        models: Sequence[ReadModel],
        page_size: int = 5000,
        until: datetime | None = None,
        retry: RetryPolicy = parking.POLICY,
        rebuild_page_size: int = 20_000,
    ):
        self.engine = engine
        self.log = log
        self.mapper = mapper
        self.models = {model.name: model for model in models}
        self.page_size = page_size
        self.rebuild_page_size = rebuild_page_size
        # Only events recorded at or before ``until`` are applied: the "as of" replays.
        self.until = until
        self.retry = retry
        self._schemas: dict[tuple[str, int], tuple[MetaData, dict[str, Table]]] = {}
        # One catch-up at a time in this process: the requests and the follower thread that want
        # the read models current queue here, not for SQLite's write lock (whose busy handler backs
        # off and times out), and a waiter whose position was covered meanwhile has nothing to do.
        self._catching_up = threading.Lock()
        self._covered = 0  # every read model has applied the log at least this far
        self._parked = 0  # events this runner has parked

    # --- tables -----------------------------------------------------------------------

    def _schema(self, name: str, generation: int) -> tuple[MetaData, dict[str, Table]]:
        key = (name, generation)
        if key not in self._schemas:
            metadata = MetaData()
            self._schemas[key] = (metadata, self.models[name].define(metadata, f"{name}_g{generation}_"))
        return self._schemas[key]

    def tables(self, name: str, generation: int) -> dict[str, Table]:
        return self._schema(name, generation)[1]

    def setup(self) -> None:
        """Create the tracking tables and generation 1 of every read model not yet set up, and
        the tables a newer version added to a model in its current generation."""
        with self._changing_tables() as connection:
            tracking.metadata.create_all(connection)
            parking.metadata.create_all(connection)
            for name in self.models:
                generation = tracking.current_generation(connection, name)
                self._schema(name, generation or 1)[0].create_all(connection)
                if generation is None:
                    tracking.start_generation(connection, name, 1)
                    tracking.swap_to(connection, name, 1)

    @contextmanager
    def _changing_tables(self) -> Iterator[Connection]:
        """A transaction for creating or dropping tables, one process at a time: concurrent
        CREATE TABLEs clash on PostgreSQL, so they queue on an advisory lock (SQLite's
        IMMEDIATE transaction already queues them)."""
        with self._writing() as connection:
            if connection.dialect.name == "postgresql":
                connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": DDL_LOCK})
            yield connection

    @contextmanager
    def _writing(self, durable: bool = True) -> Iterator[Connection]:
        """A write transaction; not ``durable``: on PostgreSQL its commit does not wait for the
        write-ahead log to reach the disk (a crash may lose it whole, never in part)."""
        with self.engine.connect().execution_options(immediate=True) as connection, connection.begin():
            if not durable and connection.dialect.name == "postgresql":
                connection.exec_driver_sql("SET LOCAL synchronous_commit = off")
            yield connection

    @contextmanager
    def reading(self, name: str) -> Iterator[tuple[Connection, dict[str, Table]]]:
        """A consistent read of the model's current generation."""
        with self.engine.connect() as connection, connection.begin():
            yield connection, self.tables(name, tracking.current(connection, name))

    # --- applying events --------------------------------------------------------------

    def _page(self, name: str, position: int, head: int, limit: int) -> Sequence[Any]:
        return self.log.select_notifications(
            start=position + 1, limit=limit, stop=head, topics=self.models[name].topics
        )

    @staticmethod
    def _end(notifications: Sequence[Any], head: int, limit: int) -> int:
        """The position a page of at most ``limit`` events read up to ``head`` takes the model to."""
        return notifications[-1].id if len(notifications) == limit else head

    def _apply(self, connection: Connection, name: str, generation: int, notifications: Sequence[Any]) -> int:
        """Apply events, in log order, to the model's tables (the caller moves the position). An
        event of an aggregate with an earlier event parked is parked behind it instead: returns
        how many were."""
        model = self.models[name]
        rows = Rows(connection, self.tables(name, generation))
        first_parked = parking.first_parked(connection, name, generation) if model.in_order else {}
        events, behind_parked = [], 0
        wanted: dict[str, set[tuple]] = {}
        for notification in notifications:
            position = notification.id
            if first_parked and (behind := first_parked.get(str(notification.originator_id), position)) < position:
                parking.park_behind(connection, name, generation, notification, behind)
                behind_parked += 1
                continue
            event = self._decode(notification)
            if self.until is None or event.timestamp <= self.until:
                events.append((event, notification))
                for table, key in model.reads(event):
                    wanted.setdefault(table, set()).add(key)
        for table, keys in wanted.items():
            rows.prefetch(table, keys)
        for event, notification in events:
            model.apply_stored(event, notification, rows)
        rows.flush()
        return behind_parked

    def _decode(self, notification: Any) -> Any:
        try:
            return self.mapper.to_domain_event(notification)
        except ValueError:
            # Damaged, changed behind the application's back, or encrypted with another key.
            raise UndecodableEvent(
                f"the stored event at position {notification.id} cannot be decoded: run kampung audit verify"
            ) from None

    def catch_up(self, names: Sequence[str] | None = None, stop: int | None = None) -> int:
        """Bring read models up to the log's head (or to ``stop``); returns events applied."""
        with self._catching_up:
            return self._catch_up(names, stop)

    def catch_up_with_log(self) -> bool:
        """Return once every read model has applied the log as far as its head is now
        (read-your-writes). Concurrent callers share one catch-up that covers them all instead
        of each taking the write lock in turn. False when an event was parked meanwhile: the
        read models may not show what the caller wrote."""
        position = self.log.max_notification_id() or 0
        parked = self._parked
        with self._catching_up:
            if self._covered < position:
                self._catch_up(None, None)
        return self._parked == parked

    def _catch_up(self, names: Sequence[str] | None, stop: int | None) -> int:
        head = stop if stop is not None else (self.log.max_notification_id() or 0)
        applied = sum(self._follow(name, head) for name in names or list(self.models))
        if names is None:
            self._covered = max(self._covered, head)
        return applied

    def _follow(
        self, name: str, head: int, generation: int | None = None, progress: Callable[[int], None] | None = None,
    ) -> int:
        """Apply the model's events up to ``head`` to ``generation`` (default: the current one);
        returns events applied; ``progress`` is told the position reached before each page and at the end.
        A generation named is one being rebuilt, read by no one yet: it goes in big pages
        (``_limit``), committed without waiting for the disk (a crash restarts a rebuild).

        Each page is read from the log BEFORE the write transaction opens: on SQLite, reading the
        log while holding the write lock would wait for the event recorder's connection pool, whose
        queue a request waiting for its writer (and so for this lock) may hold: a deadlock until
        one side times out. A position moved meanwhile by another process sends us round again."""
        applied = 0
        rebuilding = generation is not None
        while True:
            # A plain read: a model already at the head needs no write transaction at all.
            with self.engine.connect() as connection:
                target = generation if generation is not None else tracking.current(connection, name)
                position = tracking.position(connection, name, target)
            if progress is not None:
                progress(position)
            if position >= head:
                return applied
            limit = self._limit(head - position, rebuilding)
            with _collection_deferred():
                notifications = self._page(name, position, head, limit)
                end = self._end(notifications, head, limit)
                applying = False
                try:
                    with self._writing(durable=not rebuilding) as connection:
                        if tracking.locked_position(connection, name, target) != position:
                            continue
                        applying = bool(notifications)
                        behind = self._apply(connection, name, target, notifications)
                        tracking.advance(connection, name, target, end)
                    applied += len(notifications) - behind
                    self._parked += behind
                except Exception:
                    if not applying:  # the database itself failed (a lock not granted): not an event's doing
                        raise
                    applied += self._one_by_one(name, target, position, notifications, end)

    def _limit(self, lag: int, rebuilding: bool) -> int:
        """Events in the next page. A rebuild, or a model far behind (new, or a worker back after a
        while), goes in big pages on PostgreSQL, where a page's transaction locks only the model's
        own position; on SQLite it holds the file's one write lock, which writing requests wait for."""
        big = self.engine.dialect.name == "postgresql" and (rebuilding or lag >= self.rebuild_page_size)
        return self.rebuild_page_size if big else self.page_size

    def _one_by_one(self, name: str, generation: int, position: int, notifications: Sequence[Any], end: int) -> int:
        """Apply a page that failed event by event until one is parked (the next page goes fast
        again); returns events applied."""
        for index, notification in enumerate(notifications):
            to = notification.id if index < len(notifications) - 1 else end
            outcome = self._apply_or_park(name, generation, position, notification, to)
            if outcome != APPLIED:
                return index
            position = to
        return len(notifications)

    def _apply_or_park(self, name: str, generation: int, position: int, notification: Any, to: int) -> str:
        """Apply one event and move the position to ``to``, retrying with backoff; if it still
        fails, park it and move the position all the same. MOVED: another worker moved it first."""
        failures = 0
        while True:
            applying = False
            try:
                with self._writing() as connection:
                    if tracking.locked_position(connection, name, generation) != position:
                        return MOVED
                    applying = True
                    behind = self._apply(connection, name, generation, [notification])
                    tracking.advance(connection, name, generation, to)
                self._parked += behind
                return APPLIED
            except Exception as error:
                if not applying:
                    raise
                failures, failure = failures + 1, error  # whatever the cause: projections.parking
            if failures >= self.retry.max_failures:
                break
            time.sleep(self.retry.delay(failures).total_seconds())
        with self._writing() as connection:
            if tracking.locked_position(connection, name, generation) != position:
                return MOVED
            parking.park(connection, name, generation, notification, failure, failures)
            rows = Rows(connection, self.tables(name, generation))
            self.models[name].parked(notification, rows)
            rows.flush()
            tracking.advance(connection, name, generation, to)
        self._parked += 1
        log.warning("read model %s parked the event at position %d after %d attempts: %s",
                    name, notification.id, failures, parking.describe(failure))
        return PARKED

    def run_forever(self, stop: threading.Event, poll_interval: float = 0.5) -> None:
        """Follow the log until ``stop`` is set: a long-running worker."""
        while not stop.is_set():
            if not self.catch_up():
                stop.wait(poll_interval)

    # --- parked events ----------------------------------------------------------------

    def parked(self, name: str) -> list[parking.Parked]:
        """The events the model's current generation parked, in position order."""
        with self.engine.connect() as connection:
            return parking.parked_events(connection, name, tracking.current(connection, name))

    def replay_parked(self, name: str) -> tuple[int, int]:
        """Apply the model's parked events again, in position order (after a fix); those that
        apply now leave the parked table, and an aggregate's events stay behind its first one that
        still fails. Returns (replayed, still parked)."""
        model, waiting = self.models[name], self.parked(name)
        replayed, held = 0, set()  # held: aggregates with an event still parked
        for event in waiting:
            if model.in_order and event.aggregate_id in held:
                continue
            with self.engine.connect() as connection:
                generation = tracking.current(connection, name)
            notifications = self.log.select_notifications(
                start=event.position, limit=1, stop=event.position, topics=model.topics)
            try:
                with self._writing() as connection:
                    # The position's lock queues us with the workers moving this model along.
                    tracking.locked_position(connection, name, generation)
                    if not notifications:
                        raise ProjectionError(f"the event at position {event.position} is no longer in the log")
                    self._apply(connection, name, generation, notifications)
                    parking.unpark(connection, name, generation, event.position)
                replayed += 1
            except Exception as error:  # it stays parked, with this failure
                held.add(event.aggregate_id)
                with self._writing() as connection:
                    parking.failed_again(connection, name, generation, event.position, error)
                log.warning("read model %s could not apply the parked event at position %d: %s",
                            name, event.position, parking.describe(error))
        return replayed, len(waiting) - replayed

    # --- operating --------------------------------------------------------------------

    def status(self) -> list[tracking.Status]:
        head = self.log.max_notification_id() or 0
        result = []
        with self.engine.connect() as connection:
            for name in self.models:
                generation = tracking.current_generation(connection, name) or 0
                result.append(tracking.Status(
                    name, generation, tracking.position(connection, name, generation), head,
                    parking.count(connection, name, generation),
                ))
        return result


APPLIED, PARKED, MOVED = "applied", "parked", "moved"


@contextmanager
def _collection_deferred() -> Iterator[None]:
    """Python's cycle collector held off while a page is applied. A page makes tens of thousands of
    objects that live until its end and hold no cycles (notifications, events, rows): left on, the
    collector keeps scanning them, and every older object with them, for nothing: about a quarter of
    a rebuild's CPU time (``bench/README.md``). It runs again, as configured, after the page."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()

