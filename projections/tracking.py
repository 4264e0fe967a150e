"""Where each read model is: its current generation (the tables readers use) and, per
generation, the global position of the last event applied to it."""

from dataclasses import dataclass
from datetime import datetime, timezone

from sqlalchemy import BigInteger, Column, Connection, DateTime, Integer, MetaData, Select, String, Table, select, update

metadata = MetaData()

generations = Table(
    "projection_generations",
    metadata,
    Column("name", String(40), primary_key=True),
    Column("generation", Integer, nullable=False),
    Column("swapped_at", DateTime(timezone=True), nullable=False),
)

positions = Table(
    "projection_positions",
    metadata,
    Column("name", String(40), primary_key=True),
    Column("generation", Integer, primary_key=True),
    Column("position", BigInteger, nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)


def now() -> datetime:
    return datetime.now(timezone.utc)


@dataclass(frozen=True)
class Status:
    name: str
    generation: int
    position: int
    head: int
    parked: int  # events this generation could not apply (projections.parking)

    @property
    def lag(self) -> int:
        return max(self.head - self.position, 0)


def current_generation(connection: Connection, name: str) -> int | None:
    return connection.execute(select(generations.c.generation).where(generations.c.name == name)).scalar()


def current(connection: Connection, name: str) -> int:
    """The current generation of a read model that is set up."""
    generation = current_generation(connection, name)
    if generation is None:
        raise LookupError(f"read model {name} is not set up")
    return generation


def _position_of(name: str, generation: int) -> Select:
    return select(positions.c.position).where(positions.c.name == name, positions.c.generation == generation)


def position(connection: Connection, name: str, generation: int) -> int:
    """The position a read model's generation has applied the log to (0 before the first event)."""
    return connection.execute(_position_of(name, generation)).scalar() or 0


def locked_position(connection: Connection, name: str, generation: int) -> int | None:
    """The position, locked for this transaction on PostgreSQL: a second worker waits here
    and then reads the position the first one committed, so no event is applied twice.
    None when the generation was swapped out meanwhile."""
    return connection.execute(_position_of(name, generation).with_for_update()).scalar()


def advance(connection: Connection, name: str, generation: int, position: int) -> None:
    connection.execute(
        update(positions)
        .where(positions.c.name == name, positions.c.generation == generation)
        .values(position=position, updated_at=now())
    )


def start_generation(connection: Connection, name: str, generation: int) -> None:
    connection.execute(positions.delete().where(positions.c.name == name, positions.c.generation == generation))
    connection.execute(positions.insert().values(name=name, generation=generation, position=0, updated_at=now()))


def swap_to(connection: Connection, name: str, generation: int) -> None:
    if current_generation(connection, name) is None:
        connection.execute(generations.insert().values(name=name, generation=generation, swapped_at=now()))
    else:
        connection.execute(
            update(generations).where(generations.c.name == name).values(generation=generation, swapped_at=now())
        )
