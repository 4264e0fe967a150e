"""The stores the benchmarks run on: the ``--store`` and ``--pg-url`` options, a scratch
PostgreSQL database dropped however the run ends, fresh stores handed out and removed, and a run
on each store chosen, where a failing store is reported and the next one still runs."""

from __future__ import annotations

import argparse
import contextlib
import os
import secrets
import signal
import sys
import tempfile
import traceback
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from application.config import store_env

STORES = ("sqlite", "postgres")
DEFAULT_PG_URL = "postgresql://postgres@127.0.0.1:5432/test"  # where scratch databases are created


def add_store_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--store", choices=(*STORES, "both"), default="both")
    parser.add_argument("--pg-url", default=os.environ.get("BENCH_PG_URL", DEFAULT_PG_URL),
                        help="PostgreSQL server and database to create scratch databases from "
                             "(default $BENCH_PG_URL or %(default)s)")


def scratch_database(stack: contextlib.ExitStack, pg_url: str, name: str) -> str:
    """Creates the database ``name`` on the server of ``pg_url``, dropped when ``stack`` closes;
    returns its URL."""
    import psycopg

    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')

    def drop() -> None:
        with psycopg.connect(pg_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    stack.callback(drop)
    return urlunsplit(urlsplit(pg_url)._replace(path="/" + name))


class Stores:
    """Hands out fresh store environments and removes them all on close (also on error)."""

    def __init__(self, stack: contextlib.ExitStack, pg_url: str):
        self.stack = stack
        self.pg_url = pg_url
        self.count = 0
        self.tag = f"{os.getpid()}_{secrets.token_hex(3)}"

    def fresh(self, store: str, **settings: str) -> dict[str, str]:
        """The eventsourcing environment of a fresh store, with ``settings`` (``KAMPUNG_*`` variables)."""
        return {**store_env(self.fresh_variables(store)), **settings}

    def fresh_variables(self, store: str) -> dict[str, str]:
        """The variables an operator sets to use a fresh store (``KAMPUNG_DATA_DIR`` or ``DATABASE_URL``)."""
        self.count += 1
        if store == "sqlite":
            return {"KAMPUNG_DATA_DIR": self.stack.enter_context(tempfile.TemporaryDirectory(prefix="bench_"))}
        return {"DATABASE_URL": scratch_database(self.stack, self.pg_url, f"bench_cmd_{self.tag}_{self.count}")}

    def open(self, cls: type, env: dict[str, str], **kwargs: Any) -> Any:
        app = cls(env=env, **kwargs)
        self.stack.callback(app.close)  # closed before its store is removed (the stack unwinds in reverse)
        return app


def run_each_store(store: str, run: Callable[[str], None]) -> int:
    """``run`` on each store of the ``--store`` option; the exit status: 1 if any failed."""
    signal.signal(signal.SIGTERM, _terminate)
    failed = False
    for kind in STORES if store == "both" else (store,):
        try:
            run(kind)
        except Exception:
            failed = True
            print(f"\n== {kind}: FAILED ==", file=sys.stderr)
            traceback.print_exc()
    return 1 if failed else 0


def _terminate(signum: int, frame: Any) -> None:
    raise SystemExit(128 + signum)  # unwinds the cleanup stack
