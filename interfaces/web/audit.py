"""The audit area: the trail of every event (filtered, paged by position, exported), the
history of one aggregate with what each event changed and its state at a version or moment,
and the read models "as of" a past moment, replayed into a scratch database.

Filters are GET forms validated by marshmallow; an invalid value re-renders the page with the
error beside its field (``form_page``). Views hold no try/except.
"""

import dataclasses
import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import replace
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from flask import Blueprint, Response, current_app, request, stream_with_context, url_for
from markupsafe import Markup, escape
from marshmallow import Schema, ValidationError, fields, validate, validates_schema
from sqlalchemy import Connection, Table

from application.base import state_of
from domain.actor import Actor
from domain.nik import mask_nik
from domain.period import JAKARTA, Period, local_day
from interfaces.schemas.fields import Moment
from interfaces.schemas.queries import AuditQuery
from interfaces.masking import for_viewer
from interfaces.web.actor import ROLE_LABELS
from interfaces.web.labels import ACTIVITY_STATUS_LABELS, CLAIM_STATUS_LABELS
from interfaces.web.dashboard import claims_by_status
from interfaces.web.filters import rupiah, tanggal, waktu
from interfaces.web.forms import form_page
from interfaces.services import kampung, reading
from projections.audit import EVENT_TYPES, SUMMARIES, AuditFilter, audit_rows, recorded_at
from projections.claims import ClaimsBoard, board, by_status
from projections.coverage import Coverage
from projections.figures import covered_on, totals
from projections.export import FORMATS, export_audit
from projections.payload import aggregate_type, event_type
from projections.readmodel import ReadModel
from projections.replay import as_of as replay_as_of

blueprint = Blueprint("audit", __name__)

AGGREGATE_LABELS = {"RT": "RT", "Activity": "Kegiatan", "Claim": "Klaim", "TaskLetterNumber": "Nomor surat tugas",
                    "User": "Akun"}

EVENT_LABELS = {
    "RTRegistered": "RT didaftarkan",
    "KetuaRTAppointed": "Ketua RT ditetapkan",
    "RTEnrolled": "RT terdaftar dalam program",
    "MusyawarahHeld": "Musyawarah diadakan",
    "RTLaunched": "Program diluncurkan",
    "ActivityPlanned": "Kegiatan direncanakan",
    "TaskLetterIssued": "Surat tugas diterbitkan",
    "ParticipantJoined": "Peserta bergabung",
    "ParticipantWithdrawn": "Peserta mengundurkan diri",
    "PremiumAssessed": "Iuran ditetapkan",
    "PremiumPaid": "Iuran dibayar",
    "ValueRevised": "Nilai kegiatan diubah",
    "ActivityCompleted": "Kegiatan selesai",
    "ActivityCancelled": "Kegiatan dibatalkan",
    "TaskLetterNumberReserved": "Nomor surat tugas dicadangkan",
    "AccidentReported": "Kecelakaan dilaporkan",
    "CoverageConfirmed": "Kepesertaan dikonfirmasi",
    "CoverageDenied": "Kepesertaan ditolak",
    "DocumentReceived": "Dokumen diterima",
    "ClaimAssessed": "Klaim dinilai",
    "ClaimApproved": "Klaim disetujui",
    "ClaimRejected": "Klaim ditolak",
    "SantunanPaid": "Santunan dibayar",
    "OutstandingWaived": "Sisa santunan dihapuskan",
    "ClaimClosed": "Klaim ditutup",
    "UserRegistered": "Akun dibuat",
    "PasswordChanged": "Kata sandi diganti",
    "UserDisabled": "Akun dinonaktifkan",
    "UserEnabled": "Akun diaktifkan kembali",
    "ApiTokenIssued": "Token API diterbitkan",
    "ApiTokenRevoked": "Token API dicabut",
}

# Every event type the trail records, grouped by aggregate type in life-cycle order, as the
# filter's options: each with its code too, as the trail, its exports and the API name it.
EVENT_TYPE_GROUPS: dict[str, dict[str, str]] = {}
for _name, _aggregate in EVENT_TYPES.items():
    _group = EVENT_TYPE_GROUPS.setdefault(AGGREGATE_LABELS.get(_aggregate, _aggregate), {})
    _group[_name] = f"{EVENT_LABELS.get(_name, _name)} ({_name})"

