"""What every read model is: tables per generation, and handlers that turn events into rows.

A handler receives one domain event, its global position and a ``Rows`` unit of work; it
reads and changes rows as plain dicts. The runner flushes a whole page of events in one
transaction together with the tracking position, which is what makes projection exactly-once.
A handler may raise: the event is retried, then parked (``projections.parking``).
"""

from collections.abc import Callable, Iterable
from typing import Any, ClassVar

from eventsourcing.utils import get_topic
from sqlalchemy import Connection, MetaData, Table, and_, select, tuple_

from domain.errors import DomainError
from projections.writers import ProjectionError, column_names, key_columns, writer


# Keys per query when a page's rows are read ahead (well under SQLite's 32,766 parameters).
PREFETCH_CHUNK = 1000


class UndecodableEvent(DomainError):
    """A stored event cannot be decoded into a domain event."""


def handles(*event_classes: type) -> Callable[[Callable[..., None]], Callable[..., None]]:
    def mark(method: Callable[..., None]) -> Callable[..., None]:
        method.handled_events = event_classes  # type: ignore[attr-defined]
        return method

    return mark


class ReadModel:
    """Subclasses set ``name``, implement ``define`` and mark handler methods with ``@handles``."""

    name: ClassVar[str]
    handlers: ClassVar[dict[type, Callable[..., None]]]
    # Whether an aggregate's events must reach the tables in their order: once one is parked, the
    # aggregate's later events wait behind it (``projections.parking``).
    in_order: ClassVar[bool] = True

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls.handlers = {}
        for klass in reversed(cls.__mro__):
            for attribute in vars(klass).values():
                for event_class in getattr(attribute, "handled_events", ()):
                    cls.handlers[event_class] = attribute

    def define(self, metadata: MetaData, prefix: str) -> dict[str, Table]:
        """Declare this model's tables on ``metadata`` with names starting ``prefix``."""
        raise NotImplementedError

    @property
    def topics(self) -> list[str]:
        return [get_topic(event_class) for event_class in self.handlers]

    def apply(self, event: Any, position: int, rows: "Rows") -> None:
        self.handlers[type(event)](self, event, position, rows)

    def apply_stored(self, event: Any, stored: Any, rows: "Rows") -> None:
        """Apply ``event``, decoded from ``stored`` (the notification as the log keeps it: a model
        that vouches for the stored bytes, the audit trail, reads them here)."""
        self.apply(event, stored.id, rows)

    def parked(self, stored: Any, rows: "Rows") -> None:
        """``stored`` could not be applied and is parked (``projections.parking``): what the model
        keeps of it meanwhile (the audit trail chains its hash, so the chain runs on unbroken)."""

    def accept_rebuild(self, connection: Connection, old: dict[str, Table], new: dict[str, Table]) -> None:
        """Raise to refuse swapping the rebuilt tables ``new`` in for ``old`` (the audit trail
        refuses a rebuild from a log that no longer matches what it recorded)."""

    def reads(self, event: Any) -> Iterable[tuple[str, tuple]]:
        """The rows, as (table, primary key), that the handler of ``event`` looks up. The runner
        reads those of a whole page in one query per table before applying it. A hint only: a row
        not announced is read when asked for, and one announced but not used costs a little."""
        return ()


