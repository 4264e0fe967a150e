"""``kampung export`` and ``kampung import``: the whole event store as JSON lines, restored into an
empty SQLite or PostgreSQL store with the same positions, the same read models and the same export."""

import json
from datetime import date

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from application.config import postgres_env
from application.service import KampungBahagia
from interfaces.cli.main import cli
from interfaces.consumers import build_runner
from tests.integration.conftest import ADMIN, covered_world
from tests.integration import raw_store
from tests.integration.raw_store import appointed_rts


def kampung(variables, *args):
    return CliRunner().invoke(cli, list(args), env=variables)


def read_models(service: KampungBahagia) -> bytes:
    """Every read model's tables, rows in primary-key order, as one canonical JSON document."""
    runner = build_runner(service)
    dump = {}
    for name in sorted(runner.models):
        with runner.reading(name) as (connection, tables):
            for table_name, table in sorted(tables.items()):
                rows = connection.execute(select(table).order_by(*table.primary_key.columns)).mappings()
                dump[f"{name}.{table_name}"] = [dict(row) for row in rows]
    runner.engine.dispose()
    return json.dumps(dump, sort_keys=True, default=str, ensure_ascii=False).encode()


@pytest.fixture
def source(tmp_path, clock):
    """An SQLite store with RTs, an activity with its task letter, a participant and a premium
    payment; its variables and service, read models current."""
    variables = {"KAMPUNG_DATA_DIR": str(tmp_path / "source")}
    (tmp_path / "source").mkdir()
    service = KampungBahagia(env={"PERSISTENCE_MODULE": "eventsourcing.sqlite", "CREATE_TABLE": "y",
                                  "SQLITE_DBNAME": str(tmp_path / "source" / "kampung.sqlite")}, clock=clock)
    world = covered_world(service)
    appointed_rts(service, count=2)
    service.record_premium_payment(world.activity_id, 100_000, "TRF-2025-0901", date(2025, 9, 1), ADMIN)
    build_runner(service).catch_up()
    yield variables, service
    service.close()


def export(variables, path) -> bytes:
    result = kampung(variables, "export", str(path))
    assert result.exit_code == 0, result.output
    return path.read_bytes()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def target(request, tmp_path):
    """The variables of a new, empty store, and the eventsourcing environment to open it."""
    if request.param == "sqlite":
        folder = tmp_path / "target"
        env = {"PERSISTENCE_MODULE": "eventsourcing.sqlite", "SQLITE_DBNAME": str(folder / "kampung.sqlite")}
        return {"KAMPUNG_DATA_DIR": str(folder)}, {**env, "CREATE_TABLE": "y"}
    url = request.getfixturevalue("postgres_url")
    return {"DATABASE_URL": url}, {**postgres_env(url), "CREATE_TABLE": "y"}


def test_export_import_round_trip_gives_the_same_store_and_read_models(source, target, tmp_path, clock):
    source_variables, source_service = source
    exported = export(source_variables, tmp_path / "export.jsonl")
    header, *events = (json.loads(line) for line in exported.splitlines())
    assert header["count"] == len(events) == source_service.recorder.max_notification_id()
    assert [event["position"] for event in events] == list(range(1, len(events) + 1))

    target_variables, target_env = target
    imported = kampung(target_variables, "import", str(tmp_path / "export.jsonl"))
    assert imported.exit_code == 0, imported.output
    assert f"Imported {header['count']} events" in imported.output and header["head"] in imported.output
    rebuilt = kampung(target_variables, "projections", "rebuild")
    assert rebuilt.exit_code == 0, rebuilt.output

    restored = KampungBahagia(env=target_env, clock=clock)
    try:
        assert read_models(restored) == read_models(source_service)
        assert export(target_variables, tmp_path / "again.jsonl") == exported
        verified = kampung(target_variables, "audit", "verify")
        assert verified.output == f"intact up to position {header['count']}, head hash {header['head']}\n"
        # New events go on after the restored positions.
        restored.register_rt("15.71.01.1001", 9, ADMIN)
        assert restored.recorder.max_notification_id() == header["count"] + 1
    finally:
        restored.close()


def test_export_to_stdout(source):
    variables, service = source
    result = kampung(variables, "export", "-")
    assert result.exit_code == 0
    # stdout is the export alone: the progress bar (a label when stderr is no terminal) is on stderr.
    assert len(result.stdout.splitlines()) == 1 + service.recorder.max_notification_id()


def refused_export(variables, service, tmp_path, sql_value):
    """An export of a store whose event at position 2 had its state column set to ``sql_value``."""
    raw_store.set_state(service.env, 2, sql_value)
    return kampung(variables, "export", str(tmp_path / "export.jsonl"))


def assert_refused_at_position_2(result, tmp_path):
    assert result.exit_code == 1
    assert "the stored event at position 2 cannot be decoded: run kampung audit verify" in result.output
    assert not (tmp_path / "export.jsonl").exists()


def test_an_export_stops_with_a_message_at_a_state_set_to_null(store, tmp_path):
    variables, service = store
    appointed_rts(service, count=1)
    assert_refused_at_position_2(refused_export(variables, service, tmp_path, "NULL"), tmp_path)


def test_an_export_stops_with_a_message_at_a_state_edited_into_text(source, tmp_path):
    variables, service = source
    assert_refused_at_position_2(refused_export(variables, service, tmp_path, "'x'"), tmp_path)


def test_an_import_into_a_store_with_events_is_refused_and_writes_nothing(source, tmp_path):
    variables, service = source
    export(variables, tmp_path / "export.jsonl")
    head = service.recorder.max_notification_id()
    result = kampung(variables, "import", str(tmp_path / "export.jsonl"))
    assert result.exit_code == 1
    assert "the event store is not empty: import only into a new, empty store" in result.output
    assert service.recorder.max_notification_id() == head


@pytest.mark.parametrize("damage, message", [
    (lambda lines: lines[:-1], "do not match its header (cut short or changed)"),
    (lambda lines: lines[:1] + [lines[1].replace('"version": 1', '"version": 7')] + lines[2:],
     "do not match its header"),
    (lambda lines: lines[:3] + ["{not json"] + lines[3:], "line 4 of the file is not a stored event"),
    (lambda lines: ['{"format": "csv"}'] + lines[1:], "not a kampung event export"),
    (lambda lines: [], "not a kampung event export"),
])
def test_a_damaged_file_is_refused_before_anything_is_written(source, target, tmp_path, clock, damage, message):
    lines = export(source[0], tmp_path / "export.jsonl").decode().splitlines()
    (tmp_path / "damaged.jsonl").write_text("".join(line + "\n" for line in damage(lines)))
    target_variables, target_env = target
    result = kampung(target_variables, "import", str(tmp_path / "damaged.jsonl"))
    assert result.exit_code == 2 and message in result.output
    restored = KampungBahagia(env=target_env, clock=clock)
    assert restored.recorder.max_notification_id() is None
    restored.close()


def test_a_plain_export_is_not_imported_into_an_encrypted_store(source, tmp_path):
    export(source[0], tmp_path / "export.jsonl")
    key = kampung({}, "keys", "generate").output.strip()
    keyed = {"KAMPUNG_DATA_DIR": str(tmp_path / "keyed"), "KAMPUNG_ENCRYPTION_KEY": key}
    result = kampung(keyed, "import", str(tmp_path / "export.jsonl"))
    assert result.exit_code == 2 and "set KAMPUNG_ENCRYPTION_KEY as on the source" in result.output
