"""The COPY loader of ``make bench-scale`` (``bench/projections_loader.py``) writes the log that
``app.save`` writes for the same generated year: the same stored events, byte for byte, at the same
positions; they decode; the read models built from it are the same; the application's next event
comes after them. PostgreSQL only: the loader COPYs into the library's PostgreSQL table."""

import pytest

from application.config import postgres_env
from application.service import KampungBahagia
from bench.projections_loader import load
from bench.projections_measure import drop_read_models
from bench.projections_sim import generate
from interfaces.consumers import build_runner
from tests.integration.conftest import ADMIN
from tests.integration.raw_store import raw
from tests.integration.test_projections import dump

EVENTS, RTS = 1500, 12  # a small year: every kind of event, a few seconds


@pytest.fixture
def service(postgres_url, clock):
    app = KampungBahagia(env={**postgres_env(postgres_url), "CREATE_TABLE": "y"}, clock=clock)
    yield app
    app.close()


def stored_log(env: dict[str, str]) -> list[tuple]:
    with raw(env) as (connection, table, position):
        return [tuple(row) for row in connection.execute(
            f"SELECT {position}, originator_id, originator_version, topic, state FROM {table} ORDER BY {position}")]


def read_models(app: KampungBahagia) -> dict[str, dict[str, list[tuple]]]:
    """Every read model caught up from position 0 into fresh tables, its rows."""
    runner = build_runner(app)
    drop_read_models(runner.engine)
    runner.setup()
    runner.catch_up()
    rows = {name: dump(runner, name) for name in runner.models}
    drop_read_models(runner.engine)
    runner.engine.dispose()
    return rows


@pytest.mark.postgres
def test_the_copy_loader_writes_the_log_app_save_writes(service):
    saved = generate(service, EVENTS, RTS, progress=False)
    by_save, models_by_save = stored_log(service.env), read_models(service)
    with raw(service.env) as (connection, table, _):
        connection.execute(f"TRUNCATE {table}, kampungbahagia_snapshots")

    loaded = load(service, EVENTS, RTS, progress=False)

    assert (loaded.events, loaded.aggregates) == (saved.events, saved.aggregates) and loaded.events >= EVENTS
    assert stored_log(service.env) == by_save
    assert len({topic for _, _, _, topic, _ in by_save}) > 20  # RTs, activities, claims through their lives
    for notification in service.recorder.select_notifications(start=1, limit=EVENTS * 2):
        service.mapper.to_domain_event(notification)
    assert read_models(service) == models_by_save
    service.register_rt("15.71.01.1001", 99, ADMIN)
    with raw(service.env) as (connection, table, position):
        assert connection.execute(f"SELECT MAX({position}) FROM {table}").fetchone()[0] == len(by_save) + 1
