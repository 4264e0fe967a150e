"""The activity's use cases: planning a gotong-royong activity, its task letters, its participants,
its premium and value, and its end (completed or cancelled)."""

from collections.abc import Iterable
from datetime import date, datetime
from uuid import UUID

from application.base import ProgrammeStore, command
from domain.activity import Activity, TaskLetter, TaskLetterNumber, task_letter_number
from domain.actor import Actor
from domain.money import rupiah
from domain.nik import parse_nik
from domain.period import Period
from domain.premium import PremiumBreakdown
from domain.rt import RT


class Activities(ProgrammeStore):
    def get_activity(self, activity_id: UUID, version: int | None = None) -> Activity:
        return self.get_at(Activity, activity_id, version)

    def premium_quote(self, value: object, on: date | None = None) -> PremiumBreakdown:
        return self.premium_table.rule_on(on or self.clock.today()).assess(rupiah(value, "value"))

    def coverage(self, activity_id: UUID, nik: str, at: datetime) -> TaskLetter | None:
        return self._load(Activity, activity_id).cover_for(parse_nik(nik), at)

    def next_task_letter_number(self, rt_id: UUID, issued_on: date) -> str:
        """The first number in the programme's format not yet taken by a letter of the RT dated in
        that month (what the task-letter form suggests; the Ketua RT may write another)."""
        rt = self._load(RT, rt_id)
        sequence = 1
        while True:
            number = task_letter_number(rt.place.kelurahan_code, rt.rt_number, sequence, issued_on)
            if TaskLetterNumber.create_id(number) not in self.repository:
                return number
            sequence += 1

    @command
    def plan_activity(
        self, rt_id: UUID, title: str, kind: str, location: str, total_value: object,
        planned_period: Period, actor: Actor,
    ) -> UUID:
        rt = self._load(RT, rt_id)
        activity = Activity.plan(
            rt=rt, title=title, kind=kind, location=location, total_value=total_value,
            planned_period=planned_period, actor=actor,
        )
        self._assess_premium(activity, actor)
        return self._create(activity, f"activity {activity.title!r} starting {planned_period.start}").id

    def _assess_premium(self, activity: Activity, actor: Actor) -> None:
        # The rate in force when the work starts applies, so a past period is assessed at its own rate.
        rule = self.premium_table.rule_on(activity.planned_period.start)
        activity.assess_premium(rule.assess(activity.total_value), actor=actor)

    @command
    def issue_task_letter(
        self, activity_id: UUID, number: str, issued_on: date, cover_period: Period, issued_by_nik: str,
        actor: Actor, expected_version: int | None = None,
    ) -> None:
        activity = self._load(Activity, activity_id, expected_version, changing=True)
        rt = self._load(RT, activity.rt_id)
        reservation = activity.issue_task_letter(
            rt=rt, number=number, issued_on=issued_on, cover_period=cover_period, issued_by_nik=issued_by_nik,
            today=self.clock.today(), actor=actor,
        )
        self._save(activity, reservation, created={reservation.id: f"task letter number {reservation.number}"})

    @command
    def join_participant(
        self, activity_id: UUID, nik: str, name: str, role: str, actor: Actor, expected_version: int | None = None
    ) -> None:
        self.join_participants(activity_id, [(nik, name, role)], actor, expected_version)

    @command
    def join_participants(
        self, activity_id: UUID, rows: Iterable[tuple[str, str, str]], actor: Actor,
        expected_version: int | None = None,
    ) -> None:
        """Join several participants at once: all are recorded, or none if any row is refused."""
        with self._changing(Activity, activity_id, expected_version) as activity:
            now = self.clock.now()
            for nik, name, role in rows:
                activity.join_participant(nik=nik, name=name, role=role, now=now, actor=actor)

    @command
    def withdraw_participant(
        self, activity_id: UUID, nik: str, reason: str, actor: Actor, expected_version: int | None = None
    ) -> None:
        with self._changing(Activity, activity_id, expected_version) as activity:
            activity.withdraw_participant(nik=nik, reason=reason, now=self.clock.now(), actor=actor)

    @command
    def record_premium_payment(
        self, activity_id: UUID, amount: object, reference: str, paid_on: date, actor: Actor,
        expected_version: int | None = None,
    ) -> None:
        with self._changing(Activity, activity_id, expected_version) as activity:
            activity.record_premium_payment(
                amount=amount, reference=reference, paid_on=paid_on, today=self.clock.today(), actor=actor
            )

    @command
    def revise_value(
        self, activity_id: UUID, total_value: object, reason: str, actor: Actor, expected_version: int | None = None
    ) -> None:
        with self._changing(Activity, activity_id, expected_version) as activity:
            activity.revise_value(total_value=total_value, reason=reason, actor=actor)
            self._assess_premium(activity, actor)

    @command
    def complete_activity(self, activity_id: UUID, actor: Actor, expected_version: int | None = None) -> None:
        with self._changing(Activity, activity_id, expected_version) as activity:
            activity.complete(now=self.clock.now(), actor=actor)

    @command
    def cancel_activity(
        self, activity_id: UUID, reason: str, actor: Actor, expected_version: int | None = None
    ) -> None:
        with self._changing(Activity, activity_id, expected_version) as activity:
            activity.cancel(reason=reason, now=self.clock.now(), actor=actor)
