"""The webhook delivery worker: ``kampung webhooks run`` loops ``deliver_due``.

For each active subscription that is due, the worker reads the events after its checkpoint (those
its filter wants, through the log's topic index) and POSTs them **one at a time, in order**, each
as a CloudEvent signed per Standard Webhooks. Each attempt is recorded, and the checkpoint moved,
in one transaction after the response (``WebhookStore.record``):

- a 2xx moves the checkpoint to the event and the worker goes on with the next one;
- anything else (another status, a refused connection, the timeout, a target refused by
  ``projections/webhooks/targets.py``: an internal address, plain http) keeps the checkpoint, counts a
  failure and schedules the retry of the same event after an exponential backoff; after
  ``max_failures`` in a row the subscription is dead until an operator redelivers or resumes it.

So delivery is **at least once** and never skips: a worker killed between a POST and its commit
sends that event again after the restart, with the same ``webhook-id`` (the CloudEvent id), which
is how receivers drop the duplicate.

One worker at a time delivers a subscription. On PostgreSQL the worker holds a session advisory
lock keyed by the subscription while it delivers a batch, and skips subscriptions another worker
holds (``pg_try_advisory_lock``: the effect of SKIP LOCKED, without keeping a transaction open
during the HTTP calls); the server drops the lock when a worker dies. On SQLite the worker takes
an exclusive ``flock`` on a file per subscription beside the database, which the kernel releases
when a worker dies; the database's write lock is held only for the short transactions that record
attempts, never during an HTTP call, so a slow receiver does not hold up the application's writes.
"""

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Engine

from projections import locks as feed_locks
from projections.cloudevents import body_of, to_cloudevent
from projections.locks import Locks
from domain.masking import masked
from projections.webhooks.http import Response, post
from projections.webhooks.retention import purge
from projections.webhooks.signing import signed_headers
from projections.webhooks.store import Attempt, Outcome, Target, WebhookStore, utcnow
from projections.webhooks.targets import TargetPolicy, TargetRefused
from projections.retry import RetryPolicy
from projections.eventlog import EventLog, EventMapper

log = logging.getLogger(__name__)

# Any fixed number: the first key of the advisory locks of subscriptions.
LOCK_SPACE = 0x57484B53
CANNOT_ENCODE = "cannot encode the event"
# How often a long-running worker deletes the delivery records older than the retention.
PURGE_EVERY = 3600.0


# --- one worker per subscription at a time ----------------------------------------------


def locks_for(engine: Engine) -> Locks:
    return feed_locks.locks_for(engine, LOCK_SPACE, "webhook-locks")


# --- the worker ----------------------------------------------------------------------------


@dataclass
class Round:
    """What one ``deliver_due`` did."""

    subscriptions: int = 0
    delivered: int = 0
    failed: int = 0


