"""The audit trail's hash chain over the event log, and ``kampung audit verify``: an event changed,
removed or inserted behind the application's back is found, at its position, on both stores; a
rebuild of the audit trail does not paper over it."""

import re
import uuid

import pytest
from click.testing import CliRunner

from domain.eventchain import GENESIS, chain_hash, event_hash
from domain.events import event_classes, events_of
from domain.user import User
from interfaces.cli.main import cli
from interfaces.consumers import build_runner
from projections.audit import SUMMARIES, AuditChainMismatch, chain_rows
from tests.integration import raw_store
from tests.integration.conftest import ADMIN
from tests.integration.raw_store import appointed_rts

INTACT = re.compile(r"intact up to position (\d+), head hash ([0-9a-f]{64})\n")


def verify(variables, *args):
    return CliRunner().invoke(cli, ["audit", "verify", *args], env=variables)


@pytest.fixture
def audited(store):
    """Six events (three RTs, each with its Ketua RT), audited; the store's variables and service."""
    variables, service = store
    appointed_rts(service)
    runner = build_runner(service)
    runner.catch_up()
    runner.engine.dispose()
    return variables, service


def test_every_event_class_is_audited_so_the_chain_covers_the_whole_log():
    # The chain runs over audited events only: an event class without a summary would be a part of
    # the log that nobody could prove untouched.
    recorded = (*event_classes(), *events_of(User))
    assert [cls.__qualname__ for cls in recorded if cls not in SUMMARIES] == []


def test_each_row_chains_the_hash_of_the_event_as_stored(app):
    appointed_rts(app, count=1)
    runner = build_runner(app)
    runner.catch_up()
    with runner.reading("audit") as (connection, tables):
        rows = chain_rows(connection, tables)
    stored = app.recorder.select_notifications(start=1, limit=10)
    previous = GENESIS
    assert [row.position for row in rows] == [n.id for n in stored]
    for row, n in zip(rows, stored):
        assert row.event_hash == event_hash(n.id, n.originator_id, n.originator_version, n.topic, n.state)
        assert row.chain_hash == chain_hash(previous, row.event_hash)
        previous = row.chain_hash
    runner.engine.dispose()


def test_an_untouched_log_is_intact_up_to_its_head(audited):
    variables, service = audited
    result = verify(variables)
    assert result.exit_code == 0, result.output
    position, head = INTACT.fullmatch(result.output).groups()
    assert int(position) == service.recorder.max_notification_id() == 6
    assert verify(variables, "--expect", f"{position}:{head}").exit_code == 0


def test_events_not_yet_audited_are_named_not_vouched_for(audited):
    variables, service = audited
    for number in (8, 9):  # two more events, stored but not yet audited
        service.register_rt("15.71.01.1001", number, ADMIN)
    result = verify(variables)
    assert result.exit_code == 0, result.output
    intact, pending = result.output.splitlines()
    assert INTACT.fullmatch(intact + "\n").group(1) == "6"
    assert pending.startswith("2 events after position 6 are not audited yet")


@pytest.mark.parametrize("tamper, found", [
    (lambda env: raw_store.replace_in_state(env, 4, b"Budi Santoso", b"Budi Santosa"), "position 4: event changed"),
    (lambda env: raw_store.delete(env, 3), "position 3: event removed"),
], ids=["edited", "removed"])
def test_an_edited_or_removed_event_is_found_at_its_position(audited, tamper, found):
    variables, service = audited
    tamper(service.env)
    result = verify(variables)
    assert result.exit_code == 1
    assert found in result.output


@pytest.mark.parametrize("sql_value", ["'Budi Santoso'", "NULL"], ids=["text", "null"])
def test_a_state_edited_into_text_or_null_is_found_at_its_position(audited, sql_value):
    variables, service = audited
    raw_store.set_state(service.env, 4, sql_value)
    result = verify(variables)
    assert result.exit_code == 1
    assert "position 4: event changed" in result.output


def test_an_inserted_event_is_found_at_its_position(audited):
    variables, service = audited
    raw_store.delete(service.env, 2)
    raw_store.insert_copy(service.env, of=1, at=2, originator_id=uuid.uuid4())
    result = verify(variables)
    assert result.exit_code == 1
    assert "position 2: event changed" in result.output
    raw_store.insert_copy(service.env, of=1, at=0, originator_id=uuid.uuid4())
    assert "position 0: event inserted" in verify(variables).output


def test_an_expected_head_hash_kept_off_site_must_match(audited):
    variables, _ = audited
    result = verify(variables, "--expect", f"6:{'0' * 64}")
    assert result.exit_code == 1
    assert "position 6: chain hash" in result.output and "not the expected" in result.output
    assert verify(variables, "--expect", "six").exit_code == 2


def test_a_rebuild_keeps_the_chain_of_an_untouched_log(audited):
    variables, service = audited
    before = INTACT.fullmatch(verify(variables).output).groups()
    runner = build_runner(service)
    assert runner.rebuild("audit").generation == 2
    assert INTACT.fullmatch(verify(variables).output).groups() == before
    runner.engine.dispose()


def test_a_rebuild_from_a_changed_log_is_refused_and_the_trail_kept(audited):
    variables, service = audited
    raw_store.replace_in_state(service.env, 2, b"Budi Santoso", b"Budi Santosa")
    runner = build_runner(service)
    with pytest.raises(AuditChainMismatch, match="no longer matches the audit trail up to position 6"):
        runner.rebuild("audit")
    assert next(status for status in runner.status() if status.name == "audit").generation == 1
    with runner.reading("audit") as (connection, tables):
        assert connection.execute(tables["events"].select().where(tables["events"].c.position == 2)).mappings().one()[
            "summary"] == "Budi Santoso ditetapkan sebagai Ketua RT"
    assert "position 2: event changed" in verify(variables).output
    runner.engine.dispose()


def test_an_audited_event_damaged_beyond_reading_is_parked_by_a_rebuild_and_the_changed_trail_refused(
    audited, monkeypatch
):
    monkeypatch.setenv("KAMPUNG_PROJECTION_BACKOFF", "0")
    variables, service = audited
    raw_store.replace_in_state(service.env, 4, b'"Budi Santoso"', b'"Budi \xff')
    rebuilt = CliRunner().invoke(cli, ["projections", "rebuild", "coverage", "audit"], env=variables)
    assert rebuilt.exit_code == 1
    assert "coverage: generation 2, position 6, lag 0, parked 1" in rebuilt.output
    # The new trail parks it too and chains it as it is now, which is not what was audited.
    assert "the event log no longer matches the audit trail up to position 6" in rebuilt.output
    assert "position 4: event changed" in verify(variables).output


def test_an_edited_audit_trail_breaks_its_own_chain(audited):
    variables, service = audited
    runner = build_runner(service)
    with runner.engine.begin() as connection:
        events = runner.tables("audit", 1)["events"]
        connection.execute(events.update().where(events.c.position == 5).values(event_hash="0" * 64))
    runner.engine.dispose()
    result = verify(variables)
    assert result.exit_code == 1 and "position 5: event chain broken" in result.output
