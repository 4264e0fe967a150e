"""RT registry pages."""

from uuid import UUID

from flask import Blueprint, render_template, request

from interfaces.web.services import kampung, reading, readmodels
from projections.registry import rt_list

blueprint = Blueprint("rts", __name__)

PHASES = {"pilot": "Percontohan", "expansion": "Perluasan", None: "Belum terdaftar"}


@blueprint.get("/")
def index() -> str:
    with reading("coverage") as (connection, tables):
        rts = rt_list(connection, tables, kecamatan=request.args.get("kecamatan") or None,
                      kelurahan=request.args.get("kelurahan") or None, phase=request.args.get("phase") or None)
    return render_template("rts.html", rts=rts, phases=PHASES)


@blueprint.get("/rt/<uuid:rt_id>")
def detail(rt_id: UUID) -> str:
    return render_template("rt.html", rt=kampung().get_rt(rt_id), phases=PHASES)


@blueprint.get("/healthz")
def health() -> dict[str, object]:
    return {
        "status": "ok",
        "read_models": {status.name: {"position": status.position, "lag": status.lag}
                        for status in readmodels().status()},
    }
