"""The RT registry as readers see it: RTs with filters, over the coverage model's tables."""

from typing import Any

from sqlalchemy import Connection, Table, func, select


def rt_list(
    connection: Connection,
    tables: dict[str, Table],
    kecamatan: str | None = None,
    kelurahan: str | None = None,
    phase: str | None = None,
) -> list[dict[str, Any]]:
    """RTs ordered by code, each with its number of activities."""
    rts, activities = tables["rts"], tables["activities"]
    counts = (
        select(activities.c.rt_id, func.count().label("activities")).group_by(activities.c.rt_id).subquery()
    )
    query = (
        select(rts, func.coalesce(counts.c.activities, 0).label("activities"))
        .outerjoin(counts, counts.c.rt_id == rts.c.rt_id)
        .order_by(rts.c.code)
    )
    if kecamatan:
        query = query.where(rts.c.kecamatan_code == kecamatan)
    if kelurahan:
        query = query.where(rts.c.kelurahan_code == kelurahan)
    if phase:
        query = query.where(rts.c.phase == phase)
    return [dict(row) for row in connection.execute(query).mappings()]