FIELD_LABELS = {
    # RT
    "code": "Kode RT", "place": "Wilayah", "rt_number": "Nomor RT", "ketua": "Ketua RT", "phase": "Tahap",
    "enrolled_from": "Terdaftar mulai", "musyawarah": "Musyawarah", "launched_on": "Diluncurkan",
    "kelurahan_code": "Kode kelurahan", "kelurahan": "Kelurahan", "kecamatan_code": "Kode kecamatan",
    "kecamatan": "Kecamatan", "phone": "Telepon", "appointed_on": "Ditetapkan",
    # Activity
    "rt_id": "RT", "rt_code": "Kode RT", "title": "Judul", "kind": "Jenis", "location": "Lokasi",
    "total_value": "Nilai kegiatan", "planned_period": "Periode rencana", "task_letters": "Surat tugas",
    "participants": "Peserta", "premium": "Iuran", "payments": "Pembayaran", "completed_at": "Selesai pada",
    "cancelled_at": "Dibatalkan pada", "cancel_reason": "Alasan pembatalan", "number": "Nomor",
    "issued_on": "Tanggal surat", "cover_period": "Masa perlindungan", "ketua_nik": "NIK Ketua RT",
    "ketua_name": "Nama Ketua RT", "role": "Peran", "joined_at": "Bergabung", "withdrawn_at": "Mundur",
    "value": "Nilai", "jkk": "JKK", "jkm": "JKM", "total": "Jumlah", "rule": "Aturan", "amount": "Jumlah",
    "reference": "Referensi", "paid_on": "Tanggal bayar", "start": "Mulai", "end": "Sampai",
    # Claim
    "activity_id": "Kegiatan", "nik": "NIK", "name": "Nama", "participant_name": "Nama peserta",
    "incident_at": "Waktu kejadian", "chronology": "Kronologi", "reporter": "Pelapor",
    "reported_at": "Dilaporkan pada", "late": "Terlambat dilaporkan", "cover": "Kepesertaan",
    "denial_reason": "Alasan penolakan kepesertaan", "documents": "Dokumen", "benefit_lines": "Rincian manfaat",
    "approved_amount": "Jumlah disetujui", "rejection_reason": "Alasan penolakan", "closed": "Ditutup",
    "task_letter_number": "Nomor surat tugas", "benefit": "Manfaat", "description": "Uraian",
    "beneficiary": "Penerima",
    # derived
    "status": "Status", "version": "Versi",
}

NIK_PATTERN = re.compile(r"^\d{16}$")
FILTER_FIELDS = ("aggregate", "actor", "type", "since", "until")
VIEWS = {"coverage": "Kepesertaan dan iuran per kecamatan", "claims": "Papan klaim"}


# --- readable values ----------------------------------------------------------------------


def field_label(name: str) -> str:
    return FIELD_LABELS.get(name, name.replace("_", " "))


def _scalar(value: Any) -> bool:
    if isinstance(value, (list, tuple, dict)):
        return False
    return not (dataclasses.is_dataclass(value) and not isinstance(value, type))


