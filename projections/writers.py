"""How a unit of work's rows reach a read model's tables: in bulk, one writer per table and database,
its SQL built once, the values put through each column type's own bind processing (what SQLAlchemy
would do per row).

PostgreSQL: rows only ever inserted (the audit trail's) go in by ``COPY``; rows that may be there
already are ``COPY``\\ed into a temporary staging table and moved into the table by one
``INSERT … ON CONFLICT DO UPDATE``. ``COPY`` is the server's bulk path: about three times the rows a
second of an ``INSERT`` of the same rows sent as one JSON document (``bench/README.md``), for half
the client's work. SQLite: the driver's ``executemany`` of one prepared ``INSERT`` (``… ON CONFLICT``
for upserts) on plain tuples.
"""

from typing import Any

from sqlalchemy import Connection, Dialect, Table


class ProjectionError(Exception):
    """The event stream does not fit the read model (a row an event refers to is missing)."""


class TableWriter:
    def __init__(self, table: Table, dialect: Dialect):
        self.table = table
        self.names = column_names(table)
        self.known = frozenset(self.names)
        keys = key_columns(table)
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
            # A temporary table (this session's only, never logged) holding a flush's rows on their way
            # in; emptied by the statement that moves them, and by the commit.
            stage = preparer.quote(f"stage_{table.name}")
            self.copy_sql = f"COPY {target} ({columns}) FROM STDIN"
            self.stage_sql = (
                f"CREATE TEMPORARY TABLE IF NOT EXISTS {stage} (LIKE {target}) ON COMMIT DELETE ROWS"
            )
            self.stage_copy_sql = f"COPY {stage} ({columns}) FROM STDIN"
            self.merge_sql = (
                f"WITH moved AS (DELETE FROM {stage} RETURNING {columns}) "
                f"INSERT INTO {target} ({columns}) SELECT {columns} FROM moved{conflict}"
            )
        else:
            marks = ", ".join("?" for _ in self.names)
            self.insert_sql = f"INSERT INTO {target} ({columns}) VALUES ({marks})"
            self.upsert_sql = self.insert_sql + conflict

    def _values(self, rows: list[dict[str, Any]]) -> list[list[Any]]:
        names = self.names
        values = [list(map(row.get, names)) for row in rows]
        for i, processor in self.processed:
            for value in values:
                value[i] = processor(value[i])
        return values

    def _copy(self, connection: Connection, sql: str, rows: list[dict[str, Any]]) -> None:
        cursor = connection.connection.driver_connection.cursor()  # type: ignore[union-attr]
        with cursor.copy(sql) as copy:
            for value in self._values(rows):
                copy.write_row(value)

    def upsert(self, connection: Connection, rows: list[dict[str, Any]]) -> None:
        """New rows inserted, rows already there (by primary key) replaced."""
        if not self.postgres:
            connection.exec_driver_sql(self.upsert_sql, [tuple(value) for value in self._values(rows)])
            return
        connection.exec_driver_sql(self.stage_sql)
        self._copy(connection, self.stage_copy_sql, rows)
        connection.exec_driver_sql(self.merge_sql)

    def insert(self, connection: Connection, rows: list[dict[str, Any]]) -> None:
        """Rows that are not there yet (a key already taken fails the unit of work)."""
        for row in rows:
            if not row.keys() <= self.known:
                raise ProjectionError(f"{self.table.name}: unknown columns {sorted(row.keys() - self.known)}")
        if self.postgres:
            self._copy(connection, self.copy_sql, rows)
        else:
            connection.exec_driver_sql(self.insert_sql, [tuple(value) for value in self._values(rows)])


def writer(table: Table, dialect: Dialect) -> TableWriter:
    writers = table.info.setdefault("bulk_writers", {})
    if dialect.name not in writers:
        if dialect.name not in ("postgresql", "sqlite"):
            raise ProjectionError(f"read models are written on SQLite or PostgreSQL, not {dialect.name}")
        writers[dialect.name] = TableWriter(table, dialect)
    return writers[dialect.name]


def key_columns(table: Table) -> list[str]:
    return [column.name for column in table.primary_key.columns]


def column_names(table: Table) -> list[str]:
    return [column.name for column in table.columns]
