"""One bad event never stops the read models (issue 12): an event a read model cannot apply —
whatever the cause — is retried, then parked in that model's parked table, and the model goes on
with the next event; the other models never notice; a replay after a fix applies it; a rebuild
parks it again and finishes; the audit trail's chain runs through it. On SQLite and PostgreSQL."""

import json
import threading
from datetime import date

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from interfaces.cli.main import cli
from interfaces.consumers import MODELS, build_runner
from projections import coverage, parking
from projections.audit import AuditFilter, audit_rows, chain_rows
from projections.runner import ProjectionRunner
from tests.integration.conftest import ADMIN, COVER, KETUA, KETUA_NIK, launched_rt
from tests.integration.poison import NUL_TITLE, Broken, make_undecodable, plan_poisoned_activity, repair
from tests.integration.raw_store import appointed_rts
from tests.integration.test_projections import dump, renamed


@pytest.fixture(autouse=True)
def quick_retries(monkeypatch):
    """Retries without waiting: the backoff is a setting (the number of attempts keeps its default, 3)."""
    monkeypatch.setenv("KAMPUNG_PROJECTION_BACKOFF", "0")


def parked_by(runner: ProjectionRunner) -> dict[str, list[tuple]]:
    """Each model's parked events as (position, event type, attempts, the position it waits behind)."""
    return {name: [(event.position, event.event_type, event.attempts, event.behind) for event in runner.parked(name)]
            for name in runner.models}


def where(runner: ProjectionRunner) -> dict[str, tuple[int, int, int]]:
    """Each model's (position, lag, parked)."""
    return {status.name: (status.position, status.lag, status.parked) for status in runner.status()}


def fresh(runner: ProjectionRunner, app) -> ProjectionRunner:
    """The same read models under other names (``coverage_fresh`` …), built by a runner nothing breaks."""
    clean = ProjectionRunner(runner.engine, app.recorder, app.mapper, [renamed(model, "fresh") for model in MODELS])
    clean.setup()
    clean.catch_up()
    return clean


def verify(variables):
    return CliRunner().invoke(cli, ["audit", "verify"], env=variables)


def test_a_title_holding_a_nul_is_parked_by_coverage_on_postgresql_and_every_other_event_applied(
    app, runner, store_env
):
    rt_id = launched_rt(app)
    poisoned = plan_poisoned_activity(app, rt_id)
    planned_at = app.recorder.max_notification_id()
    app.issue_task_letter(poisoned, "ST/009/RT-005/IX/2025", COVER.start, COVER, KETUA_NIK, KETUA)
    letter_at = planned_at + 1
    healthy = app.plan_activity(rt_id, "Kerja bakti jalan setapak", "road_repair", "Gang Mawar", 20_000_000, COVER,
                                ADMIN)

    runner.catch_up()

    head = app.recorder.max_notification_id()
    if store_env["PERSISTENCE_MODULE"] == "eventsourcing.postgres":
        # PostgreSQL text holds no NUL; the activity's task letter waits behind its planning.
        assert parked_by(runner)["coverage"] == [(planned_at, "ActivityPlanned", 3, None),
                                                 (letter_at, "TaskLetterIssued", 0, planned_at)]
        assert "DataError: PostgreSQL text fields cannot contain NUL" in runner.parked("coverage")[0].error
        assert where(runner)["coverage"] == (head, 0, 2)
    else:
        assert where(runner)["coverage"] == (head, 0, 0)  # SQLite takes the same title
    assert where(runner)["audit"] == where(runner)["claims"] == (head, 0, 0)
    with runner.reading("coverage") as (connection, tables):
        assert coverage.activity_summary(connection, tables, str(healthy))["premium_assessed"] == 48_000
    # The audit trail records it on both: the summary shows the NUL, the payload keeps it (as JSON's \u0000).
    with runner.reading("audit") as (connection, tables):
        planned = audit_rows(connection, tables, AuditFilter(aggregate_id=str(poisoned)))[0]
    assert planned["summary"].startswith("Kegiatan “nul␀byte” direncanakan")
    assert "\\u0000" in planned["payload"] and json.loads(planned["payload"])["title"] == NUL_TITLE

    # A store already holding such an event is brought back by a rebuild: it parks the event and finishes.
    parked_before = parked_by(runner)["coverage"]
    rebuilt = runner.rebuild("coverage")
    assert (rebuilt.generation, rebuilt.position, rebuilt.lag) == (2, head, 0)
    assert parked_by(runner)["coverage"] == parked_before


