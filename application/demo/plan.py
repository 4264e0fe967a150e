"""The demo's plan as data: the pilot RTs, their activities up to a few weeks after today, and the
claims on them; drawn from fixed random streams, nothing read from the store or the wall clock."""

from dataclasses import dataclass
from datetime import date

from application.demo.activities import CYCLE_DAYS, ActivityPlan, rt_activities
from application.demo.claim_steps import schedule
from application.demo.claims import ClaimPlan, plan_claims
from application.demo.people import People
from application.demo.rts import RTPlan, build_rts
from application.demo.timeline import LOOKAHEAD, stream
from domain.activity import task_letter_number
from domain.period import local_day


@dataclass
class Plan:
    rts: list[RTPlan]
    activities: list[ActivityPlan]  # in the order they start
    claims: list[ClaimPlan]


def build_plan(today: date) -> Plan:
    """Everything that happens up to today, and the activities planned for the weeks after it. The
    plan for a later day begins as this one: it only goes on further."""
    rts = build_rts(stream("rts"), People(stream("people")))
    phases = [index * CYCLE_DAYS // len(rts) for index in range(len(rts))]
    activities = sorted(
        (activity for rt, phase in zip(rts, phases) for activity in rt_activities(rt, phase, today + LOOKAHEAD)),
        key=lambda activity: (activity.period.start, activity.rt.code),
    )
    _number_letters(activities)
    claims = plan_claims(activities)
    for claim in claims:
        schedule(stream("claim steps", claim.activity.rt.code, claim.activity.index), claim)
    return Plan(rts=rts, activities=activities, claims=claims)


def _number_letters(activities: list[ActivityPlan]) -> None:
    """Each RT numbers its letters from 1 each month, in the order it issues them."""
    issued: dict[tuple[str, int, int], int] = {}
    letters = sorted(
        ((letter, activity.rt) for activity in activities for letter in activity.letters),
        key=lambda pair: (pair[0].issued_at, pair[1].code),
    )
    for letter, rt in letters:
        day = local_day(letter.issued_at)
        key = (rt.code, day.year, day.month)
        issued[key] = issued.get(key, 0) + 1
        letter.number = task_letter_number(rt.place.kelurahan_code, rt.number, issued[key], day)
