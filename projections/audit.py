"""The audit trail: one row per stored event, with who, when, what, and the full payload, and the
event log's hash chain (``domain.eventchain``): each row's event hash and chain hash.

An event the trail cannot record is parked (``projections.parking``) but keeps its link in the
chain — its hash over the bytes as stored, chained after the events before it — in the
``parked_links`` table: the rows after it chain as if it were recorded, ``kampung audit verify``
still judges it (and names it parked), and a replay after a fix slots its row in with the very
chain hash the link holds."""

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from sqlalchemy import Column, Connection, Index, Integer, MetaData, String, Table, Text, exists, inspect, select

from domain.activity import Activity, TaskLetterNumber
from domain.claim import Claim
from domain.errors import DomainError, InvalidValue
from domain.eventchain import GENESIS, chain_hash, event_hash
from domain.money import format_rupiah
from domain.nik import mask_nik
from domain.rt import RT
from domain.user import User
from domain.webhook import WebhookSubscription
from projections.columns import Moment, Printable, uuid_column
from projections.paging import Page, page_of
from projections.payload import aggregate_type, event_payload, payload_json
from projections.readmodel import ReadModel, Rows, handles

# What a page carries for the handler: the event as stored, and the last chain hash.
STORED, HEAD = "stored", "chain_head"


class AuditChainMismatch(DomainError):
    """A rebuild of the audit trail would differ from the trail it replaces: the log was changed."""

# Readable summaries (Bahasa Indonesia: auditors read them on the web pages).
SUMMARIES: dict[type, Callable[[Any], str]] = {
    RT.RTRegistered: lambda e: f"RT {e.code} didaftarkan ({e.place.kelurahan}, {e.place.kecamatan})",
    RT.KetuaRTAppointed: lambda e: f"{e.name} ditetapkan sebagai Ketua RT",
    RT.RTEnrolled: lambda e: f"Terdaftar dalam program tahap {e.phase} mulai {e.from_date.isoformat()}",
    RT.MusyawarahHeld: lambda e: f"Musyawarah {e.held_on.isoformat()}: {', '.join(e.priorities)}",
    RT.RTLaunched: lambda e: f"Program diluncurkan {e.launched_on.isoformat()}",
    Activity.ActivityPlanned: lambda e: f"Kegiatan “{e.title}” direncanakan, nilai {format_rupiah(e.total_value)}",
    Activity.TaskLetterIssued: lambda e: (
        f"Surat tugas {e.number} oleh {e.ketua_name}, berlaku {e.cover_period.start.isoformat()}"
        f" s.d. {e.cover_period.end.isoformat()}"
    ),
    Activity.ParticipantJoined: lambda e: f"{e.name} ({mask_nik(e.nik)}) bergabung sebagai {e.role}",
    Activity.ParticipantWithdrawn: lambda e: f"Peserta {mask_nik(e.nik)} mengundurkan diri: {e.reason}",
    Activity.PremiumAssessed: lambda e: f"Iuran ditetapkan {format_rupiah(e.amount)} (aturan {e.rule})",
    Activity.PremiumPaid: lambda e: f"Iuran dibayar {format_rupiah(e.amount)}, ref. {e.reference}",
    Activity.ValueRevised: lambda e: f"Nilai kegiatan diubah menjadi {format_rupiah(e.total_value)}: {e.reason}",
    Activity.ActivityCompleted: lambda e: "Kegiatan selesai",
    Activity.ActivityCancelled: lambda e: f"Kegiatan dibatalkan: {e.reason}",
    TaskLetterNumber.TaskLetterNumberReserved: lambda e: f"Nomor surat tugas {e.number} dicadangkan",
    Claim.AccidentReported: lambda e: (
        f"Laporan {'kecelakaan kerja' if e.kind == 'work_accident' else 'kematian'} untuk {e.participant_name}"
        f" ({mask_nik(e.nik)}){' — terlambat' if e.late else ''}"
    ),
    Claim.CoverageConfirmed: lambda e: f"Kepesertaan dikonfirmasi (surat tugas {e.task_letter_number})",
    Claim.CoverageDenied: lambda e: f"Kepesertaan ditolak: {e.reason}",
    Claim.DocumentReceived: lambda e: f"Dokumen diterima: {e.document}",
    Claim.ClaimAssessed: lambda e: f"Klaim dinilai: {len(e.lines)} manfaat, total {format_rupiah(e.total)}",
    Claim.ClaimApproved: lambda e: f"Klaim disetujui: {format_rupiah(e.amount)}",
    Claim.ClaimRejected: lambda e: f"Klaim ditolak: {e.reason}",
    Claim.SantunanPaid: lambda e: f"Santunan dibayar {format_rupiah(e.amount)} kepada {e.beneficiary}, ref. {e.reference}",
    Claim.OutstandingWaived: lambda e: (
        f"Sisa santunan dihapuskan {format_rupiah(sum(line.amount for line in e.lines))}: {e.reason}"
    ),
    Claim.ClaimClosed: lambda e: "Klaim ditutup",
    # Accounts: never a hash here, and the payload's hashes are redacted (payload.py).
    User.UserRegistered: lambda e: f"Akun {e.username} dibuat ({e.role}{', ' + e.rt_code if e.rt_code else ''})",
    User.PasswordChanged: lambda e: "Kata sandi diganti",
    User.UserDisabled: lambda e: f"Akun dinonaktifkan: {e.reason}",
    User.UserEnabled: lambda e: "Akun diaktifkan kembali",
    User.ApiTokenIssued: lambda e: f"Token API {e.token_id} diterbitkan ({', '.join(e.scopes)})",
    User.ApiTokenRevoked: lambda e: f"Token API {e.token_id} dicabut",
    # Webhook subscriptions (operational: in the trail, never in the feed); never the secret, which no event holds.
    WebhookSubscription.WebhookSubscribed: lambda e: (
        f"Langganan webhook ke {e.url} dibuat"
        f" ({', '.join(e.event_types) if e.event_types else 'semua peristiwa'}), pemilik {e.owner.user_id}"
    ),
    WebhookSubscription.WebhookPaused: lambda e: "Pengiriman webhook dijeda",
    WebhookSubscription.WebhookResumed: lambda e: "Pengiriman webhook dilanjutkan",
    WebhookSubscription.RedeliveryRequested: lambda e: f"Kirim ulang webhook diminta mulai posisi {e.from_position}",
    WebhookSubscription.WebhookUnsubscribed: lambda e: "Langganan webhook dihapus",
}


