"""The claims board: every claim with its status, place, participant, amounts and dates;
counts and sums per status and per month of the incident."""

from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, Column, Connection, Index, Integer, MetaData, String, Table, func, select

from domain.claim import Claim
from domain.period import JAKARTA
from domain.rt import RT
from projections.columns import Moment, Money, uuid_column
from projections.paging import Key, Page, keyset_page
from projections.readmodel import ReadModel, Rows, handles

class ClaimsBoard(ReadModel):
    name = "claims"

    def define(self, metadata: MetaData, prefix: str) -> dict[str, Table]:
        places = Table(
            f"{prefix}rts", metadata,
            uuid_column("rt_id", primary_key=True),
            Column("code", String(40), nullable=False),
            Column("kelurahan", String(80), nullable=False),
            Column("kecamatan", String(80), nullable=False),
        )
        claims = Table(
            f"{prefix}claims", metadata,
            uuid_column("claim_id", primary_key=True),
            Column("status", String(30), nullable=False),
            Column("kind", String(20), nullable=False),
            uuid_column("rt_id", nullable=False),
            Column("rt_code", String(40), nullable=False),
            Column("kelurahan", String(80), nullable=False),
            Column("kecamatan", String(80), nullable=False),
            uuid_column("activity_id", nullable=False),
            Column("nik", String(16), nullable=False),
            Column("participant_name", String(100), nullable=False),
            Column("incident_at", Moment(), nullable=False),
            Column("incident_month", String(7), nullable=False),
            Column("reported_at", Moment(), nullable=False),
            Column("late", Boolean, nullable=False),
            Column("task_letter_number", String(60)),
            Column("documents", Integer, nullable=False),
            Column("assessed_amount", Money, nullable=False),
            Column("approved_amount", Money, nullable=False),
            Column("paid_amount", Money, nullable=False),
            Column("closed_at", Moment()),
            Column("updated_at", Moment(), nullable=False),
            Column("version", Integer, nullable=False),
            Index(f"{prefix}claims_status", "status"),
            Index(f"{prefix}claims_month", "incident_month"),
            Index(f"{prefix}claims_nik", "nik"),
        )
        return {"rts": places, "claims": claims}

    def reads(self, event: Any) -> tuple[tuple[str, tuple], ...]:
        if type(event) is RT.RTRegistered:
            return ()
        if type(event) is Claim.AccidentReported:
            return (("rts", (str(event.rt_id),)),)
        return (("claims", (str(event.originator_id),)),)

    @handles(RT.RTRegistered)
    def rt_registered(self, event: Any, position: int, rows: Rows) -> None:
        rows.put("rts", rt_id=str(event.originator_id), code=event.code,
                 kelurahan=event.place.kelurahan, kecamatan=event.place.kecamatan)

    @handles(Claim.AccidentReported)
    def reported(self, event: Any, position: int, rows: Rows) -> None:
        rt = rows.require("rts", str(event.rt_id))
        rows.put(
            "claims", claim_id=str(event.originator_id), status="reported", kind=event.kind,
            rt_id=rt["rt_id"], rt_code=rt["code"], kelurahan=rt["kelurahan"], kecamatan=rt["kecamatan"],
            activity_id=str(event.activity_id), nik=event.nik, participant_name=event.participant_name,
            incident_at=event.incident_at, incident_month=event.incident_at.astimezone(JAKARTA).strftime("%Y-%m"),
            reported_at=event.reported_at, late=event.late, documents=0, assessed_amount=0, approved_amount=0,
            paid_amount=0, updated_at=event.timestamp, version=event.originator_version,
        )

    def _claim(self, event: Any, rows: Rows, status: str | None = None) -> dict[str, Any]:
        row = rows.require("claims", str(event.originator_id))
        row.update(updated_at=event.timestamp, version=event.originator_version)
        if status:
            row["status"] = status
        return row

    @handles(Claim.CoverageConfirmed)
    def coverage_confirmed(self, event: Any, position: int, rows: Rows) -> None:
        self._claim(event, rows, "coverage_confirmed")["task_letter_number"] = event.task_letter_number

    @handles(Claim.CoverageDenied)
    def coverage_denied(self, event: Any, position: int, rows: Rows) -> None:
        self._claim(event, rows, "coverage_denied")

    @handles(Claim.DocumentReceived)
    def document_received(self, event: Any, position: int, rows: Rows) -> None:
        self._claim(event, rows)["documents"] += 1

    @handles(Claim.ClaimAssessed)
    def assessed(self, event: Any, position: int, rows: Rows) -> None:
        self._claim(event, rows, "assessed")["assessed_amount"] = int(event.total)

    @handles(Claim.ClaimApproved)
    def approved(self, event: Any, position: int, rows: Rows) -> None:
        self._claim(event, rows, "approved")["approved_amount"] = int(event.amount)

    @handles(Claim.ClaimRejected)
    def rejected(self, event: Any, position: int, rows: Rows) -> None:
        self._claim(event, rows, "rejected")

    @handles(Claim.SantunanPaid)
    def santunan_paid(self, event: Any, position: int, rows: Rows) -> None:
        row = self._claim(event, rows)
        row["paid_amount"] += int(event.amount)
        row["status"] = "paid" if row["paid_amount"] >= row["approved_amount"] else "partially_paid"

    @handles(Claim.OutstandingWaived)
    def outstanding_waived(self, event: Any, position: int, rows: Rows) -> None:
        self._claim(event, rows, "waived")  # nothing is outstanding any more: the claim may close

    @handles(Claim.ClaimClosed)
    def closed(self, event: Any, position: int, rows: Rows) -> None:
        self._claim(event, rows, "closed")["closed_at"] = event.timestamp


