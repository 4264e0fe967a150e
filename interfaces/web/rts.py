"""RT registry pages: the list with its filters, an RT's page, and the forms of the RT's life
cycle (register, appoint the Ketua RT, enrol, musyawarah, launch)."""

from datetime import date
from typing import Any
from uuid import UUID

from flask import Blueprint, render_template, request
from werkzeug.wrappers import Response

from application.rules import places
from domain.rt import RT
from interfaces.access import rt_scope
from projections.relay.store import relay_health
from interfaces.schemas.rts import AppointKetuaRT, EnrolRT, HoldMusyawarah, LaunchRT, RegisterRT
from interfaces.web.activities import KIND_LABELS, ROLE_LABELS, STATUS_LABELS
from interfaces.web.actor import require_actor
from interfaces.web.filters import tanggal
from interfaces.web.forms import done, form_page, load, run_command
from interfaces.services import kampung, reading, readmodels
from projections.registry import activity_list, covered_in_rt, rt_list

blueprint = Blueprint("rts", __name__)

PHASES = {"pilot": "Percontohan", "expansion": "Perluasan", None: "Belum terdaftar"}
PHASE_CHOICES = {"pilot": "Percontohan (pilot)", "expansion": "Perluasan (expansion)"}
PHASE_FILTERS = {"pilot": "Percontohan", "expansion": "Perluasan", "none": "Belum terdaftar dalam program"}

FormResponse = tuple[str, int] | Response


@blueprint.context_processor
def labels() -> dict[str, Any]:
    return {"phases": PHASES, "kinds": KIND_LABELS, "statuses": STATUS_LABELS, "roles": ROLE_LABELS}


def kelurahan_by_kecamatan() -> dict[str, dict[str, str]]:
    """Kelurahan options grouped by kecamatan, both in Kemendagri code order."""
    groups: dict[str, dict[str, str]] = {}
    for place in sorted(places().values(), key=lambda p: p.kelurahan_code):
        groups.setdefault(place.kecamatan, {})[place.kelurahan_code] = place.kelurahan
    return groups


def kecamatan_options() -> dict[str, str]:
    return {p.kecamatan_code: p.kecamatan for p in sorted(places().values(), key=lambda p: p.kecamatan_code)}


def today() -> date:
    return kampung().clock.today()


def rt_title(rt: RT) -> str:
    return f"RT {rt.rt_number:03d} {rt.place.kelurahan}"


# --- pages --------------------------------------------------------------------------------


@blueprint.get("/rts")
def index() -> str:
    filters = {name: request.args.get(name, "").strip() for name in ("kecamatan", "kelurahan", "phase")}
    with reading("coverage") as (connection, tables):
        rts = rt_list(connection, tables, kecamatan=filters["kecamatan"] or None,
                      kelurahan=filters["kelurahan"] or None, phase=filters["phase"] or None,
                      rt_id=rt_scope()).rows
    return render_template(
        "rts/index.html", rts=rts, filters=filters, filtered=any(filters.values()),
        kecamatan=kecamatan_options(), kelurahan=kelurahan_by_kecamatan(), phase_filters=PHASE_FILTERS,
    )


@blueprint.get("/rts/<uuid:rt_id>")
def detail(rt_id: UUID) -> str:
    service = kampung()
    rt = service.get_rt(rt_id)
    with reading("coverage") as (connection, tables):
        activities = activity_list(connection, tables, rt_id=str(rt_id)).rows
        covered = covered_in_rt(connection, tables, str(rt_id), service.clock.today(), service.clock.now())
    return render_template("rts/detail.html", rt=rt, activities=activities, covered=covered, today=today())


@blueprint.get("/healthz")
def health() -> dict[str, object]:
    """Up (200) while it answers; ``degraded`` when a read model has parked events (docs/operations.md)."""
    statuses = readmodels().status()
    return {
        "status": "degraded" if any(status.parked for status in statuses) else "ok",
        "read_models": {status.name: {"position": status.position, "lag": status.lag, "parked": status.parked}
                        for status in statuses},
        "relay": relay_health(readmodels().engine, kampung().recorder.max_notification_id() or 0),
    }


# --- forms --------------------------------------------------------------------------------


@blueprint.route("/rts/new", methods=["GET", "POST"])
def register() -> FormResponse:
    actor = require_actor()
    page = form_page("rts/register.html", kelurahan=kelurahan_by_kecamatan())
    if request.method == "GET":
        return page.render()
    data = load(RegisterRT())
    data.pop("expected_version")
    rt_id = kampung().register_rt(data["kelurahan_code"], data["rt_number"], actor=actor)
    rt = kampung().get_rt(rt_id)
    return done(f"{rt_title(rt)} ({rt.code}) terdaftar.", "rts.detail", rt_id=rt_id)


@blueprint.route("/rts/<uuid:rt_id>/ketua", methods=["GET", "POST"])
def appoint_ketua(rt_id: UUID) -> FormResponse:
    actor = require_actor()
    rt = kampung().get_rt(rt_id)
    page = form_page("rts/ketua.html", rt=rt, initial={"appointed_on": today().isoformat()})
    if request.method == "GET":
        return page.render()
    data = run_command(AppointKetuaRT(), kampung().appoint_ketua_rt, rt_id, actor)
    return done(f"{data['name']} ditetapkan sebagai Ketua {rt_title(rt)}.", "rts.detail", rt_id=rt_id)


@blueprint.route("/rts/<uuid:rt_id>/enrolment", methods=["GET", "POST"])
def enrol(rt_id: UUID) -> FormResponse:
    actor = require_actor()
    rt = kampung().get_rt(rt_id)
    page = form_page("rts/enrol.html", rt=rt, phase_choices=PHASE_CHOICES,
                     initial={"phase": "pilot", "from_date": today().isoformat()})
    if request.method == "GET":
        return page.render()
    data = run_command(EnrolRT(), kampung().enrol_rt, rt_id, actor)
    return done(
        f"{rt_title(rt)} ikut Program Kampung Bahagia, tahap {PHASES[data['phase']]}, "
        f"mulai {tanggal(data['from_date'])}.",
        "rts.detail", rt_id=rt_id,
    )


@blueprint.route("/rts/<uuid:rt_id>/musyawarah", methods=["GET", "POST"])
def hold_musyawarah(rt_id: UUID) -> FormResponse:
    actor = require_actor()
    rt = kampung().get_rt(rt_id)
    page = form_page("rts/musyawarah.html", rt=rt, initial={"held_on": today().isoformat()})
    if request.method == "GET":
        return page.render()
    data = run_command(HoldMusyawarah(), kampung().hold_musyawarah, rt_id, actor)
    return done(
        f"Musyawarah {tanggal(data['held_on'])} tercatat dengan {len(data['priorities'])} prioritas.",
        "rts.detail", rt_id=rt_id,
    )


@blueprint.route("/rts/<uuid:rt_id>/launch", methods=["GET", "POST"])
def launch(rt_id: UUID) -> FormResponse:
    actor = require_actor()
    rt = kampung().get_rt(rt_id)
    page = form_page("rts/launch.html", rt=rt, initial={"launched_on": today().isoformat()})
    if request.method == "GET":
        return page.render()
    data = run_command(LaunchRT(), kampung().launch_rt, rt_id, actor)
    return done(f"{rt_title(rt)} diluncurkan pada {tanggal(data['launched_on'])}.", "rts.detail", rt_id=rt_id)
