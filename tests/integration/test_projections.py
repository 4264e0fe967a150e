"""Read models from the event stream: what they hold, and their guarantees — exactly-once,
resumable, rebuildable, replayable as of a past moment — on SQLite and PostgreSQL."""

import threading
from datetime import date, datetime

import pytest
from sqlalchemy import select

from domain.period import JAKARTA
from interfaces.consumers import MODELS
from projections import audit, claims, coverage, figures
from projections.replay import as_of
from projections.runner import ProjectionRunner
from tests.integration.conftest import AHMAD, SITI
from tests.integration.history import DEWI, RUDI, make_history


def dump(runner: ProjectionRunner, name: str) -> dict[str, list[tuple]]:
    """Every row of a read model's current tables, keyed by table, in a stable order."""
    with runner.reading(name) as (connection, tables):
        return {
            key: sorted(tuple(row) for row in connection.execute(select(table)))
            for key, table in tables.items()
        }


def renamed(model_class, suffix: str):
    """The same read model under another name: its own tables and position in the same database."""
    return type(f"{model_class.__name__}{suffix}", (model_class,), {"name": f"{model_class.name}_{suffix}"})()


@pytest.fixture
def history(app, clock):
    return make_history(app, clock)


def test_coverage_answers_who_is_covered_at_a_moment_as_the_rule_says(app, runner, history):
    runner.catch_up()
    moments = [datetime(2025, 9, day, hour, tzinfo=JAKARTA) for day in range(1, 25) for hour in (0, 9, 23)]
    with runner.reading("coverage") as (connection, tables):
        for nik in (SITI, AHMAD, DEWI, RUDI):
            for moment in moments:
                expected = [
                    letter.number
                    for activity_id in (history["drainage"], history["road"])
                    if (letter := app.get_activity(activity_id).cover_for(nik, moment)) is not None
                ]
                found = [cover.task_letter_number for cover in coverage.cover_at(connection, tables, nik, moment)]
                assert found == expected, (nik, moment)


def test_coverage_lists_a_persons_covers_with_status(runner, history):
    runner.catch_up()
    with runner.reading("coverage") as (connection, tables):
        ahmad = coverage.covers_of(connection, tables, AHMAD, date(2025, 9, 15))
        dewi = coverage.covers_of(connection, tables, DEWI, date(2025, 9, 15))
        siti = coverage.covers_of(connection, tables, SITI, date(2025, 10, 15))
    assert [(c["title"], c["status"], c["kelurahan"]) for c in ahmad] == [
        ("Pembersihan drainase", "withdrawn", "Simpang IV Sipin")
    ]
    assert [c["status"] for c in dewi] == ["cancelled"]
    assert [(c["status"], c["cover_start"], c["cover_end"]) for c in siti] == [
        ("ended", date(2025, 9, 1), date(2025, 9, 30))
    ]


def test_activity_premium_and_totals_per_kecamatan(runner, history):
    runner.catch_up()
    with runner.reading("coverage") as (connection, tables):
        drainage = coverage.activity_summary(connection, tables, str(history["drainage"]))
        road = coverage.activity_summary(connection, tables, str(history["road"]))
        per_kecamatan = figures.totals(connection, tables, "kecamatan", date(2025, 9, 15))
        city = figures.premium(connection, tables)
    assert (drainage["premium_assessed"], drainage["premium_paid"], drainage["premium_outstanding"]) == (
        120_000, 100_000, 20_000)
    assert [p["nik"] for p in drainage["participants"]] == [AHMAD, SITI]  # joined together: by NIK
    assert (road["total_value"], road["premium_assessed"], road["status"]) == (35_000_000, 84_000, "cancelled")
    by_name = {row["key"]: row for row in per_kecamatan}
    assert by_name["Telanaipura"]["rts"] == 1 and by_name["Jambi Timur"]["rts"] == 1
    # On 15 September only Siti is covered: Ahmad withdrew, the road works were cancelled.
    assert by_name["Telanaipura"]["covered"] == 1
    # The cancelled road works owe no premium: only the drainage's counts, in the areas and city-wide.
    assert by_name["Telanaipura"]["premium_assessed"] == 120_000
    assert by_name["Telanaipura"]["premium_paid"] == 100_000
    assert (city["premium_assessed"], city["premium_paid"], city["premium_outstanding"]) == (120_000, 100_000, 20_000)
    assert by_name["Jambi Timur"]["covered"] == 0 and by_name["Jambi Timur"]["activities"] == 0


