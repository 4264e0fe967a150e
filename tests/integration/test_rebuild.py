"""Rebuilding read models fast (issue 15): a rebuild is a bulk load into a new generation — tables
without their secondary indexes, big pages, then the indexes and statistics — swapped in when caught
up, and it gives the tables a catch-up gives: every row, the same parked events, the same audit
chain. ``kampung projections rebuild`` of several models runs one process per model on PostgreSQL.
On SQLite and PostgreSQL."""

from functools import partial

import pytest
from sqlalchemy import inspect, select

from application.config import postgres_env
from application.service import KampungBahagia
from interfaces.consumers import build_runner, open_log
from projections.audit import chain_rows
from projections.parallel import RebuildFailed, rebuild_all
from projections.readmodel import Rows
from tests.integration.conftest import ADMIN
from tests.integration.history import make_history
from tests.integration.poison import make_undecodable
from tests.integration.test_parking import parked_by
from tests.integration.test_projections import dump


@pytest.fixture(autouse=True)
def quick_retries(monkeypatch):
    """Retries without waiting (the workers take the runner's policy)."""
    monkeypatch.setenv("KAMPUNG_PROJECTION_BACKOFF", "0")


@pytest.fixture
def history(app, clock):
    made = make_history(app, clock)
    make_undecodable(app.env, 2)  # the Ketua RT's appointment: coverage parks it and its RT's later events
    return made


def everything(runner) -> dict[str, object]:
    """What the read models hold: every row, the parked events, the audit chain."""
    with runner.reading("audit") as (connection, tables):
        chain = [tuple(row) for row in chain_rows(connection, tables)]
    return {"rows": {name: dump(runner, name) for name in runner.models}, "parked": parked_by(runner),
            "chain": chain}


def indexes(runner, name: str, generation: int) -> dict[str, set[str]]:
    """The indexes each table of a generation has in the database, and the ones its model declares."""
    inspector = inspect(runner.engine)
    return {table.name: ({index["name"] for index in inspector.get_indexes(table.name)},
                         {index.name for index in table.indexes})
            for table in runner.tables(name, generation).values()}


def test_a_rebuild_in_pages_gives_the_tables_a_catch_up_gives(app, runner, history):
    runner.catch_up()
    caught_up = everything(runner)
    assert caught_up["parked"]["coverage"] and caught_up["parked"]["audit"]
    runner.rebuild_page_size = 4  # an activity's events span pages: its row is upserted over the one written
    for name in runner.models:
        status = runner.rebuild(name)
        assert (status.generation, status.lag) == (2, 0)
        declared = indexes(runner, name, 2)
        assert all(found == wanted for found, wanted in declared.values()), declared
    assert everything(runner) == caught_up


def test_every_read_model_rebuilt_at_once_matches_a_catch_up_and_the_old_generation_is_dropped(app, runner, history):
    runner.catch_up()
    caught_up = everything(runner)
    old_tables = [table.name for name in runner.models for table in runner.tables(name, 1).values()]

    # Below PROCESSES_FROM events a log is rebuilt in this process; here it takes the processes' path
    # on PostgreSQL (SQLite, one writer at a time, always rebuilds here).
    outcomes = rebuild_all(runner, list(runner.models), partial(open_log, dict(app.env)), processes_from=0)

    assert [(outcome.name, outcome.error) for outcome in outcomes] == [(name, None) for name in runner.models]
    assert {outcome.status.generation for outcome in outcomes} == {2}
    assert all(outcome.built.seconds > 0 for outcome in outcomes)
    assert everything(runner) == caught_up
    with runner.engine.connect() as connection:
        assert not any(runner.engine.dialect.has_table(connection, table) for table in old_tables)
    for name in runner.models:
        assert all(found == wanted for found, wanted in indexes(runner, name, 2).values())


def test_events_recorded_while_the_models_are_built_are_applied_before_the_swap(app, runner, history):
    runner.catch_up()
    catch_up_generation, recorded = runner.catch_up_generation, []

    def record_then_catch_up(name, generation, progress=None):
        if not recorded:  # on PostgreSQL the workers have built every model by now
            recorded.append(app.register_rt("15.71.01.1001", 9, ADMIN))
        return catch_up_generation(name, generation, progress)

    runner.catch_up_generation = record_then_catch_up
    outcomes = rebuild_all(runner, list(runner.models), partial(open_log, dict(app.env)), processes_from=0)

    head = app.recorder.max_notification_id()
    assert {(outcome.status.generation, outcome.status.position) for outcome in outcomes} == {(2, head)}
    with runner.reading("coverage") as (connection, tables):
        assert 9 in {row.rt_number for row in connection.execute(select(tables["rts"]))}


@pytest.fixture
def postgres_app(postgres_url, clock):
    service = KampungBahagia(env={**postgres_env(postgres_url), "CREATE_TABLE": "y"}, clock=clock)
    yield service
    service.close()


@pytest.mark.postgres
def test_a_worker_that_fails_leaves_its_model_as_it_was(postgres_app, clock):
    make_history(postgres_app, clock)
    runner = build_runner(postgres_app, page_size=7)
    runner.catch_up()
    before = everything(runner)
    unreadable = partial(open_log, {**postgres_app.env, "PERSISTENCE_MODULE": "eventsourcing.no_such_store"})

    outcomes = rebuild_all(runner, ["coverage", "audit"], unreadable, processes_from=0)

    assert [type(outcome.error) for outcome in outcomes] == [RebuildFailed, RebuildFailed]
    assert str(outcomes[0].error).startswith("the rebuild of read model coverage failed: ")
    assert {status.name: status.generation for status in runner.status()} == {"coverage": 1, "audit": 1,
                                                                              "claims": 1}
    assert everything(runner) == before
    with runner.engine.connect() as connection:
        assert not any(runner.engine.dialect.has_table(connection, table.name)
                       for name in ("coverage", "audit") for table in runner.tables(name, 2).values())
    runner.engine.dispose()


def test_a_row_written_twice_in_one_transaction_holds_the_second_write(app, runner, history):
    """The staging table of a PostgreSQL upsert is emptied by each write (a swap applies several
    pages in one transaction)."""
    runner.catch_up()
    with runner.engine.begin() as connection:
        tables = runner.tables("claims", 1)
        for code in ("first", "second"):
            rows = Rows(connection, tables)
            rows.put("rts", rt_id="rt-twice", code=code, kelurahan="Sipin", kecamatan="Telanaipura")
            rows.flush()
    with runner.reading("claims") as (connection, tables):
        rts = tables["rts"]
        assert connection.execute(select(rts.c.code).where(rts.c.rt_id == "rt-twice")).scalars().all() == ["second"]