def test_an_event_a_handler_refuses_is_retried_then_parked_and_the_model_goes_on_alone(app, runner):
    appointed_rts(app)  # positions 1 to 6: RTs 1, 2 and 3 registered, each with its Ketua RT appointed
    broken = Broken(runner.models["coverage"], positions=[3])  # RT 2's registration

    runner.catch_up()

    assert where(runner) == {"coverage": (6, 0, 2), "audit": (6, 0, 0), "claims": (6, 0, 0)}
    # Tried with its page, then alone as often as the policy says; RT 2's appointment is not tried.
    assert (broken.calls[3], broken.calls[4]) == (1 + runner.retry.max_failures, 0)
    assert parked_by(runner)["coverage"] == [(3, "RTRegistered", 3, None), (4, "KetuaRTAppointed", 0, 3)]
    event = runner.parked("coverage")[0]
    assert event.error == "ProjectionError: no row for the event at position 3"
    assert event.first_failed_at == event.last_failed_at
    with runner.reading("coverage") as (connection, tables):
        ketua = {row.rt_number: row.ketua_name for row in connection.execute(select(tables["rts"]))}
    assert ketua == {1: "Budi Santoso", 3: "Budi Santoso"}  # the events after it are applied
    clean = fresh(runner, app)
    assert dump(runner, "audit") == dump(clean, "audit_fresh")
    assert dump(runner, "claims") == dump(clean, "claims_fresh")

    broken.fix()
    assert runner.replay_parked("coverage") == (2, 0)
    assert where(runner)["coverage"] == (6, 0, 0)
    assert dump(runner, "coverage") == dump(clean, "coverage_fresh")


def test_an_event_that_fails_only_for_a_moment_is_applied_and_nothing_is_parked(app, runner):
    appointed_rts(app, count=1)
    broken = Broken(runner.models["coverage"], positions=[2], times=2)  # with its page, then once alone
    runner.catch_up()
    assert where(runner)["coverage"] == (2, 0, 0) and broken.calls[2] == 3
    assert dump(runner, "coverage") == dump(fresh(runner, app), "coverage_fresh")


def test_an_aggregates_later_events_wait_behind_its_parked_one_and_a_replay_applies_them_in_order(app, runner):
    rt_ids = appointed_rts(app, count=2)  # 1 to 4
    broken = Broken(runner.models["coverage"], positions=[3])  # RT 2's registration
    runner.catch_up()
    app.enrol_rt(rt_ids[1], "pilot", date(2025, 8, 1), ADMIN)  # 5: RT 2 again, in a later catch-up
    app.enrol_rt(rt_ids[0], "pilot", date(2025, 8, 1), ADMIN)  # 6: RT 1
    runner.catch_up()
    assert parked_by(runner)["coverage"] == [
        (3, "RTRegistered", 3, None), (4, "KetuaRTAppointed", 0, 3), (5, "RTEnrolled", 0, 3)]
    assert broken.calls[4] == broken.calls[5] == 0 and broken.calls[6] == 1

    # Not fixed yet: the first fails again, the others stay behind it untried.
    assert runner.replay_parked("coverage") == (0, 3)
    assert parked_by(runner)["coverage"] == [
        (3, "RTRegistered", 4, None), (4, "KetuaRTAppointed", 0, 3), (5, "RTEnrolled", 0, 3)]
    assert broken.calls[4] == broken.calls[5] == 0

    broken.fix()
    assert runner.replay_parked("coverage") == (3, 0)
    assert dump(runner, "coverage") == dump(fresh(runner, app), "coverage_fresh")


def test_an_undecodable_stored_event_is_parked_by_each_model_that_takes_it(app, runner):
    appointed_rts(app)
    make_undecodable(app.env, 4)  # RT 2's Ketua RT
    runner.catch_up()
    assert parked_by(runner) == {"coverage": [(4, "KetuaRTAppointed", 3, None)],
                                 "audit": [(4, "KetuaRTAppointed", 3, None)], "claims": []}
    assert runner.parked("audit")[0].error == (
        "UndecodableEvent: the stored event at position 4 cannot be decoded: run kampung audit verify")
    assert all(status.position == 6 for status in runner.status())
    with runner.reading("audit") as (connection, tables):
        assert [row["position"] for row in audit_rows(connection, tables, AuditFilter())] == [1, 2, 3, 5, 6]

    assert runner.replay_parked("coverage") == (0, 1)  # still undecodable: it stays, the failure counted
    again = runner.parked("coverage")[0]
    assert again.attempts == 4 and again.last_failed_at >= again.first_failed_at