class AuditTrail(ReadModel):
    name = "audit"
    in_order = False  # a row per event, whatever became of the aggregate's earlier ones

    def define(self, metadata: MetaData, prefix: str) -> dict[str, Table]:
        events = Table(
            f"{prefix}events", metadata,
            Column("position", Integer, primary_key=True, autoincrement=False),
            Column("recorded_at", Moment(), nullable=False),
            Column("aggregate_type", String(40), nullable=False),
            uuid_column("aggregate_id", nullable=False),
            Column("version", Integer, nullable=False),
            Column("event_type", String(60), nullable=False),
            Column("actor_id", String(64), nullable=False),
            Column("actor_role", String(20), nullable=False),
            Column("summary", Printable(), nullable=False),
            Column("payload", Text, nullable=False),
            Column("event_hash", String(64), nullable=False),
            Column("chain_hash", String(64), nullable=False),
            Index(f"{prefix}events_aggregate", "aggregate_id", "version"),
            Index(f"{prefix}events_actor", "actor_id", "position"),
            Index(f"{prefix}events_type", "event_type", "position"),
            Index(f"{prefix}events_time", "recorded_at"),
        )
        links = Table(
            f"{prefix}parked_links", metadata,
            Column("position", Integer, primary_key=True, autoincrement=False),
            Column("event_hash", String(64), nullable=False),
            Column("chain_hash", String(64), nullable=False),
        )
        return {"events": events, "parked_links": links}

    @handles(*SUMMARIES)
    def record(self, event: Any, position: int, rows: Rows) -> None:
        aggregate_id = str(event.originator_id)
        this, chained = self._link(position, aggregate_id, rows)
        actor = event.actor
        rows.append(
            "events", position=position, recorded_at=event.timestamp, aggregate_type=aggregate_type(event),
            aggregate_id=aggregate_id, version=event.originator_version, event_type=type(event).__name__,
            actor_id=actor.user_id, actor_role=actor.role, summary=SUMMARIES[type(event)](event),
            payload=payload_json(event_payload(event)), event_hash=this, chain_hash=chained,
        )

    def apply_stored(self, event: Any, stored: Any, rows: Rows) -> None:
        # The hashes are over the stored bytes, which the decoded event no longer has.
        rows.carried[STORED] = stored
        self.apply(event, stored.id, rows)

    def parked(self, stored: Any, rows: Rows) -> None:
        rows.carried[STORED] = stored
        this, chained = self._link(stored.id, str(stored.originator_id), rows)
        rows.append("parked_links", position=stored.id, event_hash=this, chain_hash=chained)

    def _link(self, position: int, aggregate_id: str, rows: Rows) -> tuple[str, str]:
        """The event's hash over its bytes as stored, and its chain hash after the events before it."""
        stored = rows.carried[STORED]
        # A state no longer bytes (edited into text or NULL) is no event as written: verify calls it changed.
        state = stored.state if isinstance(stored.state, (bytes, memoryview)) else b""
        this = event_hash(position, aggregate_id, stored.originator_version, stored.topic, state)
        if HEAD not in rows.carried:
            # The first event of a unit of work; the only one when a parked event is replayed.
            rows.carried[HEAD] = latest_link(rows.connection, rows.tables, before=position)[1]
            if parked_hash(rows.connection, rows.tables, position) not in (None, this):
                raise AuditChainMismatch(
                    f"the stored event at position {position} changed after the audit trail chained it: "
                    "run kampung audit verify"
                )
        rows.carried[HEAD] = chained = chain_hash(rows.carried[HEAD], this)
        return this, chained

    def accept_rebuild(self, connection: Connection, old: dict[str, Table], new: dict[str, Table]) -> None:
        """A rebuild reads the log as it is now: had an audited event been changed, removed or
        inserted, the rebuilt chain would differ from the recorded one and the rebuild would
        hide it, so it is refused. A trail recorded before the chain existed has nothing to keep."""
        if "chain_hash" not in {column["name"] for column in inspect(connection).get_columns(old["events"].name)}:
            return
        position, chained = latest_link(connection, old)
        if position == 0:
            return
        if latest_link(connection, new, before=position + 1) != (position, chained):
            raise AuditChainMismatch(
                f"the event log no longer matches the audit trail up to position {position}: "
                "run kampung audit verify; the audit trail was not rebuilt"
            )


