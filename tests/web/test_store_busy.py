"""When SQLite's write lock stays taken longer than the store waits for it, a command is refused
with 503 and Retry-After — a page in Bahasa Indonesia with the form kept, or a problem document on
the API — and nothing of it is recorded, so sending it again is safe."""

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from tests.accounts import api_token, bearer
from tests.integration.conftest import AHMAD
from tests.web.conftest import head


@pytest.fixture
def sqlite_env(tmp_path) -> dict[str, str]:
    # The store waits one second for the lock instead of five.
    return {"PERSISTENCE_MODULE": "eventsourcing.sqlite", "SQLITE_DBNAME": str(tmp_path / "events.sqlite"),
            "CREATE_TABLE": "y", "SQLITE_LOCK_TIMEOUT": "1"}


@contextmanager
def write_lock_held(app) -> Iterator[None]:
    """Another process's long write transaction on the same file."""
    other = sqlite3.connect(app.env["SQLITE_DBNAME"], isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        yield
    finally:
        other.rollback()
        other.close()


def test_a_form_sent_while_the_store_is_locked_comes_back_with_503_and_can_be_sent_again(
    signed_in, app_sqlite, web_world
):
    path = f"/activities/{web_world.activity_id}/participants/new"
    form = {"nik": AHMAD, "name": "Ahmad Fauzi", "role": "phl"}
    before = head(app_sqlite)
    with write_lock_held(app_sqlite):
        busy = signed_in.post(path, data=form)
    html = busy.get_data(as_text=True)
    assert busy.status_code == 503 and busy.headers["Retry-After"].isdigit()
    assert "Server sedang sibuk" in html and "Ahmad Fauzi" in html  # the input is kept for sending again
    assert head(app_sqlite) == before
    assert signed_in.post(path, data=form).status_code in (302, 303)
    assert AHMAD in app_sqlite.get_activity(web_world.activity_id).participants


def test_an_api_command_sent_while_the_store_is_locked_is_a_503_problem(client, app_sqlite, web_world):
    headers = bearer(api_token(app_sqlite, "sistem.desa", "admin"))
    path = f"/api/v1/activities/{web_world.activity_id}/participants"
    before = head(app_sqlite)
    with write_lock_held(app_sqlite):
        busy = client.post(path, json={"nik": AHMAD, "name": "Ahmad Fauzi", "role": "phl"}, headers=headers)
    assert busy.status_code == 503 and busy.headers["Retry-After"].isdigit()
    assert busy.mimetype == "application/problem+json"
    assert busy.get_json()["type"] == "urn:kampung-bahagia:error:StoreBusy"
    assert head(app_sqlite) == before
