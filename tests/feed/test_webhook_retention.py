"""Delivery records do not pile up: those older than the retention (``KAMPUNG_WEBHOOK_RETENTION_DAYS``,
30 days by default) are deleted by ``kampung webhooks purge`` and hourly by a running worker, except
the attempts at events a subscription has not delivered yet (on SQLite and PostgreSQL)."""

import subprocess
import threading
import time
from datetime import datetime, timedelta, timezone

import pytest

from domain.errors import InvalidValue
from projections.webhooks.retention import Purgeable, purge, purgeable, retention_days
from projections.webhooks.store import Attempt, RetryPolicy, WebhookStore
from tests.e2e.test_cli import KAMPUNG
from tests.feed.webhook_support import ADMIN, _dispose_engines, store_of, worker_of  # noqa: F401 - a fixture

NOW = datetime.now(timezone.utc)
OLD = NOW - timedelta(days=40)
RECENT = NOW - timedelta(days=1)


def attempt(store: WebhookStore, subscription_id: str, position: int, ok: bool, when: datetime) -> None:
    done = Attempt(position, f"x/{position}", "RTRegistered", 1, ok, 204 if ok else 500, None if ok else "HTTP 500",
                   3, when)
    store.record(subscription_id, store.get(subscription_id)["position"], done, RetryPolicy(), when)


def history(store: WebhookStore) -> tuple[str, str]:
    """A subscription that delivered events 1–5 40 days ago and 6 yesterday, and one that delivered
    1–2 and has failed at 3 ever since."""
    delivered, _ = store.create("https://mitra.example/a", [], ADMIN, head=0)
    failing, _ = store.create("https://mitra.example/b", [], ADMIN, head=0)
    for position in range(1, 6):
        attempt(store, delivered["id"], position, True, OLD)
    attempt(store, delivered["id"], 6, True, RECENT)
    for position in (1, 2):
        attempt(store, failing["id"], position, True, OLD)
    for when in (OLD, OLD + timedelta(hours=1), RECENT):
        attempt(store, failing["id"], 3, False, when)
    return delivered["id"], failing["id"]


def positions(store: WebhookStore, subscription_id: str) -> list[int]:
    return [row["position"] for row in store.deliveries(subscription_id, limit=None).rows]


def test_old_records_go_in_batches_and_those_of_an_event_still_failing_stay(app):
    store = store_of(app)
    delivered, failing = history(store)
    cutoff = NOW - timedelta(days=30)
    assert purgeable(store.engine, cutoff) == Purgeable(deleted=7, kept=2)

    assert list(purge(store.engine, cutoff, batch=3)) == [3, 3, 1]

    assert positions(store, delivered) == [6]
    assert positions(store, failing) == [3, 3, 3]  # why it is failing, however old
    assert purgeable(store.engine, cutoff) == Purgeable(deleted=0, kept=2)
    store.redeliver(failing, 4, head=10)  # an operator skips the event: its attempts may go now
    assert sum(purge(store.engine, cutoff)) == 2 and positions(store, failing) == [3]


def test_a_running_worker_purges_at_start_and_hourly(app_sqlite):
    store = store_of(app_sqlite)
    delivered, _ = history(store)
    stop = threading.Event()
    worker = worker_of(app_sqlite, store, retention=timedelta(days=30))
    thread = threading.Thread(target=worker.run_forever, args=(stop, 0.05))
    thread.start()
    try:
        deadline = time.monotonic() + 30
        while positions(store, delivered) != [6] and time.monotonic() < deadline:
            time.sleep(0.05)
        assert positions(store, delivered) == [6]
    finally:
        stop.set()
        thread.join(10)


def test_the_setting_is_whole_days():
    assert retention_days({}) == 30 and retention_days({"KAMPUNG_WEBHOOK_RETENTION_DAYS": "7"}) == 7
    for wrong in ("0", "-3", "tiga puluh", "1.5"):
        with pytest.raises(InvalidValue):
            retention_days({"KAMPUNG_WEBHOOK_RETENTION_DAYS": wrong})


def purge_command(variables: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(KAMPUNG), "webhooks", "purge", *args], capture_output=True, text=True, timeout=120,
                          env={"PATH": "/usr/bin:/bin", **variables})


def test_kampung_webhooks_purge_shows_progress_and_a_summary(store):
    variables, service = store
    webhooks = store_of(service)
    delivered, failing = history(webhooks)

    done = purge_command(variables)
    assert done.returncode == 0, done.stderr
    assert "Deleting delivery records older than 30 days" in done.stdout
    assert "Deleted 7 delivery records attempted before" in done.stdout and "WIB; kept 2 older ones" in done.stdout
    assert positions(webhooks, delivered) == [6] and positions(webhooks, failing) == [3, 3, 3]

    yesterdays = purge_command(variables, "--older-than", "1").stdout  # yesterday's delivery too, not the failure
    assert "older than 1 day\n" in yesterdays and "Deleted 1 delivery records" in yesterdays and "kept 3" in yesterdays
    refused = purge_command({**variables, "KAMPUNG_WEBHOOK_RETENTION_DAYS": "sebulan"})
    assert refused.returncode == 2 and "KAMPUNG_WEBHOOK_RETENTION_DAYS must be a whole number" in refused.stderr
    assert purge_command(variables, "--older-than", "0").returncode == 2