# Every event type the trail records, with the type of aggregate it belongs to.
EVENT_TYPES: dict[str, str] = {cls.__name__: cls.__qualname__.split(".")[0] for cls in SUMMARIES}


@dataclass(frozen=True)
class AuditFilter:
    aggregate_id: str | None = None
    actor_id: str | None = None
    event_type: str | None = None
    since: datetime | None = None
    until: datetime | None = None
    after: int = 0  # position: page by position
    limit: int = 100

    def __post_init__(self) -> None:
        if self.since and self.until and self.until < self.since:
            raise InvalidValue("until must not be before since", "until")


def latest_link(connection: Connection, tables: dict[str, Table], before: int | None = None) -> tuple[int, str]:
    """(position, chain hash) of the last event (before ``before``) the trail recorded or chained
    while parked; (0, the genesis value) before the first."""
    found = [(0, GENESIS)]
    for table in (tables["events"], tables["parked_links"]):
        query = select(table.c.position, table.c.chain_hash)
        if before is not None:
            query = query.where(table.c.position < before)
        row = connection.execute(query.order_by(table.c.position.desc()).limit(1)).first()
        if row is not None:
            found.append((row.position, row.chain_hash))
    return max(found)


def parked_hash(connection: Connection, tables: dict[str, Table], position: int) -> str | None:
    """The event hash chained for a parked event at ``position``, if one was parked there."""
    links = tables["parked_links"]
    return connection.execute(select(links.c.event_hash).where(links.c.position == position)).scalar()


def chain_rows(connection: Connection, tables: dict[str, Table], after: int = 0, limit: int = 5000) -> list[Any]:
    """(position, event hash, chain hash) of the events after ``after`` in the chain, in order: those
    recorded, and the links of those parked and not recorded since."""
    events, links = tables["events"], tables["parked_links"]
    query = (
        select(events.c.position, events.c.event_hash, events.c.chain_hash)
        .where(events.c.position > after).order_by(events.c.position).limit(limit)
    )
    rows = list(connection.execute(query))
    parked = (
        select(links.c.position, links.c.event_hash, links.c.chain_hash)
        .where(links.c.position > after, ~exists().where(events.c.position == links.c.position))
        .order_by(links.c.position).limit(limit)
    )
    if len(rows) == limit:
        parked = parked.where(links.c.position < rows[-1].position)
    return sorted([*rows, *connection.execute(parked)], key=lambda row: row.position)[:limit]


def audit_rows(connection: Connection, tables: dict[str, Table], where: AuditFilter) -> list[dict[str, Any]]:
    events = tables["events"]
    query = select(events).where(events.c.position > where.after).order_by(events.c.position).limit(where.limit)
    if where.aggregate_id:
        query = query.where(events.c.aggregate_id == where.aggregate_id)
    if where.actor_id:
        query = query.where(events.c.actor_id == where.actor_id)
    if where.event_type:
        query = query.where(events.c.event_type == where.event_type)
    if where.since:
        query = query.where(events.c.recorded_at >= where.since)
    if where.until:
        query = query.where(events.c.recorded_at <= where.until)
    return [dict(row) for row in connection.execute(query).mappings()]


def audit_page(connection: Connection, tables: dict[str, Table], where: AuditFilter) -> Page:
    """Up to ``where.limit`` events by position, and the position to continue ``after``."""
    rows = audit_rows(connection, tables, replace(where, limit=where.limit + 1))
    return page_of(rows, where.limit, "position")


def event_positions(connection: Connection, tables: dict[str, Table], aggregate_id: str) -> dict[int, int]:
    """Version → position in the event log, of one aggregate's events."""
    events = tables["events"]
    query = select(events.c.version, events.c.position).where(events.c.aggregate_id == aggregate_id)
    return {version: position for version, position in connection.execute(query)}


def recorded_at(connection: Connection, tables: dict[str, Table], position: int) -> datetime | None:
    """When the last event at or before ``position`` was recorded (None before the first):
    the moment a replay "as of" that position shows."""
    events = tables["events"]
    query = (
        select(events.c.recorded_at).where(events.c.position <= position).order_by(events.c.position.desc()).limit(1)
    )
    return connection.execute(query).scalar_one_or_none()
