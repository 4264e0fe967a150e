"""An Activity: a gotong-royong work of an RT, the task letters that cover it, its participants
and its premium.

Cover rests on a task letter (surat tugas) signed by the RT's current Ketua RT. A participant
is covered for an incident iff the incident lies in the cover period of one of the activity's
task letters, the participant joined on or before it and had not withdrawn, and the activity
was not cancelled before it.
"""

from dataclasses import dataclass, replace
from datetime import date, datetime
from decimal import Decimal
from uuid import UUID

from eventsourcing.domain import event

from domain.aggregate import Aggregate

from domain.actor import Actor
from domain.errors import (
    ActivityClosed,
    AlreadyDone,
    InvalidValue,
    NotAParticipant,
    NotCovered,
    ParticipantAlreadyJoined,
    PremiumOverpaid,
    RTNotLaunched,
    RuleRefused,
)
from domain.ids import natural_id
from domain.money import rupiah
from domain.nik import parse_nik
from domain.period import Period, local_day, require_aware
from domain.premium import PremiumBreakdown
from domain.rt import RT
from domain.text import clean_paragraphs, clean_text

KINDS = ("cleaning", "road_repair", "drainage", "greening", "public_facility", "other")
PARTICIPANT_ROLES = ("resident", "ketua_rt", "phl", "petugas_syara", "pokja_member", "facilitator")
# A task letter covers one gotong-royong activity, not a standing job.
MAX_COVER_DAYS = 366


@dataclass(frozen=True)
class TaskLetter:
    number: str
    issued_on: date
    cover_period: Period
    ketua_nik: str
    ketua_name: str


@dataclass(frozen=True)
class Participant:
    nik: str
    name: str
    role: str
    joined_at: datetime
    withdrawn_at: datetime | None = None

    def was_in_at(self, moment: datetime) -> bool:
        return self.joined_at <= moment and (self.withdrawn_at is None or moment < self.withdrawn_at)


@dataclass(frozen=True)
class PremiumPayment:
    amount: Decimal
    reference: str
    paid_on: date


class TaskLetterNumber(Aggregate):
    """Reserves a task-letter number city-wide: saved with the activity, so a number used twice
    is refused by the store even when two officers issue at the same moment."""

    @staticmethod
    def create_id(number: str) -> UUID:
        return natural_id("task-letter", number.casefold())

    @event("TaskLetterNumberReserved")
    def __init__(self, number: str, activity_id: UUID, actor: Actor):
        self.number = number
        self.activity_id = activity_id


ROMAN_MONTHS = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")


def task_letter_number(kelurahan_code: str, rt_number: int, sequence: int, issued_on: date) -> str:
    """The programme's numbering of task letters: ``ST/001/RT-014/07.1012/IX/2025`` is the first letter
    of RT 014 in kelurahan 15.71.07.1012 dated in September 2025 (an RT number alone is not unique
    city-wide: the kecamatan and kelurahan digits make it so). The sequence starts at 1 each month."""
    month = ROMAN_MONTHS[issued_on.month - 1]
    return f"ST/{sequence:03d}/RT-{rt_number:03d}/{kelurahan_code[6:]}/{month}/{issued_on.year}"


