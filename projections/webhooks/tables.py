"""The two tables of webhooks, in the read-model database (the SQLite file of the events, or
PostgreSQL): ``webhook_subscriptions`` (each subscription's target, filter, secret and delivery state)
and ``webhook_deliveries`` (one row per delivery attempt); and the values their columns take."""

from sqlalchemy import BigInteger, Column, Index, Integer, MetaData, String, Table, Text

from projections.cloudevents import catalogue
from projections.columns import Moment

ACTIVE, PAUSED, DEAD = "active", "paused", "dead"
STATUSES = (ACTIVE, PAUSED, DEAD)
DELIVERED, FAILED = "delivered", "failed"
DELIVERY_STATUSES = (DELIVERED, FAILED)

# Every event type a subscription can ask for, by name (``SantunanPaid``; the feed's catalogue), with
# the topic the notification log files it under: the filter is applied by the log's topic index.
EVENT_TOPICS: dict[str, str] = {entry.name: entry.topic for entry in catalogue()}
EVENT_TYPES: tuple[str, ...] = tuple(EVENT_TOPICS)

MAX_URL_LENGTH = 2000

metadata = MetaData()

subscriptions = Table(
    "webhook_subscriptions",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("url", Text, nullable=False),
    Column("event_types", Text, nullable=False),  # a JSON list of names; [] = every event
    Column("secret", Text, nullable=False),
    Column("status", String(10), nullable=False),
    Column("position", BigInteger, nullable=False),  # the checkpoint
    Column("failures", Integer, nullable=False),  # consecutive failed attempts
    Column("next_attempt_at", Moment, nullable=True),  # null: due now
    Column("last_error", Text, nullable=True),
    Column("last_delivered_at", Moment, nullable=True),
    Column("created_by", String(64), nullable=False),
    Column("created_by_role", String(20), nullable=False),
    Column("created_at", Moment, nullable=False),
    Column("updated_at", Moment, nullable=False),
)

deliveries = Table(
    "webhook_deliveries",
    metadata,
    Column("id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True),
    Column("subscription_id", String(36), nullable=False),
    Column("position", BigInteger, nullable=False),
    Column("event_id", String(200), nullable=False),
    Column("event_type", String(60), nullable=False),
    Column("attempt", Integer, nullable=False),
    Column("status", String(10), nullable=False),
    Column("http_status", Integer, nullable=True),
    Column("error", Text, nullable=True),
    Column("duration_ms", Integer, nullable=False),
    Column("attempted_at", Moment, nullable=False),
    Index("webhook_deliveries_by_subscription", "subscription_id", "id"),
    Index("webhook_deliveries_by_time", "attempted_at"),  # the retention's purge
)
