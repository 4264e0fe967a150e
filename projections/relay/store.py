"""Where the relay is: per stream, the position in the event log up to which JetStream holds the
events, and the relay's last error. One SQL table in the read-model database (the SQLite file of
the events, or PostgreSQL), created idempotently by the relay at start; read by ``/healthz``.

The position only moves forward, and only after JetStream has acknowledged the events up to it
(``projections/relay/publisher.py``).
"""

import os
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from sqlalchemy import BigInteger, Column, Connection, Engine, MetaData, String, Table, Text, inspect, select, text, update

from projections.relay.settings import configured_stream
from projections.columns import Moment
from projections.runner import DDL_LOCK

MAX_ERROR = 500

metadata = MetaData()

relay_positions = Table(
    "relay_positions",
    metadata,
    Column("stream", String(64), primary_key=True),
    Column("position", BigInteger, nullable=False),
    Column("published_at", Moment, nullable=True),  # when the position last moved
    Column("leader", String(200), nullable=True),  # host and process of the relay that leads (or last led)
    Column("leading_since", Moment, nullable=True),
    Column("connected_at", Moment, nullable=True),  # when the leader last connected to NATS and read the stream
    Column("last_error", Text, nullable=True),
    Column("last_error_at", Moment, nullable=True),
)


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def this_process() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


@dataclass(frozen=True)
class RelayStatus:
    stream: str
    position: int
    head: int
    published_at: datetime | None
    leader: str | None
    leading_since: datetime | None
    connected_at: datetime | None
    last_error: str | None
    last_error_at: datetime | None

    @property
    def lag(self) -> int:
        """Events in the log the stream does not hold yet (accounts' events, never relayed, count
        until the relay has read past them)."""
        return max(self.head - self.position, 0)

    @property
    def failing(self) -> bool:
        """The relay's last error came after its last connection and its last publication: it is retrying."""
        if self.last_error_at is None:
            return False
        return all(moment is None or self.last_error_at > moment for moment in (self.published_at, self.connected_at))

    def as_dict(self) -> dict[str, Any]:
        def moment(value: datetime | None) -> str | None:
            return None if value is None else value.isoformat()

        return {
            "stream": self.stream, "position": self.position, "lag": self.lag, "failing": self.failing,
            "published_at": moment(self.published_at), "leader": self.leader,
            "leading_since": moment(self.leading_since), "connected_at": moment(self.connected_at),
            "last_error": self.last_error,
            "last_error_at": moment(self.last_error_at),
        }


class RelayStore:
    def __init__(self, engine: Engine):
        self.engine = engine

    def setup(self) -> "RelayStore":
        """Create the table if it is missing (concurrent starts queue on the read models' DDL lock
        on PostgreSQL, on the write lock on SQLite)."""
        with self._writing() as connection:
            if connection.dialect.name == "postgresql":
                connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": DDL_LOCK})
            metadata.create_all(connection)
        return self

    @contextmanager
    def _writing(self) -> Iterator[Connection]:
        with self.engine.connect().execution_options(immediate=True) as connection, connection.begin():
            yield connection

    def lead(self, stream: str, leader: str, moment: datetime | None = None) -> int:
        """This relay leads ``stream`` from now on: recorded, and the position it starts from
        (0 for a new stream: every event of the log)."""
        moment = moment or utcnow()
        c = relay_positions.c
        with self._writing() as connection:
            found = connection.execute(select(c.position).where(c.stream == stream).with_for_update()).first()
            if found is None:
                connection.execute(relay_positions.insert().values(
                    stream=stream, position=0, leader=leader, leading_since=moment,
                ))
                return 0
            connection.execute(update(relay_positions).where(c.stream == stream).values(
                leader=leader, leading_since=moment,
            ))
            return found.position

    def position(self, stream: str) -> int:
        with self.engine.connect() as connection:
            return connection.execute(
                select(relay_positions.c.position).where(relay_positions.c.stream == stream)
            ).scalar() or 0

    def connected(self, stream: str, moment: datetime | None = None) -> None:
        with self._writing() as connection:
            connection.execute(update(relay_positions).where(relay_positions.c.stream == stream).values(
                connected_at=moment or utcnow(),
            ))

    def advance(self, stream: str, position: int, moment: datetime | None = None) -> None:
        """JetStream holds every event up to ``position``; never moves the position back."""
        c = relay_positions.c
        with self._writing() as connection:
            connection.execute(
                update(relay_positions).where(c.stream == stream, c.position < position)
                .values(position=position, published_at=moment or utcnow())
            )

    def record_error(self, stream: str, error: str, moment: datetime | None = None) -> None:
        with self._writing() as connection:
            connection.execute(update(relay_positions).where(relay_positions.c.stream == stream).values(
                last_error=error[:MAX_ERROR], last_error_at=moment or utcnow(),
            ))

    def status(self, stream: str, head: int) -> RelayStatus | None:
        """The relay's status for ``stream`` (None if no relay has ever led it)."""
        if not inspect(self.engine).has_table(relay_positions.name):
            return None
        with self.engine.connect() as connection:
            row = connection.execute(
                select(relay_positions).where(relay_positions.c.stream == stream)
            ).mappings().first()
        if row is None:
            return None
        return RelayStatus(head=head, **row)


def relay_status(engine: Engine, head: int) -> RelayStatus | None:
    """The relay of the configured stream (``$KAMPUNG_RELAY_STREAM``): its position, lag and last
    error (the read-models page); None where no relay has run."""
    return RelayStore(engine).status(configured_stream(), head)


def relay_health(engine: Engine, head: int) -> dict[str, Any] | None:
    """What ``/healthz`` shows under ``relay``."""
    status = relay_status(engine, head)
    return None if status is None else status.as_dict()
