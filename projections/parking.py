"""Events a read model could not apply, parked so that the model goes on with the next ones.

When a page of events fails, the runner applies its events one at a time, each in a transaction
of its own; an event that still fails after the retries of its ``RetryPolicy`` (``POLICY`` by
default) is *parked*: a row here — the model and generation, the position, the event, the error,
its first and last failure, the attempts — written in the same transaction as the model's
position moving past it, so every event is still applied or parked exactly once. Each read model
has its own position and transactions: what one model parks never touches another.

Whatever the cause, the event is parked: a value the database refuses (PostgreSQL text holds no
NUL), a handler that raises (a row the event refers to is missing), an event that cannot be
decoded.

Order: an aggregate's events change the same rows, so once one is parked, the aggregate's later
events are parked behind it without being tried (``behind`` is the position they wait for):
applied after an event they follow, they could set a status or a version back when it is
replayed. Events of other aggregates go on; one that needs the parked event's rows (an
activity of an RT whose registration is parked) fails and parks on its own. The audit trail,
whose rows are each an event's own, takes every event it can (``ReadModel.in_order``).

A replay (``kampung projections replay-parked``) applies a model's parked events again after a
fix, in position order, on top of the rows as they are now; an event that applies leaves the
table, one that fails again stays with its attempts and last failure updated, and the later
events of its aggregate stay behind it untried.

Parked rows belong to a generation: a rebuild applies every event again into new tables and parks
afresh what still fails there; the old generation's rows go with its tables at the swap.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, Column, Connection, Integer, MetaData, String, Table, func, select, update

from projections.columns import Moment, Printable, uuid_column
from projections.retry import RetryPolicy
from projections.tracking import now

# A failing event is retried quickly: what passes (a lock, a dropped connection) passes in
# moments, and a request waiting to show its own write waits through these.
POLICY = RetryPolicy(base=0.2, cap=5.0, max_failures=3)
ERROR_LENGTH = 2000  # characters of an error kept

metadata = MetaData()

parked = Table(
    "projection_parked",
    metadata,
    Column("name", String(40), primary_key=True),
    Column("generation", Integer, primary_key=True),
    Column("position", BigInteger, primary_key=True),
    uuid_column("aggregate_id", nullable=False),
    Column("version", Integer, nullable=False),
    Column("topic", String(200), nullable=False),
    Column("error", Printable(), nullable=False),
    Column("first_failed_at", Moment(), nullable=False),
    Column("last_failed_at", Moment(), nullable=False),
    Column("attempts", Integer, nullable=False),
    # The position of the aggregate's parked event this one waits behind, untried (else NULL).
    Column("behind", BigInteger),
)


@dataclass(frozen=True)
class Parked:
    name: str
    position: int
    aggregate_id: str
    version: int
    topic: str
    error: str
    first_failed_at: datetime
    last_failed_at: datetime
    attempts: int
    behind: int | None

    @property
    def event_type(self) -> str:
        """``ActivityPlanned`` of the topic ``domain.activity:Activity.ActivityPlanned``."""
        return self.topic.partition(":")[2].rsplit(".", 1)[-1]

    @property
    def aggregate_type(self) -> str:
        """``Activity`` of the topic ``domain.activity:Activity.ActivityPlanned``."""
        return self.topic.partition(":")[2].split(".", 1)[0]


def describe(error: Exception) -> str:
    """The error as a parked row keeps it: for a database error the driver's own message, without
    SQLAlchemy's copy of the statement and its values."""
    cause = getattr(error, "orig", None) or error
    return f"{type(cause).__name__}: {cause}".strip()[:ERROR_LENGTH]


def _of(name: str, generation: int) -> Any:
    return (parked.c.name == name) & (parked.c.generation == generation)


def park(connection: Connection, name: str, generation: int, stored: Any, error: Exception, attempts: int) -> None:
    _insert(connection, name, generation, stored, describe(error), attempts, None)


def park_behind(connection: Connection, name: str, generation: int, stored: Any, behind: int) -> None:
    _insert(connection, name, generation, stored, f"waiting behind the parked event at position {behind}", 0, behind)


def _insert(
    connection: Connection, name: str, generation: int, stored: Any, error: str, attempts: int, behind: int | None
) -> None:
    moment = now()
    connection.execute(parked.insert().values(
        name=name, generation=generation, position=stored.id, aggregate_id=str(stored.originator_id),
        version=stored.originator_version, topic=stored.topic, error=error,
        first_failed_at=moment, last_failed_at=moment, attempts=attempts, behind=behind,
    ))


def first_parked(connection: Connection, name: str, generation: int) -> dict[str, int]:
    """Aggregate id → the position of its first parked event, of the generation's parked events."""
    query = (
        select(parked.c.aggregate_id, func.min(parked.c.position))
        .where(_of(name, generation)).group_by(parked.c.aggregate_id)
    )
    return {aggregate_id: position for aggregate_id, position in connection.execute(query)}


def failed_again(connection: Connection, name: str, generation: int, position: int, error: Exception) -> None:
    connection.execute(
        update(parked).where(_of(name, generation), parked.c.position == position)
        .values(error=describe(error), last_failed_at=now(), attempts=parked.c.attempts + 1, behind=None)
    )


def unpark(connection: Connection, name: str, generation: int, position: int) -> None:
    connection.execute(parked.delete().where(_of(name, generation), parked.c.position == position))


def forget(connection: Connection, name: str, generation: int) -> None:
    """Drop a generation's parked rows (its tables are dropped, or about to be built afresh)."""
    connection.execute(parked.delete().where(_of(name, generation)))


def count(connection: Connection, name: str, generation: int) -> int:
    return connection.execute(select(func.count()).select_from(parked).where(_of(name, generation))).scalar_one()


def parked_events(connection: Connection, name: str, generation: int) -> list[Parked]:
    """The generation's parked events, in position order."""
    query = select(parked).where(_of(name, generation)).order_by(parked.c.position)
    fields = Parked.__dataclass_fields__
    return [Parked(**{key: row[key] for key in fields}) for row in connection.execute(query).mappings()]
