"""A Claim: an accident or death reported for a participant, through coverage, documents,
assessment and decision to the santunan paid to the family.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any
from uuid import UUID

from eventsourcing.domain import event

from domain.aggregate import Aggregate

from domain.activity import Activity
from domain.actor import Actor
from domain.benefits import (
    NON_WORK_DEATH, WORK_ACCIDENT, WORK_ACCIDENT_DEATH, Assessment, AssessmentInputs, BenefitLine, BenefitTables,
    calculate,
)
from domain.errors import AlreadyDone, ClaimStepRefused, InvalidValue, SantunanExceedsApproved
from domain.ids import natural_id
from domain.money import rupiah
from domain.nik import parse_nik
from domain.period import JAKARTA, Period, require_aware
from domain.text import clean_paragraphs, clean_text, optional_text

# A work accident (injury, JKK), a death from a work accident (JKK), and a death not from a work
# accident of a participant covered at the time (JKM).
KINDS = (WORK_ACCIDENT, WORK_ACCIDENT_DEATH, NON_WORK_DEATH)
# Stage-I report (form 3 KK1) of a work accident (JKK) is due within 2 × 24 hours of the accident.
# A JKM claim (a death not from a work accident) has no stage-I report, so it is never late.
REPORT_DEADLINE = timedelta(hours=48)
KINDS_WITH_REPORT_DEADLINE = (WORK_ACCIDENT, WORK_ACCIDENT_DEATH)
# The right to claim expires 5 years after the accident (PP 82/2019).
CLAIM_YEARS = 5


def claim_expires_at(incident_at: datetime) -> datetime:
    """The calendar anniversary, CLAIM_YEARS on; an accident on 29 February expires on 1 March."""
    try:
        return incident_at.replace(year=incident_at.year + CLAIM_YEARS)
    except ValueError:
        return incident_at.replace(year=incident_at.year + CLAIM_YEARS, month=3, day=1)

# Checklist per claim kind: document type → required for approval.
DOCUMENTS: dict[str, dict[str, bool]] = {
    "work_accident": {
        "ktp": True,
        "kk": True,
        "kronologis": True,
        "surat_tugas": True,
        "laporan_tahap_1": True,
        "surat_keterangan_dokter": True,
        "kuitansi_pengobatan": True,
        "laporan_polisi": False,
        "keterangan_saksi": False,
    },
    WORK_ACCIDENT_DEATH: {
        "ktp": True,
        "kk": True,
        "kronologis": True,
        "surat_tugas": True,
        "laporan_tahap_1": True,
        "surat_kematian": True,
        "surat_keterangan_ahli_waris": True,
        "ktp_ahli_waris": True,
        "buku_tabungan_ahli_waris": True,
        "buku_nikah": False,
        "laporan_polisi": False,
        "keterangan_saksi": False,
    },
    # No accident to report: the task letter shows the participant was covered when they died.
    NON_WORK_DEATH: {
        "ktp": True,
        "kk": True,
        "surat_tugas": True,
        "surat_kematian": True,
        "surat_keterangan_ahli_waris": True,
        "ktp_ahli_waris": True,
        "buku_tabungan_ahli_waris": True,
        "buku_nikah": False,
    },
}

# Every status a claim can be in (``Claim.status``), in the order of its life cycle.
STATUSES = (
    "reported", "coverage_confirmed", "coverage_denied", "assessed", "approved", "rejected",
    "partially_paid", "paid", "waived", "closed",
)

# The statuses in which each step (named after its method) may be taken.
STEP_STATUSES: dict[str, tuple[str, ...]] = {
    "confirm_coverage": ("reported",),
    "deny_coverage": ("reported",),
    "receive_document": ("reported", "coverage_confirmed", "coverage_denied", "assessed", "approved",
                         "rejected", "partially_paid", "paid", "waived"),
    "assess": ("coverage_confirmed", "assessed"),
    "approve": ("assessed",),
    "reject": ("reported", "coverage_confirmed", "assessed"),
    "pay_santunan": ("approved", "partially_paid"),
    "waive_outstanding": ("approved", "partially_paid"),
    "close": ("coverage_denied", "rejected", "paid", "waived"),
}

# The benefits each kind of claim can give (domain/benefits.py computes them).
BENEFITS: dict[str, tuple[str, ...]] = {
    WORK_ACCIDENT: ("medical_care", "home_care", "transport", "stmb", "disability", "scholarship"),
    WORK_ACCIDENT_DEATH: ("medical_care", "home_care", "transport", "death_benefit", "periodic_santunan", "funeral",
                          "scholarship"),
    NON_WORK_DEATH: ("death_benefit", "periodic_santunan", "funeral", "scholarship"),
}


@dataclass(frozen=True)
class LineBalance:
    """A benefit line with what has been paid and waived against it."""

    line: BenefitLine
    paid: Decimal
    waived: Decimal

    @property
    def outstanding(self) -> Decimal:
        return self.line.amount - self.paid - self.waived


@dataclass(frozen=True)
class AssessmentBasis:
    """What an assessment was computed from, for an auditor to recompute it (None on assessments
    recorded before benefits were computed: their lines were typed by the officer)."""

    inputs: AssessmentInputs | None
    wage_base: Decimal | None
    rule_ids: list[str]
    table_version: str | None


@dataclass(frozen=True)
class Cover:
    """The task letter that coverage was confirmed under."""

    task_letter_number: str
    cover_period: Period


@dataclass(frozen=True)
class SantunanPayment:
    amount: Decimal
    beneficiary: str
    reference: str
    paid_on: date
    benefit: str | None = None  # None: paid before payments named their benefit line


class Claim(Aggregate):
    class AccidentReported(Aggregate.Created):
        """The report that opens a claim.

        Schema versions (stored events of an older version are upcast when read):
        v1 — the first; v2 — adds ``location``, where the accident happened (free text; None when
        not given, and on every report recorded before v2); v3 — three kinds: ``death`` (which was
        always a death from a work accident: 48 × the wage) becomes ``work_accident_death``, beside
        ``non_work_death`` (JKM), whose ``incident_at`` is the moment of death.
        """

        class_version = 3

        activity_id: UUID
        rt_id: UUID
        nik: str
        participant_name: str
        incident_at: datetime
        kind: str
        chronology: str
        reporter: str
        reported_at: datetime
        late: bool
        actor: Actor
        location: str | None = None

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state["location"] = None

        @staticmethod
        def upcast_v2_v3(state: dict[str, Any]) -> None:
            if state["kind"] == "death":
                state["kind"] = WORK_ACCIDENT_DEATH

    @staticmethod
    def create_id(activity_id: UUID, nik: str, incident_at: datetime) -> UUID:
        # One claim per participant per incident: a second report of the same accident is refused.
        return natural_id("claim", activity_id, nik, incident_at.astimezone(timezone.utc).isoformat())

    @classmethod
    def report(
        cls,
        activity: Activity,
        nik: str,
        incident_at: datetime,
        kind: str,
        chronology: str,
        reporter: str,
        now: datetime,
        actor: Actor,
        participant_name: str | None = None,
        location: str | None = None,
    ) -> "Claim":
        nik = parse_nik(nik)
        require_aware(incident_at, "incident_at")
        require_aware(now, "now")
        if kind not in KINDS:
            raise InvalidValue(f"kind must be one of {', '.join(KINDS)}", "kind")
        if incident_at > now:
            raise InvalidValue("the incident cannot be in the future", "incident_at")
        if now > claim_expires_at(incident_at):
            raise ClaimStepRefused(f"the right to claim ends {CLAIM_YEARS} years after the accident", "incident_at")
        participant = activity.participants.get(nik)
        name = participant.name if participant else clean_text(participant_name, "participant_name", 100)
        return cls(
            activity_id=activity.id,
            rt_id=activity.rt_id,
            nik=nik,
            participant_name=name,
            incident_at=incident_at,
            kind=kind,
            chronology=clean_paragraphs(chronology, "chronology"),
            reporter=clean_text(reporter, "reporter", 100),
            reported_at=now,
            late=kind in KINDS_WITH_REPORT_DEADLINE and now - incident_at > REPORT_DEADLINE,
            actor=actor,
            location=optional_text(location, "location", 200),
        )

    @event("AccidentReported")
    def __init__(
        self,
        activity_id: UUID,
        rt_id: UUID,
        nik: str,
        participant_name: str,
        incident_at: datetime,
        kind: str,
        chronology: str,
        reporter: str,
        reported_at: datetime,
        late: bool,
        actor: Actor,
        location: str | None = None,
    ):
        self.activity_id = activity_id
        self.rt_id = rt_id
        self.nik = nik
        self.participant_name = participant_name
        self.incident_at = incident_at
        self.kind = kind
        self.chronology = chronology
        self.reporter = reporter
        self.reported_at = reported_at
        self.late = late
        self.location = location
        self.cover: Cover | None = None
        self.denial_reason: str | None = None
        self.documents: list[str] = []
        self.benefit_lines: list[BenefitLine] = []
        self.assessment_basis: AssessmentBasis | None = None
        self.waived: list[BenefitLine] = []
        self.waiver_reason: str | None = None
        self.approved_amount: Decimal | None = None
        self.rejection_reason: str | None = None
        self.payments: list[SantunanPayment] = []
        self.closed = False

    # --- state ----------------------------------------------------------------------

    @property
    def assessed_amount(self) -> Decimal:
        return sum((line.amount for line in self.benefit_lines), Decimal(0))

    @property
    def paid_amount(self) -> Decimal:
        return sum((payment.amount for payment in self.payments), Decimal(0))

    @property
    def waived_amount(self) -> Decimal:
        return sum((line.amount for line in self.waived), Decimal(0))

    @property
    def outstanding_amount(self) -> Decimal:
        return (self.approved_amount or Decimal(0)) - self.paid_amount - self.waived_amount

    @property
    def line_balances(self) -> list[LineBalance]:
        """Each benefit line with its payments. A payment names its line; one recorded before payments
        did (``benefit`` None) is counted against the lines in their order, as far as each goes."""
        paid = [Decimal(0)] * len(self.benefit_lines)
        for payment in self.payments:
            rest = payment.amount
            for index, line in enumerate(self.benefit_lines):
                if payment.benefit in (None, line.benefit) and rest > 0:
                    share = min(rest, line.amount - paid[index])
                    paid[index] += share
                    rest -= share
        waived = {line.benefit: line.amount for line in self.waived}
        balances = []
        for line, line_paid in zip(self.benefit_lines, paid):
            balances.append(LineBalance(line=line, paid=line_paid, waived=waived.pop(line.benefit, Decimal(0))))
        return balances

    @property
    def missing_documents(self) -> list[str]:
        return [doc for doc, required in DOCUMENTS[self.kind].items() if required and doc not in self.documents]

    @property
    def status(self) -> str:
        if self.closed:
            return "closed"
        if self.rejection_reason is not None:
            return "rejected"
        if self.denial_reason is not None:
            return "coverage_denied"
        if self.approved_amount is not None:
            if self.outstanding_amount == 0 and (self.payments or self.waived):
                # Settled, but not all of it paid: the board must not call it paid in full.
                return "waived" if self.waived else "paid"
            return "partially_paid" if self.payments else "approved"
        if self.benefit_lines:
            return "assessed"
        if self.cover is not None:
            return "coverage_confirmed"
        return "reported"

    def possible_steps(self) -> set[str]:
        """The steps (method names) this claim takes now; what the forms offer."""
        steps = {step for step, statuses in STEP_STATUSES.items() if self.status in statuses}
        if self.missing_documents or self.cover is None:
            steps.discard("approve")
        if self.closed or not [doc for doc in DOCUMENTS[self.kind] if doc not in self.documents]:
            steps.discard("receive_document")
        return steps

    def _refuse_unless(self, step: str, doing: str) -> None:
        if self.status not in STEP_STATUSES[step]:
            raise ClaimStepRefused(f"cannot {doing}: the claim is {self.status.replace('_', ' ')}")

    # --- coverage ---------------------------------------------------------------------

    def confirm_coverage(self, activity: Activity, actor: Actor) -> None:
        self._refuse_unless("confirm_coverage", "confirm coverage")
        if activity.id != self.activity_id:
            raise InvalidValue("that is not the claim's activity", "activity_id")
        letter = activity.check_covered(self.nik, self.incident_at)
        self._coverage_confirmed(task_letter_number=letter.number, cover_period=letter.cover_period, actor=actor)

    @event("CoverageConfirmed")
    def _coverage_confirmed(self, task_letter_number: str, cover_period: Period, actor: Actor) -> None:
        self.cover = Cover(task_letter_number=task_letter_number, cover_period=cover_period)

    def deny_coverage(self, reason: str, actor: Actor) -> None:
        self._refuse_unless("deny_coverage", "deny coverage")
        self._coverage_denied(reason=clean_paragraphs(reason, "reason", 500), actor=actor)

    @event("CoverageDenied")
    def _coverage_denied(self, reason: str, actor: Actor) -> None:
        self.denial_reason = reason

    # --- documents --------------------------------------------------------------------

    def receive_document(self, document: str, actor: Actor) -> None:
        checklist = DOCUMENTS[self.kind]
        if document not in checklist:
            raise InvalidValue(
                f"{document!r} is not on the checklist of a {self.kind} claim: {', '.join(checklist)}", "document"
            )
        if self.closed:
            raise ClaimStepRefused("cannot receive documents: the claim is closed")
        if document in self.documents:
            raise AlreadyDone(f"{document} has already been received", "document")
        self._document_received(document=document, actor=actor)

    @event("DocumentReceived")
    def _document_received(self, document: str, actor: Actor) -> None:
        self.documents.append(document)

    # --- assessment and decision ------------------------------------------------------

    def preview_assessment(self, inputs: AssessmentInputs, tables: BenefitTables) -> Assessment:
        """The benefit lines the rules in force at the incident give for ``inputs``; records nothing."""
        self._refuse_unless("assess", "assess the claim")
        return calculate(self.kind, self.incident_at.astimezone(JAKARTA).date(), inputs, tables)

    def assess(self, inputs: AssessmentInputs, tables: BenefitTables, actor: Actor) -> None:
        """Compute and record the benefit lines; may be repeated (each replaces the last) until the decision."""
        assessment = self.preview_assessment(inputs, tables)
        self._claim_assessed(
            lines=list(assessment.lines), total=assessment.total, inputs=assessment.inputs,
            wage_base=assessment.wage_base, rule_ids=list(assessment.rule_ids),
            table_version=assessment.table_version, actor=actor,
        )

    class ClaimAssessed(Aggregate.Event):
        """The benefit lines of a claim.

        Schema versions: v1 — lines typed by the officer (``lines``, ``total``); v2 — computed from the
        rule tables, with what they were computed from: the officer's ``inputs``, the ``wage_base``,
        the ``rule_ids`` of the rows applied and the ``table_version`` (fingerprint of the data files).
        A v1 assessment reads with these None / empty.
        """

        class_version = 2

        lines: list[BenefitLine]
        total: Decimal
        inputs: AssessmentInputs | None
        wage_base: Decimal | None
        rule_ids: list[str]
        table_version: str | None
        actor: Actor

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state.update(inputs=None, wage_base=None, rule_ids=[], table_version=None)

    @event(ClaimAssessed)
    def _claim_assessed(
        self, lines: list[BenefitLine], total: Decimal, inputs: AssessmentInputs | None, wage_base: Decimal | None,
        rule_ids: list[str], table_version: str | None, actor: Actor,
    ) -> None:
        self.benefit_lines = list(lines)
        self.assessment_basis = AssessmentBasis(inputs=inputs, wage_base=wage_base, rule_ids=list(rule_ids),
                                                table_version=table_version)

    def approve(self, actor: Actor) -> None:
        if self.cover is None:
            raise ClaimStepRefused("cannot approve: coverage has not been confirmed")
        self._refuse_unless("approve", "approve")
        if self.missing_documents:
            raise ClaimStepRefused(f"cannot approve: documents missing: {', '.join(self.missing_documents)}")
        self._claim_approved(amount=self.assessed_amount, actor=actor)

    @event("ClaimApproved")
    def _claim_approved(self, amount: Decimal, actor: Actor) -> None:
        self.approved_amount = amount

    def reject(self, reason: str, actor: Actor) -> None:
        self._refuse_unless("reject", "reject")
        self._claim_rejected(reason=clean_paragraphs(reason, "reason", 500), actor=actor)

    @event("ClaimRejected")
    def _claim_rejected(self, reason: str, actor: Actor) -> None:
        self.rejection_reason = reason

    # --- santunan -----------------------------------------------------------------------

    def pay_santunan(
        self, benefit: str, amount: object, beneficiary: str, reference: str, paid_on: date, today: date,
        actor: Actor,
    ) -> None:
        """Pay (part of) one benefit line; santunan may come in instalments, never more than the line."""
        amount = rupiah(amount, "amount")
        self._refuse_unless("pay_santunan", "pay santunan")
        reference = clean_text(reference, "reference", 60)
        if paid_on > today:
            raise InvalidValue("a payment cannot be dated in the future", "paid_on")
        if any(payment.reference.casefold() == reference.casefold() for payment in self.payments):
            raise AlreadyDone(f"payment {reference} is already recorded", "reference")
        balances = [balance for balance in self.line_balances if balance.line.benefit == benefit]
        if not balances:
            benefits = ", ".join(line.benefit for line in self.benefit_lines)
            raise InvalidValue(f"{benefit!r} is not a benefit line of this claim: {benefits}", "benefit")
        outstanding = sum((balance.outstanding for balance in balances), Decimal(0))
        if amount > outstanding:
            raise SantunanExceedsApproved(
                f"paying {amount} would exceed the {benefit} line; {outstanding} is outstanding on it", "amount"
            )
        self._santunan_paid(
            amount=amount,
            beneficiary=clean_text(beneficiary, "beneficiary", 100),
            reference=reference,
            paid_on=paid_on,
            benefit=benefit,
            actor=actor,
        )

    class SantunanPaid(Aggregate.Event):
        """A payment to the participant or heirs. Schema versions: v1 — against the claim as a whole;
        v2 — adds ``benefit``, the line paid (None on v1 payments)."""

        class_version = 2

        amount: Decimal
        beneficiary: str
        reference: str
        paid_on: date
        benefit: str | None
        actor: Actor

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state["benefit"] = None

    @event(SantunanPaid)
    def _santunan_paid(
        self, amount: Decimal, beneficiary: str, reference: str, paid_on: date, benefit: str | None, actor: Actor
    ) -> None:
        self.payments.append(
            SantunanPayment(amount=amount, beneficiary=beneficiary, reference=reference, paid_on=paid_on,
                            benefit=benefit)
        )

    def waive_outstanding(self, reason: str, actor: Actor) -> None:
        """Give up what is still outstanding on every line, with a reason, so the claim can close."""
        self._refuse_unless("waive_outstanding", "waive the outstanding santunan")
        waived = [BenefitLine(balance.line.benefit, balance.line.description, balance.outstanding)
                  for balance in self.line_balances if balance.outstanding > 0]
        self._outstanding_waived(lines=waived, reason=clean_paragraphs(reason, "reason", 500), actor=actor)

    @event("OutstandingWaived")
    def _outstanding_waived(self, lines: list[BenefitLine], reason: str, actor: Actor) -> None:
        self.waived = list(lines)
        self.waiver_reason = reason

    def close(self, actor: Actor) -> None:
        self._refuse_unless("close", "close")
        self._claim_closed(actor=actor)

    @event("ClaimClosed")
    def _claim_closed(self, actor: Actor) -> None:
        self.closed = True
