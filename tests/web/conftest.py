"""Web test fixtures: a Flask test client over the SQLite application, signed in or not, and one
with CSRF protection on, as a browser meets it."""

import time

import pytest

from interfaces.app import create_app
from interfaces.web.actor import SESSION_KEY, SIGNED_IN_AT
from tests.accounts import account
from tests.integration.conftest import ADMIN, COVER, KETUA, KETUA_NIK, SITI, World, launched_rt


@pytest.fixture
def flask_app(app_sqlite):
    # CSRF is switched off for most tests; the `browser` fixture has it on.
    return create_app({"TESTING": True, "WTF_CSRF_ENABLED": False, "KAMPUNG_APP": app_sqlite,
                       "SECRET_KEY": "test"})


@pytest.fixture
def client(flask_app):
    return flask_app.test_client()


@pytest.fixture
def browser(app_sqlite):
    """A client of an app with CSRF protection on, as in production: a form must send the token its page carries."""
    return create_app({"TESTING": True, "KAMPUNG_APP": app_sqlite, "SECRET_KEY": "test"}).test_client()


def sign_in(client, user_id: str = "petugas.klaim.1", role: str = "claim_officer", rt_code: str | None = None) -> None:
    """Signed in as the account ``user_id`` (registered if new; a Ketua RT leads RT 005 unless told
    otherwise): the session holds what signing in puts there. Signing in through the form is
    specified in test_sign_in.py."""
    user_id = account(client.application.extensions["kampung"], user_id, role, rt_code)
    with client.session_transaction() as session:
        session[SESSION_KEY], session[SIGNED_IN_AT] = str(user_id), int(time.time())


@pytest.fixture
def signed_in(client):
    sign_in(client, "admin.dpmppa", "admin")
    return client


def follow(client) -> None:
    """What the server's follower thread does: bring the read models up to the log's head."""
    client.application.extensions["kampung.readmodels"].catch_up()


def head(app) -> int:
    """The position of the last event stored: unchanged when a refused command wrote nothing."""
    return app.recorder.max_notification_id() or 0


@pytest.fixture
def web_world(app_sqlite, client) -> World:
    """The integration tests' world (RT 005 Simpang IV Sipin launched, a drainage activity with task
    letter ST/001/RT-005/IX/2025 covering September 2025, Siti Aminah joined), visible to the web."""
    rt_id = launched_rt(app_sqlite)
    activity_id = app_sqlite.plan_activity(
        rt_id, "Gotong royong pembersihan drainase", "drainage", "Jl. Sipin Ujung", 50_000_000, COVER, ADMIN
    )
    app_sqlite.issue_task_letter(activity_id, "ST/001/RT-005/IX/2025", COVER.start, COVER, KETUA_NIK, KETUA)
    app_sqlite.join_participant(activity_id, SITI, "Siti Aminah", "resident", KETUA)
    follow(client)
    return World(rt_id=rt_id, activity_id=activity_id)
