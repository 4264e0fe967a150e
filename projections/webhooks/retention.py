"""How long delivery records are kept: ``KAMPUNG_WEBHOOK_RETENTION_DAYS`` (default 30), purged by
``kampung webhooks purge`` and, hourly, by a running ``kampung webhooks run``.

A record is a log of one attempt; delivery never reads it back (the checkpoint, the failures in a
row and the next attempt are the subscription's), and a redelivery reads the event log. So any old
record may go, except the attempts at events a subscription has not delivered yet, those after its
checkpoint: they are why it is failing or dead, and an operator fixing it needs to see them, however
old. They go once the event is delivered (or skipped by a redelivery) and the retention has passed.
"""

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Engine, Select, delete, func, select

from domain.errors import InvalidValue
from projections.webhooks.tables import deliveries, subscriptions

SETTING = "KAMPUNG_WEBHOOK_RETENTION_DAYS"
DEFAULT_DAYS = 30
BATCH = 5000  # records deleted per transaction: the write lock is never held long


def retention_days(environ: Mapping[str, str]) -> int:
    text = environ.get(SETTING, "").strip()
    if not text:
        return DEFAULT_DAYS
    if not text.isdigit() or int(text) < 1:
        raise InvalidValue(f"{SETTING} must be a whole number of days, at least 1", SETTING)
    return int(text)


def retention(environ: Mapping[str, str]) -> timedelta:
    return timedelta(days=retention_days(environ))


@dataclass(frozen=True)
class Purgeable:
    """What a purge at a cutoff would do: records to delete, and old records kept because their
    event is still waiting for delivery."""

    deleted: int
    kept: int


def _older(cutoff: datetime) -> Select:
    """Records attempted before ``cutoff`` at events their subscription has delivered (or passed)."""
    checkpoint = (
        select(subscriptions.c.position).where(subscriptions.c.id == deliveries.c.subscription_id).scalar_subquery()
    )
    # A record whose subscription is gone (none should be: deleting one deletes its records) goes too.
    return select(deliveries.c.id).where(
        deliveries.c.attempted_at < cutoff, deliveries.c.position <= func.coalesce(checkpoint, deliveries.c.position)
    )


def purgeable(engine: Engine, cutoff: datetime) -> Purgeable:
    with engine.connect() as connection:
        old = connection.execute(select(func.count()).where(deliveries.c.attempted_at < cutoff)).scalar_one()
        going = connection.execute(select(func.count()).select_from(_older(cutoff).subquery())).scalar_one()
    return Purgeable(deleted=going, kept=old - going)


def purge(engine: Engine, cutoff: datetime, batch: int = BATCH) -> Iterator[int]:
    """Delete the records older than ``cutoff`` that nothing needs, ``batch`` at a time; yields how
    many each transaction deleted."""
    while True:
        with engine.connect().execution_options(immediate=True) as connection, connection.begin():
            ids = list(connection.execute(_older(cutoff).order_by(deliveries.c.id).limit(batch)).scalars())
            if ids:
                connection.execute(delete(deliveries).where(deliveries.c.id.in_(ids)))
        if not ids:
            return
        yield len(ids)
