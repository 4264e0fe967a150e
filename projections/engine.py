"""SQLAlchemy engines for the read models: the events' SQLite file by default, or PostgreSQL."""

from sqlalchemy import Engine, MetaData, create_engine, event, text
from sqlalchemy.pool import StaticPool

# Any fixed number: the PostgreSQL advisory lock that queues processes creating read-model tables.
DDL_LOCK = 0x4B414D50


def create_tables(engine: Engine, metadata: MetaData) -> None:
    """Create ``metadata``'s tables that are missing; processes starting together queue on
    ``DDL_LOCK`` on PostgreSQL (on the write lock on SQLite) instead of clashing."""
    with engine.connect().execution_options(immediate=True) as connection, connection.begin():
        if connection.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": DDL_LOCK})
        metadata.create_all(connection)


def make_engine(url: str) -> Engine:
    """``sqlite:///path``, ``sqlite://`` (memory, for replays) or ``postgresql+psycopg://…``."""
    if url.startswith("sqlite"):
        in_memory = url in ("sqlite://", "sqlite:///:memory:")
        engine = create_engine(
            url,
            # One connection for an in-memory database, or each connection would see an empty one.
            poolclass=StaticPool if in_memory else None,
            connect_args={"check_same_thread": False, "timeout": 30},
        )

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_connection, _record):  # type: ignore[no-untyped-def]
            # pysqlite's own transaction handling defers BEGIN; take control so a page of
            # projected rows and its tracking position commit (or roll back) together.
            dbapi_connection.isolation_level = None
            cursor = dbapi_connection.cursor()
            if not in_memory:
                cursor.execute("PRAGMA journal_mode=WAL")
                # A page of projected rows dirties thousands of database pages; with the default
                # (1,000) every commit would also checkpoint and fsync. Checkpoint every ~64 MB.
                cursor.execute("PRAGMA wal_autocheckpoint=16000")
                # The read models' indexes are written at random places (UUID and NIK keys): with
                # SQLite's default 2 MB page cache most inserts would re-read (and spill) pages.
                cursor.execute("PRAGMA cache_size=-65536")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.close()

        @event.listens_for(engine, "begin")
        def _begin(connection):  # type: ignore[no-untyped-def]
            # Writers ask for IMMEDIATE, taking the write lock up front: two workers then
            # serialise instead of failing to upgrade a read lock; readers stay deferred.
            immediate = connection.get_execution_options().get("immediate", False)
            connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

        return engine
    # No server-side prepared statements: psycopg prepares a query run five times, and PostgreSQL
    # may then keep a generic plan made while a read model's tables were still nearly empty (a
    # sequential scan), long after they have grown. Planning each statement afresh is cheap here.
    return create_engine(url, pool_pre_ping=True, connect_args={"prepare_threshold": None})