class Rows:
    """A page's unit of work: rows read once, changed in memory, written in bulk at flush."""

    def __init__(self, connection: Connection, tables: dict[str, Table]):
        self.connection = connection
        self.tables = tables
        self._rows: dict[str, dict[tuple, dict[str, Any] | None]] = {name: {} for name in tables}
        self._dirty: dict[str, set[tuple]] = {name: set() for name in tables}
        self._appended: dict[str, list[dict[str, Any]]] = {name: [] for name in tables}
        self._keys = {name: key_columns(table) for name, table in tables.items()}
        self._empty = {name: dict.fromkeys(column_names(table)) for name, table in tables.items()}
        # What a model carries from one event of the page to the next (the audit trail's chain).
        self.carried: dict[str, Any] = {}

    def get(self, table: str, *key: Any) -> dict[str, Any] | None:
        """The row with this primary key (changes made to it are written at flush), or None."""
        cached = self._rows[table]
        if key not in cached:
            definition = self.tables[table]
            columns = [definition.c[name] for name in self._keys[table]]
            found = self.connection.execute(
                select(definition).where(tuple_(*columns) == tuple_(*key))
            ).mappings().first()
            cached[key] = dict(found) if found is not None else None
        row = cached[key]
        if row is not None:
            self._dirty[table].add(key)
        return row

    def prefetch(self, table: str, keys: Iterable[tuple]) -> None:
        """Read the rows with these primary keys now, in one query per chunk of keys, so that
        ``get`` finds them (or their absence) without a query each. Rows already read or
        written in this unit of work are left as they are."""
        cached = self._rows[table]
        missing = [key for key in set(keys) if key not in cached]
        if not missing:
            return
        wanted = set(missing)
        definition = self.tables[table]
        names = self._keys[table]
        columns = [definition.c[name] for name in names]
        sqlite = self.connection.dialect.name == "sqlite"
        for start in range(0, len(missing), PREFETCH_CHUNK):
            chunk = missing[start:start + PREFETCH_CHUNK]
            if len(columns) == 1:
                condition = columns[0].in_([key[0] for key in chunk])
            elif sqlite:
                # SQLite scans the whole table for a row value IN a list; each key column IN its
                # values is an index search (rows of other combinations are dropped below).
                condition = and_(*(column.in_({key[i] for key in chunk}) for i, column in enumerate(columns)))
            else:
                # PostgreSQL without statistics yet (a read model being built) guesses the product
                # of per-column INs at thousands of rows and scans; a row value IN is index probes.
                condition = tuple_(*columns).in_(chunk)
            for found in self.connection.execute(select(definition).where(condition)).mappings():
                row = dict(found)
                key = tuple(row[name] for name in names)
                if key in wanted:
                    cached.setdefault(key, row)
        for key in missing:
            cached.setdefault(key, None)

    def require(self, table: str, *key: Any) -> dict[str, Any]:
        row = self.get(table, *key)
        if row is None:
            raise ProjectionError(f"{table}: no row {key} for an event that refers to it")
        return row

    def put(self, table: str, **values: Any) -> dict[str, Any]:
        """A new row (or a full replacement); columns not given are NULL."""
        row = self._empty[table].copy()
        row.update(values)
        if len(row) != len(self._empty[table]):
            raise ProjectionError(f"{table}: unknown columns {sorted(set(values) - set(self._empty[table]))}")
        key = tuple(map(row.__getitem__, self._keys[table]))
        self._rows[table][key] = row
        self._dirty[table].add(key)
        return row

    def append(self, table: str, **values: Any) -> None:
        """An insert-only row (the audit trail): no read-back, no upsert."""
        self._appended[table].append(values)

    def many(self, table: str, **where: Any) -> list[dict[str, Any]]:
        """Rows matching ``where``, with this page's changes applied (writes back at flush)."""
        definition = self.tables[table]
        query = select(definition)
        for name, value in where.items():
            query = query.where(definition.c[name] == value)
        for found in self.connection.execute(query).mappings():
            key = tuple(found[name] for name in self._keys[table])
            self._rows[table].setdefault(key, dict(found))
        matching = [
            (key, row) for key, row in self._rows[table].items()
            if row is not None and all(row[name] == value for name, value in where.items())
        ]
        self._dirty[table].update(key for key, _ in matching)
        return [row for _, row in matching]

    def flush(self) -> None:
        """Write the page's rows in bulk (``projections.writers``): changed and new rows are upserted,
        appended rows inserted."""
        for name, definition in self.tables.items():
            cached = self._rows[name]
            rows = [row for row in (cached[key] for key in self._dirty[name]) if row is not None]
            appended = self._appended[name]
            if not rows and not appended:
                continue
            table_writer = writer(definition, self.connection.dialect)
            if rows:
                table_writer.upsert(self.connection, rows)
            if appended:
                table_writer.insert(self.connection, appended)


def all_topics(models: Iterable[ReadModel]) -> list[str]:
    return sorted({topic for model in models for topic in model.topics})
