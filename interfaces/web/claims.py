"""Claim pages: the claims board, reporting an accident, and a claim's page with its timeline
and the forms of each step its status allows.

Every form view follows the form pattern (``interfaces/web/forms.py``): it declares the page
that shows the form, runs one command and redirects; errors are rendered by
``interfaces/errors.py`` on the declared page.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from flask import Blueprint, request
from marshmallow import EXCLUDE, Schema, fields, validate
from werkzeug.wrappers import Response

from domain.claim import BENEFITS, DOCUMENTS, BenefitLine, Claim, Cover, SantunanPayment
from domain.nik import mask_nik
from interfaces.schemas.claims import (
    ApproveClaim, AssessClaim, CloseClaim, ConfirmCoverage, DenyCoverage, PaySantunan, ReceiveDocuments,
    RejectClaim, ReportAccident,
)
from interfaces.schemas.queries import CoverageQuery
from interfaces.web.actor import ROLE_LABELS, require_actor
from interfaces.web.audit import EVENT_LABELS
from interfaces.web.coverage import COVER_STATUS_LABELS, local_input
from interfaces.web.labels import CLAIM_STATUS_LABELS
from interfaces.web.filters import rupiah, tanggal, waktu
from interfaces.web.forms import done, form_page, load, run_command
from interfaces.web.services import kampung, reading
from projections.claims import STATUSES, board_page, by_status
from projections.coverage import covers_of, reportable_activities

blueprint = Blueprint("claims", __name__)

STATUS_LABELS = CLAIM_STATUS_LABELS
KIND_LABELS = {"work_accident": "Kecelakaan kerja (JKK)", "death": "Kematian (JKM)"}
DOCUMENT_LABELS = {
    "ktp": "KTP peserta",
    "kk": "Kartu Keluarga (KK)",
    "kronologis": "Kronologi kejadian",
    "surat_tugas": "Surat tugas dari Ketua RT",
    "laporan_tahap_1": "Laporan kecelakaan tahap I",
    "surat_keterangan_dokter": "Surat keterangan dokter",
    "kuitansi_pengobatan": "Kuitansi pengobatan",
    "laporan_polisi": "Laporan polisi",
    "keterangan_saksi": "Keterangan saksi",
    "surat_kematian": "Surat keterangan kematian",
    "surat_keterangan_ahli_waris": "Surat keterangan ahli waris",
    "ktp_ahli_waris": "KTP ahli waris",
    "buku_tabungan_ahli_waris": "Buku tabungan ahli waris",
}
BENEFIT_LABELS = {
    "medical_care": "Biaya perawatan dan pengobatan",
    "transport": "Biaya transportasi",
    "stmb": "Santunan STMB (sementara tidak mampu bekerja)",
    "disability": "Santunan cacat",
    "scholarship": "Beasiswa pendidikan anak",
    "death_benefit": "Santunan kematian",
    "periodic_santunan": "Santunan berkala",
    "funeral": "Biaya pemakaman",
}
FIELD_LABELS = {
    "activity_id": "Kegiatan",
    "rt_id": "RT",
    "nik": "NIK",
    "participant_name": "Nama peserta",
    "incident_at": "Waktu kejadian",
    "location": "Lokasi kejadian",
    "kind": "Jenis klaim",
    "chronology": "Kronologi",
    "reporter": "Pelapor",
    "reported_at": "Waktu laporan",
    "late": "Laporan terlambat",
    "cover": "Surat tugas",
    "denial_reason": "Alasan penolakan kepesertaan",
    "documents": "Dokumen",
    "benefit_lines": "Rincian manfaat",
    "approved_amount": "Jumlah disetujui",
    "rejection_reason": "Alasan penolakan klaim",
    "payments": "Pembayaran santunan",
    "closed": "Ditutup",
}
ACTOR_ROLE_LABELS = {**ROLE_LABELS, "system": "Sistem"}
# The claim page's form for each domain step.
FORM_OF_STEP = {
    "confirm_coverage": "confirm", "deny_coverage": "deny", "receive_document": "documents", "assess": "assess",
    "approve": "approve", "reject": "reject", "pay_santunan": "pay", "close": "close",
}
ASSESS_ROWS = 5
PAGE_SIZE = 20


# --- the claims board -------------------------------------------------------------------


class BoardQuery(Schema):
    status = fields.String(load_default=None, validate=validate.OneOf(STATUSES))
    after = fields.UUID(load_default=None)
    limit = fields.Integer(load_default=PAGE_SIZE, validate=validate.Range(1, 100))


@blueprint.get("/claims")
def index() -> tuple[str, int]:
    require_actor()
    asked = {key: value for key, value in request.args.items() if value.strip()}
    with reading("claims") as (connection, tables):
        counts = {row["status"]: row["claims"] for row in by_status(connection, tables)}
        page = form_page(
            "claims/index.html", initial=request.args.to_dict(), statuses=STATUS_LABELS, counts=counts,
            total=sum(counts.values()), rows=[], next_after=None, status=None, limit=PAGE_SIZE,
            page_size=PAGE_SIZE, first_page=True, kinds=KIND_LABELS,
        )
        query = BoardQuery(unknown=EXCLUDE).load(asked)
        rows, next_after = board_page(
            connection, tables, kampung().clock.now(), status=query["status"],
            after=str(query["after"]) if query["after"] else None, limit=query["limit"],
        )
    page.context.update(rows=rows, next_after=next_after, status=query["status"], limit=query["limit"],
                        first_page=query["after"] is None)
    return page.render()


# --- reporting an accident ----------------------------------------------------------------


def activity_choices(activities: list[dict[str, Any]]) -> dict[str, dict[str, str]]:
    """The activities someone who is not a participant may be reported under, as options grouped
    by RT (the query returns them in RT order)."""
    groups: dict[str, dict[str, str]] = {}
    for activity in activities:
        period = f"{tanggal(activity['planned_start'])} – {tanggal(activity['planned_end'])}"
        group = groups.setdefault(f"{activity['rt_code']} · {activity['kelurahan']}", {})
        group[activity["activity_id"]] = f"{activity['title']} ({period})"
    return groups


@blueprint.route("/claims/report", methods=["GET", "POST"])
def report() -> tuple[str, int] | Response:
    actor = require_actor()
    service = kampung()
    nik = (request.form if request.method == "POST" else request.args).get("nik", "").strip()
    covers: list[dict[str, Any]] = []
    activities: list[dict[str, Any]] = []
    if nik:
        with reading("coverage") as (connection, tables):
            covers = covers_of(connection, tables, nik, service.clock.today())
            if not covers:
                activities = reportable_activities(connection, tables)
    now = local_input(service.clock.now())
    page = form_page(
        "claims/report.html", initial=request.args.to_dict(), nik=nik, covers=covers,
        activity_groups=activity_choices(activities), kinds=KIND_LABELS, cover_status=COVER_STATUS_LABELS,
        max_at=now,
    )
    if request.method == "GET":
        if "nik" in request.args:
            CoverageQuery(only=("nik",)).load({"nik": nik})
        return page.render()
    data = load(ReportAccident())
    data.pop("expected_version")  # a new claim: there is no version to have seen
    claim_id = service.report_accident(**data, actor=actor)
    late = service.get_claim(claim_id).late
    message = "Laporan kecelakaan dicatat."
    if late:
        message += " Laporan ini TERLAMBAT: lebih dari 2×24 jam setelah kejadian."
    return done(message, "claims.detail", claim_id=claim_id)


# --- a claim's page -----------------------------------------------------------------------


@dataclass(frozen=True)
class Change:
    label: str
    before: str | None
    after: str


def _text(field: str, value: Any, names: dict[str, str]) -> str:
    if value is None:
        return "–"
    if isinstance(value, bool):
        return "Ya" if value else "Tidak"
    if isinstance(value, datetime):
        return waktu(value)
    if isinstance(value, date):
        return tanggal(value)
    if isinstance(value, Decimal):
        return rupiah(value)
    if isinstance(value, Cover):
        return (f"{value.task_letter_number} ({tanggal(value.cover_period.start)} – "
                f"{tanggal(value.cover_period.end)})")
    if isinstance(value, BenefitLine):
        return f"{BENEFIT_LABELS.get(value.benefit, value.benefit)}: {value.description}, {rupiah(value.amount)}"
    if isinstance(value, SantunanPayment):
        return (f"{rupiah(value.amount)} kepada {value.beneficiary}, referensi {value.reference}, "
                f"tanggal {tanggal(value.paid_on)}")
    if isinstance(value, list):
        return "; ".join(_text(field, item, names) for item in value) or "–"
    if field == "documents":
        return DOCUMENT_LABELS.get(value, value)
    if field == "kind":
        return KIND_LABELS.get(value, value)
    if field == "nik":
        return mask_nik(value)
    return names.get(str(value), str(value))


def describe(field: str, before: Any, after: Any, names: dict[str, str]) -> Change | None:
    """One changed field for people: a list that grew shows what was added; a first value shows
    alone; a replaced value shows before → after."""
    label = FIELD_LABELS.get(field, field)
    if before is None and after in (None, [], False):
        return None  # a field set up empty when the claim was reported
    if before is None or before == []:
        return Change(label, None, _text(field, after, names))
    if isinstance(after, list) and isinstance(before, list) and after[: len(before)] == before:
        return Change(label, None, "ditambah: " + _text(field, after[len(before):], names))
    return Change(label, _text(field, before, names), _text(field, after, names))


def timeline(claim_id: UUID, names: dict[str, str]) -> list[dict[str, Any]]:
    entries = []
    for entry in kampung().history(claim_id):
        event = entry.event
        kind = type(event).__name__
        actor = getattr(event, "actor", None)
        changes = [describe(field, before, after, names) for field, (before, after) in entry.changes.items()]
        entries.append({
            "label": EVENT_LABELS.get(kind, kind),
            "version": event.originator_version,
            "user": actor.user_id if actor else "–",
            "role": ACTOR_ROLE_LABELS.get(actor.role, actor.role) if actor else "",
            "at": event.timestamp,
            "changes": [change for change in changes if change is not None],
        })
    return entries


def claim_context(claim_id: UUID, active: str | None = None) -> dict[str, Any]:
    """Everything the claim page shows; ``active`` names the form whose errors and input to show."""
    service = kampung()
    claim: Claim = service.get_claim(claim_id)
    activity = service.get_activity(claim.activity_id)
    rt = service.get_rt(claim.rt_id)
    checklist = DOCUMENTS[claim.kind]
    status = claim.status
    offered = {FORM_OF_STEP[step] for step in claim.possible_steps()}
    pending_documents = [] if claim.closed else [doc for doc in checklist if doc not in claim.documents]
    rows = max(ASSESS_ROWS, len(claim.benefit_lines) + 2)
    assess_defaults: dict[str, str] = {}
    for index, line in enumerate(claim.benefit_lines):
        assess_defaults.update({f"lines-{index}-benefit": line.benefit, f"lines-{index}-description": line.description,
                                f"lines-{index}-amount": str(int(line.amount))})
    today = service.clock.today()
    names = {str(claim.activity_id): activity.title, str(claim.rt_id): rt.code}
    return {
        "claim": claim,
        "status": status,
        "activity": activity,
        "rt": rt,
        "found_cover": activity.cover_for(claim.nik, claim.incident_at) if claim.cover is None else None,
        "checklist": checklist,
        "pending_documents": pending_documents,
        "offered": offered,
        "decisions": bool(offered - {"documents"}),
        "active": active,
        "assess_rows": rows,
        "benefits": {benefit: BENEFIT_LABELS.get(benefit, benefit) for benefit in BENEFITS[claim.kind]},
        "defaults": {
            "assess": assess_defaults,
            "pay": {"paid_on": today.isoformat(), "amount": str(int(claim.outstanding_amount)) if
                    claim.outstanding_amount > 0 else ""},
        },
        "today": today.isoformat(),
        "timeline": timeline(claim_id, names),
        "labels": {"status": STATUS_LABELS, "kind": KIND_LABELS, "document": DOCUMENT_LABELS,
                   "benefit": BENEFIT_LABELS},
    }


@blueprint.get("/claims/<uuid:claim_id>")
def detail(claim_id: UUID) -> tuple[str, int]:
    require_actor()
    return form_page("claims/detail.html", **claim_context(claim_id)).render()


def take_step(claim_id: UUID, form: str, schema: Schema, command: Callable[..., Any]) -> dict[str, Any]:
    """A step posted from the claim page: the page is declared first, so that a refused step shows
    it again with ``form``'s errors and input; then the command runs. Returns the form's fields."""
    actor = require_actor()
    form_page("claims/detail.html", **claim_context(claim_id, active=form))
    return run_command(schema, command, claim_id, actor)


@blueprint.post("/claims/<uuid:claim_id>/confirm-coverage")
def confirm_coverage(claim_id: UUID) -> Response:
    take_step(claim_id, "confirm", ConfirmCoverage(), kampung().confirm_coverage)
    return done("Kepesertaan dikonfirmasi: peserta terlindungi saat kejadian.", "claims.detail", claim_id=claim_id)


@blueprint.post("/claims/<uuid:claim_id>/deny-coverage")
def deny_coverage(claim_id: UUID) -> Response:
    take_step(claim_id, "deny", DenyCoverage(), kampung().deny_coverage)
    return done("Kepesertaan ditolak.", "claims.detail", claim_id=claim_id)


@blueprint.post("/claims/<uuid:claim_id>/documents")
def receive_documents(claim_id: UUID) -> Response:
    data = take_step(claim_id, "documents", ReceiveDocuments(), kampung().receive_documents)
    return done(f"{len(data['documents'])} dokumen dicatat diterima.", "claims.detail", claim_id=claim_id)


@blueprint.post("/claims/<uuid:claim_id>/assess")
def assess(claim_id: UUID) -> Response:
    take_step(claim_id, "assess", AssessClaim(), kampung().assess_claim)
    return done("Penilaian klaim dicatat.", "claims.detail", claim_id=claim_id)


@blueprint.post("/claims/<uuid:claim_id>/approve")
def approve(claim_id: UUID) -> Response:
    take_step(claim_id, "approve", ApproveClaim(), kampung().approve_claim)
    return done("Klaim disetujui.", "claims.detail", claim_id=claim_id)


@blueprint.post("/claims/<uuid:claim_id>/reject")
def reject(claim_id: UUID) -> Response:
    take_step(claim_id, "reject", RejectClaim(), kampung().reject_claim)
    return done("Klaim ditolak.", "claims.detail", claim_id=claim_id)


@blueprint.post("/claims/<uuid:claim_id>/pay")
def pay(claim_id: UUID) -> Response:
    data = take_step(claim_id, "pay", PaySantunan(), kampung().pay_santunan)
    return done(f"Pembayaran santunan {rupiah(data['amount'])} dicatat.", "claims.detail", claim_id=claim_id)


@blueprint.post("/claims/<uuid:claim_id>/close")
def close(claim_id: UUID) -> Response:
    take_step(claim_id, "close", CloseClaim(), kampung().close_claim)
    return done("Klaim ditutup.", "claims.detail", claim_id=claim_id)
