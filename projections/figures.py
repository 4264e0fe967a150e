"""The programme's figures over the coverage model's tables: how many are covered on a day, and the
premium assessed, paid and outstanding, city-wide and per area.

The premium is defined here once, for the dashboard, its replay "as of" a past moment and the demo's
summary alike: a cancelled activity's premium is not owed, so it counts in none of the sums (nor
what was paid on it: a refund is settled outside the programme's books).
"""

from datetime import date
from typing import Any

from sqlalchemy import Connection, ColumnElement, Table, case, func, select


def _premium_sums(activities: Table) -> tuple[ColumnElement[Any], ColumnElement[Any]]:
    """SUM expressions of the premium assessed and paid of the activities that count."""
    counted = activities.c.cancelled_at.is_(None)
    assessed = func.coalesce(func.sum(case((counted, activities.c.premium_assessed), else_=0)), 0)
    paid = func.coalesce(func.sum(case((counted, activities.c.premium_paid), else_=0)), 0)
    return assessed.label("premium_assessed"), paid.label("premium_paid")


def _with_outstanding(row: Any) -> dict[str, Any]:
    return {**row, "premium_outstanding": int(row["premium_assessed"]) - int(row["premium_paid"])}


def premium(connection: Connection, tables: dict[str, Table]) -> dict[str, Any]:
    """City-wide: ``premium_assessed``, ``premium_paid`` and ``premium_outstanding``."""
    row = connection.execute(select(*_premium_sums(tables["activities"]))).mappings().one()
    return _with_outstanding(row)


def _covered_today(tables: dict[str, Table], today: date) -> Any:
    """The covers in force on ``today``: joined, not withdrawn, the activity not cancelled, and a
    task letter of it covering the day."""
    covers, letters, activities = tables["covers"], tables["task_letters"], tables["activities"]
    return (
        select(covers.c.rt_id, covers.c.nik)
        .join(letters, letters.c.activity_id == covers.c.activity_id)
        .join(activities, activities.c.activity_id == covers.c.activity_id)
        .where(
            covers.c.withdrawn.is_(False), activities.c.cancelled_at.is_(None),
            letters.c.cover_start <= today, letters.c.cover_end >= today,
        )
        .subquery()
    )


def covered_on(connection: Connection, tables: dict[str, Table], today: date) -> int:
    """How many people (distinct NIKs) are covered on ``today`` across the city: a person in
    two RTs' activities counts once (the per-area ``totals`` count them in each area)."""
    covered = _covered_today(tables, today)
    return int(connection.execute(select(func.count(func.distinct(covered.c.nik)))).scalar_one())


def totals(connection: Connection, tables: dict[str, Table], by: str, today: date) -> list[dict[str, Any]]:
    """Per ``rt``, ``kelurahan`` or ``kecamatan``: covered participants today, activities, premium."""
    activities, rts = tables["activities"], tables["rts"]
    key = {"rt": rts.c.code, "kelurahan": rts.c.kelurahan, "kecamatan": rts.c.kecamatan}[by]
    covered = _covered_today(tables, today)
    covered_today = (
        select(covered.c.rt_id, func.count(func.distinct(covered.c.nik)).label("covered"))
        .group_by(covered.c.rt_id)
        .subquery()
    )
    money = (
        select(activities.c.rt_id, func.count().label("activities"), *_premium_sums(activities))
        .group_by(activities.c.rt_id)
        .subquery()
    )
    query = (
        select(
            key.label("key"),
            func.count(rts.c.rt_id).label("rts"),
            func.coalesce(func.sum(covered_today.c.covered), 0).label("covered"),
            func.coalesce(func.sum(money.c.activities), 0).label("activities"),
            func.coalesce(func.sum(money.c.premium_assessed), 0).label("premium_assessed"),
            func.coalesce(func.sum(money.c.premium_paid), 0).label("premium_paid"),
        )
        .select_from(rts)
        .outerjoin(covered_today, covered_today.c.rt_id == rts.c.rt_id)
        .outerjoin(money, money.c.rt_id == rts.c.rt_id)
        .group_by(key)
        .order_by(key)
    )
    return [_with_outstanding(row) for row in connection.execute(query).mappings()]


def programme(connection: Connection, tables: dict[str, Table], today: date) -> dict[str, Any]:
    """The whole programme at a glance: RTs and their areas, launches, activities by status, task
    letters, participants, who is covered on ``today``, and the premium."""
    rts, activities, letters, covers = tables["rts"], tables["activities"], tables["task_letters"], tables["covers"]
    places = connection.execute(
        select(func.count(), func.count(func.distinct(rts.c.kelurahan_code)),
               func.count(func.distinct(rts.c.kecamatan_code)), func.count(rts.c.launched_on))
    ).one()
    first = connection.execute(
        select(rts.c.code, rts.c.launched_on).where(rts.c.launched_on.is_not(None))
        .order_by(rts.c.launched_on, rts.c.code).limit(1)
    ).first()
    statuses = dict(connection.execute(
        select(activities.c.status, func.count()).group_by(activities.c.status).order_by(activities.c.status)
    ).all())
    people = connection.execute(select(func.count(), func.count(func.distinct(covers.c.nik)))).one()
    return {
        "rts": places[0], "kelurahan": places[1], "kecamatan": places[2], "launched": places[3],
        "first_launch": (first.code, first.launched_on) if first else None,
        "activities": sum(statuses.values()), "activity_statuses": statuses,
        "task_letters": connection.execute(select(func.count()).select_from(letters)).scalar_one(),
        "participants": people[0], "people": people[1], "covered": covered_on(connection, tables, today),
        **premium(connection, tables),
    }
