"""Webhook subscriptions and their deliveries, kept in two SQL tables (``webhook_tables.py``),
created idempotently when the store is set up.

A subscription has a target URL, an event-type filter (empty: every event), a Standard Webhooks
secret, a status (``active``, ``paused``, ``dead``) and a **checkpoint**: the position in the
event log up to which its events are handled (delivered with a 2xx, or not matching its filter).
Each delivery attempt is a row of ``webhook_deliveries``; the worker writes it and moves the
checkpoint in one transaction, and moves it only after a 2xx, so nothing is ever skipped.

``created_by`` is the subscription's owner: reads given a ``viewer`` show only what they may see
(``domain.webhook.sees_subscription``). Who changed what is the ``WebhookSubscription`` events'
business (``subscriptions.py``); these tables hold the delivery state.

The secret is kept (each delivery is signed with it), sealed with the store's key when
``KAMPUNG_ENCRYPTION_KEY`` is set (the ``box`` given: ``application.config.SecretBox``); it is shown once, in the
answer to the creation, and never returned again.
"""

import json
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from enum import Enum
from typing import Any, NamedTuple, Protocol
from uuid import UUID

from sqlalchemy import Connection, Engine, and_, func, or_, select, text, update

from domain.errors import ConcurrencyConflict, InvalidValue, NotFound
from domain.actor import Actor
from domain.webhook import sees_every_subscription, sees_subscription
from projections.webhooks.signing import new_secret
from projections.webhooks.tables import (
    ACTIVE, DEAD, DELIVERED, EVENT_TOPICS, EVENT_TYPES, FAILED, PAUSED, deliveries, metadata, subscriptions,
)
from projections.engine import DDL_LOCK
from projections.retry import RetryPolicy


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


class Page(NamedTuple):
    rows: list[dict[str, Any]]
    next: Any | None


@dataclass(frozen=True)
class Target:
    """What the worker needs to deliver a subscription's events."""

    id: str
    url: str
    secret: str
    topics: tuple[str, ...]
    position: int
    failures: int
    status: str
    next_attempt_at: datetime | None

    def due(self, now: datetime) -> bool:
        return self.status == ACTIVE and (self.next_attempt_at is None or self.next_attempt_at <= now)


@dataclass(frozen=True)
class Attempt:
    """One POST of one event to one subscription, as the worker saw it end."""

    position: int
    event_id: str
    event_type: str
    attempt: int
    ok: bool
    http_status: int | None
    error: str | None
    duration_ms: int
    attempted_at: datetime


class Outcome(Enum):
    NEXT = "next"  # delivered and still active: go on with the next event
    STOP = "stop"  # failed, paused, deleted or moved meanwhile: stop this subscription for now


def check_event_types(names: Sequence[str]) -> list[str]:
    """The filter as stored: known names, each once, in the catalogue's order."""
    unknown = [name for name in names if name not in EVENT_TOPICS]
    if unknown:
        raise InvalidValue(f"unknown event type {unknown[0]}", "event_types")
    wanted = set(names)
    return [name for name in EVENT_TYPES if name in wanted]


class Sealer(Protocol):
    """Seals the secrets kept in the tables, and opens them again (with the store's key, if any)."""

    def seal(self, secret: str) -> str: ...

    def open(self, kept: str) -> str: ...


