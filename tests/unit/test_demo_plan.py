"""The demo's plan as data (no store): a later today only extends it, and whatever today the demo is
loaded for, people are covered that day and activities are planned for the weeks after it."""

from datetime import date, timedelta

import pytest

from application.demo.plan import Plan, build_plan
from application.demo.steps import steps
from application.demo.timeline import EARLIEST_TODAY, LOOKAHEAD, at

# Every today of three and a half years is checked, each against the plan drawn up to it.
CHECKED_UNTIL = date(2029, 12, 31)


@pytest.fixture(scope="module")
def long_plan() -> Plan:
    return build_plan(CHECKED_UNTIL)


def covered_on(plan: Plan, day: date) -> int:
    """Participants covered on ``day`` by what was recorded before it began."""
    start = at(day, 0)
    return sum(
        len(activity.joiners)
        for activity in plan.activities
        if activity.letters and activity.joined_at < start
        and (activity.cancelled is None or activity.cancelled[0] >= start)
        and any(letter.issued_at < start and letter.cover.start <= day <= letter.cover.end
                for letter in activity.letters)
    )


def planned_after(plan: Plan, day: date) -> int:
    start = at(day, 0)
    return sum(1 for activity in plan.activities if activity.planned_at < start and activity.period.start > day)


def test_whatever_today_people_are_covered_and_activities_are_planned_ahead(long_plan):
    nobody, nothing_ahead = [], []
    day = EARLIEST_TODAY
    while day <= CHECKED_UNTIL:
        if not covered_on(long_plan, day):
            nobody.append(day)
        if not planned_after(long_plan, day):
            nothing_ahead.append(day)
        day += timedelta(days=1)
    assert nobody == [] and nothing_ahead == []


@pytest.mark.parametrize("earlier", [EARLIEST_TODAY, date(2026, 11, 20), date(2027, 3, 1)])
def test_the_plan_of_a_later_today_begins_as_the_plan_of_an_earlier_one(long_plan, earlier):
    plan = build_plan(earlier)
    start = at(earlier, 0)
    early = [(step.moment, step.run.__qualname__) for step in steps(plan) if step.moment < start]
    late = [(step.moment, step.run.__qualname__) for step in steps(long_plan) if step.moment < start]
    assert early == late
    later = {activity.id: activity for activity in long_plan.activities}
    for activity in plan.activities:
        same = later[activity.id]
        assert [(letter.number, letter.cover) for letter in activity.letters] == \
            [(letter.number, letter.cover) for letter in same.letters]
        assert [person.nik for person, _ in activity.joiners] == [person.nik for person, _ in same.joiners]
        assert activity.payments == same.payments and activity.completed_at == same.completed_at
    claims = {claim.id: claim.steps for claim in long_plan.claims}
    assert all(claims[claim.id] == claim.steps for claim in plan.claims)


def test_activities_are_drawn_up_to_some_weeks_after_today():
    today = date(2026, 11, 20)
    plan = build_plan(today)
    assert max(activity.period.start for activity in plan.activities) <= today + LOOKAHEAD
    assert max(activity.period.start for activity in plan.activities) > today + LOOKAHEAD - timedelta(days=10)
