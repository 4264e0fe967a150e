"""The plan as steps: each a moment, a check whether it is done, and the service command that does it.

A step is run with the service's clock at its moment, so the events it records are dated then;
the check makes a second run, or one after an interrupted run, skip what is already recorded.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from application.demo.accounts import ACCOUNTS_OPENED_AT, ADMIN, DEMO_ACCOUNTS
from application.demo.activities import ActivityPlan, LetterPlan
from application.demo.claim_steps import OFFICERS
from application.demo.claims import ClaimPlan
from application.demo.people import Person
from application.demo.plan import Plan
from application.demo.rts import KetuaTerm, RTPlan
from application.demo.timeline import ENROLLED_ON, at
from application.service import KampungBahagia
from domain.actor import Actor
from domain.period import local_day
from domain.user import User

Check = Callable[[KampungBahagia], bool]
Command = Callable[[KampungBahagia], None]


@dataclass(frozen=True)
class Step:
    moment: datetime
    done: Check
    run: Command


def steps(plan: Plan) -> list[Step]:
    """Every step of the plan in time order; ties keep the plan's order (an RT before its
    activities, an activity's creation before its use)."""
    found = _account_steps()
    for rt in plan.rts:
        found += _rt_steps(rt)
    for activity in plan.activities:
        found += _activity_steps(activity)
    for claim in plan.claims:
        found += _claim_steps(claim)
    return sorted(found, key=lambda step: step.moment)


def _account_steps() -> list[Step]:
    def opening(moment: datetime, username: str, role: str, rt: str | None, password: str) -> Step:
        return Step(
            moment, lambda service: User.create_id(username) in service.repository,
            lambda service: service.register_user(username, role, password, ADMIN, rt_code=rt),
        )

    return [
        opening(ACCOUNTS_OPENED_AT + timedelta(minutes=index), *account)
        for index, account in enumerate(DEMO_ACCOUNTS)
    ]


def _rt_steps(rt: RTPlan) -> list[Step]:
    def appoint(term: KetuaTerm) -> Step:
        def done(service: KampungBahagia) -> bool:
            current = service.get_rt(rt.id).ketua
            return current is not None and current.appointed_on >= term.appointed_on

        def run(service: KampungBahagia) -> None:
            person = term.person
            service.appoint_ketua_rt(rt.id, person.nik, person.name, person.phone, term.appointed_on, ADMIN)
        return Step(term.recorded_at, done, run)

    def musyawarah(held_on: date, priorities: list[str]) -> Step:
        return Step(
            at(held_on, 19, 30),
            lambda service: any(day == held_on for day, _ in service.get_rt(rt.id).musyawarah),
            lambda service: service.hold_musyawarah(rt.id, held_on, priorities, rt.actor),
        )

    return [
        Step(rt.registered_at, lambda service: rt.id in service.repository,
             lambda service: service.register_rt(rt.place.kelurahan_code, rt.number, ADMIN)),
        *(appoint(term) for term in rt.ketuas),
        Step(rt.enrolled_at, lambda service: service.get_rt(rt.id).phase is not None,
             lambda service: service.enrol_rt(rt.id, "pilot", ENROLLED_ON, ADMIN)),
        *(musyawarah(held_on, priorities) for held_on, priorities in rt.musyawarah),
        Step(at(rt.launched_on, 9), lambda service: service.get_rt(rt.id).launched,
             lambda service: service.launch_rt(rt.id, rt.launched_on, ADMIN)),
    ]


