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
from werkzeug.datastructures import MultiDict
from werkzeug.wrappers import Response

from application.rules import benefit_tables
from domain.benefits import SCHOOL_LEVELS, Assessment, AssessmentInputs
from domain.claim import (
    DOCUMENTS, STATUSES, AssessmentBasis, BenefitLine, Claim, Cover, SantunanPayment,
)
from domain.nik import mask_nik
from domain.period import JAKARTA
from interfaces.access import may_follow
from interfaces.schemas.claims import (
    ApproveClaim, AssessClaim, CloseClaim, ConfirmCoverage, DenyCoverage, PaySantunan, ReceiveDocuments,
    RejectClaim, ReportAccident, WaiveOutstanding,
)
from interfaces.schemas.queries import CoverageQuery
from interfaces.web.actor import ROLE_LABELS, require_actor
from interfaces.web.audit import EVENT_LABELS
from interfaces.web.coverage import COVER_STATUS_LABELS, local_input
from interfaces.web.labels import CLAIM_STATUS_LABELS
from interfaces.web.filters import rupiah, tanggal, waktu
from interfaces.web.forms import done, form_page, load, run_command
from interfaces.services import kampung, reading
from projections.claims import board_page, by_status
from projections.coverage import covers_of, reportable_activities

blueprint = Blueprint("claims", __name__)

STATUS_LABELS = CLAIM_STATUS_LABELS
KIND_LABELS = {
    "work_accident": "Kecelakaan kerja (JKK)",
    "work_accident_death": "Meninggal karena kecelakaan kerja (JKK)",
    "non_work_death": "Meninggal bukan karena kecelakaan kerja (JKM)",
}
SCHOOL_LABELS = {"tk": "TK", "sd": "SD", "smp": "SMP", "sma": "SMA/SMK", "higher": "Perguruan tinggi atau pelatihan"}
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
    "buku_nikah": "Buku nikah",
}
BENEFIT_LABELS = {
    "medical_care": "Biaya perawatan dan pengobatan",
    "home_care": "Perawatan di rumah",
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
    "assessment_basis": "Dasar perhitungan",
    "waived": "Sisa santunan dihapuskan",
    "waiver_reason": "Alasan penghapusan",
    "approved_amount": "Jumlah disetujui",
    "rejection_reason": "Alasan penolakan klaim",
    "payments": "Pembayaran santunan",
    "closed": "Ditutup",
}
ACTOR_ROLE_LABELS = {**ROLE_LABELS, "system": "Sistem"}
# The claim page's form for each domain step.
FORM_OF_STEP = {
    "confirm_coverage": "confirm", "deny_coverage": "deny", "receive_document": "documents", "assess": "assess",
    "approve": "approve", "reject": "reject", "pay_santunan": "pay", "waive_outstanding": "waive", "close": "close",
}
ENDPOINT_OF_STEP = {
    "confirm_coverage": "claims.confirm_coverage", "deny_coverage": "claims.deny_coverage",
    "receive_document": "claims.receive_documents", "assess": "claims.assess", "approve": "claims.approve",
    "reject": "claims.reject", "pay_santunan": "claims.pay", "waive_outstanding": "claims.waive",
    "close": "claims.close",
}
# The officer's inputs each kind of claim asks for (domain/benefits.py refuses the others).
ASSESS_INPUTS = {
    "work_accident": ("medical_costs", "home_care_costs", "transport_costs", "stmb_days", "disability_item",
                      "children"),
    "work_accident_death": ("medical_costs", "home_care_costs", "transport_costs", "children"),
    "non_work_death": ("children", "contribution_years"),
}
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
    # Trimmed as parse_nik trims a NIK: spaces only.
    nik = (request.form if request.method == "POST" else request.args).get("nik", "").strip(" ")
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
        line = f"untuk {BENEFIT_LABELS.get(value.benefit, value.benefit)} " if value.benefit else ""
        return (f"{rupiah(value.amount)} {line}kepada {value.beneficiary}, referensi {value.reference}, "
                f"tanggal {tanggal(value.paid_on)}")
    if isinstance(value, AssessmentBasis):
        wage = f"dasar upah {rupiah(value.wage_base)}; " if value.wage_base is not None else ""
        return f"{wage}aturan {', '.join(value.rule_ids) or '–'}; tabel {value.table_version or '–'}"
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
    # Only the steps the acting user may take: an auditor reads the claim without its forms.
    offered = {FORM_OF_STEP[step] for step in claim.possible_steps() if may_follow(ENDPOINT_OF_STEP[step], "POST")}
    pending_documents = [] if claim.closed else [doc for doc in checklist if doc not in claim.documents]
    balances = claim.line_balances
    payable = [balance for balance in balances if balance.outstanding > 0]
    today = service.clock.today()
    incident_day = claim.incident_at.astimezone(JAKARTA).date()
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
        "balances": balances,
        "assess_inputs": ASSESS_INPUTS[claim.kind],
        "disability_items": {item.item: f"{item.label} ({item.percent}%)"
                             for item in benefit_tables().disability_choices(incident_day)},
        "school_levels": {level: SCHOOL_LABELS[level] for level in SCHOOL_LEVELS},
        "payable": {balance.line.benefit: f"{BENEFIT_LABELS.get(balance.line.benefit, balance.line.benefit)} "
                                          f"(sisa {rupiah(balance.outstanding)})" for balance in payable},
        "preview": None,
        "defaults": {
            "assess": assess_defaults(claim),
            "pay": {"paid_on": today.isoformat(), "benefit": payable[0].line.benefit if payable else "",
                    "amount": str(int(payable[0].outstanding)) if payable else ""},
        },
        "today": today.isoformat(),
        "timeline": timeline(claim_id, names),
        "labels": {"status": STATUS_LABELS, "kind": KIND_LABELS, "document": DOCUMENT_LABELS,
                   "benefit": BENEFIT_LABELS},
    }


