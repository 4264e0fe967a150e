"""RTs: the registry, and the steps that bring an RT into the programme."""

from typing import Any
from uuid import UUID

from flask import url_for

from interfaces.access import rt_scope
from interfaces.apibase.bearer import acting
from interfaces.apibase.blueprint import ApiBlueprint
from interfaces.api.pagination import page_body
from interfaces.api.schemas import RTListQuery, RTPageSchema, RTSchema
from interfaces.api.steps import step
from interfaces.schemas.rts import AppointKetuaRT, EnrolRT, HoldMusyawarah, LaunchRT, RegisterRT
from interfaces.services import kampung, reading
from projections.registry import rt_list

blueprint = ApiBlueprint(
    "api_rts", __name__, url_prefix="/api/v1/rts", tag="RTs",
    description="RTs (Rukun Tetangga): registration, Ketua RT, enrolment, musyawarah and launch.",
)


@blueprint.route("", methods=["GET"])
@blueprint.arguments(RTListQuery, location="query")
@blueprint.response(200, RTPageSchema)
def list_rts(query: dict[str, Any]) -> dict[str, Any]:
    """List RTs

    Ordered by RT code; filter by kecamatan or kelurahan code and programme phase.
    """
    with reading("coverage") as (connection, tables):
        page = rt_list(connection, tables, kecamatan=query["kecamatan"], kelurahan=query["kelurahan"],
                       phase=query["phase"], after=query["cursor"], limit=query["limit"], rt_id=rt_scope())
    return page_body("rts", page.rows, page.next)


@blueprint.route("", methods=["POST"])
@blueprint.arguments(RegisterRT)
@blueprint.response(201, RTSchema)
@blueprint.problems(409)
def register_rt(command: dict[str, Any]) -> tuple[Any, int, dict[str, str]]:
    """Register an RT

    The RT's id follows from its kelurahan and number; registering it again is 409.
    """
    rt_id = kampung().register_rt(command["kelurahan_code"], command["rt_number"], acting())
    return kampung().get_rt(rt_id), 201, {"Location": url_for(".get_rt", rt_id=rt_id)}


@blueprint.route("/<uuid:rt_id>", methods=["GET"])
@blueprint.response(200, RTSchema)
@blueprint.problems(404)
def get_rt(rt_id: UUID) -> Any:
    """Get an RT

    Its current state and version.
    """
    return kampung().get_rt(rt_id)



@blueprint.route("/<uuid:rt_id>/ketua", methods=["POST"])
@blueprint.arguments(AppointKetuaRT)
@blueprint.response(200, RTSchema)
@blueprint.problems(404, 409)
def appoint_ketua(command: dict[str, Any], rt_id: UUID) -> Any:
    """Appoint the Ketua RT

    A new Ketua RT replaces the current one; only the current one signs task letters.
    """
    return step(kampung().appoint_ketua_rt, rt_id, command, kampung().get_rt)


@blueprint.route("/<uuid:rt_id>/enrolment", methods=["POST"])
@blueprint.arguments(EnrolRT)
@blueprint.response(200, RTSchema)
@blueprint.problems(404, 409)
def enrol(command: dict[str, Any], rt_id: UUID) -> Any:
    """Enrol the RT in the programme (pilot or expansion)"""
    return step(kampung().enrol_rt, rt_id, command, kampung().get_rt)


@blueprint.route("/<uuid:rt_id>/musyawarah", methods=["POST"])
@blueprint.arguments(HoldMusyawarah)
@blueprint.response(200, RTSchema)
@blueprint.problems(404, 409)
def hold_musyawarah(command: dict[str, Any], rt_id: UUID) -> Any:
    """Record a musyawarah and the development priorities it agreed"""
    return step(kampung().hold_musyawarah, rt_id, command, kampung().get_rt)


@blueprint.route("/<uuid:rt_id>/launch", methods=["POST"])
@blueprint.arguments(LaunchRT)
@blueprint.response(200, RTSchema)
@blueprint.problems(404, 409)
def launch(command: dict[str, Any], rt_id: UUID) -> Any:
    """Launch the programme in the RT

    Needs a Ketua RT, the enrolment and a musyawarah held on or before the launch day.
    """
    return step(kampung().launch_rt, rt_id, command, kampung().get_rt)