class WebhookStore:
    def __init__(self, engine: Engine, box: "Sealer"):
        self.engine = engine
        self.box = box

    # --- tables -----------------------------------------------------------------------

    def setup(self) -> "WebhookStore":
        """Create the tables and indexes if they are missing (concurrent starts queue on the read
        models' DDL lock on PostgreSQL, on the write lock on SQLite), and drop what receivers said
        from errors recorded before their answers' bodies stopped being kept."""
        with self._writing() as connection:
            if connection.dialect.name == "postgresql":
                connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": DDL_LOCK})
            metadata.create_all(connection)
            for index in deliveries.indexes:
                index.create(connection, checkfirst=True)
            for column in (deliveries.c.error, subscriptions.c.last_error):
                # They read "HTTP 500 Internal Server Error: <the receiver's answer>"; now "HTTP 500".
                connection.execute(update(column.table).where(column.like("HTTP ___ %"))
                                   .values({column.name: func.substr(column, 1, 8)}))
        return self

    @contextmanager
    def _writing(self) -> Iterator[Connection]:
        with self.engine.connect().execution_options(immediate=True) as connection, connection.begin():
            yield connection

    @contextmanager
    def _reading(self) -> Iterator[Connection]:
        with self.engine.connect() as connection, connection.begin():
            yield connection

    # --- subscriptions ----------------------------------------------------------------

    def create(
        self, url: str, event_types: Sequence[str], actor: Actor, head: int, from_position: int | None = None,
        now: datetime | None = None, subscription_id: UUID | None = None,
    ) -> tuple[dict[str, Any], str]:
        """A new active subscription, owned by ``actor``, and its secret (returned here only). It
        starts after the log's ``head`` (new events only), or at ``from_position`` to receive past
        events too. ``subscription_id``: that of its ``WebhookSubscription`` (default: a new one)."""
        names = check_event_types(event_types)
        position = checkpoint_before(from_position, head)
        moment = now or utcnow()
        secret = new_secret()
        subscription_id = subscription_id or uuid.uuid4()
        with self._writing() as connection:
            connection.execute(subscriptions.insert().values(
                id=str(subscription_id), url=url, event_types=json.dumps(names), secret=self.box.seal(secret),
                status=ACTIVE, position=position, failures=0, next_attempt_at=None, last_error=None,
                last_delivered_at=None, created_by=actor.user_id, created_by_role=actor.role, created_at=moment,
                updated_at=moment,
            ))
        return self.get(str(subscription_id)), secret

    def get(self, subscription_id: str, viewer: Actor | None = None) -> dict[str, Any]:
        """The subscription, if it exists and ``viewer`` (when given) may see it."""
        with self._reading() as connection:
            row = connection.execute(
                select(subscriptions).where(subscriptions.c.id == str(subscription_id))
            ).mappings().first()
        if row is None or (viewer is not None and not sees_subscription(viewer, row["created_by"])):
            raise NotFound(f"no webhook subscription with id {subscription_id}")
        return public(row)

    def subscriptions(self, viewer: Actor | None = None, after: str | None = None, limit: int | None = None) -> Page:
        """Newest first (ties by id), those ``viewer`` (when given) may see; ``after``: the id of the
        last subscription of the previous page."""
        created, ident = subscriptions.c.created_at, subscriptions.c.id
        with self._reading() as connection:
            query = select(subscriptions)
            if viewer is not None and not sees_every_subscription(viewer):
                query = query.where(subscriptions.c.created_by == viewer.user_id)
            if after is not None:
                key = connection.execute(select(created).where(ident == after)).scalar()
                if key is not None:
                    query = query.where(or_(created < key, and_(created == key, ident < after)))
            query = query.order_by(created.desc(), ident.desc())
            if limit is not None:
                query = query.limit(limit + 1)
            rows = [public(row) for row in connection.execute(query).mappings()]
        return _page(rows, limit, "id")

    def pause(self, subscription_id: str, expected_status: str | None = None,
              now: datetime | None = None) -> dict[str, Any]:
        """Stop delivering until resumed (a delivery under way still completes)."""
        self._change(subscription_id, expected_status, status=PAUSED, updated_at=now or utcnow())
        return self.get(subscription_id)

    def resume(self, subscription_id: str, expected_status: str | None = None,
               now: datetime | None = None) -> dict[str, Any]:
        """Deliver again, a paused or a dead subscription, from its checkpoint on, at once."""
        self._change(subscription_id, expected_status, status=ACTIVE, failures=0, next_attempt_at=None,
                     updated_at=now or utcnow())
        return self.get(subscription_id)

    def redeliver(self, subscription_id: str, from_position: int, head: int,
                  now: datetime | None = None) -> dict[str, Any]:
        """Move the checkpoint to ``from_position - 1`` so delivery goes on from that event (again,
        or skipping ahead); a dead subscription becomes active, a paused one stays paused."""
        position = checkpoint_before(from_position, head)
        with self._writing() as connection:
            status = _locked_status(connection, subscription_id)
            connection.execute(update(subscriptions).where(subscriptions.c.id == str(subscription_id)).values(
                position=position, failures=0, next_attempt_at=None, updated_at=now or utcnow(),
                status=PAUSED if status == PAUSED else ACTIVE,
            ))
        return self.get(subscription_id)

    def delete(self, subscription_id: str) -> dict[str, Any]:
        """Delete the subscription and its delivery records; returns it as it was."""
        subscription = self.get(subscription_id)
        with self._writing() as connection:
            gone = connection.execute(subscriptions.delete().where(subscriptions.c.id == str(subscription_id)))
            if not gone.rowcount:
                raise NotFound(f"no webhook subscription with id {subscription_id}")
            connection.execute(deliveries.delete().where(deliveries.c.subscription_id == str(subscription_id)))
        return subscription

    def _change(self, subscription_id: str, expected_status: str | None, **values: Any) -> None:
        """Change the subscription; refused when ``expected_status`` is given and is not its status
        (somebody, or the worker, changed it since the caller looked)."""
        with self._writing() as connection:
            check_status(_locked_status(connection, subscription_id), expected_status)
            connection.execute(update(subscriptions).where(subscriptions.c.id == str(subscription_id)).values(**values))

    def deliveries(self, subscription_id: str, viewer: Actor | None = None, after: int | None = None,
                   limit: int | None = 50) -> Page:
        """A subscription's delivery attempts, newest first; ``after``: the last id of the previous page."""
        self.get(subscription_id, viewer)
        query = select(deliveries).where(deliveries.c.subscription_id == str(subscription_id))
        if after is not None:
            query = query.where(deliveries.c.id < after)
        query = query.order_by(deliveries.c.id.desc())
        if limit is not None:
            query = query.limit(limit + 1)
        with self._reading() as connection:
            rows = [dict(row) for row in connection.execute(query).mappings()]
        return _page(rows, limit, "id")

    # --- for the worker ---------------------------------------------------------------

    def due(self, now: datetime, head: int) -> list[str]:
        """Active subscriptions whose next attempt is due and whose checkpoint is behind ``head``,
        longest waiting first."""
        c = subscriptions.c
        query = (
            select(c.id)
            .where(c.status == ACTIVE, c.position < head, or_(c.next_attempt_at.is_(None), c.next_attempt_at <= now))
            .order_by(c.next_attempt_at.is_not(None), c.next_attempt_at, c.created_at, c.id)
        )
        with self._reading() as connection:
            return list(connection.execute(query).scalars())

    def target(self, subscription_id: str) -> Target | None:
        with self._reading() as connection:
            row = connection.execute(
                select(subscriptions).where(subscriptions.c.id == subscription_id)
            ).mappings().first()
        if row is None:
            return None
        return Target(
            id=row["id"], url=row["url"], secret=self.box.open(row["secret"]),
            # No types named: every type of the catalogue (never the accounts' events, which it leaves out).
            topics=tuple(EVENT_TOPICS[name] for name in json.loads(row["event_types"]) or EVENT_TOPICS
                         if name in EVENT_TOPICS),
            position=row["position"], failures=row["failures"], status=row["status"],
            next_attempt_at=row["next_attempt_at"],
        )

    def record(self, subscription_id: str, expected_position: int, attempt: Attempt, policy: RetryPolicy,
               moment: datetime) -> Outcome:
        """Record an attempt and, in the same transaction, what it means for the subscription: a 2xx
        moves the checkpoint to the event (only if nobody moved it meanwhile: a redelivery wins); a
        failure schedules the retry after the backoff, or makes the subscription dead."""
        c = subscriptions.c
        with self._writing() as connection:
            row = connection.execute(
                select(c.status, c.position, c.failures).where(c.id == subscription_id).with_for_update()
            ).mappings().first()
            if row is None:
                return Outcome.STOP  # deleted meanwhile, and its deliveries with it
            connection.execute(deliveries.insert().values(
                subscription_id=subscription_id, position=attempt.position, event_id=attempt.event_id,
                event_type=attempt.event_type, attempt=attempt.attempt, status=DELIVERED if attempt.ok else FAILED,
                http_status=attempt.http_status, error=attempt.error, duration_ms=attempt.duration_ms,
                attempted_at=attempt.attempted_at,
            ))
            if row["position"] != expected_position:
                return Outcome.STOP
            where = update(subscriptions).where(c.id == subscription_id)
            if attempt.ok:
                connection.execute(where.values(
                    position=attempt.position, failures=0, next_attempt_at=None, last_error=None,
                    last_delivered_at=attempt.attempted_at, updated_at=moment,
                ))
                return Outcome.NEXT if row["status"] == ACTIVE else Outcome.STOP
            failures = row["failures"] + 1
            dead = row["status"] == ACTIVE and failures >= policy.max_failures
            connection.execute(where.values(
                failures=failures, last_error=attempt.error, updated_at=moment,
                next_attempt_at=None if dead else moment + policy.delay(failures),
                status=DEAD if dead else row["status"],
            ))
            return Outcome.STOP

    def advance(self, subscription_id: str, expected_position: int, head: int) -> None:
        """Every event up to ``head`` is handled (none left that the filter wants): move the
        checkpoint there, unless somebody moved it meanwhile."""
        c = subscriptions.c
        with self._writing() as connection:
            connection.execute(
                update(subscriptions)
                .where(c.id == subscription_id, c.position == expected_position, c.position < head)
                .values(position=head)
            )


