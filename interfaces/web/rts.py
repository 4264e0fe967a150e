"""RT registry pages."""

from uuid import UUID

from flask import Blueprint, render_template

from interfaces.web.services import kampung

blueprint = Blueprint("rts", __name__)

PHASES = {"pilot": "Percontohan", "expansion": "Perluasan", None: "Belum terdaftar"}


@blueprint.get("/")
def index() -> str:
    service = kampung()
    rts = [service.get_rt(rt_id) for rt_id in service.rt_ids()]
    return render_template("rts.html", rts=rts, phases=PHASES)


@blueprint.get("/rt/<uuid:rt_id>")
def detail(rt_id: UUID) -> str:
    return render_template("rt.html", rt=kampung().get_rt(rt_id), phases=PHASES)


@blueprint.get("/healthz")
def health() -> dict[str, str]:
    kampung().recorder.max_notification_id()
    return {"status": "ok"}
