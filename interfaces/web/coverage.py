"""The coverage check: is this NIK covered at this moment, and by which task letter?"""

from datetime import datetime

from flask import Blueprint, request
from marshmallow import EXCLUDE

from domain.period import JAKARTA
from interfaces.schemas.queries import CoverageQuery
from interfaces.web.actor import require_actor
from interfaces.web.forms import form_page
from interfaces.services import kampung, reading
from projections.coverage import cover_at, covers_of

blueprint = Blueprint("coverage", __name__)

COVER_STATUS_LABELS = {
    "active": "Aktif",
    "ended": "Berakhir",
    "pending": "Belum ada surat tugas",
    "withdrawn": "Mengundurkan diri",
    "cancelled": "Kegiatan dibatalkan",
}


def local_input(moment: datetime) -> str:
    """A moment as a ``datetime-local`` input shows it: WIB wall-clock time, to the minute."""
    return moment.astimezone(JAKARTA).strftime("%Y-%m-%dT%H:%M")


@blueprint.get("/coverage")
def check() -> tuple[str, int]:
    require_actor()
    service = kampung()
    now = service.clock.now()
    asked = request.args.to_dict()
    page = form_page(
        "coverage/check.html", initial=asked or {"at": local_input(now)}, result=None,
        max_at=local_input(now), cover_status=COVER_STATUS_LABELS,
    )
    if not asked:
        return page.render()
    query = CoverageQuery(unknown=EXCLUDE).load(asked)
    with reading("coverage") as (connection, tables):
        covering = cover_at(connection, tables, query["nik"], query["at"])
        covers = covers_of(connection, tables, query["nik"], service.clock.today())
    covering_ids = {cover.activity_id for cover in covering}
    page.context["result"] = {
        "nik": query["nik"],
        "at": query["at"],
        "covering": covering,
        "name": covering[0].name if covering else (covers[0]["name"] if covers else None),
        "others": [cover for cover in covers if cover["activity_id"] not in covering_ids],
        "known": bool(covers),
    }
    return page.render()