def test_a_parked_audit_event_stays_in_the_chain_and_verify_names_it_until_it_is_replayed(store):
    variables, service = store
    appointed_rts(service)
    runner = build_runner(service)
    broken = Broken(runner.models["audit"], positions=[3])
    runner.catch_up()

    result = verify(variables)
    assert result.exit_code == 1
    # The rows after it chain through its link (its hash as stored), so the chain is judged to the head …
    assert "intact up to position 6" in result.output
    # … but the trail does not say who did what at position 3, and verify says so.
    assert "parked, so chained but not recorded in the audit trail: the events at positions 3" in result.output

    broken.fix()
    replayed = CliRunner().invoke(cli, ["projections", "replay-parked", "audit"], env=variables)
    assert replayed.exit_code == 0, replayed.output
    assert "audit: 1 replayed, 0 still parked" in replayed.output
    assert verify(variables).exit_code == 0
    clean = fresh(runner, service)
    with runner.reading("audit") as (connection, tables), clean.reading("audit_fresh") as (other, other_tables):
        assert chain_rows(connection, tables) == chain_rows(other, other_tables)  # as if never parked
    runner.engine.dispose()


def test_a_parked_event_changed_since_it_was_chained_is_not_replayed_into_the_trail(store):
    variables, service = store
    appointed_rts(service)
    make_undecodable(service.env, 4)
    runner = build_runner(service)
    runner.catch_up()
    repair(service.env, 4)  # the bytes put back: no longer those the chain holds

    assert runner.replay_parked("audit") == (0, 1)
    assert "the stored event at position 4 changed after the audit trail chained it" in runner.parked("audit")[0].error
    assert runner.replay_parked("coverage") == (1, 0)  # coverage keeps no chain: it takes the event now
    assert "position 4: event changed" in verify(variables).output
    runner.engine.dispose()


def test_a_rebuild_parks_afresh_what_still_fails_and_forgets_the_old_generations_parked_events(app, runner):
    appointed_rts(app)
    broken = Broken(runner.models["claims"], positions=[3])  # RT 2's registration, on the claims board
    runner.catch_up()
    status = runner.rebuild("claims")
    assert (status.generation, status.position, status.lag, status.parked) == (2, 6, 0, 1)
    with runner.engine.connect() as connection:
        assert parking.count(connection, "claims", 1) == 0
    broken.fix()
    assert runner.replay_parked("claims") == (1, 0)
    assert dump(runner, "claims") == dump(fresh(runner, app), "claims_fresh")


def test_an_event_recorded_during_a_rebuild_that_fails_is_parked_before_the_swap(app, runner):
    appointed_rts(app, count=1)  # 1 and 2
    runner.catch_up()
    broken = Broken(runner.models["coverage"], positions=[3])
    follow = runner._follow

    def follow_then_record(name, head, generation=None, progress=None):
        applied = follow(name, head, generation, progress)
        if app.recorder.max_notification_id() == 2:
            app.register_rt("15.71.01.1001", 9, ADMIN)  # 3, recorded before the rebuild's last step
        return applied

    runner._follow = follow_then_record
    status = runner.rebuild("coverage")
    # The last step (holding the live model's lock) met it and gave way; it was parked outside the lock.
    assert (status.generation, status.position, status.parked) == (2, 3, 1)
    assert broken.calls[3] == 1 + 1 + runner.retry.max_failures


def test_two_workers_meeting_the_same_bad_event_park_it_once(app):
    appointed_rts(app)
    workers = [build_runner(app, page_size=3) for _ in range(2)]
    for worker in workers:
        Broken(worker.models["coverage"], positions=[3])
    errors = []

    def work(worker):
        try:
            worker.catch_up()
        except Exception as error:  # noqa: BLE001 - the assertion below reports it
            errors.append(error)

    threads = [threading.Thread(target=work, args=(worker,)) for worker in workers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    assert [(position, behind) for position, _, _, behind in parked_by(workers[0])["coverage"]] == [(3, None), (4, 3)]
    assert where(workers[1])["coverage"] == (6, 0, 2)
    for worker in workers:
        worker.engine.dispose()
