"""Accounts are nobody's business outside: their events (domain.user) are in the log and the audit
trail, but never in the event feed, its stream, its catalogue or a webhook."""

import json

from domain.user import User
from tests.accounts import OPERATOR, api_token
from tests.feed.feed_support import ACTOR, feed_api, full_history, read_all  # noqa: F401 (feed_api: a fixture)
from tests.feed.webhook_support import (  # noqa: F401 - receiver and _dispose_engines are fixtures
    _dispose_engines, receiver, store_of, worker_of,
)
from tests.integration.conftest import ADMIN


def accounts_between_history(app, clock) -> None:
    """An account with a token, disabled, between two parts of the history."""
    app.register_user("petugas.baru", "claim_officer", "kata-sandi-panjang", OPERATOR)
    app.issue_token("petugas.baru", ["read"], OPERATOR)
    full_history(app, clock)
    app.disable_user("petugas.baru", "Pindah tugas", OPERATOR)


def test_the_feed_skips_account_events_and_the_catalogue_lists_none(feed_api, app_sqlite, clock):
    accounts_between_history(app_sqlite, clock)
    events = read_all(app_sqlite)
    assert events and not any(".user." in event["type"] for event in events)
    assert [event["position"] for event in events][0] == 3  # after the account and its token

    body = feed_api.get("/events", {"aggregate": str(User.create_id("petugas.baru"))}).get_json()
    assert body["items"] == []
    catalogue = feed_api.get("/event-types").get_json()
    assert not any(entry["aggregate"] == "User" for entry in catalogue["items"])
    page = feed_api.get("/events", {"type": "UserRegistered"})
    assert page.status_code == 422  # not a type of the catalogue


def test_the_stream_skips_account_events(feed_api, app_sqlite, clock):
    accounts_between_history(app_sqlite, clock)
    response = feed_api.client.get("/api/v1/events/stream", headers=feed_api.headers(ACTOR), buffered=False)
    chunks = iter(response.response)
    next(chunks)  # the opening "retry"
    text = next(chunks).decode()
    response.close()
    assert "domain.user" not in text and ".user." not in text and "UserRegistered" not in text


def test_a_webhook_for_every_type_is_sent_no_account_event(app_sqlite, clock, receiver):
    store = store_of(app_sqlite)
    store.create(receiver.url(), [], ADMIN, head=0)
    api_token(app_sqlite, "sistem.bpjs", "integrator")
    app_sqlite.register_rt("15.71.01.1001", 5, ADMIN)

    worker_of(app_sqlite, store).deliver_due()
    assert [json.loads(received.body)["type"].split(".")[-2] for received in receiver.received] == ["RTRegistered"]