def test_the_audit_trail_has_one_row_per_stored_event(app, runner, history):
    runner.catch_up()
    head = app.recorder.max_notification_id()
    with runner.reading("audit") as (connection, tables):
        rows = audit.audit_rows(connection, tables, audit.AuditFilter(limit=1000))
        positions = [row["position"] for row in rows]
        assert positions == list(range(1, head + 1))
        for notification, row in zip(app.recorder.select_notifications(start=1, limit=1000), rows):
            event = app.mapper.to_domain_event(notification)
            assert (row["aggregate_id"], row["version"], row["actor_id"]) == (
                str(event.originator_id), event.originator_version, event.actor.user_id)
            assert row["event_type"] == type(event).__name__
            assert row["recorded_at"] == event.timestamp
        claim_rows = audit.audit_rows(connection, tables, audit.AuditFilter(aggregate_id=str(history["paid"])))
        assert [row["event_type"] for row in claim_rows][-3:] == ["SantunanPaid", "SantunanPaid", "ClaimClosed"]
        assert "Santunan dibayar Rp 400.000 kepada Siti Aminah" in claim_rows[-3]["summary"]
        officer = audit.audit_rows(connection, tables, audit.AuditFilter(actor_id="petugas.klaim.1", limit=1000))
        assert officer and all(row["actor_role"] == "claim_officer" for row in officer)
        letters = audit.audit_rows(connection, tables, audit.AuditFilter(event_type="TaskLetterIssued"))
        assert len(letters) == 2
        page_one = audit.audit_rows(connection, tables, audit.AuditFilter(limit=10))
        page_two = audit.audit_rows(connection, tables, audit.AuditFilter(after=page_one[-1]["position"], limit=10))
        assert [r["position"] for r in page_one + page_two] == list(range(1, 21))
        september_4 = audit.audit_rows(connection, tables, audit.AuditFilter(
            since=datetime(2025, 9, 4, tzinfo=JAKARTA), until=datetime(2025, 9, 5, tzinfo=JAKARTA), limit=1000))
        assert september_4 and all(
            datetime(2025, 9, 4, tzinfo=JAKARTA) <= row["recorded_at"] <= datetime(2025, 9, 5, tzinfo=JAKARTA)
            for row in september_4)


def test_the_claims_board_counts_and_sums_per_status_and_month(runner, history, clock):
    runner.catch_up()
    with runner.reading("claims") as (connection, tables):
        board = {row["claim_id"]: row for row in claims.board(connection, tables, clock.now())}
        statuses = {row["status"]: row for row in claims.by_status(connection, tables)}
        months = claims.by_month(connection, tables)
    paid, denied, assessed = (board[str(history[key])] for key in ("paid", "denied", "assessed"))
    assert (paid["status"], paid["paid_amount"], paid["approved_amount"], paid["late"]) == ("closed", 900_000,
                                                                                           900_000, False)
    assert (denied["status"], denied["late"], denied["kelurahan"]) == ("coverage_denied", True, "Simpang IV Sipin")
    assert (assessed["status"], assessed["assessed_amount"]) == ("assessed", 195_146_704)
    assert paid["days_open"] == 1 and assessed["days_open"] == 1
    assert {status: row["claims"] for status, row in statuses.items()} == {
        "closed": 1, "coverage_denied": 1, "assessed": 1}
    assert months == [{"month": "2025-09", "claims": 3, "approved": 900_000, "paid": 900_000, "late": 1}]