class Activity(Aggregate):
    @staticmethod
    def create_id(rt_id: UUID, title: str, planned_period: Period) -> UUID:
        # The same title starting the same day in the same RT is a double submission.
        return natural_id("activity", rt_id, title.casefold(), planned_period.start.isoformat())

    @classmethod
    def plan(
        cls,
        rt: RT,
        title: str,
        kind: str,
        location: str,
        total_value: object,
        planned_period: Period,
        actor: Actor,
    ) -> "Activity":
        if kind not in KINDS:
            raise InvalidValue(f"kind must be one of {', '.join(KINDS)}", "kind")
        if rt.phase is None:
            raise RuleRefused(f"{rt.code} is not enrolled in the programme", "rt_id")
        return cls(
            rt_id=rt.id,
            rt_code=rt.code,
            title=clean_text(title, "title", 150),
            kind=kind,
            location=clean_text(location, "location", 200),
            total_value=rupiah(total_value, "total_value"),
            planned_period=planned_period,
            actor=actor,
        )

    @event("ActivityPlanned")
    def __init__(
        self,
        rt_id: UUID,
        rt_code: str,
        title: str,
        kind: str,
        location: str,
        total_value: Decimal,
        planned_period: Period,
        actor: Actor,
    ):
        self.rt_id = rt_id
        self.rt_code = rt_code
        self.title = title
        self.kind = kind
        self.location = location
        self.total_value = total_value
        self.planned_period = planned_period
        self.task_letters: list[TaskLetter] = []
        self.participants: dict[str, Participant] = {}
        self.premium: PremiumBreakdown | None = None
        self.payments: list[PremiumPayment] = []
        self.completed_at: datetime | None = None
        self.cancelled_at: datetime | None = None
        self.cancel_reason: str | None = None

    # --- state ----------------------------------------------------------------------

    @property
    def status(self) -> str:
        if self.cancelled_at is not None:
            return "cancelled"
        if self.completed_at is not None:
            return "completed"
        return "active" if self.task_letters else "planned"

    @property
    def premium_paid(self) -> Decimal:
        return sum((payment.amount for payment in self.payments), Decimal(0))

    @property
    def premium_outstanding(self) -> Decimal:
        assessed = self.premium.total if self.premium else Decimal(0)
        return max(assessed - self.premium_paid, Decimal(0))

    def check_open(self, doing: str) -> None:
        if self.status in ("completed", "cancelled"):
            raise ActivityClosed(f"the activity is {self.status}: cannot {doing}")

    # --- task letters -----------------------------------------------------------------

    def issue_task_letter(
        self,
        rt: RT,
        number: str,
        issued_on: date,
        cover_period: Period,
        issued_by_nik: str,
        today: date,
        actor: Actor,
    ) -> TaskLetterNumber:
        """Record the surat tugas; returns the number's reservation, to be saved with the activity."""
        self.check_open("issue a task letter")
        number = clean_text(number, "number", 60)
        if rt.id != self.rt_id:
            raise InvalidValue("the RT given is not this activity's RT", "rt_id")
        if not rt.launched:
            raise RTNotLaunched(f"{rt.code} has not been launched: no task letter before the launch")
        rt.check_is_current_ketua(parse_nik(issued_by_nik, "issued_by_nik"))
        if issued_on > today:
            raise InvalidValue("a task letter cannot be dated in the future", "issued_on")
        if rt.launched_on and issued_on < rt.launched_on:
            raise RuleRefused(f"the letter is dated before {rt.code} was launched ({rt.launched_on})", "issued_on")
        if cover_period.start < issued_on:
            raise RuleRefused("cover cannot start before the letter is issued (no backdated cover)", "cover_period")
        if cover_period.days > MAX_COVER_DAYS:
            raise InvalidValue(f"a cover period is at most {MAX_COVER_DAYS} days", "cover_period")
        if any(letter.number.casefold() == number.casefold() for letter in self.task_letters):
            raise AlreadyDone(f"task letter {number} is already recorded for this activity", "number")
        assert rt.ketua is not None  # checked by check_is_current_ketua
        self._task_letter_issued(
            number=number,
            issued_on=issued_on,
            cover_period=cover_period,
            ketua_nik=rt.ketua.nik,
            ketua_name=rt.ketua.name,
            actor=actor,
        )
        return TaskLetterNumber(number=number, activity_id=self.id, actor=actor)

    @event("TaskLetterIssued")
    def _task_letter_issued(
        self, number: str, issued_on: date, cover_period: Period, ketua_nik: str, ketua_name: str, actor: Actor
    ) -> None:
        self.task_letters.append(TaskLetter(number, issued_on, cover_period, ketua_nik, ketua_name))

    # --- participants -----------------------------------------------------------------

    def join_participant(self, nik: str, name: str, role: str, now: datetime, actor: Actor) -> None:
        nik = parse_nik(nik)
        if role not in PARTICIPANT_ROLES:
            raise InvalidValue(f"role must be one of {', '.join(PARTICIPANT_ROLES)}", "role")
        self.check_open("add a participant")
        if nik in self.participants:
            raise ParticipantAlreadyJoined(f"NIK {nik} is already a participant of this activity", "nik")
        self._participant_joined(
            nik=nik, name=clean_text(name, "name", 100), role=role, joined_at=require_aware(now, "now"), actor=actor
        )

    @event("ParticipantJoined")
    def _participant_joined(self, nik: str, name: str, role: str, joined_at: datetime, actor: Actor) -> None:
        self.participants[nik] = Participant(nik=nik, name=name, role=role, joined_at=joined_at)

    def withdraw_participant(self, nik: str, reason: str, now: datetime, actor: Actor) -> None:
        nik = parse_nik(nik)
        participant = self.participants.get(nik)
        if participant is None or participant.withdrawn_at is not None:
            raise NotAParticipant(f"NIK {nik} is not a current participant of this activity", "nik")
        self.check_open("withdraw a participant")
        self._participant_withdrawn(
            nik=nik, reason=clean_paragraphs(reason, "reason", 500), withdrawn_at=require_aware(now, "now"), actor=actor
        )

    @event("ParticipantWithdrawn")
    def _participant_withdrawn(self, nik: str, reason: str, withdrawn_at: datetime, actor: Actor) -> None:
        self.participants[nik] = replace(self.participants[nik], withdrawn_at=withdrawn_at)

    # --- coverage -----------------------------------------------------------------------

    def check_covered(self, nik: str, moment: datetime) -> TaskLetter:
        """The task letter that covers ``nik`` at ``moment``, or ``NotCovered`` saying why not."""
        require_aware(moment, "incident_at")
        participant = self.participants.get(nik)
        if participant is None:
            raise NotCovered(f"NIK {nik} is not a participant of this activity")
        if participant.joined_at > moment:
            raise NotCovered(f"{participant.name} joined after the incident")
        if participant.withdrawn_at is not None and participant.withdrawn_at <= moment:
            raise NotCovered(f"{participant.name} had withdrawn before the incident")
        if self.cancelled_at is not None and self.cancelled_at <= moment:
            raise NotCovered("the activity had been cancelled before the incident")
        for letter in self.task_letters:
            if letter.cover_period.contains(moment):
                return letter
        raise NotCovered(f"no task letter of this activity covers {local_day(moment).isoformat()}")

    def cover_for(self, nik: str, moment: datetime) -> TaskLetter | None:
        try:
            return self.check_covered(nik, moment)
        except NotCovered:
            return None

    # --- premium ------------------------------------------------------------------------

    def assess_premium(self, breakdown: PremiumBreakdown, actor: Actor) -> None:
        if breakdown.value != self.total_value:
            raise InvalidValue("the premium must be assessed on the activity's current value", "value")
        self._premium_assessed(
            value=breakdown.value, jkk=breakdown.jkk, jkm=breakdown.jkm, amount=breakdown.total,
            rule=breakdown.rule, actor=actor,
        )

    @event("PremiumAssessed")
    def _premium_assessed(
        self, value: Decimal, jkk: Decimal, jkm: Decimal, amount: Decimal, rule: str, actor: Actor
    ) -> None:
        self.premium = PremiumBreakdown(value=value, jkk=jkk, jkm=jkm, total=amount, rule=rule)

    def record_premium_payment(self, amount: object, reference: str, paid_on: date, today: date, actor: Actor) -> None:
        amount = rupiah(amount, "amount")
        reference = clean_text(reference, "reference", 60)
        if self.premium is None:
            raise RuleRefused("no premium has been assessed for this activity")
        if paid_on > today:
            raise InvalidValue("a payment cannot be dated in the future", "paid_on")
        if any(payment.reference.casefold() == reference.casefold() for payment in self.payments):
            raise AlreadyDone(f"payment {reference} is already recorded", "reference")
        if amount > self.premium_outstanding:
            raise PremiumOverpaid(
                f"payment of {amount} exceeds the outstanding premium of {self.premium_outstanding}", "amount"
            )
        self._premium_paid(amount=amount, reference=reference, paid_on=paid_on, actor=actor)

    @event("PremiumPaid")
    def _premium_paid(self, amount: Decimal, reference: str, paid_on: date, actor: Actor) -> None:
        self.payments.append(PremiumPayment(amount=amount, reference=reference, paid_on=paid_on))

    def revise_value(self, total_value: object, reason: str, actor: Actor) -> None:
        """Change the activity's value; the caller re-assesses the premium in the same save."""
        total_value = rupiah(total_value, "total_value")
        self.check_open("revise its value")
        if total_value == self.total_value:
            raise AlreadyDone("the value is unchanged", "total_value")
        self._value_revised(total_value=total_value, reason=clean_paragraphs(reason, "reason", 500), actor=actor)

    @event("ValueRevised")
    def _value_revised(self, total_value: Decimal, reason: str, actor: Actor) -> None:
        self.total_value = total_value

    # --- end of life ----------------------------------------------------------------------

    def complete(self, now: datetime, actor: Actor) -> None:
        self.check_open("complete it")
        if not self.task_letters:
            raise RuleRefused("an activity without a task letter cannot be completed; cancel it instead")
        self._completed(completed_at=require_aware(now, "now"), actor=actor)

    @event("ActivityCompleted")
    def _completed(self, completed_at: datetime, actor: Actor) -> None:
        self.completed_at = completed_at

    def cancel(self, reason: str, now: datetime, actor: Actor) -> None:
        self.check_open("cancel it")
        self._cancelled(
            reason=clean_paragraphs(reason, "reason", 500), cancelled_at=require_aware(now, "now"), actor=actor
        )

    @event("ActivityCancelled")
    def _cancelled(self, reason: str, cancelled_at: datetime, actor: Actor) -> None:
        self.cancelled_at = cancelled_at
        self.cancel_reason = reason
