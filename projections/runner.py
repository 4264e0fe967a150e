"""The one runner that moves read models along the notification log.

It pages through the log (a polling catch-up: the library's live runner does not work on
SQLite), applies a page of events to a read model and stores the new position in the same
transaction. A crash anywhere in a page rolls the page back; the next run starts from the
last committed position, so every event is applied exactly once.
"""

import threading
from datetime import datetime
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any, Protocol

from sqlalchemy import Connection, Engine, MetaData, Table, text

from projections import tracking
from projections.engine import DDL_LOCK
from projections.readmodel import ReadModel, Rows, UndecodableEvent


class EventLog(Protocol):
    def select_notifications(
        self, start: int | None, limit: int, stop: int | None = None, topics: Sequence[str] = ()
    ) -> Sequence[Any]: ...

    def max_notification_id(self) -> int | None: ...


class EventMapper(Protocol):
    def to_domain_event(self, stored: Any) -> Any: ...


class ProjectionRunner:
    def __init__(
        self,
        engine: Engine,
        log: EventLog,
        mapper: EventMapper,
        models: Sequence[ReadModel],
        page_size: int = 5000,
        until: datetime | None = None,
    ):
        self.engine = engine
        self.log = log
        self.mapper = mapper
        self.models = {model.name: model for model in models}
        self.page_size = page_size
        # Only events recorded at or before ``until`` are applied: the "as of" replays.
        self.until = until
        self._schemas: dict[tuple[str, int], tuple[MetaData, dict[str, Table]]] = {}
        # One catch-up at a time in this process: the requests and the follower thread that want
        # the read models current queue here, not for SQLite's write lock (whose busy handler backs
        # off and times out), and a waiter whose position was covered meanwhile has nothing to do.
        self._catching_up = threading.Lock()
        self._covered = 0  # every read model has applied the log at least this far

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
        """Create the tracking tables and generation 1 of every read model not yet set up."""
        with self._changing_tables() as connection:
            tracking.metadata.create_all(connection)
            for name in self.models:
                if tracking.current_generation(connection, name) is None:
                    self._schema(name, 1)[0].create_all(connection)
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
    def _writing(self) -> Iterator[Connection]:
        with self.engine.connect().execution_options(immediate=True) as connection, connection.begin():
            yield connection

    @contextmanager
    def reading(self, name: str) -> Iterator[tuple[Connection, dict[str, Table]]]:
        """A consistent read of the model's current generation."""
        with self.engine.connect() as connection, connection.begin():
            generation = tracking.current_generation(connection, name)
            if generation is None:
                raise LookupError(f"read model {name} is not set up")
            yield connection, self.tables(name, generation)

    # --- applying events --------------------------------------------------------------

    def _apply_page(self, connection: Connection, name: str, generation: int, stop: int | None) -> tuple[int, bool]:
        """Apply the next page of events after the stored position; returns (applied, more to do)."""
        position = tracking.locked_position(connection, name, generation)
        if position is None:
            # A rebuild swapped generations while we waited for the lock: go round again.
            return 0, True
        head = stop if stop is not None else (self.log.max_notification_id() or 0)
        if position >= head:
            return 0, False
        return self._apply(connection, name, generation, self._page(name, position, head), head)

    def _page(self, name: str, position: int, head: int) -> Sequence[Any]:
        return self.log.select_notifications(
            start=position + 1, limit=self.page_size, stop=head, topics=self.models[name].topics
        )

    def _apply(
        self, connection: Connection, name: str, generation: int, notifications: Sequence[Any], head: int
    ) -> tuple[int, bool]:
        """Apply a page of events read after the stored position and advance it; (applied, more to do)."""
        model = self.models[name]
        rows = Rows(connection, self.tables(name, generation))
        events = []
        wanted: dict[str, set[tuple]] = {}
        for notification in notifications:
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
        more = len(notifications) == self.page_size
        tracking.advance(connection, name, generation, notifications[-1].id if more else head)
        return len(notifications), more

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

    def catch_up_with_log(self) -> None:
        """Return once every read model has applied the log as far as its head is now
        (read-your-writes). Concurrent callers share one catch-up that covers them all instead
        of each taking the write lock in turn."""
        position = self.log.max_notification_id() or 0
        with self._catching_up:
            if self._covered < position:
                self._catch_up(None, None)

    def _catch_up(self, names: Sequence[str] | None, stop: int | None) -> int:
        head = stop if stop is not None else (self.log.max_notification_id() or 0)
        applied = sum(self._catch_up_model(name, head) for name in names or list(self.models))
        if names is None:
            self._covered = max(self._covered, head)
        return applied

    def _catch_up_model(self, name: str, head: int) -> int:
        """Each page is read from the log BEFORE the write transaction opens: on SQLite, reading the
        log while holding the write lock would wait for the event recorder's connection pool, whose
        queue a request waiting for its writer (and so for this lock) may hold: a deadlock until
        one side times out. A position moved meanwhile by another process sends us round again."""
        applied = 0
        while True:
            # A plain read: a model already at the head needs no write transaction at all.
            with self.engine.connect() as connection:
                generation = tracking.current_generation(connection, name)
                if generation is None:
                    raise LookupError(f"read model {name} is not set up")
                position = tracking.position(connection, name, generation)
            if position >= head:
                return applied
            notifications = self._page(name, position, head)
            with self._writing() as connection:
                if tracking.locked_position(connection, name, generation) != position:
                    continue
                count, _ = self._apply(connection, name, generation, notifications, head)
            applied += count

    def run_forever(self, stop: threading.Event, poll_interval: float = 0.5) -> None:
        """Follow the log until ``stop`` is set: a long-running worker."""
        while not stop.is_set():
            if not self.catch_up():
                stop.wait(poll_interval)

    # --- operating --------------------------------------------------------------------

    def status(self) -> list[tracking.Status]:
        head = self.log.max_notification_id() or 0
        result = []
        with self.engine.connect() as connection:
            for name in self.models:
                generation = tracking.current_generation(connection, name) or 0
                result.append(tracking.Status(name, generation, tracking.position(connection, name, generation), head))
        return result

    def rebuild(self, name: str) -> tracking.Status:
        """Rebuild from position 0 into fresh tables and swap them in only when caught up,
        so readers never see a half-built model; the old generation's tables are then dropped."""
        with self.engine.connect() as connection:
            old = tracking.current_generation(connection, name)
        if old is None:
            raise LookupError(f"read model {name} is not set up")
        new = old + 1
        with self._changing_tables() as connection:
            metadata = self._schema(name, new)[0]
            metadata.drop_all(connection)  # leftovers of an interrupted rebuild
            metadata.create_all(connection)
            tracking.start_generation(connection, name, new)
        more = True
        while more:
            with self._writing() as connection:
                _, more = self._apply_page(connection, name, new, None)
        with self._writing() as connection:
            # Holding the live generation's position lock keeps live workers out while the
            # last events are applied and the new tables become the current ones.
            tracking.locked_position(connection, name, old)
            more = True
            while more:
                _, more = self._apply_page(connection, name, new, None)
            self.models[name].accept_rebuild(connection, self.tables(name, old), self.tables(name, new))
            tracking.swap_to(connection, name, new)
            connection.execute(
                tracking.positions.delete().where(
                    tracking.positions.c.name == name, tracking.positions.c.generation == old
                )
            )
        with self._changing_tables() as connection:
            self._schema(name, old)[0].drop_all(connection)
        return next(status for status in self.status() if status.name == name)