# --- queries --------------------------------------------------------------------------


def days_open(row: dict[str, Any], now: datetime) -> int:
    end = row["closed_at"] or now
    return max((end - row["reported_at"]).days, 0)


def board_page(
    connection: Connection, tables: dict[str, Table], now: datetime, status: str | None = None,
    after: str | None = None, limit: int | None = 20,
) -> Page:
    """Claims, most recent incident first, ties by id (``after`` is a claim id), each with its
    days open."""
    claims = tables["claims"]
    query = select(claims)
    if status:
        query = query.where(claims.c.status == status)
    order = (Key(claims.c.incident_at, descending=True), Key(claims.c.claim_id))
    page = keyset_page(connection, query, order, after=after, limit=limit)
    for row in page.rows:
        row["days_open"] = days_open(row, now)
    return page


def board(
    connection: Connection, tables: dict[str, Table], now: datetime, status: str | None = None, limit: int = 100,
) -> list[dict[str, Any]]:
    """The board's first ``limit`` claims."""
    return board_page(connection, tables, now, status, limit=limit).rows


def by_status(connection: Connection, tables: dict[str, Table]) -> list[dict[str, Any]]:
    claims = tables["claims"]
    query = (
        select(
            claims.c.status, func.count().label("claims"),
            func.sum(claims.c.assessed_amount).label("assessed"), func.sum(claims.c.approved_amount).label("approved"),
            func.sum(claims.c.paid_amount).label("paid"),
        )
        .group_by(claims.c.status)
        .order_by(claims.c.status)
    )
    return [dict(row) for row in connection.execute(query).mappings()]


def by_month(connection: Connection, tables: dict[str, Table]) -> list[dict[str, Any]]:
    claims = tables["claims"]
    query = (
        select(
            claims.c.incident_month.label("month"), func.count().label("claims"),
            func.sum(claims.c.approved_amount).label("approved"), func.sum(claims.c.paid_amount).label("paid"),
            func.sum(func.cast(claims.c.late, Integer)).label("late"),
        )
        .group_by(claims.c.incident_month)
        .order_by(claims.c.incident_month)
    )
    return [dict(row) for row in connection.execute(query).mappings()]
