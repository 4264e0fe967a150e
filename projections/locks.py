"""One process at a time holds a name: a webhook subscription while a worker delivers it, a stream
while the relay publishes to it.

- PostgreSQL: a session advisory lock (a space per kind of name, a key per name) on a connection of
  its own; the server drops it when that connection ends, so a dead holder drops its locks.
- SQLite: an exclusive ``flock`` on a file per name in a folder beside the database, which the
  kernel releases when the holder dies (the lock belongs to the open file, so two threads of one
  process exclude each other too).
- An in-memory database lives in one process: a set of held names will do.

``hold(name)`` is a context manager giving a ``Hold``, true if this process now holds the name.
A long holder asks ``Hold.lost()`` before each piece of work: on PostgreSQL the lock goes with its
connection, which a server restart or a cut network can end under the holder.
"""

import fcntl
import os
import threading
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from sqlalchemy import Engine, text
from sqlalchemy.exc import SQLAlchemyError


def _always() -> bool:
    return True


@dataclass(frozen=True)
class Hold:
    held: bool
    alive: Callable[[], bool] = _always  # is the lock still ours?

    def __bool__(self) -> bool:
        return self.held

    def lost(self) -> bool:
        return not self.held or not self.alive()


class Locks(Protocol):
    def hold(self, name: str) -> Any:
        """A context manager giving a true ``Hold`` if this process now holds ``name``, a false
        one if another process does."""


class AdvisoryLocks:
    """PostgreSQL: a session advisory lock per name, on a connection of its own."""

    def __init__(self, engine: Engine, space: int):
        self.engine = engine
        self.space = space

    @contextmanager
    def hold(self, name: str) -> Iterator[Hold]:
        keys = {"space": self.space, "key": _lock_key(name)}
        with self.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            if not connection.execute(text("SELECT pg_try_advisory_lock(:space, :key)"), keys).scalar():
                yield Hold(False)
                return

            def alive() -> bool:
                # The lock lives as long as this session: a live connection still holds it.
                try:
                    connection.execute(text("SELECT 1"))
                except SQLAlchemyError:
                    return False
                return True

            try:
                yield Hold(True, alive)
            finally:
                try:
                    connection.execute(text("SELECT pg_advisory_unlock(:space, :key)"), keys)
                except SQLAlchemyError:
                    pass  # the connection is gone, and the lock with it


class FileLocks:
    """SQLite: an exclusive ``flock`` on a file per name in ``directory``."""

    def __init__(self, directory: Path):
        self.directory = directory

    @contextmanager
    def hold(self, name: str) -> Iterator[Hold]:
        self.directory.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.directory / f"{name}.lock", os.O_RDWR | os.O_CREAT, 0o600)
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                held = True
            except BlockingIOError:
                held = False
            yield Hold(held)
        finally:
            os.close(fd)  # releases the lock


class ThreadLocks:
    """An in-memory database: the names held in this process."""

    def __init__(self) -> None:
        self._mutex = threading.Lock()
        self._held: set[str] = set()

    @contextmanager
    def hold(self, name: str) -> Iterator[Hold]:
        with self._mutex:
            held = name not in self._held
            self._held.add(name)
        try:
            yield Hold(held)
        finally:
            if held:
                with self._mutex:
                    self._held.discard(name)


def locks_for(engine: Engine, space: int, folder_suffix: str) -> Locks:
    """The locks of the database behind ``engine``: advisory locks in ``space`` on PostgreSQL, files
    in ``<database>.<folder_suffix>`` beside an SQLite file."""
    if engine.dialect.name == "postgresql":
        return AdvisoryLocks(engine, space)
    database = engine.url.database
    if not database or database == ":memory:":
        return ThreadLocks()
    return FileLocks(Path(f"{database}.{folder_suffix}"))


def _lock_key(name: str) -> int:
    # A signed 32-bit key; two names sharing one would merely wait for each other.
    return zlib.crc32(name.encode()) - 2**31
