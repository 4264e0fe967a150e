"""Property: whatever commands are sent to an RT, its activities and their claims, in whatever order and
with whatever values (many of them refused), every aggregate keeps its invariants.

The invariants, written down:

- every aggregate: its version equals the number of events it recorded; replaying those events gives an
  equal aggregate; a refused command (a typed ``DomainError``) records nothing and changes nothing.
- RT: launched only with a Ketua RT, once enrolled (pilot or expansion), not before enrolment, and after a
  musyawarah held on or before the launch day; at most one musyawarah a day.
- Activity: status is one of planned, active, completed, cancelled (never completed and cancelled);
  every task letter is dated on or after the RT's launch, its cover starts on or after the letter's date
  and lasts at most 366 days, letter numbers are unique; a participant joins once and withdraws after
  joining; the premium is assessed on the current value; no payment ever exceeds what was outstanding.
- Claim: status is one of the life cycle's; documents come from the kind's checklist, each once; coverage
  names one of the activity's task letters and that letter's cover period contains the incident day;
  approval only with coverage, every required document and for the assessed amount; the santunan paid
  (plus any waived) never exceeds the approved amount, nor any line's payments its amount; closed only from
  coverage denied, rejected or fully paid or waived.
"""

import copy
from collections import Counter, defaultdict
from collections.abc import Callable
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from domain.activity import KINDS as ACTIVITY_KINDS
from domain.activity import MAX_COVER_DAYS, Activity
from application.rules import benefit_tables
from domain.benefits import AssessmentInputs
from domain.claim import DOCUMENTS, KINDS as CLAIM_KINDS, Claim
from domain.errors import DomainError
from domain.period import JAKARTA, Period, local_day
from domain.rt import PHASES, RT
from tests.unit.world import (
    ADMIN, FLAT_RULE, KETUA, KETUA_NIK, NEW_KETUA_NIK, OFFICER, SIMPANG_IV_SIPIN, SITI, appoint_budi, enrol,
    hold_musyawarah, issue_letter, join_siti, launch, plan_drainage,
)

# The unit world's clock: its task letter ST/001 was issued today and covers September.
START = datetime(2025, 9, 1, 8, 0, tzinfo=JAKARTA)
FIRST_DAY = date(2025, 7, 1)
PEOPLE = [SITI, "1571011203880003", "1571015808950004"]
# Each wrong in its own way: length, a letter, unknown province, 32nd day of a month, serial 0000.
BAD_NIKS = ["157101450790000", "15710145079000X2", "9971014507900002", "1571013213900002", "1571014507900000"]
TABLES = benefit_tables()
# Where a run starts, each stage including the ones before it.
STAGES = ["registered", "launched", "covered", "claimed", "confirmed", "approved"]
ACTIVITY_STATUSES = {"planned", "active", "completed", "cancelled"}
CLAIM_STATUSES = {"reported", "coverage_confirmed", "coverage_denied", "assessed", "approved", "rejected",
                  "partially_paid", "paid", "waived", "closed"}

days = st.integers(0, 150).map(lambda offset: FIRST_DAY + timedelta(days=offset))
niks = st.sampled_from(PEOPLE + BAD_NIKS)
money = st.one_of(st.integers(-10, 3_000_000), st.sampled_from([0, 10**14, "sepuluh", "1.5", 2.5, "-7"]))
index = st.integers(0, 3)


def replayed(events: list[Any]) -> Any:
    aggregate = None
    for event in events:
        aggregate = event.mutate(aggregate)
    return aggregate


