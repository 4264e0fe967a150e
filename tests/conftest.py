"""Shared fixtures: the application on SQLite and on the real PostgreSQL server.

PostgreSQL tests never skip: if the server is down they fail, so CI proves the production store.
Each test session gets a fresh database, each test its own schema in it. Under pytest-xdist each worker
is a session of its own: its own database (named after the worker) and its own ``tmp_path`` folders.
"""

import os
import uuid
from collections.abc import Iterator
from datetime import datetime

import psycopg
import pytest
from flask import Flask
from jinja2 import BytecodeCache
from jinja2.bccache import Bucket

from application.accounts import Accounts
from application.clock import FixedClock
from application.config import postgres_env
from application.service import KampungBahagia
from domain.period import JAKARTA
from tests.accounts import CHEAP_HASHER

ADMIN_URL = os.environ.get("KAMPUNG_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")


def _admin_connection(dbname: str | None = None) -> psycopg.Connection:
    url = ADMIN_URL if dbname is None else ADMIN_URL.rsplit("/", 1)[0] + "/" + dbname
    return psycopg.connect(url, autocommit=True, connect_timeout=5)


@pytest.fixture(scope="session")
def postgres_database() -> Iterator[str]:
    """A fresh database for this test session; its URL without a schema."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    name = f"kampung_test_{worker}_{uuid.uuid4().hex[:10]}"
    with _admin_connection() as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield ADMIN_URL.rsplit("/", 1)[0] + "/" + name
    finally:
        with _admin_connection() as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def postgres_url(postgres_database: str) -> Iterator[str]:
    """``DATABASE_URL`` for one test: a schema of its own in the session's database."""
    schema = f"t_{uuid.uuid4().hex[:12]}"
    dbname = postgres_database.rsplit("/", 1)[1]
    with _admin_connection(dbname) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    yield f"{postgres_database}?schema={schema}"
    with _admin_connection(dbname) as conn:
        conn.execute(f'DROP SCHEMA "{schema}" CASCADE')


class CompiledTemplates(BytecodeCache):
    """Jinja's compiled templates, kept for the whole test process: each test builds a Flask app of its
    own, whose template cache starts empty, and compiling the templates was a third of a web test's
    time. A template whose source changed is compiled afresh (the bucket's checksum differs)."""

    def __init__(self) -> None:
        self._codes: dict[str, tuple[str, object]] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        checksum, code = self._codes.get(bucket.key, (None, None))
        if checksum == bucket.checksum:
            bucket.code = code

    def dump_bytecode(self, bucket: Bucket) -> None:
        self._codes[bucket.key] = (bucket.checksum, bucket.code)


@pytest.fixture(scope="session", autouse=True)
def compiled_templates() -> Iterator[None]:
    """Every app of the session compiles each template once (every app's Jinja options are alike)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Flask, "jinja_options", {**Flask.jinja_options, "bytecode_cache": CompiledTemplates()})
        yield


@pytest.fixture(autouse=True)
def cheap_password_hashing(monkeypatch) -> None:
    """Passwords hashed in this process cost microseconds (servers run as subprocesses keep the default)."""
    monkeypatch.setattr(Accounts, "password_hasher", CHEAP_HASHER)


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(datetime(2025, 9, 1, 8, 0, tzinfo=JAKARTA))


@pytest.fixture
def sqlite_env(tmp_path) -> dict[str, str]:
    return {"PERSISTENCE_MODULE": "eventsourcing.sqlite", "SQLITE_DBNAME": str(tmp_path / "events.sqlite"),
            "CREATE_TABLE": "y"}


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def store_env(request, tmp_path) -> dict[str, str]:
    """The eventsourcing environment of each store the application must work on."""
    if request.param == "sqlite":
        return request.getfixturevalue("sqlite_env")
    return {**postgres_env(request.getfixturevalue("postgres_url")), "CREATE_TABLE": "y"}


@pytest.fixture
def app(store_env, clock) -> Iterator[KampungBahagia]:
    service = KampungBahagia(env=store_env, clock=clock)
    yield service
    service.close()


@pytest.fixture
def app_sqlite(sqlite_env, clock) -> Iterator[KampungBahagia]:
    service = KampungBahagia(env=sqlite_env, clock=clock)
    yield service
    service.close()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def store(request, tmp_path, clock):
    """For tests that run ``kampung`` in a subprocess: the environment variables selecting a store
    (as an operator sets them), and a service writing to that store."""
    if request.param == "sqlite":
        variables = {"KAMPUNG_DATA_DIR": str(tmp_path)}
        env = {"PERSISTENCE_MODULE": "eventsourcing.sqlite", "SQLITE_DBNAME": str(tmp_path / "kampung.sqlite")}
    else:
        url = request.getfixturevalue("postgres_url")
        variables = {"DATABASE_URL": url}
        env = postgres_env(url)
    service = KampungBahagia(env={**env, "CREATE_TABLE": "y"}, clock=clock)
    yield variables, service
    service.close()
