"""Current coverage: RTs, activities with their premium, task letters, and who is covered.

"Is NIK X covered at time T, and by which task letter?" is one indexed query
(``cover_at``); the programme's figures (per RT, kelurahan, kecamatan and city-wide) are GROUP
BYs over the same tables, in ``projections/figures.py``.
"""

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    Boolean, Column, Connection, Index, Integer, MetaData, String, Table, func, or_, select,
)

from domain.activity import Activity
from domain.period import local_day
from domain.rt import RT
from projections.columns import Day, Moment, Money, uuid_column
from projections.readmodel import ReadModel, Rows, handles


class Coverage(ReadModel):
    name = "coverage"

    def define(self, metadata: MetaData, prefix: str) -> dict[str, Table]:
        rts = Table(
            f"{prefix}rts", metadata,
            uuid_column("rt_id", primary_key=True),
            Column("code", String(40), nullable=False),
            Column("rt_number", Integer, nullable=False),
            Column("kelurahan_code", String(20), nullable=False),
            Column("kelurahan", String(80), nullable=False),
            Column("kecamatan_code", String(20), nullable=False),
            Column("kecamatan", String(80), nullable=False),
            Column("ketua_nik", String(16)),
            Column("ketua_name", String(100)),
            Column("ketua_phone", String(20)),
            Column("phase", String(20)),
            Column("enrolled_from", Day),
            Column("musyawarah_count", Integer, nullable=False),
            Column("last_musyawarah_on", Day),
            Column("launched_on", Day),
            Column("registered_at", Moment(), nullable=False),
            Column("version", Integer, nullable=False),
            Index(f"{prefix}rts_kelurahan", "kelurahan_code"),
            Index(f"{prefix}rts_kecamatan", "kecamatan_code"),
        )
        activities = Table(
            f"{prefix}activities", metadata,
            uuid_column("activity_id", primary_key=True),
            uuid_column("rt_id", nullable=False),
            Column("rt_code", String(40), nullable=False),
            Column("kelurahan_code", String(20), nullable=False),
            Column("kecamatan_code", String(20), nullable=False),
            Column("title", String(150), nullable=False),
            Column("kind", String(30), nullable=False),
            Column("location", String(200), nullable=False),
            Column("total_value", Money, nullable=False),
            Column("planned_start", Day, nullable=False),
            Column("planned_end", Day, nullable=False),
            Column("premium_assessed", Money, nullable=False),
            Column("premium_rule", String(40)),
            Column("premium_paid", Money, nullable=False),
            Column("status", String(20), nullable=False),
            Column("planned_at", Moment(), nullable=False),
            Column("completed_at", Moment()),
            Column("cancelled_at", Moment()),
            Column("version", Integer, nullable=False),
            Index(f"{prefix}activities_rt", "rt_id"),
        )
        letters = Table(
            f"{prefix}task_letters", metadata,
            Column("number", String(60), primary_key=True),
            uuid_column("activity_id", nullable=False),
            uuid_column("rt_id", nullable=False),
            Column("issued_on", Day, nullable=False),
            Column("cover_start", Day, nullable=False),
            Column("cover_end", Day, nullable=False),
            Column("ketua_nik", String(16), nullable=False),
            Column("ketua_name", String(100), nullable=False),
            Index(f"{prefix}task_letters_activity", "activity_id", "cover_start", "cover_end"),
        )
        covers = Table(
            f"{prefix}covers", metadata,
            uuid_column("activity_id", primary_key=True),
            Column("nik", String(16), primary_key=True),
            Column("name", String(100), nullable=False),
            Column("role", String(30), nullable=False),
            uuid_column("rt_id", nullable=False),
            Column("joined_at", Moment(), nullable=False),
            Column("withdrawn_at", Moment()),
            Column("withdrawn", Boolean, nullable=False),
            Index(f"{prefix}covers_nik", "nik", "joined_at"),
        )
        return {"rts": rts, "activities": activities, "task_letters": letters, "covers": covers}

    def reads(self, event: Any) -> tuple[tuple[str, tuple], ...]:
        if isinstance(event, RT.Event):
            return () if type(event) is RT.RTRegistered else (("rts", (str(event.originator_id),)),)
        if type(event) is Activity.ActivityPlanned:
            return (("rts", (str(event.rt_id),)),)
        if type(event) is Activity.ParticipantWithdrawn:
            activity_id = str(event.originator_id)
            return ("activities", (activity_id,)), ("covers", (activity_id, event.nik))
        return (("activities", (str(event.originator_id),)),)

    # --- RT -------------------------------------------------------------------------

    @handles(RT.RTRegistered)
    def rt_registered(self, event: Any, position: int, rows: Rows) -> None:
        place = event.place
        rows.put(
            "rts", rt_id=str(event.originator_id), code=event.code, rt_number=event.rt_number,
            kelurahan_code=place.kelurahan_code, kelurahan=place.kelurahan,
            kecamatan_code=place.kecamatan_code, kecamatan=place.kecamatan,
            musyawarah_count=0, registered_at=event.timestamp, version=event.originator_version,
        )

    def _rt(self, event: Any, rows: Rows) -> dict[str, Any]:
        row = rows.require("rts", str(event.originator_id))
        row["version"] = event.originator_version
        return row

    @handles(RT.KetuaRTAppointed)
    def ketua_appointed(self, event: Any, position: int, rows: Rows) -> None:
        self._rt(event, rows).update(ketua_nik=event.nik, ketua_name=event.name, ketua_phone=event.phone)

    @handles(RT.RTEnrolled)
    def enrolled(self, event: Any, position: int, rows: Rows) -> None:
        self._rt(event, rows).update(phase=event.phase, enrolled_from=event.from_date)

    @handles(RT.MusyawarahHeld)
    def musyawarah_held(self, event: Any, position: int, rows: Rows) -> None:
        row = self._rt(event, rows)
        row["musyawarah_count"] += 1
        row["last_musyawarah_on"] = max(filter(None, [row["last_musyawarah_on"], event.held_on]))

    @handles(RT.RTLaunched)
    def launched(self, event: Any, position: int, rows: Rows) -> None:
        self._rt(event, rows)["launched_on"] = event.launched_on

    # --- Activity -------------------------------------------------------------------

    @handles(Activity.ActivityPlanned)
    def planned(self, event: Any, position: int, rows: Rows) -> None:
        rt = rows.require("rts", str(event.rt_id))
        rows.put(
            "activities", activity_id=str(event.originator_id), rt_id=str(event.rt_id), rt_code=event.rt_code,
            kelurahan_code=rt["kelurahan_code"], kecamatan_code=rt["kecamatan_code"],
            title=event.title, kind=event.kind, location=event.location, total_value=int(event.total_value),
            planned_start=event.planned_period.start, planned_end=event.planned_period.end,
            premium_assessed=0, premium_paid=0, status="planned", planned_at=event.timestamp,
            version=event.originator_version,
        )

    def _activity(self, event: Any, rows: Rows) -> dict[str, Any]:
        row = rows.require("activities", str(event.originator_id))
        row["version"] = event.originator_version
        return row

    @handles(Activity.TaskLetterIssued)
    def letter_issued(self, event: Any, position: int, rows: Rows) -> None:
        activity = self._activity(event, rows)
        activity["status"] = "active"
        rows.put(
            "task_letters", number=event.number, activity_id=activity["activity_id"], rt_id=activity["rt_id"],
            issued_on=event.issued_on, cover_start=event.cover_period.start, cover_end=event.cover_period.end,
            ketua_nik=event.ketua_nik, ketua_name=event.ketua_name,
        )

    @handles(Activity.ParticipantJoined)
    def joined(self, event: Any, position: int, rows: Rows) -> None:
        activity = self._activity(event, rows)
        rows.put(
            "covers", activity_id=activity["activity_id"], nik=event.nik, name=event.name, role=event.role,
            rt_id=activity["rt_id"], joined_at=event.joined_at, withdrawn=False,
        )

    @handles(Activity.ParticipantWithdrawn)
    def withdrawn(self, event: Any, position: int, rows: Rows) -> None:
        self._activity(event, rows)
        cover = rows.require("covers", str(event.originator_id), event.nik)
        cover.update(withdrawn_at=event.withdrawn_at, withdrawn=True)

    @handles(Activity.PremiumAssessed)
    def premium_assessed(self, event: Any, position: int, rows: Rows) -> None:
        self._activity(event, rows).update(premium_assessed=int(event.amount), premium_rule=event.rule)

    @handles(Activity.PremiumPaid)
    def premium_paid(self, event: Any, position: int, rows: Rows) -> None:
        self._activity(event, rows)["premium_paid"] += int(event.amount)

    @handles(Activity.ValueRevised)
    def value_revised(self, event: Any, position: int, rows: Rows) -> None:
        self._activity(event, rows)["total_value"] = int(event.total_value)

    @handles(Activity.ActivityCompleted)
    def completed(self, event: Any, position: int, rows: Rows) -> None:
        self._activity(event, rows).update(status="completed", completed_at=event.completed_at)

    @handles(Activity.ActivityCancelled)
    def cancelled(self, event: Any, position: int, rows: Rows) -> None:
        self._activity(event, rows).update(status="cancelled", cancelled_at=event.cancelled_at)


