"""What every read model is: tables per generation, and handlers that turn events into rows.

A handler receives one domain event, its global position and a ``Rows`` unit of work; it
reads and changes rows as plain dicts. The runner flushes a whole page of events in one
transaction together with the tracking position, which is what makes projection exactly-once.
A handler may raise: the event is retried, then parked (``projections.parking``).
"""

import json
from collections.abc import Callable, Iterable
from datetime import date, datetime
from decimal import Decimal
from typing import Any, ClassVar
from uuid import UUID

from eventsourcing.utils import get_topic
from sqlalchemy import Connection, Dialect, MetaData, Table, and_, select, tuple_

from domain.errors import DomainError


# Keys per query when a page's rows are read ahead (well under SQLite's 32,766 parameters).
PREFETCH_CHUNK = 1000


class ProjectionError(Exception):
    """The event stream does not fit the read model (a row an event refers to is missing)."""


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
        self._keys = {name: _key_columns(table) for name, table in tables.items()}
        self._columns = {name: _column_names(table) for name, table in tables.items()}
        # What a model carries from one event of the page to the next (the audit trail's chain).
        self.carried: dict[str, Any] = {}

    def _key_columns(self, table: str) -> list[str]:
        return self._keys[table]

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
        columns = self._columns[table]
        row = dict.fromkeys(columns)
        row.update(values)
        if len(row) != len(columns):
            raise ProjectionError(f"{table}: unknown columns {sorted(set(values) - set(columns))}")
        key = tuple(row[name] for name in self._keys[table])
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
            key = tuple(found[name] for name in self._key_columns(table))
            self._rows[table].setdefault(key, dict(found))
        matching = [
            (key, row) for key, row in self._rows[table].items()
            if row is not None and all(row[name] == value for name, value in where.items())
        ]
        self._dirty[table].update(key for key, _ in matching)
        return [row for _, row in matching]

    def flush(self) -> None:
        """Write the page's rows: changed and new rows are upserted, appended rows inserted, in one
        statement per table on PostgreSQL and one prepared statement run per row on SQLite."""
        for name, definition in self.tables.items():
            cached = self._rows[name]
            rows = [row for row in (cached[key] for key in self._dirty[name]) if row is not None]
            appended = self._appended[name]
            if not rows and not appended:
                continue
            writer = _writer(definition, self.connection.dialect)
            if rows:
                writer.upsert(self.connection, rows)
            if appended:
                writer.insert(self.connection, appended)


class _Writer:
    """How one table's rows are written in bulk on one database: the SQL is built once, and the
    values go through each column type's own bind processing (what SQLAlchemy would do per row).

    PostgreSQL: ``INSERT … SELECT … FROM json_populate_recordset(…) ON CONFLICT …``, the rows sent
    as one JSON document — one statement and one round trip per table and page instead of one
    statement per row. SQLite: the same ``INSERT … ON CONFLICT`` as before, run by the driver's
    ``executemany`` on plain tuples."""

    def __init__(self, table: Table, dialect: Dialect):
        self.table = table
        self.names = _column_names(table)
        self.known = frozenset(self.names)
        keys = _key_columns(table)
        processors = [column.type.dialect_impl(dialect).bind_processor(dialect) for column in table.columns]
        self.processed = [(i, processor) for i, processor in enumerate(processors) if processor is not None]
        preparer = dialect.identifier_preparer
        target = preparer.format_table(table)
        columns = ", ".join(preparer.quote(name) for name in self.names)
        others = [name for name in self.names if name not in keys]
        conflict = f" ON CONFLICT ({', '.join(preparer.quote(name) for name in keys)}) " + (
            "DO UPDATE SET " + ", ".join(f"{preparer.quote(n)} = excluded.{preparer.quote(n)}" for n in others)
            if others else "DO NOTHING"
        )
        self.postgres = dialect.name == "postgresql"
        if self.postgres:
            # The table's own row type gives every column its type; keys are the column names.
            self.insert_sql = (
                f"INSERT INTO {target} ({columns}) SELECT {columns} "
                f"FROM json_populate_recordset(NULL::{target}, %(rows)s::json)"
            )
        else:
            marks = ", ".join("?" for _ in self.names)
            self.insert_sql = f"INSERT INTO {target} ({columns}) VALUES ({marks})"
        self.upsert_sql = self.insert_sql + conflict

    def _values(self, rows: list[dict[str, Any]]) -> list[list[Any]]:
        names = self.names
        values = [[row.get(name) for name in names] for row in rows]
        for i, processor in self.processed:
            for value in values:
                value[i] = processor(value[i])
        return values

    def _execute(self, connection: Connection, sql: str, rows: list[dict[str, Any]]) -> None:
        values = self._values(rows)
        if self.postgres:
            names = self.names
            document = json.dumps([dict(zip(names, value)) for value in values], default=_json_value)
            connection.exec_driver_sql(sql, {"rows": document})
        else:
            connection.exec_driver_sql(sql, [tuple(value) for value in values])

    def upsert(self, connection: Connection, rows: list[dict[str, Any]]) -> None:
        self._execute(connection, self.upsert_sql, rows)

    def insert(self, connection: Connection, rows: list[dict[str, Any]]) -> None:
        for row in rows:
            if not row.keys() <= self.known:
                raise ProjectionError(f"{self.table.name}: unknown columns {sorted(row.keys() - self.known)}")
        self._execute(connection, self.insert_sql, rows)


def _json_value(value: Any) -> str:
    """Values JSON has no type for, as the text PostgreSQL reads them back from."""
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, (Decimal, UUID)):
        return str(value)
    raise TypeError(f"cannot write {type(value).__name__} {value!r} to a read model")


def _writer(table: Table, dialect: Dialect) -> _Writer:
    writers = table.info.setdefault("bulk_writers", {})
    if dialect.name not in writers:
        if dialect.name not in ("postgresql", "sqlite"):
            raise ProjectionError(f"read models are written on SQLite or PostgreSQL, not {dialect.name}")
        writers[dialect.name] = _Writer(table, dialect)
    return writers[dialect.name]


def _key_columns(table: Table) -> list[str]:
    return [column.name for column in table.primary_key.columns]


def _column_names(table: Table) -> list[str]:
    return [column.name for column in table.columns]


def all_topics(models: Iterable[ReadModel]) -> list[str]:
    return sorted({topic for model in models for topic in model.topics})
