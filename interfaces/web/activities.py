"""Activity pages: the list with its filters, an activity's page, the printable surat tugas, and
the forms on an activity (plan, issue a task letter, participants one by one or in bulk,
withdraw, premium payment, value revision, complete, cancel)."""

from datetime import date
from typing import Any
from uuid import UUID

from flask import Blueprint, abort, render_template, request
from werkzeug.wrappers import Response

from domain.activity import Activity, Participant
from domain.money import format_rupiah
from interfaces.access import rt_scope
from domain.rt import RT
from interfaces.schemas.activities import (
    ROLE_NAMES,
    CancelActivity,
    CompleteActivity,
    IssueTaskLetter,
    JoinParticipant,
    JoinParticipants,
    PlanActivity,
    RecordPremiumPayment,
    ReviseValue,
    WithdrawParticipant,
)
from interfaces.web.actor import require_actor
from interfaces.web.forms import done, form_page, load, run_command
from interfaces.services import kampung, reading
from interfaces.web.labels import ACTIVITY_STATUS_LABELS
from projections.registry import activity_list, enrolled_rts

blueprint = Blueprint("activities", __name__)

KIND_LABELS = {
    "cleaning": "Kebersihan lingkungan",
    "road_repair": "Perbaikan jalan",
    "drainage": "Drainase",
    "greening": "Penghijauan",
    "public_facility": "Fasilitas umum",
    "other": "Lainnya",
}
ROLE_LABELS = {
    "resident": "Warga",
    "ketua_rt": "Ketua RT",
    "phl": "Pekerja harian lepas (PHL)",
    "petugas_syara": "Petugas syara'",
    "pokja_member": "Anggota Pokja Bahagia",
    "facilitator": "Fasilitator",
}
STATUS_LABELS = ACTIVITY_STATUS_LABELS
PAGE_SIZE = 50

FormResponse = tuple[str, int] | Response


@blueprint.context_processor
def labels() -> dict[str, Any]:
    return {"kinds": KIND_LABELS, "roles": ROLE_LABELS, "statuses": STATUS_LABELS}


def today() -> date:
    return kampung().clock.today()


def load_activity(activity_id: UUID) -> tuple[Activity, RT]:
    service = kampung()
    activity = service.get_activity(activity_id)
    return activity, service.get_rt(activity.rt_id)


def participants_of(activity: Activity, current_only: bool = False) -> list[Participant]:
    people = sorted(activity.participants.values(), key=lambda p: (p.joined_at, p.name, p.nik))
    return [p for p in people if p.withdrawn_at is None] if current_only else people


# --- pages --------------------------------------------------------------------------------


@blueprint.get("/activities")
def index() -> str:
    filters = {name: request.args.get(name, "").strip() for name in ("rt", "status")}
    page_number = max(request.args.get("page", 1, type=int) or 1, 1)
    with reading("coverage") as (connection, tables):
        page = activity_list(
            connection, tables, rt_code=filters["rt"] or None, status=filters["status"] or None,
            rt_id=rt_scope(), offset=(page_number - 1) * PAGE_SIZE, limit=PAGE_SIZE,
        )
    return render_template(
        "activities/index.html", page=page, page_number=page_number, filters=filters,
        filtered=any(filters.values()), query={name: value for name, value in filters.items() if value},
    )


@blueprint.get("/activities/<uuid:activity_id>")
def detail(activity_id: UUID) -> str:
    activity, rt = load_activity(activity_id)
    return render_template(
        "activities/detail.html", activity=activity, rt=rt, participants=participants_of(activity),
        current=participants_of(activity, current_only=True),
    )


@blueprint.get("/activities/<uuid:activity_id>/task-letters/<path:number>")
def task_letter(activity_id: UUID, number: str) -> str:
    """The surat tugas laid out for printing (static/print.css hides the rest of the page)."""
    activity, rt = load_activity(activity_id)
    letter = next((item for item in activity.task_letters if item.number == number), None)
    if letter is None:
        abort(404)
    return render_template(
        "activities/task_letter.html", activity=activity, rt=rt, letter=letter,
        participants=participants_of(activity, current_only=True),
    )


# --- forms --------------------------------------------------------------------------------


def rt_options(only: str | None = None) -> dict[str, dict[str, str]]:
    """Enrolled RTs (the ones that may plan activities), grouped by kecamatan; ``only`` the one with
    this id if given (a Ketua RT's own)."""
    with reading("coverage") as (connection, tables):
        rts = [rt for rt in enrolled_rts(connection, tables) if only is None or str(rt["rt_id"]) == only]
    groups: dict[str, dict[str, str]] = {}
    for rt in sorted(rts, key=lambda row: (row["kecamatan"], row["kelurahan"], row["rt_number"])):
        label = f"RT {rt['rt_number']:03d} {rt['kelurahan']} ({rt['code']})"
        groups.setdefault(rt["kecamatan"], {})[rt["rt_id"]] = label
    return groups


@blueprint.route("/activities/new", methods=["GET", "POST"])
def plan() -> FormResponse:
    actor = require_actor()
    own = rt_scope()  # a Ketua RT plans for their own RT only: the one choice, already chosen
    initial = {"rt_id": own or request.args.get("rt_id", "")}
    page = form_page("activities/plan.html", rts=rt_options(own), initial=initial)
    if request.method == "GET":
        return page.render()
    data = load(PlanActivity())
    data.pop("expected_version")
    activity_id = kampung().plan_activity(actor=actor, **data)
    return done(f"Kegiatan “{data['title']}” direncanakan; premi dihitung.", "activities.detail",
                activity_id=activity_id)