class WebhookWorker:
    def __init__(
        self,
        store: WebhookStore,
        log: EventLog,
        mapper: EventMapper,
        *,
        policy: RetryPolicy | None = None,
        timeout: float = 10.0,
        batch: int = 100,
        locks: Locks | None = None,
        cloudevent: Callable[[Any, int], dict[str, Any]] | None = None,
        targets: TargetPolicy | None = None,
        retention: timedelta | None = None,
    ):
        self.store = store
        self.log = log
        self.mapper = mapper
        self.policy = policy or RetryPolicy()
        self.timeout = timeout
        self.batch = batch
        self.locks = locks or locks_for(store.engine)
        self.cloudevent = cloudevent or to_cloudevent
        self.targets = targets or TargetPolicy()
        self.retention = retention

    def deliver_due(self, now: datetime | None = None) -> Round:
        """Deliver what is due at ``now`` (default: the present) to every subscription another
        worker is not delivering: up to ``batch`` events each, stopping at a subscription's first
        failure."""
        start, started = now or utcnow(), time.monotonic()

        def clock() -> datetime:
            return start + timedelta(seconds=time.monotonic() - started)

        head = self.log.max_notification_id() or 0
        done = Round()
        for subscription_id in self.store.due(start, head):
            try:
                with self.locks.hold(subscription_id) as held:
                    if held:
                        self._deliver(subscription_id, head, clock, done)
            except Exception:  # noqa: BLE001 - one subscription's trouble must not hold up the others
                log.exception("delivering to webhook subscription %s failed; retrying next round", subscription_id)
        return done

    def _deliver(self, subscription_id: str, head: int, clock: Callable[[], datetime], done: Round) -> None:
        # Read again under the lock: another worker may have delivered or failed meanwhile.
        target = self.store.target(subscription_id)
        if target is None or not target.due(clock()) or target.position >= head:
            return
        done.subscriptions += 1
        notifications = self.log.select_notifications(
            start=target.position + 1, limit=self.batch, stop=head, topics=target.topics
        )
        position, failures = target.position, target.failures
        for notification in notifications:
            attempt = self._attempt(target, notification, failures + 1)
            if attempt.ok:
                done.delivered += 1
            else:
                done.failed += 1
            if self.store.record(subscription_id, position, attempt, self.policy, clock()) is Outcome.STOP:
                return
            position, failures = notification.id, 0
        if len(notifications) < self.batch:
            self.store.advance(subscription_id, position, head)

    def _attempt(self, target: Target, notification: Any, number: int) -> Attempt:
        began = time.monotonic()

        def attempt(event_id: str, event_type: str, response: Response) -> Attempt:
            return Attempt(
                position=notification.id, event_id=event_id, event_type=event_type[:60], attempt=number,
                ok=response.ok, http_status=response.http_status, error=response.error,
                duration_ms=round((time.monotonic() - began) * 1000), attempted_at=utcnow(),
            )

        try:
            event = self.mapper.to_domain_event(notification)
            # Receivers are outside the city's systems: NIKs leave masked, as in an integrator's feed.
            cloudevent = masked(self.cloudevent(event, notification.id))
        except Exception as error:  # noqa: BLE001 - an event that cannot be sent is a failed attempt
            # Recorded like any failure (backoff, then dead), so an operator sees it and can skip it.
            log.exception("event %s cannot be made a CloudEvent", notification.id)
            return attempt(f"{notification.originator_id}/{notification.originator_version}",
                           notification.topic.rsplit(".", 1)[-1],
                           Response(None, f"{CANNOT_ENCODE}: {type(error).__name__}"))
        message_id = str(cloudevent["id"])
        try:
            # Checked at every attempt: a host may resolve elsewhere by now, and the setting may have changed.
            destination = self.targets.destination(target.url)
        except TargetRefused as refused:
            return attempt(message_id, type(event).__name__, Response(None, refused.reason))
        body = body_of(cloudevent)
        headers = signed_headers(target.secret, message_id, int(time.time()), body)
        return attempt(message_id, type(event).__name__, post(destination, body, headers, self.timeout))

    def run_forever(self, stop: threading.Event, poll_interval: float = 1.0) -> None:
        """Deliver until ``stop`` is set; wait ``poll_interval`` whenever a round delivered nothing.
        With a ``retention``, delete the delivery records older than it at the start and hourly.
        An error of the database is logged and retried at the next poll."""
        next_purge = time.monotonic()
        while not stop.is_set():
            try:
                if self.retention is not None and time.monotonic() >= next_purge:
                    next_purge = time.monotonic() + PURGE_EVERY
                    purged = sum(purge(self.store.engine, utcnow() - self.retention))
                    log.info("deleted %d webhook delivery records older than %s", purged, self.retention)
                done = self.deliver_due()
            except Exception:  # noqa: BLE001 - a long-running worker outlives a database hiccup
                log.exception("webhook delivery round failed; retrying in %.1fs", poll_interval)
                done = Round()
            if not done.delivered:
                stop.wait(poll_interval)
