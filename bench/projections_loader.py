"""A fast loader of a generated year into a PostgreSQL store, for ``make bench-scale``.

It writes the stored events ``app.save`` would write, byte for byte: the year simulated by the
domain's own methods (``bench/projections_sim.py``), each batch's pending events collected in the
library's order (``ProcessingEvent``), turned into stored events by the application's own mapper
(its topics, its transcoder's state bytes, and the compressor or cipher the store is configured
with), numbered in that order and sent into the library's events table by ``COPY`` instead of the
library's insert per save; the notification id sequence is moved past them at the end. The
snapshots table is left as it is: snapshots are a cache the application fills as it saves
aggregates, and no read model reads them. ``tests/integration/test_bench_loader.py`` checks the log
against ``app.save``'s.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from eventsourcing.application import ProcessingEvent  # noqa: E402
from eventsourcing.postgres import PostgresApplicationRecorder  # noqa: E402
from psycopg import Connection, sql  # noqa: E402

from application.service import KampungBahagia  # noqa: E402
from bench.projections_sim import Generated, generate  # noqa: E402

COLUMNS = ("originator_id", "originator_version", "topic", "state", "notification_id")


class CopyLoader:
    """The ``save`` of a simulation (``Simulation.save``) that COPYs each batch into the events table
    over ``connection``, in one transaction for the whole load (``finish`` commits it)."""

    def __init__(self, app: KampungBahagia, connection: Connection[Any]):
        recorder = app.recorder
        self.mapper = app.mapper
        self.connection = connection
        self.cursor = connection.cursor()
        self.table = sql.Identifier(recorder.datastore.schema, recorder.events_table_name)
        self.next_id = (recorder.max_notification_id() or 0) + 1
        self.copy_sql = sql.SQL("COPY {} ({}) FROM STDIN").format(
            self.table, sql.SQL(", ").join(map(sql.Identifier, COLUMNS)))

    def __call__(self, aggregates: list[Any]) -> None:
        batch = ProcessingEvent()
        batch.collect_events(*aggregates)
        to_stored_event, position = self.mapper.to_stored_event, self.next_id
        with self.cursor.copy(self.copy_sql) as copy:
            for event in batch.events:
                stored = to_stored_event(event)
                copy.write_row((stored.originator_id, stored.originator_version, stored.topic, stored.state, position))
                position += 1
        self.next_id = position

    def finish(self) -> None:
        """Commit, with the notification ids' sequence moved past the events loaded (the next
        ``app.save`` numbers its events after them)."""
        self.cursor.execute(
            sql.SQL("SELECT setval(pg_get_serial_sequence({}, 'notification_id'), %s)").format(
                sql.Literal(self.table.as_string(self.connection))),
            [self.next_id - 1],
        )
        self.connection.commit()


def load(app: KampungBahagia, target_events: int, n_rts: int, progress: bool = True) -> Generated:
    """The year of ``bench/projections_sim.generate``, written by COPY (``Generated.save_seconds``:
    the mapping and copying)."""
    recorder = app.recorder
    if not isinstance(recorder, PostgresApplicationRecorder):
        raise SystemExit("the COPY loader writes a PostgreSQL store")
    with recorder.datastore.get_connection() as connection:
        loader = CopyLoader(app, connection)
        return generate(app, target_events, n_rts, save=loader, saved=loader.finish, progress=progress)