@blueprint.route("/activities/<uuid:activity_id>/task-letters/new", methods=["GET", "POST"])
def issue_task_letter(activity_id: UUID) -> FormResponse:
    actor = require_actor()
    activity, rt = load_activity(activity_id)
    cover_start = max(today(), activity.planned_period.start)
    initial = {
        "number": kampung().next_task_letter_number(rt.id, today()),
        "issued_on": today().isoformat(),
        "cover_start": cover_start.isoformat(),
        "cover_end": max(activity.planned_period.end, cover_start).isoformat(),
        "issued_by_nik": rt.ketua.nik if rt.ketua else "",
    }
    page = form_page("activities/issue_task_letter.html", activity=activity, rt=rt, initial=initial)
    if request.method == "GET":
        return page.render()
    data = run_command(IssueTaskLetter(), kampung().issue_task_letter, activity_id, actor)
    return done(f"Surat tugas {data['number']} tercatat.", "activities.detail", activity_id=activity_id)


@blueprint.route("/activities/<uuid:activity_id>/participants/new", methods=["GET", "POST"])
def join_participant(activity_id: UUID) -> FormResponse:
    actor = require_actor()
    activity, rt = load_activity(activity_id)
    page = form_page("activities/join.html", activity=activity, rt=rt, initial={"role": "resident"})
    if request.method == "GET":
        return page.render()
    data = run_command(JoinParticipant(), kampung().join_participant, activity_id, actor)
    return done(f"{data['name']} ditambahkan sebagai peserta.", "activities.detail", activity_id=activity_id)


@blueprint.route("/activities/<uuid:activity_id>/participants/bulk", methods=["GET", "POST"])
def join_participants(activity_id: UUID) -> FormResponse:
    actor = require_actor()
    activity, rt = load_activity(activity_id)
    page = form_page("activities/join_bulk.html", activity=activity, rt=rt, role_names=ROLE_NAMES)
    if request.method == "GET":
        return page.render()
    data = run_command(JoinParticipants(), kampung().join_participants, activity_id, actor)
    return done(f"{len(data['rows'])} peserta ditambahkan.", "activities.detail", activity_id=activity_id)


@blueprint.route("/activities/<uuid:activity_id>/participants/withdrawal", methods=["GET", "POST"])
def withdraw_participant(activity_id: UUID) -> FormResponse:
    actor = require_actor()
    activity, rt = load_activity(activity_id)
    options = {p.nik: f"{p.name} ({p.nik})" for p in participants_of(activity, current_only=True)}
    page = form_page("activities/withdraw.html", activity=activity, rt=rt, options=options,
                     initial={"nik": request.args.get("nik", "")})
    if request.method == "GET":
        return page.render()
    data = run_command(WithdrawParticipant(), kampung().withdraw_participant, activity_id, actor)
    name = activity.participants[data["nik"]].name
    return done(f"{name} keluar dari kegiatan; tidak lagi terlindungi sejak sekarang.", "activities.detail",
                activity_id=activity_id)


@blueprint.route("/activities/<uuid:activity_id>/premium-payments/new", methods=["GET", "POST"])
def record_premium_payment(activity_id: UUID) -> FormResponse:
    actor = require_actor()
    activity, rt = load_activity(activity_id)
    initial = {"paid_on": today().isoformat()}
    if activity.premium_outstanding:
        initial["amount"] = str(int(activity.premium_outstanding))
    page = form_page("activities/payment.html", activity=activity, rt=rt, initial=initial)
    if request.method == "GET":
        return page.render()
    data = run_command(RecordPremiumPayment(), kampung().record_premium_payment, activity_id, actor)
    return done(f"Pembayaran premi {format_rupiah(data['amount'])} ({data['reference']}) tercatat.",
                "activities.detail", activity_id=activity_id)


@blueprint.route("/activities/<uuid:activity_id>/value", methods=["GET", "POST"])
def revise_value(activity_id: UUID) -> FormResponse:
    actor = require_actor()
    activity, rt = load_activity(activity_id)
    page = form_page("activities/revise.html", activity=activity, rt=rt,
                     initial={"total_value": str(int(activity.total_value))})
    if request.method == "GET":
        return page.render()
    data = run_command(ReviseValue(), kampung().revise_value, activity_id, actor)
    return done(f"Nilai kegiatan diubah menjadi {format_rupiah(data['total_value'])}; premi dihitung ulang.",
                "activities.detail", activity_id=activity_id)


@blueprint.route("/activities/<uuid:activity_id>/completion", methods=["GET", "POST"])
def complete(activity_id: UUID) -> FormResponse:
    actor = require_actor()
    activity, rt = load_activity(activity_id)
    page = form_page("activities/complete.html", activity=activity, rt=rt)
    if request.method == "GET":
        return page.render()
    run_command(CompleteActivity(), kampung().complete_activity, activity_id, actor)
    return done("Kegiatan ditandai selesai.", "activities.detail", activity_id=activity_id)


@blueprint.route("/activities/<uuid:activity_id>/cancellation", methods=["GET", "POST"])
def cancel(activity_id: UUID) -> FormResponse:
    actor = require_actor()
    activity, rt = load_activity(activity_id)
    page = form_page("activities/cancel.html", activity=activity, rt=rt)
    if request.method == "GET":
        return page.render()
    run_command(CancelActivity(), kampung().cancel_activity, activity_id, actor)
    return done("Kegiatan dibatalkan.", "activities.detail", activity_id=activity_id)