# --- queries --------------------------------------------------------------------------


@dataclass(frozen=True)
class CoverAt:
    nik: str
    name: str
    role: str
    activity_id: str
    activity_title: str
    rt_code: str
    task_letter_number: str
    cover_start: date
    cover_end: date


def cover_at(connection: Connection, tables: dict[str, Table], nik: str, moment: datetime) -> list[CoverAt]:
    """Every task letter covering ``nik`` at ``moment`` (usually none or one)."""
    covers, letters, activities = tables["covers"], tables["task_letters"], tables["activities"]
    day = local_day(moment)
    query = (
        select(
            covers.c.nik, covers.c.name, covers.c.role, covers.c.activity_id, activities.c.title,
            activities.c.rt_code, letters.c.number, letters.c.cover_start, letters.c.cover_end,
        )
        .join(letters, letters.c.activity_id == covers.c.activity_id)
        .join(activities, activities.c.activity_id == covers.c.activity_id)
        .where(
            covers.c.nik == nik,
            covers.c.joined_at <= moment,
            or_(covers.c.withdrawn_at.is_(None), covers.c.withdrawn_at > moment),
            or_(activities.c.cancelled_at.is_(None), activities.c.cancelled_at > moment),
            letters.c.cover_start <= day,
            letters.c.cover_end >= day,
        )
        .order_by(letters.c.cover_start, letters.c.number)
    )
    return [CoverAt(*row) for row in connection.execute(query)]


