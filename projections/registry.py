"""The RT registry and activity lists as readers see them, over the coverage model's tables.

Read-only listing queries for the web pages and the API, keyset-paged (``projections.paging``);
the figures come from ``projections.coverage``.
"""

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, Table, func, or_, select

from projections.paging import Key, Page, keyset_page


def rt_list(
    connection: Connection,
    tables: dict[str, Table],
    kecamatan: str | None = None,
    kelurahan: str | None = None,
    phase: str | None = None,
    after: str | None = None,
    limit: int | None = None,
    rt_id: str | None = None,
) -> Page:
    """RTs ordered by code (unique: ``after`` is a code), each with its number of activities;
    ``phase="none"`` is the RTs not yet enrolled in the programme; ``rt_id`` keeps that RT only."""
    rts, activities = tables["rts"], tables["activities"]
    counts = (
        select(activities.c.rt_id, func.count().label("activities")).group_by(activities.c.rt_id).subquery()
    )
    query = (
        select(rts, func.coalesce(counts.c.activities, 0).label("activities"))
        .outerjoin(counts, counts.c.rt_id == rts.c.rt_id)
    )
    if kecamatan:
        query = query.where(rts.c.kecamatan_code == kecamatan)
    if kelurahan:
        query = query.where(rts.c.kelurahan_code == kelurahan)
    if phase == "none":
        query = query.where(rts.c.phase.is_(None))
    elif phase:
        query = query.where(rts.c.phase == phase)
    if rt_id:
        query = query.where(rts.c.rt_id == rt_id)
    return keyset_page(connection, query, (Key(rts.c.code),), after=after, limit=limit)


def enrolled_rts(connection: Connection, tables: dict[str, Table]) -> list[dict[str, Any]]:
    """RTs enrolled in the programme (they may plan activities), ordered by code."""
    rts = tables["rts"]
    query = (
        select(rts.c.rt_id, rts.c.code, rts.c.rt_number, rts.c.kelurahan, rts.c.kecamatan)
        .where(rts.c.phase.is_not(None))
        .order_by(rts.c.code)
    )
    return [dict(row) for row in connection.execute(query).mappings()]


@dataclass(frozen=True)
class ActivityPage:
    """A page of the activity list, with the number of activities the filters match (the web
    numbers its pages)."""

    rows: list[dict[str, Any]]
    next: str | None  # the last row's activity_id when more follow: ``after`` for the next page
    total: int
    offset: int
    limit: int

    @property
    def has_previous(self) -> bool:
        return self.offset > 0

    @property
    def has_next(self) -> bool:
        return self.next is not None


def activity_list(
    connection: Connection,
    tables: dict[str, Table],
    rt_code: str | None = None,
    status: str | None = None,
    rt_id: str | None = None,
    after: str | None = None,
    offset: int = 0,
    limit: int | None = None,
) -> ActivityPage:
    """Activities, latest planned start first, ties by id, with their RT's kelurahan, their
    participants not withdrawn and their premium outstanding.

    ``rt_code`` matches a whole RT code or its beginning (``15.71.01.1001`` lists every RT of
    that kelurahan)."""
    activities, rts, covers = tables["activities"], tables["rts"], tables["covers"]
    conditions = []
    if rt_code:
        conditions.append(activities.c.rt_code.startswith(rt_code, autoescape=True))
    if status:
        conditions.append(activities.c.status == status)
    if rt_id:
        conditions.append(activities.c.rt_id == str(rt_id))
    total = connection.execute(select(func.count()).select_from(activities).where(*conditions)).scalar_one()
    participants = (
        select(covers.c.activity_id, func.count().label("participants"))
        .where(covers.c.withdrawn.is_(False))
        .group_by(covers.c.activity_id)
        .subquery()
    )
    query = (
        select(
            activities, rts.c.kelurahan, rts.c.kecamatan, rts.c.rt_number,
            func.coalesce(participants.c.participants, 0).label("participants"),
        )
        .join(rts, rts.c.rt_id == activities.c.rt_id)
        .outerjoin(participants, participants.c.activity_id == activities.c.activity_id)
        .where(*conditions)
    )
    order = (Key(activities.c.planned_start, descending=True), Key(activities.c.activity_id))
    page = keyset_page(connection, query, order, after=after, limit=limit, offset=offset)
    for row in page.rows:
        row["premium_outstanding"] = max(row["premium_assessed"] - row["premium_paid"], 0)
    return ActivityPage(rows=page.rows, next=page.next, total=total, offset=offset, limit=limit or total)


def covered_in_rt(
    connection: Connection, tables: dict[str, Table], rt_id: str, today: date, now: datetime
) -> list[dict[str, Any]]:
    """The participants of an RT's activities covered today: joined by ``now``, not withdrawn,
    their activity not cancelled, and a task letter of it covering ``today``; one row per person
    and activity, with the letter that covers them."""
    covers, letters, activities = tables["covers"], tables["task_letters"], tables["activities"]
    query = (
        select(
            covers.c.nik, covers.c.name, covers.c.role, covers.c.activity_id, activities.c.title,
            func.min(letters.c.number).label("task_letter_number"),
            func.max(letters.c.cover_end).label("cover_end"),
        )
        .join(activities, activities.c.activity_id == covers.c.activity_id)
        .join(letters, letters.c.activity_id == covers.c.activity_id)
        .where(
            covers.c.rt_id == str(rt_id),
            covers.c.joined_at <= now,
            or_(covers.c.withdrawn_at.is_(None), covers.c.withdrawn_at > now),
            activities.c.cancelled_at.is_(None),
            letters.c.cover_start <= today,
            letters.c.cover_end >= today,
        )
        .group_by(covers.c.nik, covers.c.name, covers.c.role, covers.c.activity_id, activities.c.title)
        .order_by(covers.c.name, covers.c.nik, activities.c.title)
    )
    return [dict(row) for row in connection.execute(query).mappings()]