def _activity_steps(plan: ActivityPlan) -> list[Step]:
    rt = plan.rt

    def issue(letter: LetterPlan) -> Step:
        return Step(
            letter.issued_at,
            lambda service: any(tl.number == letter.number for tl in service.get_activity(plan.id).task_letters),
            lambda service: service.issue_task_letter(
                plan.id, letter.number, local_day(letter.issued_at), letter.cover, letter.ketua.nik, rt.actor,
            ),
        )

    def join(moment: datetime, rows: list[tuple[Person, str]]) -> Step:
        return Step(
            moment,
            lambda service: all(p.nik in service.get_activity(plan.id).participants for p, _ in rows),
            lambda service: service.join_participants(plan.id, [(p.nik, p.name, role) for p, role in rows], rt.actor),
        )

    def withdraw(person: Person, moment: datetime, reason: str) -> Step:
        def done(service: KampungBahagia) -> bool:
            participant = service.get_activity(plan.id).participants.get(person.nik)
            return participant is not None and participant.withdrawn_at is not None
        return Step(moment, done, lambda service: service.withdraw_participant(plan.id, person.nik, reason, rt.actor))

    def pay(moment: datetime, amount: int, reference: str) -> Step:
        return Step(
            moment,
            lambda service: any(p.reference == reference for p in service.get_activity(plan.id).payments),
            lambda service: service.record_premium_payment(plan.id, amount, reference, local_day(moment), ADMIN),
        )

    def revise(moment: datetime, value: int, reason: str) -> Step:
        return Step(moment, lambda service: service.get_activity(plan.id).total_value == value,
                    lambda service: service.revise_value(plan.id, value, reason, ADMIN))

    def cancel(moment: datetime, reason: str) -> Step:
        return Step(moment, lambda service: service.get_activity(plan.id).status == "cancelled",
                    lambda service: service.cancel_activity(plan.id, reason, rt.actor))

    found = [Step(plan.planned_at, lambda service: plan.id in service.repository,
                  lambda service: service.plan_activity(rt.id, plan.title, plan.kind, plan.location, plan.value,
                                                        plan.period, rt.actor))]
    found += [issue(letter) for letter in plan.letters]
    if plan.joiners:
        found.append(join(plan.joined_at, plan.joiners))
    found += [join(moment, [(person, role)]) for person, role, moment in plan.late_joiners]
    found += [withdraw(*row) for row in plan.withdrawals]
    found += [pay(*row) for row in plan.payments]
    if plan.revision:
        found.append(revise(*plan.revision))
    if plan.completed_at:
        found.append(Step(plan.completed_at, lambda service: service.get_activity(plan.id).status == "completed",
                          lambda service: service.complete_activity(plan.id, rt.actor)))
    if plan.cancelled:
        found.append(cancel(*plan.cancelled))
    return found


def _claim_steps(plan: ClaimPlan) -> list[Step]:
    claim_id = plan.id
    reporter = plan.activity.rt.actor

    def report(service: KampungBahagia) -> None:
        service.report_accident(
            plan.activity.id, plan.person.nik, plan.incident_at, plan.kind, plan.chronology, plan.reporter,
            reporter, participant_name=None if plan.participant else plan.person.name,
        )

    return [Step(plan.reported_at, lambda service: claim_id in service.repository, report)] + [
        _claim_step(plan, moment, kind, args) for moment, kind, args in plan.steps
    ]


def _claim_step(plan: ClaimPlan, moment: datetime, kind: str, args: dict) -> Step:
    claim_id = plan.id
    actor = args.get("officer", OFFICERS[0])
    checks: dict[str, Check] = {
        "documents": lambda service: set(args.get("documents", ())) <= set(service.get_claim(claim_id).documents),
        "confirm": lambda service: service.get_claim(claim_id).cover is not None,
        "deny": lambda service: service.get_claim(claim_id).denial_reason is not None,
        "assess": lambda service: bool(service.get_claim(claim_id).benefit_lines),
        "approve": lambda service: service.get_claim(claim_id).approved_amount is not None,
        "reject": lambda service: service.get_claim(claim_id).rejection_reason is not None,
        "pay": lambda service: any(p.reference == args.get("reference") for p in service.get_claim(claim_id).payments),
        "waive": lambda service: service.get_claim(claim_id).waived,
        "close": lambda service: service.get_claim(claim_id).closed,
    }
    commands: dict[str, Command] = {
        "documents": lambda service: service.receive_documents(claim_id, args["documents"], actor),
        "confirm": lambda service: service.confirm_coverage(claim_id, actor),
        "deny": lambda service: _deny(service, plan, args["reason"], actor),
        "assess": lambda service: service.assess_claim(claim_id, args["inputs"], actor),
        "approve": lambda service: service.approve_claim(claim_id, actor),
        "reject": lambda service: service.reject_claim(claim_id, args["reason"], actor),
        "pay": lambda service: service.pay_santunan(
            claim_id, args["benefit"], args["amount"], args["beneficiary"], args["reference"], args["paid_on"], actor,
        ),
        "waive": lambda service: service.waive_outstanding(claim_id, args["reason"], actor),
        "close": lambda service: service.close_claim(claim_id, actor),
    }
    return Step(moment, checks[kind], commands[kind])


def _deny(service: KampungBahagia, plan: ClaimPlan, reason: str, actor: Actor) -> None:
    # The rules must agree: nothing covers this person at the incident.
    if service.coverage(plan.activity.id, plan.person.nik, plan.incident_at) is not None:
        raise RuntimeError(f"demo plan: claim {plan.id} was meant to be outside cover")
    service.deny_coverage(plan.id, reason, actor)
