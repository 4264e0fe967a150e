"""Rebuilding a read model: every event applied again into a new generation of its tables beside the
live one, swapped in only when caught up, the old generation then dropped. Readers never see a
half-built model; events the new generation cannot apply are parked there, as in any catch-up.

A rebuild is a bulk load into empty tables and goes like one: the tables are created with their
primary keys only, filled in big pages (``ProjectionRunner._limit``) whose commits do not wait
for the disk (a crash restarts the rebuild), then indexed and analysed: building an index
over a full table is one sort, far cheaper than keeping it in order row by row. The steps are
separate so that ``projections.parallel`` can build several models at once, one process each, and
swap each in when all are built.
"""

from collections.abc import Callable, Iterator
from typing import Any

from sqlalchemy import Connection, Engine, Table
from sqlalchemy.schema import CreateIndex, CreateTable

from projections import parking, tracking
from projections.readmodel import ReadModel

# Memory for sorting an index build on PostgreSQL (its default, 64 MB, spills a million rows to disk).
INDEX_MEMORY = "256MB"


class Rebuilding:
    """The rebuild steps of ``ProjectionRunner``, over its tables, transactions and paging."""

    engine: Engine
    log: Any
    models: dict[str, ReadModel]

    def rebuild(self, name: str, progress: Callable[[int], None] | None = None) -> tracking.Status:
        """Rebuild the model from position 0 into a new generation, swapped in when caught up;
        ``progress`` is told the new generation's position as pages are applied."""
        old, new = self.prepare_rebuild(name)
        try:
            self.build(name, new, progress)
        except Exception:
            self.discard(name, new)
            raise
        return self.swap_in(name, old, new)

    def prepare_rebuild(self, name: str) -> tuple[int, int]:
        """An empty new generation of the model's tables, without their secondary indexes, at
        position 0: returns (the current generation, the new one)."""
        with self.engine.connect() as connection:
            old = tracking.current(connection, name)
        new = old + 1
        with self._changing_tables() as connection:
            metadata = self._schema(name, new)[0]
            metadata.drop_all(connection)  # leftovers of an interrupted rebuild
            for table in metadata.sorted_tables:
                connection.execute(CreateTable(table))
            tracking.start_generation(connection, name, new)
            parking.forget(connection, name, new)
        return old, new

    def build(self, name: str, generation: int, progress: Callable[[int], None] | None = None) -> int:
        """Apply the log, as far as its head is now, to a generation being rebuilt, then index and
        analyse its tables; returns the events applied."""
        applied = self.catch_up_generation(name, generation, progress)
        tables = list(self._schema(name, generation)[0].sorted_tables)
        with self._writing() as connection:
            if connection.dialect.name == "postgresql":
                connection.exec_driver_sql(f"SET LOCAL maintenance_work_mem = '{INDEX_MEMORY}'")
            for index in _indexes(tables):
                connection.execute(CreateIndex(index))
            for table in tables:
                connection.exec_driver_sql(f"ANALYZE {connection.dialect.identifier_preparer.format_table(table)}")
        return applied

    def catch_up_generation(self, name: str, generation: int, progress: Callable[[int], None] | None = None) -> int:
        """Apply the events recorded so far to a generation being rebuilt; returns events applied."""
        return self._follow(name, self.log.max_notification_id() or 0, generation, progress)

    def swap_in(self, name: str, old: int, new: int) -> tracking.Status:
        """Apply the events recorded since ``new`` was built and make it the current generation, in
        one transaction holding the live generation's position lock (live workers wait meanwhile);
        then drop generation ``old``. An event that fails there is parked outside the lock first.
        Refused (``ReadModel.accept_rebuild``) or failed, generation ``new`` is dropped."""
        try:
            while True:
                with self._writing() as connection:
                    tracking.locked_position(connection, name, old)
                    if self._applied_to_head(connection, name, new):
                        self.models[name].accept_rebuild(connection, self.tables(name, old), self.tables(name, new))
                        tracking.swap_to(connection, name, new)
                        connection.execute(
                            tracking.positions.delete().where(
                                tracking.positions.c.name == name, tracking.positions.c.generation == old
                            )
                        )
                        parking.forget(connection, name, old)
                        break
                self.catch_up_generation(name, new)
        except Exception:
            self.discard(name, new)
            raise
        with self._changing_tables() as connection:
            self._schema(name, old)[0].drop_all(connection)
        return next(status for status in self.status() if status.name == name)

    def discard(self, name: str, generation: int) -> None:
        """Drop a generation that will not be swapped in (its build failed or was refused)."""
        with self._changing_tables() as connection:
            self._schema(name, generation)[0].drop_all(connection)
            connection.execute(
                tracking.positions.delete().where(
                    tracking.positions.c.name == name, tracking.positions.c.generation == generation
                )
            )
            parking.forget(connection, name, generation)

    def _applied_to_head(self, connection: Connection, name: str, generation: int) -> bool:
        """Apply the events recorded since, read while holding the lock, in a savepoint; False
        (nothing applied) if one fails."""
        try:
            with connection.begin_nested():
                while (position := tracking.position(connection, name, generation)) < (
                        head := self.log.max_notification_id() or 0):
                    limit = self._limit(head - position, True)
                    notifications = self._page(name, position, head, limit)
                    self._apply(connection, name, generation, notifications)
                    tracking.advance(connection, name, generation, self._end(notifications, head, limit))
        except Exception:  # the caller applies them one by one, parking what fails
            return False
        return True


def _indexes(tables: list[Table]) -> Iterator[Any]:
    for table in tables:
        yield from sorted(table.indexes, key=lambda index: index.name or "")
