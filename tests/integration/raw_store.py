"""Reaching into the event store's table behind the application's back, as an intruder or a broken
disk would: SQLite's ``stored_events`` (position = rowid) or PostgreSQL's ``kampungbahagia_events``."""

import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from datetime import date
from typing import Any
from uuid import UUID

import psycopg

from tests.integration.conftest import ADMIN, KETUA_NIK

PG_TABLE = "kampungbahagia_events"


@contextmanager
def raw(env: dict[str, str]) -> Iterator[tuple[Any, str, str]]:
    """A committing DB-API connection, the events table and its position column."""
    if env["PERSISTENCE_MODULE"] == "eventsourcing.sqlite":
        with closing(sqlite3.connect(env["SQLITE_DBNAME"])) as connection, connection:
            yield connection, "stored_events", "rowid"
        return
    with psycopg.connect(
        dbname=env["POSTGRES_DBNAME"], host=env["POSTGRES_HOST"], port=env["POSTGRES_PORT"],
        user=env["POSTGRES_USER"], options=f"-csearch_path={env['POSTGRES_SCHEMA']}",
    ) as connection:
        yield connection, PG_TABLE, "notification_id"


def mark(env: dict[str, str]) -> str:
    return "?" if env["PERSISTENCE_MODULE"] == "eventsourcing.sqlite" else "%s"


def states(env: dict[str, str]) -> list[bytes]:
    with raw(env) as (connection, table, position):
        return [bytes(row[0]) for row in connection.execute(f"SELECT state FROM {table} ORDER BY {position}")]


def replace_in_state(env: dict[str, str], at: int, old: bytes, new: bytes) -> None:
    with raw(env) as (connection, table, position):
        state = bytes(next(iter(connection.execute(f"SELECT state FROM {table} WHERE {position} = {at}")))[0])
        assert old in state
        connection.execute(f"UPDATE {table} SET state = {mark(env)} WHERE {position} = {at}",
                           (state.replace(old, new),))


def set_state(env: dict[str, str], at: int, sql_value: str) -> None:
    """The state column at ``at`` set to an SQL expression: ``NULL``, or a text literal (which SQLite
    keeps as TEXT, while PostgreSQL's bytea takes its bytes)."""
    with raw(env) as (connection, table, position):
        connection.execute(f"UPDATE {table} SET state = {sql_value} WHERE {position} = {at}")


def delete(env: dict[str, str], at: int) -> None:
    with raw(env) as (connection, table, position):
        connection.execute(f"DELETE FROM {table} WHERE {position} = {at}")


def insert_copy(env: dict[str, str], of: int, at: int, originator_id: UUID) -> None:
    """A copy of the event at ``of``, as another aggregate's first event, at position ``at``."""
    with raw(env) as (connection, table, position):
        topic, state = next(iter(connection.execute(f"SELECT topic, state FROM {table} WHERE {position} = {of}")))
        value = str(originator_id) if env["PERSISTENCE_MODULE"] == "eventsourcing.sqlite" else originator_id
        connection.execute(
            f"INSERT INTO {table} ({position}, originator_id, originator_version, topic, state) "
            f"VALUES ({', '.join([mark(env)] * 5)})", (at, value, 1, topic, state),
        )


def appointed_rts(app: Any, count: int = 3) -> list[UUID]:
    """RTs registered with their Ketua RT appointed (Budi Santoso, NIK ``KETUA_NIK``): the admin's own
    steps, two events each."""
    rt_ids = []
    for number in range(1, count + 1):
        rt_id = app.register_rt("15.71.01.1001", number, ADMIN)
        app.appoint_ketua_rt(rt_id, KETUA_NIK, "Budi Santoso", "081234567890", date(2025, 7, 1), ADMIN)
        rt_ids.append(rt_id)
    return rt_ids
