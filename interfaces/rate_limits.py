"""Where sign-in attempts and refused API tokens are counted: by default a table of the read models'
database (``rate_limits``), so every worker process and every server of a deployment counts
together — a guesser gains nothing by being spread over them, nor by a restart.

A ``limits`` storage (the library under flask-limiter), registered as ``readmodels://`` and given the
engine as its ``engine`` option; it keeps the fixed windows flask-limiter counts in (its default
strategy): one row per key with its count and when its window ends. An increment is one atomic
upsert, so concurrent attempts on any number of connections are all counted. Windows that ended are
deleted now and then; the servers' clocks are those of one deployment, kept in sync (NTP).
``$KAMPUNG_RATELIMIT_STORAGE`` names another storage instead (``redis://…``, ``memory://``).
"""

import threading
import time
from typing import Any

from limits.storage import Storage
from sqlalchemy import Column, Engine, Float, Integer, MetaData, String, Table, case, delete, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import SQLAlchemyError

from projections.engine import create_tables

SCHEME = "readmodels"
URI = f"{SCHEME}://"
SWEEP_EVERY = 60.0  # seconds between deletions of ended windows, per process

metadata = MetaData()
counters = Table(
    "rate_limits",
    metadata,
    Column("limit_key", String(255), primary_key=True),
    Column("hits", Integer, nullable=False),
    Column("expires_at", Float, nullable=False),  # unix seconds: when the window ends
)

_UPSERTS = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}


class ReadModelStorage(Storage):
    STORAGE_SCHEME = [SCHEME]

    def __init__(self, uri: str | None = None, wrap_exceptions: bool = False, engine: Engine | None = None,
                 **options: Any):
        if engine is None:
            raise ValueError("the readmodels:// rate-limit storage needs the read models' engine")
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)
        self.engine = engine
        self._upsert = _UPSERTS[engine.dialect.name]
        self._next_sweep = 0.0
        self._sweeping = threading.Lock()
        create_tables(engine, metadata)

    @property
    def base_exceptions(self) -> type[Exception]:
        return SQLAlchemyError

    def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        """Count ``amount`` more in ``key``'s window (a new one of ``expiry`` seconds if the last ended)."""
        now = time.time()
        ended = counters.c.expires_at <= now
        statement = self._upsert(counters).values(limit_key=key, hits=amount, expires_at=now + expiry)
        statement = statement.on_conflict_do_update(index_elements=[counters.c.limit_key], set_={
            "hits": case((ended, amount), else_=counters.c.hits + amount),
            "expires_at": case((ended, now + expiry), else_=counters.c.expires_at),
        }).returning(counters.c.hits)
        with self.engine.begin() as connection:
            count = connection.execute(statement).scalar_one()
        self._sweep(now)
        return count

    def get(self, key: str) -> int:
        with self.engine.connect() as connection:
            count = connection.execute(
                select(counters.c.hits).where(counters.c.limit_key == key, counters.c.expires_at > time.time())
            ).scalar()
        return count or 0

    def get_expiry(self, key: str) -> float:
        with self.engine.connect() as connection:
            expires_at = connection.execute(select(counters.c.expires_at).where(counters.c.limit_key == key)).scalar()
        return expires_at if expires_at is not None else time.time()

    def check(self) -> bool:
        try:
            with self.engine.connect() as connection:
                connection.execute(select(1))
        except SQLAlchemyError:
            return False
        return True

    def reset(self) -> int | None:
        with self.engine.begin() as connection:
            return connection.execute(delete(counters)).rowcount

    def clear(self, key: str) -> None:
        with self.engine.begin() as connection:
            connection.execute(delete(counters).where(counters.c.limit_key == key))

    def _sweep(self, now: float) -> None:
        """Delete ended windows (keys of guessed user names would otherwise pile up), once a minute."""
        if now < self._next_sweep or not self._sweeping.acquire(blocking=False):
            return
        try:
            self._next_sweep = now + SWEEP_EVERY
            with self.engine.begin() as connection:
                connection.execute(delete(counters).where(counters.c.expires_at <= now))
        finally:
            self._sweeping.release()