def readable(value: Any) -> Markup:
    """A state value as people read it: dates and moments in Indonesian (WIB), money in rupiah,
    NIKs masked, ids linked to their history, lists and value objects spelled out field by field."""
    if value is None:
        return Markup("–")
    if isinstance(value, bool):
        return Markup("ya" if value else "tidak")
    if isinstance(value, Decimal):
        return escape(rupiah(value))
    if isinstance(value, datetime):
        return escape(waktu(value))
    if isinstance(value, date):
        return escape(tanggal(value))
    if isinstance(value, UUID):  # another aggregate (an RT, an activity): its history
        return Markup('<a href="{}">{}</a>').format(url_for("audit.history", aggregate_id=value), str(value))
    if isinstance(value, Period):
        return escape(f"{tanggal(value.start)} s.d. {tanggal(value.end)}")
    if isinstance(value, Actor):
        return escape(f"{value.user_id} ({ROLE_LABELS.get(value.role, value.role)})")
    if isinstance(value, str):
        return escape(mask_nik(value) if NIK_PATTERN.match(value) else value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        items = [
            Markup("<li>{}: {}</li>").format(field_label(item.name), readable(getattr(value, item.name)))
            for item in dataclasses.fields(value)
        ]
        return Markup('<ul class="value">{}</ul>').format(Markup("").join(items))
    if isinstance(value, dict):
        if not value:
            return Markup("(kosong)")
        items = [Markup("<li>{}: {}</li>").format(readable(key), readable(item)) for key, item in value.items()]
        return Markup('<ul class="value">{}</ul>').format(Markup("").join(items))
    if isinstance(value, (list, tuple)):
        if not value:
            return Markup("(kosong)")
        if isinstance(value, tuple) or all(_scalar(item) for item in value):
            return Markup(", " if isinstance(value, list) else ": ").join(readable(item) for item in value)
        items = [Markup("<li>{}</li>").format(readable(item)) for item in value]
        return Markup('<ol class="value">{}</ol>').format(Markup("").join(items))
    return escape(str(value))


ARROW = Markup(' <span aria-hidden="true">→</span><span class="visually-hidden">menjadi</span> ')


def change(before: Any, after: Any, created: bool = False) -> Markup:
    """What an event did to one field: the new value on creation, what was added to a list,
    which entries of a mapping changed, else ``before → after``."""
    if created:
        return readable(after)
    appended = isinstance(before, list) and isinstance(after, list) and len(after) > len(before)
    if appended and after[: len(before)] == before:
        return Markup("ditambahkan: {}").format(readable(after[len(before):]))
    if isinstance(before, dict) and isinstance(after, dict):
        items = []
        for key, value in after.items():
            if key not in before:
                items.append(Markup("<li>{}: ditambahkan {}</li>").format(readable(key), readable(value)))
            elif before[key] != value:
                items.append(Markup("<li>{}: {}</li>").format(readable(key), change(before[key], value)))
        for key in before:
            if key not in after:
                items.append(Markup("<li>{}: dihapus</li>").format(readable(key)))
        return Markup('<ul class="value">{}</ul>').format(Markup("").join(items))
    if dataclasses.is_dataclass(before) and type(before) is type(after) and not isinstance(before, type):
        items = [
            Markup("<li>{}: {}</li>").format(field_label(item.name), change(getattr(before, item.name),
                                                                           getattr(after, item.name)))
            for item in dataclasses.fields(before) if getattr(before, item.name) != getattr(after, item.name)
        ]
        return Markup('<ul class="value">{}</ul>').format(Markup("").join(items))
    return Markup("{}{}{}").format(readable(before), ARROW, readable(after))


def status_label(kind: str, status: str) -> str:
    labels = ACTIVITY_STATUS_LABELS if kind == "Activity" else CLAIM_STATUS_LABELS
    return labels.get(status, status)


def local_input(moment: datetime) -> str:
    """A moment as a ``datetime-local`` value in WIB (how the forms send it back)."""
    local = moment.astimezone(JAKARTA)
    return local.strftime("%Y-%m-%dT%H:%M:%S" if local.second else "%Y-%m-%dT%H:%M")


def present(args: Mapping[str, str]) -> dict[str, str]:
    """The query's filled-in fields: a GET form sends its empty fields as empty strings."""
    return {key: value.strip() for key, value in args.items() if value.strip()}


# --- the audit trail ------------------------------------------------------------------------


class AuditForm(AuditQuery):
    """The trail's filter: the shared ``AuditQuery`` with the event type limited to known types."""

    type = fields.String(load_default=None, validate=validate.OneOf(list(EVENT_TYPES),
                                                                     error="Jenis peristiwa tidak dikenal."))


class ExportForm(AuditForm):
    format = fields.String(required=True, validate=validate.OneOf(FORMATS))


def audit_filter(query: dict[str, Any], limit: int) -> AuditFilter:
    return AuditFilter(
        aggregate_id=str(query["aggregate"]) if query.get("aggregate") else None,
        actor_id=query.get("actor"), event_type=query.get("type"), since=query.get("since"),
        until=query.get("until"), after=query.get("after", 0), limit=limit,
    )


@blueprint.get("/audit")
def index() -> tuple[str, int]:
    page = form_page("audit/index.html", groups=EVENT_TYPE_GROUPS, rows=None, initial=request.args)
    args = present(request.args)
    query = AuditForm().load(args)
    with reading("audit") as (connection, tables):
        rows = audit_rows(connection, tables, audit_filter(query, query["limit"] + 1))
    more = len(rows) > query["limit"]
    rows = rows[: query["limit"]]
    criteria = {key: args[key] for key in FILTER_FIELDS if key in args}
    paging = {**criteria, **({"limit": args["limit"]} if "limit" in args else {})}
    page.context.update(
        rows=rows, criteria=criteria, filtered=bool(criteria), after=query["after"],
        next_url=url_for("audit.index", **paging, after=rows[-1]["position"]) if more else None,
        first_url=url_for("audit.index", **paging) if query["after"] else None,
        export_urls={fmt: url_for("audit.export", **criteria, format=fmt) for fmt in FORMATS},
        event_labels=EVENT_LABELS, aggregate_labels=AGGREGATE_LABELS, role_labels=ROLE_LABELS,
    )
    return page.render()


@blueprint.get("/audit/export")
def export() -> Response:
    """The whole filtered trail (every page), streamed as CSV or JSON lines."""
    query = ExportForm().load(present(request.args))
    where = replace(audit_filter(query, 1000), after=0)
    fmt = query["format"]

    show = for_viewer()

    def lines() -> Iterator[str]:
        with reading("audit") as (connection, tables):
            yield from map(show, export_audit(connection, tables, where, fmt))

    stamp = kampung().clock.now().astimezone(JAKARTA).strftime("%Y%m%d-%H%M")
    return Response(
        stream_with_context(lines()),
        mimetype="text/csv" if fmt == "csv" else "application/jsonl",
        headers={"Content-Disposition": f'attachment; filename="jejak-audit-{stamp}.{fmt}"',
                 "X-Content-Type-Options": "nosniff"},
    )


# --- one aggregate's history ----------------------------------------------------------------


class StateQuery(Schema):
    version = fields.Integer(load_default=None, validate=validate.Range(min=1, error="Versi dimulai dari 1."))
    at = Moment(load_default=None)

    @validates_schema
    def one_of(self, data: dict[str, Any], **kwargs: Any) -> None:
        if data.get("version") is not None and data.get("at") is not None:
            raise ValidationError("Isi versi atau waktu, tidak keduanya.", "_form")


def display_name(kind: str, state: dict[str, Any]) -> str:
    if kind == "RT":
        return f"RT {state.get('code', '')}"
    if kind == "Activity":
        return f"Kegiatan “{state.get('title', '')}” ({state.get('rt_code', '')})"
    if kind == "Claim":
        incident = state.get("incident_at")
        return f"Klaim {state.get('participant_name', '')}, kejadian {waktu(incident)}" if incident else "Klaim"
    if kind == "TaskLetterNumber":
        return f"Nomor surat tugas {state.get('number', '')}"
    return kind


def state_at(kind: str, aggregate_id: UUID, version: int, entries: list[Any]) -> list[tuple[str, Markup]]:
    """The aggregate's fields at ``version``, loaded by the service (time travel), with its
    status where it has one."""
    service = kampung()
    getters = {"RT": service.get_rt, "Activity": service.get_activity, "Claim": service.get_claim}
    if kind in getters:
        aggregate = getters[kind](aggregate_id, version=version)
        state = state_of(aggregate)
        if hasattr(aggregate, "status"):
            state["status"] = aggregate.status
    else:  # no query method: the history's changes up to that version make the same state
        state = {}
        for entry in entries[:version]:
            state.update({key: after for key, (_, after) in entry.changes.items()})
    shown = []
    for key, value in state.items():
        text = escape(status_label(kind, value)) if key == "status" else readable(value)
        shown.append((key, text))
    return shown


@blueprint.get("/audit/aggregates/<uuid:aggregate_id>")
def history(aggregate_id: UUID) -> tuple[str, int]:
    entries = kampung().history(aggregate_id)  # NotFound: 404
    kind = aggregate_type(entries[0].event)
    latest: dict[str, Any] = {}
    shown = []
    for entry in entries:
        latest.update({key: after for key, (_, after) in entry.changes.items()})
        event = entry.event
        created = event.originator_version == 1
        changes = [
            (key, change(before, after, created)) for key, (before, after) in entry.changes.items()
            if not (created and (after is None or after == [] or after == {}))
        ]
        shown.append({
            "version": event.originator_version, "recorded_at": event.timestamp, "actor": event.actor,
            "type": event_type(event), "summary": SUMMARIES[type(event)](event) if type(event) in SUMMARIES else "",
            "changes": changes,
        })
    page = form_page(
        "audit/history.html", aggregate_id=aggregate_id, kind=kind, kind_label=AGGREGATE_LABELS.get(kind, kind),
        name=display_name(kind, latest), entries=shown, state=None, initial=request.args,
        event_labels=EVENT_LABELS, role_labels=ROLE_LABELS, field_label=field_label,
        first_at=entries[0].event.timestamp, last_at=entries[-1].event.timestamp,
        detail_url=url_for("rts.detail", rt_id=aggregate_id)
        if kind == "RT" and "rts.detail" in current_app.view_functions else None,
    )
    query = StateQuery().load(present(request.args))
    version, moment = query["version"], query["at"]
    if version is not None and version > len(entries):
        raise ValidationError({"version": [f"Versi terakhir adalah {len(entries)}."]})
    if moment is not None:
        if moment < entries[0].event.timestamp:
            raise ValidationError({"at": [f"Belum ada pada waktu itu; dibuat {waktu(entries[0].event.timestamp)}."]})
        version = kampung().version_as_of(aggregate_id, moment)
    if version is not None:
        page.context.update(
            state=state_at(kind, aggregate_id, version, entries), state_version=version, state_moment=moment,
            state_recorded_at=entries[version - 1].event.timestamp,
        )
    return page.render()


# --- read models as of a past moment ---------------------------------------------------------


class AsOfQuery(Schema):
    at = Moment(load_default=None)
    position = fields.Integer(load_default=None, validate=validate.Range(min=1, error="Posisi dimulai dari 1."))
    view = fields.String(load_default="coverage", validate=validate.OneOf(list(VIEWS), error="Tampilan tidak dikenal."))


@contextmanager
def replayed(
    model: ReadModel, position: int | None, moment: datetime | None
) -> Iterator[tuple[Connection, dict[str, Table]]]:
    """A read of ``model`` replayed up to ``position`` / ``moment`` into a scratch in-memory
    database, dropped afterwards."""
    service = kampung()
    runner = replay_as_of(service.recorder, service.mapper, [model], position=position, moment=moment)
    try:
        with runner.reading(model.name) as view:
            yield view
    finally:
        runner.engine.dispose()


@blueprint.get("/audit/as-of")
def as_of() -> tuple[str, int]:
    """Coverage per kecamatan or the claims board as they were at a moment and/or position,
    replayed into a scratch in-memory database: the live read models are not touched."""
    page = form_page("audit/as_of.html", views=VIEWS, result=None, initial=request.args)
    query = AsOfQuery().load(present(request.args))
    moment, position, view = query["at"], query["position"], query["view"]
    if moment is None and position is None:
        return page.render()
    service = kampung()
    head = service.recorder.max_notification_id() or 0
    if position is not None and position > head:
        raise ValidationError({"position": [f"Posisi terakhir adalah {head}."]})
    shown_at = moment
    if position is not None:
        with reading("audit") as (connection, tables):
            at_position = recorded_at(connection, tables, position)
        shown_at = at_position if moment is None or (at_position is not None and at_position < moment) else moment
    shown_at = shown_at or service.clock.now()
    model = Coverage() if view == "coverage" else ClaimsBoard()
    with replayed(model, position, moment) as (connection, tables):
        if view == "coverage":
            day = local_day(shown_at)
            areas = totals(connection, tables, by="kecamatan", today=day)
            result = {"areas": areas, "covered": covered_on(connection, tables, day), "day": day}
        else:
            result = {"claims": board(connection, tables, now=shown_at, limit=500),
                      "statuses": claims_by_status(by_status(connection, tables))}
    page.context.update(
        result=result, view=view, shown_at=shown_at, position=position, moment=moment,
        status_labels=CLAIM_STATUS_LABELS, at_input=local_input(shown_at),
    )
    return page.render()