class Programme(RuleBasedStateMachine):
    """One RT, the activities planned in it and the claims reported on them, driven by arbitrary commands."""

    def __init__(self) -> None:
        super().__init__()
        self.now = START
        self.rt = RT.register(SIMPANG_IV_SIPIN, 5, ADMIN)
        self.activities: list[Activity] = []
        self.claims: list[Claim] = []
        self.events: dict[Any, list[Any]] = defaultdict(list)
        self.keep(self.rt)
        # Each premium payment and what it found outstanding: a later revision changes the premium.
        self.payments: list[tuple[Decimal, Decimal]] = []

    @initialize(start=st.sampled_from(STAGES))
    def begin(self, start: str) -> None:
        """From a bare RT, or (so that random commands reach deep into the life cycles) from the unit
        world's launched RT, its covered drainage activity, or that and Siti Aminah's accident: reported,
        with its coverage confirmed, or approved."""
        reached = STAGES[:STAGES.index(start) + 1]
        if "launched" in reached:
            for step in (appoint_budi, enrol, hold_musyawarah, launch):
                step(self.rt)
            self.keep(self.rt)
        if "covered" in reached:
            activity = plan_drainage(self.rt)
            activity.assess_premium(FLAT_RULE.assess(activity.total_value), ADMIN)
            issue_letter(self.rt)(activity)
            join_siti(activity)
            self.keep(activity)
            self.activities.append(activity)
        if "claimed" in reached:
            self.report(0, SITI, 0, "work_accident")
        if "confirmed" in reached:
            self.decide_coverage(0, deny=False)
        if "approved" in reached:
            self.receive(0, "ktp", all_of_them=True)
            self.assess(0, AssessmentInputs(medical_costs=Decimal(1_500_000)))
            self.decide(0, approve=True)

    # --- bookkeeping ------------------------------------------------------------------------

    def keep(self, *aggregates: Any) -> None:
        for aggregate in aggregates:
            self.events[aggregate.id].extend(aggregate.collect_events())

    def attempt(self, aggregates: tuple[Any, ...], command: Callable[[], Any]) -> Any:
        """Run a command; a refusal must leave every aggregate involved exactly as it was."""
        states = [copy.deepcopy(vars(aggregate)) for aggregate in aggregates]
        try:
            result = command()
        except DomainError:
            for aggregate, state in zip(aggregates, states, strict=True):
                assert aggregate.pending_events == [], f"a refused command recorded {aggregate.pending_events}"
                assert vars(aggregate) == state
            return None
        self.keep(*aggregates)
        return result

    def activity(self, i: int) -> Activity | None:
        return self.activities[i % len(self.activities)] if self.activities else None

    def claim(self, i: int) -> Claim | None:
        return self.claims[i % len(self.claims)] if self.claims else None

    # --- time -------------------------------------------------------------------------------

    @rule(hours=st.integers(1, 24 * 4))
    def wait(self, hours: int) -> None:
        self.now += timedelta(hours=hours)

    # --- RT ---------------------------------------------------------------------------------

    @rule(nik=st.sampled_from([KETUA_NIK, NEW_KETUA_NIK, *BAD_NIKS]), on=days,
          phone=st.sampled_from(["081234567890", "12", "+6281234567890", "telepon"]))
    def appoint_ketua(self, nik: str, on: date, phone: str) -> None:
        self.attempt((self.rt,), lambda: self.rt.appoint_ketua_rt(nik, "Budi Santoso", phone, on, ADMIN))

    @rule(phase=st.sampled_from([*PHASES, "trial", ""]), on=days)
    def enrol(self, phase: str, on: date) -> None:
        self.attempt((self.rt,), lambda: self.rt.enrol(phase, on, ADMIN))

    @rule(on=days, priorities=st.lists(st.sampled_from(["Drainase lingkungan", "", "  "]), max_size=3))
    def hold_musyawarah(self, on: date, priorities: list[str]) -> None:
        self.attempt((self.rt,), lambda: self.rt.hold_musyawarah(on, priorities, KETUA))

    @rule(on=days)
    def launch(self, on: date) -> None:
        self.attempt((self.rt,), lambda: self.rt.launch(on, ADMIN))

    # --- activities -------------------------------------------------------------------------

    @rule(title=st.sampled_from(["Gotong royong drainase", "Perbaikan jalan", ""]),
          kind=st.sampled_from([*ACTIVITY_KINDS[:2], "party"]), value=money, start=days)
    def plan(self, title: str, kind: str, value: object, start: date) -> None:
        period = Period(start, start + timedelta(days=29))
        if any(activity.id == Activity.create_id(self.rt.id, title, period) for activity in self.activities):
            return  # the same natural key twice is the store's refusal, not the aggregate's
        activity = self.attempt(
            (self.rt,), lambda: Activity.plan(self.rt, title, kind, "Jl. Sipin Ujung", value, period, ADMIN)
        )
        if activity is not None:
            activity.assess_premium(FLAT_RULE.assess(activity.total_value), ADMIN)
            self.keep(activity)
            self.activities.append(activity)

    @rule(i=index, number=st.sampled_from(["ST/001/IX/2025", "st/001/ix/2025", "ST/002/IX/2025"]),
          issued=days, start_after=st.integers(-3, 10), length=st.sampled_from([1, 30, MAX_COVER_DAYS, 400]),
          signer=st.sampled_from([KETUA_NIK, NEW_KETUA_NIK, BAD_NIKS[0]]))
    def issue_letter(self, i: int, number: str, issued: date, start_after: int, length: int, signer: str) -> None:
        activity = self.activity(i)
        if activity is None:
            return
        start = issued + timedelta(days=start_after)
        cover = Period(start, start + timedelta(days=length - 1))
        self.attempt((activity, self.rt), lambda: activity.issue_task_letter(
            self.rt, number, issued, cover, signer, local_day(self.now), KETUA
        ))

    @rule(i=index, nik=niks, role=st.sampled_from(["resident", "phl", "tourist"]))
    def join(self, i: int, nik: str, role: str) -> None:
        activity = self.activity(i)
        if activity is not None:
            self.attempt((activity,), lambda: activity.join_participant(nik, "Warga", role, self.now, KETUA))

    @rule(i=index, nik=niks)
    def withdraw(self, i: int, nik: str) -> None:
        activity = self.activity(i)
        if activity is not None:
            self.attempt((activity,), lambda: activity.withdraw_participant(nik, "Pindah", self.now, KETUA))

    @rule(i=index, amount=money, reference=st.sampled_from(["BJ-1", "bj-1", "BJ-2", ""]), paid_back=st.integers(-2, 5))
    def pay_premium(self, i: int, amount: object, reference: str, paid_back: int) -> None:
        activity = self.activity(i)
        if activity is None:
            return
        outstanding, paid_before = activity.premium_outstanding, len(activity.payments)
        today = local_day(self.now)
        self.attempt((activity,), lambda: activity.record_premium_payment(
            amount, reference, today - timedelta(days=paid_back), today, ADMIN
        ))
        if len(activity.payments) > paid_before:
            self.payments.append((activity.payments[-1].amount, outstanding))

    @rule(i=index, value=money)
    def revise(self, i: int, value: object) -> None:
        activity = self.activity(i)
        if activity is None:
            return

        def revise_and_reassess() -> None:
            # As the service does: the new value's premium is assessed in the same save.
            activity.revise_value(value, "Revisi RAB", ADMIN)
            activity.assess_premium(FLAT_RULE.assess(activity.total_value), ADMIN)

        self.attempt((activity,), revise_and_reassess)

    @rule(i=index, cancel=st.booleans())
    def end(self, i: int, cancel: bool) -> None:
        activity = self.activity(i)
        if activity is not None:
            command = (lambda: activity.cancel("Cuaca buruk", self.now, ADMIN)) if cancel else (
                lambda: activity.complete(self.now, ADMIN))
            self.attempt((activity,), command)

    # --- claims -----------------------------------------------------------------------------

    @rule(i=index, nik=st.one_of(st.just(SITI), niks),
          hours_ago=st.one_of(st.integers(0, 48), st.integers(-2, 24 * 40)),
          kind=st.sampled_from([*CLAIM_KINDS, "death"]))
    def report(self, i: int, nik: str, hours_ago: int, kind: str) -> None:
        activity = self.activity(i)
        if activity is None:
            return
        incident = self.now - timedelta(hours=hours_ago)
        if any(claim.id == Claim.create_id(activity.id, nik, incident) for claim in self.claims):
            return  # the same accident reported twice is the store's refusal
        claim = self.attempt((activity,), lambda: Claim.report(
            activity, nik, incident, kind, "Terpeleset.", "Ketua RT", self.now, OFFICER, participant_name="Warga"
        ))
        if claim is not None:
            self.keep(claim)
            self.claims.append(claim)

    @rule(i=index, deny=st.booleans())
    def decide_coverage(self, i: int, deny: bool) -> None:
        claim = self.claim(i)
        if claim is None:
            return
        activity = next(activity for activity in self.activities if activity.id == claim.activity_id)
        command = (lambda: claim.deny_coverage("Di luar masa tugas", OFFICER)) if deny else (
            lambda: claim.confirm_coverage(activity, OFFICER))
        self.attempt((claim,), command)

    @rule(i=index, document=st.sampled_from(sorted({*DOCUMENTS["work_accident"], "foto_selfie"})),
          all_of_them=st.booleans())
    def receive(self, i: int, document: str, all_of_them: bool) -> None:
        claim = self.claim(i)
        if claim is None:
            return
        for name in DOCUMENTS[claim.kind] if all_of_them else [document]:
            self.attempt((claim,), lambda name=name: claim.receive_document(name, OFFICER))

    @rule(i=index, inputs=st.builds(
        AssessmentInputs,
        medical_costs=st.sampled_from([0, 0, 1_500_000, -1]).map(Decimal), stmb_days=st.sampled_from([0, 0, 14]),
        children=st.sampled_from([(), (), ("sd",), ("kuliah",)]), contribution_years=st.sampled_from([0, 0, 3]),
    ))
    def assess(self, i: int, inputs: AssessmentInputs) -> None:
        claim = self.claim(i)
        if claim is not None:
            self.attempt((claim,), lambda: claim.assess(inputs, TABLES, OFFICER))

    @rule(i=index, approve=st.booleans())
    def decide(self, i: int, approve: bool) -> None:
        claim = self.claim(i)
        if claim is not None:
            command = (lambda: claim.approve(OFFICER)) if approve else (
                lambda: claim.reject("Bukan kecelakaan", OFFICER))
            self.attempt((claim,), command)

    @rule(i=index, line=index, amount=money, reference=st.sampled_from(["SAN-1", "san-1", "SAN-2", "SAN-3"]),
          paid_back=st.integers(-2, 5))
    def pay_santunan(self, i: int, line: int, amount: object, reference: str, paid_back: int) -> None:
        claim = self.claim(i)
        if claim is not None:
            benefit = claim.benefit_lines[line % len(claim.benefit_lines)].benefit if claim.benefit_lines else "funeral"
            today = local_day(self.now)
            self.attempt((claim,), lambda: claim.pay_santunan(
                benefit, amount, "Ahli waris", reference, today - timedelta(days=paid_back), today, OFFICER
            ))

    @rule(i=index, waive=st.booleans())
    def settle(self, i: int, waive: bool) -> None:
        claim = self.claim(i)
        if claim is not None:
            command = (lambda: claim.waive_outstanding("Ahli waris tidak ditemukan", OFFICER)) if waive else (
                lambda: claim.close(OFFICER))
            self.attempt((claim,), command)

    # --- invariants ------------------------------------------------------------------------

    def aggregates(self) -> list[Any]:
        return [self.rt, *self.activities, *self.claims]

    @invariant()
    def versions_count_events_and_replay_gives_the_same_aggregate(self) -> None:
        for aggregate in self.aggregates():
            events = self.events[aggregate.id]
            assert aggregate.version == len(events)
            assert vars(replayed(events)) == vars(aggregate)

    @invariant()
    def rt_launched_only_when_ready(self) -> None:
        rt = self.rt
        held = [day for day, _ in rt.musyawarah]
        assert len(held) == len(set(held))
        assert rt.phase in (None, *PHASES)
        if rt.launched_on is not None:
            assert rt.ketua is not None and rt.enrolled_from is not None
            assert rt.enrolled_from <= rt.launched_on
            assert any(day <= rt.launched_on for day in held)

    @invariant()
    def activities_keep_their_rules(self) -> None:
        for activity in self.activities:
            assert activity.status in ACTIVITY_STATUSES
            assert activity.completed_at is None or activity.cancelled_at is None
            numbers = [letter.number.casefold() for letter in activity.task_letters]
            assert len(numbers) == len(set(numbers))
            for letter in activity.task_letters:
                assert self.rt.launched_on is not None and letter.issued_on >= self.rt.launched_on
                assert letter.cover_period.start >= letter.issued_on
                assert letter.cover_period.days <= MAX_COVER_DAYS
            joined = Counter(event.nik for event in self.events[activity.id]
                             if type(event).__name__ == "ParticipantJoined")
            assert all(count == 1 for count in joined.values())
            for participant in activity.participants.values():
                assert participant.withdrawn_at is None or participant.withdrawn_at >= participant.joined_at
            assert activity.premium is not None and activity.premium.value == activity.total_value
            assert activity.premium_outstanding >= 0
        assert all(amount <= outstanding for amount, outstanding in self.payments)

    @invariant()
    def claims_keep_their_life_cycle(self) -> None:
        for claim in self.claims:
            assert claim.status in CLAIM_STATUSES
            assert len(claim.documents) == len(set(claim.documents))
            assert set(claim.documents) <= set(DOCUMENTS[claim.kind])
            if claim.cover is not None:
                activity = next(activity for activity in self.activities if activity.id == claim.activity_id)
                letters = {(letter.number, letter.cover_period) for letter in activity.task_letters}
                assert (claim.cover.task_letter_number, claim.cover.cover_period) in letters
                assert claim.cover.cover_period.contains(claim.incident_at)
            if claim.approved_amount is not None:
                assert claim.cover is not None and claim.missing_documents == []
                assert claim.approved_amount == claim.assessed_amount
            assert claim.paid_amount + claim.waived_amount <= (claim.approved_amount or Decimal(0))
            assert all(0 <= balance.paid <= balance.line.amount for balance in claim.line_balances)
            if claim.closed:
                assert claim.denial_reason is not None or claim.rejection_reason is not None or (
                    claim.approved_amount is not None and claim.outstanding_amount == 0)


TestProgramme = Programme.TestCase
TestProgramme.settings = settings(
    max_examples=200, stateful_step_count=50, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