def cover_status(cover_end: date | None, withdrawn: bool, cancelled: bool, today: date) -> str:
    if cancelled:
        return "cancelled"
    if withdrawn:
        return "withdrawn"
    if cover_end is None:
        return "pending"  # no task letter yet
    return "active" if cover_end >= today else "ended"


def covers_of(connection: Connection, tables: dict[str, Table], nik: str, today: date) -> list[dict[str, Any]]:
    """Every cover a person has had, with activity, RT, kelurahan, cover period and status."""
    covers, letters, activities, rts = tables["covers"], tables["task_letters"], tables["activities"], tables["rts"]
    query = (
        select(
            covers, activities.c.title, activities.c.rt_code, activities.c.cancelled_at, rts.c.kelurahan,
            rts.c.kecamatan, func.min(letters.c.cover_start).label("cover_start"),
            func.max(letters.c.cover_end).label("cover_end"), func.count(letters.c.number).label("letters"),
        )
        .join(activities, activities.c.activity_id == covers.c.activity_id)
        .join(rts, rts.c.rt_id == covers.c.rt_id)
        .outerjoin(letters, letters.c.activity_id == covers.c.activity_id)
        .where(covers.c.nik == nik)
        .group_by(*covers.c, activities.c.title, activities.c.rt_code, activities.c.cancelled_at,
                  rts.c.kelurahan, rts.c.kecamatan)
        .order_by(covers.c.joined_at)
    )
    result = []
    for row in connection.execute(query).mappings():
        item = dict(row)
        item["status"] = cover_status(row["cover_end"], row["withdrawn"], row["cancelled_at"] is not None, today)
        result.append(item)
    return result


def activity_summary(connection: Connection, tables: dict[str, Table], activity_id: str) -> dict[str, Any] | None:
    """An activity with its participants and premium assessed, paid and outstanding."""
    activities, covers = tables["activities"], tables["covers"]
    row = connection.execute(select(activities).where(activities.c.activity_id == activity_id)).mappings().first()
    if row is None:
        return None
    item = dict(row)
    item["premium_outstanding"] = max(row["premium_assessed"] - row["premium_paid"], 0)
    item["participants"] = [
        dict(p) for p in connection.execute(
            select(covers).where(covers.c.activity_id == activity_id).order_by(covers.c.joined_at, covers.c.nik)
        ).mappings()
    ]
    return item


def reportable_activities(connection: Connection, tables: dict[str, Table]) -> list[dict[str, Any]]:
    """Activities an accident may be reported under (any not cancelled), by RT and start date, with
    their kelurahan: for reporting someone who is not a registered participant."""
    activities, rts = tables["activities"], tables["rts"]
    query = (
        select(
            activities.c.activity_id, activities.c.title, activities.c.rt_code, activities.c.status,
            activities.c.planned_start, activities.c.planned_end, rts.c.kelurahan,
        )
        .join(rts, rts.c.rt_id == activities.c.rt_id)
        .where(activities.c.status != "cancelled")
        .order_by(activities.c.rt_code, activities.c.planned_start, activities.c.title, activities.c.activity_id)
    )
    return [dict(row) for row in connection.execute(query).mappings()]