def assess_defaults(claim: Claim) -> MultiDict:
    """The assessment form filled in with the inputs of the last assessment, if it was computed."""
    basis = claim.assessment_basis
    inputs = basis.inputs if basis and basis.inputs else AssessmentInputs()
    values = MultiDict({name: str(int(getattr(inputs, name))) for name in
                        ("medical_costs", "home_care_costs", "transport_costs", "stmb_days", "contribution_years")
                        if getattr(inputs, name)})
    if inputs.disability_item:
        values["disability_item"] = inputs.disability_item
    for level in inputs.children:
        values.add("children[]", level)
    return values


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


@blueprint.post("/claims/<uuid:claim_id>/assess/preview")
def preview_assessment(claim_id: UUID) -> tuple[str, int]:
    """The "Pratinjau" button of the assessment form: the claim page with the assessment the inputs
    would give, and the form still filled in to be saved or changed. Nothing is recorded."""
    require_actor()
    page = form_page("claims/detail.html", **claim_context(claim_id, active="assess"))
    data = load(AssessClaim())
    preview: Assessment = kampung().preview_assessment(claim_id, data["inputs"])
    page.context["preview"] = preview
    return page.render()


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
    benefit = BENEFIT_LABELS.get(data["benefit"], data["benefit"])
    return done(f"Pembayaran santunan {rupiah(data['amount'])} untuk {benefit} dicatat.", "claims.detail",
                claim_id=claim_id)


@blueprint.post("/claims/<uuid:claim_id>/waive")
def waive(claim_id: UUID) -> Response:
    take_step(claim_id, "waive", WaiveOutstanding(), kampung().waive_outstanding)
    return done("Sisa santunan dihapuskan; klaim dapat ditutup.", "claims.detail", claim_id=claim_id)


@blueprint.post("/claims/<uuid:claim_id>/close")
def close(claim_id: UUID) -> Response:
    take_step(claim_id, "close", CloseClaim(), kampung().close_claim)
    return done("Klaim ditutup.", "claims.detail", claim_id=claim_id)