def _locked_status(connection: Connection, subscription_id: str) -> str:
    """The subscription's status, its row locked for this transaction (on PostgreSQL); ``NotFound`` if gone."""
    status = connection.execute(
        select(subscriptions.c.status).where(subscriptions.c.id == str(subscription_id)).with_for_update()
    ).scalar()
    if status is None:
        raise NotFound(f"no webhook subscription with id {subscription_id}")
    return status


def check_status(status: str, expected_status: str | None) -> None:
    """Refuse a change asked by someone who saw another status (``None``: whatever it is)."""
    if expected_status is not None and status != expected_status:
        raise ConcurrencyConflict(f"the webhook subscription is {status}, not {expected_status}")


def checkpoint_before(from_position: int | None, head: int) -> int:
    """The checkpoint that makes delivery start at ``from_position`` (``None``: after the ``head``)."""
    if from_position is None:
        return head
    if from_position < 1:
        raise InvalidValue("from_position starts at 1", "from_position")
    if from_position > head + 1:
        raise InvalidValue(f"from_position {from_position} is after the end of the event log ({head})",
                           "from_position")
    return from_position - 1


def _page(rows: list[dict[str, Any]], limit: int | None, unique: str) -> Page:
    if limit is None or len(rows) <= limit:
        return Page(rows, None)
    shown = rows[:limit]
    return Page(shown, shown[-1][unique])


def public(row: Any) -> dict[str, Any]:
    """A subscription as it is shown: everything but the secret."""
    return {
        "id": row["id"], "url": row["url"], "event_types": json.loads(row["event_types"]), "status": row["status"],
        "position": row["position"], "failures": row["failures"], "next_attempt_at": row["next_attempt_at"],
        "last_error": row["last_error"], "last_delivered_at": row["last_delivered_at"],
        "created_by": {"user_id": row["created_by"], "role": row["created_by_role"]},
        "created_at": row["created_at"], "updated_at": row["updated_at"],
    }
