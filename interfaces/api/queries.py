"""Keyset-paged lists over the read models' tables, for the API.

Each returns up to ``limit + 1`` rows after the cursor's key, in an order that ends with a unique
id, so pages never overlap or skip when rows are added meanwhile. (The web pages' list queries in
``projections`` return whole lists or offset pages; these could move there once both agree.)
"""

from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, Table, and_, func, or_, select

from projections.claims import days_open


def rt_rows(
    connection: Connection, tables: dict[str, Table], *, kecamatan: str | None, kelurahan: str | None,
    phase: str | None, after: tuple[str] | None, limit: int,
) -> list[dict[str, Any]]:
    """RTs by code (unique), each with its number of activities."""
    rts, activities = tables["rts"], tables["activities"]
    counts = select(activities.c.rt_id, func.count().label("activities")).group_by(activities.c.rt_id).subquery()
    query = (
        select(rts, func.coalesce(counts.c.activities, 0).label("activities"))
        .outerjoin(counts, counts.c.rt_id == rts.c.rt_id)
        .order_by(rts.c.code)
        .limit(limit + 1)
    )
    if kecamatan:
        query = query.where(rts.c.kecamatan_code == kecamatan)
    if kelurahan:
        query = query.where(rts.c.kelurahan_code == kelurahan)
    if phase == "none":
        query = query.where(rts.c.phase.is_(None))
    elif phase:
        query = query.where(rts.c.phase == phase)
    if after:
        query = query.where(rts.c.code > after[0])
    return [dict(row) for row in connection.execute(query).mappings()]


def activity_rows(
    connection: Connection, tables: dict[str, Table], *, rt_id: str | None, status: str | None,
    after: tuple[date, str] | None, limit: int,
) -> list[dict[str, Any]]:
    """Activities, latest planned start first, ties by id; with participants not withdrawn."""
    activities, covers = tables["activities"], tables["covers"]
    participants = (
        select(covers.c.activity_id, func.count().label("participants"))
        .where(covers.c.withdrawn.is_(False))
        .group_by(covers.c.activity_id)
        .subquery()
    )
    query = (
        select(activities, func.coalesce(participants.c.participants, 0).label("participants"))
        .outerjoin(participants, participants.c.activity_id == activities.c.activity_id)
        .order_by(activities.c.planned_start.desc(), activities.c.activity_id)
        .limit(limit + 1)
    )
    if rt_id:
        query = query.where(activities.c.rt_id == rt_id)
    if status:
        query = query.where(activities.c.status == status)
    if after:
        start, activity_id = after
        query = query.where(or_(
            activities.c.planned_start < start,
            and_(activities.c.planned_start == start, activities.c.activity_id > activity_id),
        ))
    rows = []
    for row in connection.execute(query).mappings():
        item = dict(row)
        item["premium_outstanding"] = max(row["premium_assessed"] - row["premium_paid"], 0)
        rows.append(item)
    return rows


def claim_rows(
    connection: Connection, tables: dict[str, Table], *, now: datetime, status: str | None,
    after: tuple[datetime, str] | None, limit: int,
) -> list[dict[str, Any]]:
    """Claims, most recent incident first, ties by id (the claims board's order), with days open."""
    claims = tables["claims"]
    query = select(claims).order_by(claims.c.incident_at.desc(), claims.c.claim_id).limit(limit + 1)
    if status:
        query = query.where(claims.c.status == status)
    if after:
        incident_at, claim_id = after
        query = query.where(or_(
            claims.c.incident_at < incident_at,
            and_(claims.c.incident_at == incident_at, claims.c.claim_id > claim_id),
        ))
    rows = [dict(row) for row in connection.execute(query).mappings()]
    for row in rows:
        row["days_open"] = days_open(row, now)
    return rows


def event_positions(connection: Connection, tables: dict[str, Table], aggregate_id: str) -> dict[int, int]:
    """Version → position in the event log, of one aggregate's events in the audit trail."""
    events = tables["events"]
    query = select(events.c.version, events.c.position).where(events.c.aggregate_id == aggregate_id)
    return {version: position for version, position in connection.execute(query)}