@pytest.mark.parametrize("crash", ["first", "second page", "middle", "last"])
def test_a_crash_after_any_event_and_a_restart_give_the_same_tables(app, runner, history, crash):
    runner.catch_up()
    head = app.recorder.max_notification_id()

    class Crash(BaseException):
        """The process dies here: not an event the model cannot apply (that would be parked)."""

    models = [renamed(model, "b") for model in MODELS]
    crashing = ProjectionRunner(runner.engine, app.recorder, app.mapper, models, page_size=7)
    crashing.setup()
    for model in models:
        handled = len(app.recorder.select_notifications(start=1, limit=10_000, topics=model.topics))
        crash_at = {"first": 1, "second page": 8, "middle": handled // 2, "last": handled}[crash]
        calls = 0
        original = model.apply

        def exploding(event, position, rows, original=original, crash_at=crash_at):
            nonlocal calls
            calls += 1
            if calls == crash_at:
                raise Crash(position)
            original(event, position, rows)

        model.apply = exploding
        with pytest.raises(Crash):
            crashing.catch_up([model.name])
        assert next(s for s in crashing.status() if s.name == model.name).position < head

    restarted = ProjectionRunner(runner.engine, app.recorder, app.mapper,
                                 [renamed(model, "b") for model in MODELS], page_size=7)
    restarted.setup()
    restarted.catch_up()
    for model in MODELS:
        assert dump(restarted, f"{model.name}_b") == dump(runner, model.name)
    assert all(status.lag == 0 for status in restarted.status())


def test_a_runner_resumes_from_its_stored_position(app, runner, history):
    head = app.recorder.max_notification_id()
    runner.catch_up(stop=head // 2)
    assert {status.position for status in runner.status()} == {head // 2}
    resumed = ProjectionRunner(runner.engine, app.recorder, app.mapper, [model() for model in MODELS], page_size=5)
    resumed.setup()
    applied = resumed.catch_up()
    assert {status.lag for status in resumed.status()} == {0}
    fresh = ProjectionRunner(runner.engine, app.recorder, app.mapper, [renamed(m, "fresh") for m in MODELS])
    fresh.setup()
    fresh.catch_up()
    for model in MODELS:
        assert dump(resumed, model.name) == dump(fresh, f"{model.name}_fresh")
    assert applied > 0


def test_a_rebuild_fills_fresh_tables_and_swaps_them_in_only_when_caught_up(app, runner, history):
    runner.catch_up()
    before = dump(runner, "coverage")
    seen_during_rebuild = []
    original = runner._apply

    def observing(connection, name, generation, notifications):
        # Whatever the rebuild has done so far, a reader sees the complete old generation.
        seen_during_rebuild.append(dump(runner, "coverage"))
        return original(connection, name, generation, notifications)

    runner._apply = observing
    status = runner.rebuild("coverage")
    runner._apply = original
    assert status.generation == 2 and status.lag == 0
    assert seen_during_rebuild and all(seen == before for seen in seen_during_rebuild)
    assert dump(runner, "coverage") == before
    old_tables = runner.tables("coverage", 1)
    with runner.engine.connect() as connection:
        assert not any(runner.engine.dialect.has_table(connection, t.name) for t in old_tables.values())


def test_two_workers_following_the_log_never_apply_an_event_twice(app, store_env, history):
    from interfaces.consumers import build_runner

    first, second = build_runner(app, page_size=3), build_runner(app, page_size=3)
    errors = []

    def work(worker):
        try:
            worker.catch_up()
        except Exception as error:  # noqa: BLE001 - the assertion below reports it
            errors.append(error)

    threads = [threading.Thread(target=work, args=(worker,)) for worker in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    single = ProjectionRunner(first.engine, app.recorder, app.mapper, [renamed(m, "single") for m in MODELS])
    single.setup()
    single.catch_up()
    for model in MODELS:
        assert dump(first, model.name) == dump(single, f"{model.name}_single")
    for worker in (first, second):
        worker.engine.dispose()


def test_read_models_as_of_a_position_or_moment_leave_the_live_tables_alone(app, runner, history, clock):
    runner.catch_up()
    live = {model.name: dump(runner, model.name) for model in MODELS}
    position = app.recorder.max_notification_id() // 2
    at_position = as_of(app.recorder, app.mapper, [model() for model in MODELS], position=position)
    stopped = ProjectionRunner(runner.engine, app.recorder, app.mapper, [renamed(m, "half") for m in MODELS])
    stopped.setup()
    stopped.catch_up(stop=position)
    for model in MODELS:
        assert dump(at_position, model.name) == dump(stopped, f"{model.name}_half")

    # On 4 September 12:30 WIB Siti's claim had its first instalment; the second came a day later.
    moment = datetime(2025, 9, 4, 12, 30, tzinfo=JAKARTA)
    earlier = as_of(app.recorder, app.mapper, [model() for model in MODELS], moment=moment)
    with earlier.reading("claims") as (connection, tables):
        rows = claims.board(connection, tables, moment)
    assert [(row["claim_id"], row["status"], row["paid_amount"]) for row in rows] == [
        (str(history["paid"]), "partially_paid", 400_000)]
    with earlier.reading("audit") as (connection, tables):
        assert all(row["recorded_at"] <= moment for row in audit.audit_rows(
            connection, tables, audit.AuditFilter(limit=1000)))
    assert {model.name: dump(runner, model.name) for model in MODELS} == live
