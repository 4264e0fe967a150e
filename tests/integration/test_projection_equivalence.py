"""Property: for any sequence of valid commands, each read model holds exactly the facts that the
aggregates themselves give (refused commands are part of the sequence and must change nothing)."""

from datetime import date, datetime, timedelta
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from application.clock import FixedClock
from application.service import KampungBahagia
from domain.benefits import AssessmentInputs
from domain.claim import DOCUMENTS
from domain.errors import DomainError
from domain.period import JAKARTA, Period
from interfaces.consumers import build_runner
from projections import coverage
from tests.integration.conftest import ADMIN, KETUA, KETUA_NIK, OFFICER, launched_rt

PEOPLE = ["1571014507900002", "1571011203880003", "1571015808950004", "1571010303700005"]
START = datetime(2025, 9, 1, 8, 0, tzinfo=JAKARTA)
LETTERS = [Period(date(2025, 9, 1), date(2025, 9, 10)), Period(date(2025, 9, 5), date(2025, 9, 20))]

operation = st.one_of(
    st.tuples(st.just("join"), st.integers(0, 1), st.integers(0, 3)),
    st.tuples(st.just("withdraw"), st.integers(0, 1), st.integers(0, 3)),
    st.tuples(st.just("pay_premium"), st.integers(0, 1), st.integers(1, 15)),
    st.tuples(st.just("revise"), st.integers(0, 1), st.integers(10, 90)),
    st.tuples(st.just("complete"), st.integers(0, 1), st.just(0)),
    st.tuples(st.just("cancel"), st.integers(0, 1), st.just(0)),
    st.tuples(st.just("wait"), st.integers(1, 60), st.just(0)),
    st.tuples(st.just("report"), st.integers(0, 1), st.integers(0, 3), st.integers(0, 80)),
    st.tuples(st.just("confirm"), st.integers(0, 5), st.just(0)),
    st.tuples(st.just("deny"), st.integers(0, 5), st.just(0)),
    st.tuples(st.just("documents"), st.integers(0, 5), st.just(0)),
    st.tuples(st.just("assess"), st.integers(0, 5), st.integers(1, 20)),
    st.tuples(st.just("approve"), st.integers(0, 5), st.just(0)),
    st.tuples(st.just("reject"), st.integers(0, 5), st.just(0)),
    st.tuples(st.just("pay"), st.integers(0, 5), st.integers(1, 20)),
    st.tuples(st.just("close"), st.integers(0, 5), st.just(0)),
)


def run(app: KampungBahagia, clock: FixedClock, activities: list, claims: list, op: tuple) -> None:
    name, a, b = op[:3]
    if name == "wait":
        clock.advance(timedelta(hours=a))
    elif name == "join":
        app.join_participant(activities[a], PEOPLE[b], f"Warga {b}", "resident", KETUA)
    elif name == "withdraw":
        app.withdraw_participant(activities[a], PEOPLE[b], "Berhalangan", KETUA)
    elif name == "pay_premium":
        app.record_premium_payment(activities[a], b * 10_000, f"BJ-{len(claims)}-{clock.now().timestamp()}",
                                   clock.today(), ADMIN)
    elif name == "revise":
        app.revise_value(activities[a], b * 1_000_000, "Revisi RAB", ADMIN)
    elif name == "complete":
        app.complete_activity(activities[a], ADMIN)
    elif name == "cancel":
        app.cancel_activity(activities[a], "Cuaca buruk", ADMIN)
    elif name == "report":
        incident = clock.now() - timedelta(hours=op[3])
        claims.append(app.report_accident(activities[a], PEOPLE[b], incident, "work_accident", "Jatuh.", "Ketua",
                                          OFFICER, participant_name=f"Warga {b}"))
    elif claims:
        claim = claims[a % len(claims)]
        if name == "confirm":
            app.confirm_coverage(claim, OFFICER)
        elif name == "deny":
            app.deny_coverage(claim, "Di luar masa surat tugas", OFFICER)
        elif name == "documents":
            for document in DOCUMENTS["work_accident"]:
                app.receive_document(claim, document, OFFICER)
        elif name == "assess":
            app.assess_claim(claim, AssessmentInputs(medical_costs=Decimal(b * 50_000)), OFFICER)
        elif name == "approve":
            app.approve_claim(claim, OFFICER)
        elif name == "reject":
            app.reject_claim(claim, "Bukan kecelakaan kerja", OFFICER)
        elif name == "pay":
            app.pay_santunan(claim, "medical_care", b * 25_000, "Ahli waris", f"TRF-{clock.now().timestamp()}-{b}", clock.today(),
                             OFFICER)
        elif name == "close":
            app.close_claim(claim, OFFICER)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(operation, min_size=1, max_size=40))
def test_read_models_equal_the_facts_of_the_aggregates(operations):
    clock = FixedClock(START)
    app = KampungBahagia(env={"PERSISTENCE_MODULE": "eventsourcing.sqlite", "SQLITE_DBNAME": ":memory:"},
                         clock=clock)
    rt_id = launched_rt(app)
    activities = []
    for index, period in enumerate(LETTERS):
        activity_id = app.plan_activity(rt_id, f"Kegiatan {index}", "cleaning", "Jl. Sipin", 40_000_000, period,
                                        ADMIN)
        app.issue_task_letter(activity_id, f"ST/{index}", date(2025, 9, 1), period, KETUA_NIK, KETUA)
        activities.append(activity_id)
    claims: list = []
    for op in operations:
        try:
            run(app, clock, activities, claims, op)
        except DomainError:
            pass  # refused: the sequence goes on with the next command

    runner = build_runner(app, page_size=16)
    runner.catch_up()
    # Loaded once: the checks below record nothing, and loading per moment was most of the test's time.
    aggregates = [app.get_activity(activity_id) for activity_id in activities]
    with runner.reading("coverage") as (connection, tables):
        for activity_id, activity in zip(activities, aggregates):
            row = coverage.activity_summary(connection, tables, str(activity_id))
            assert (row["status"], row["total_value"], row["premium_assessed"], row["premium_paid"]) == (
                activity.status, activity.total_value, activity.premium.total, activity.premium_paid)
            assert {(p["nik"], p["name"], p["joined_at"], p["withdrawn_at"]) for p in row["participants"]} == {
                (p.nik, p.name, p.joined_at, p.withdrawn_at) for p in activity.participants.values()}
        for nik in PEOPLE:
            for hours in range(0, 24 * 25, 7):
                moment = START + timedelta(hours=hours)
                expected = [letter.number for activity in aggregates if (letter := activity.cover_for(nik, moment))]
                assert [c.task_letter_number for c in coverage.cover_at(connection, tables, nik, moment)] == expected
    with runner.reading("claims") as (connection, tables):
        rows = {row["claim_id"]: row for row in connection.execute(select(tables["claims"])).mappings()}
        assert set(rows) == {str(claim_id) for claim_id in claims}
        for claim_id in claims:
            claim, row = app.get_claim(claim_id), rows[str(claim_id)]
            assert (row["status"], row["late"], row["documents"], row["task_letter_number"]) == (
                claim.status, claim.late, len(claim.documents), claim.cover.task_letter_number if claim.cover else None)
            assert (row["assessed_amount"], row["approved_amount"], row["paid_amount"]) == (
                claim.assessed_amount, claim.approved_amount or 0, claim.paid_amount)
    with runner.reading("audit") as (connection, tables):
        assert connection.execute(select(tables["events"].c.position)).scalars().all() == list(
            range(1, app.recorder.max_notification_id() + 1))
    runner.engine.dispose()
    app.close()
