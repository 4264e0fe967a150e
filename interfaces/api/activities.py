"""Activities: planning, task letters, participants, premium, and the end of an activity."""

from typing import Any
from uuid import UUID

from flask import request, url_for
from marshmallow import ValidationError
from werkzeug.routing import BaseConverter

from domain.nik import nik_pattern

from interfaces.access import within_scope
from interfaces.apibase.bearer import acting
from interfaces.apibase.blueprint import ApiBlueprint
from interfaces.api.pagination import NOT_A_CURSOR, page_body
from interfaces.api.schemas import (
    ActivityListQuery, ActivityPageSchema, ActivitySchema, JoinParticipantRows, ParticipantListQuery,
    ParticipantPageSchema, PremiumSchema, participant_data,
)
from interfaces.api.steps import step
from interfaces.schemas.activities import (
    CancelActivity, CompleteActivity, IssueTaskLetter, JoinParticipant, PlanActivity, RecordPremiumPayment,
    ReviseValue, WithdrawParticipant,
)
from interfaces.services import kampung, reading
from projections.paging import page_of
from projections.registry import activity_list

blueprint = ApiBlueprint(
    "api_activities", __name__, url_prefix="/api/v1/activities", tag="Activities",
    description="Gotong-royong activities of an RT, their task letters (surat tugas), participants and premium.",
)

class NikConverter(BaseConverter):
    """A NIK in a path: any segment reaches the view, whose ``parse_nik`` refuses a malformed one
    (422 naming ``nik``, as in a body); the document states the NIK's pattern."""


def nik_parameter(converter: NikConverter) -> dict[str, str]:
    return {"type": "string", "pattern": f"^{nik_pattern()}$"}


SCHEMA_REF = "#/components/schemas/{}"
JOIN_BODY = {
    "required": True,
    "description": "One participant, or `{\"rows\": [...]}` to join several at once (all or none).",
    "content": {"application/json": {"schema": {"oneOf": [
        {"$ref": SCHEMA_REF.format("JoinParticipant")}, {"$ref": SCHEMA_REF.format("JoinParticipantRows")},
    ]}}},
}


@blueprint.route("", methods=["GET"])
@blueprint.arguments(ActivityListQuery, location="query")
@blueprint.response(200, ActivityPageSchema)
def list_activities(query: dict[str, Any]) -> dict[str, Any]:
    """List activities

    Latest planned start first; filter by RT and status.
    """
    with reading("coverage") as (connection, tables):
        page = activity_list(
            connection, tables, rt_id=within_scope(str(query["rt_id"]) if query["rt_id"] else None),
            status=query["status"],
            after=query["cursor"], limit=query["limit"],
        )
    return page_body("activities", page.rows, page.next)


@blueprint.route("", methods=["POST"])
@blueprint.arguments(PlanActivity)
@blueprint.response(201, ActivitySchema)
@blueprint.problems(404, 409)
def plan_activity(command: dict[str, Any]) -> tuple[Any, int, dict[str, str]]:
    """Plan an activity

    The RT must be enrolled; the premium is assessed at the rate in force on the start day.
    """
    command.pop("expected_version", None)
    activity_id = kampung().plan_activity(**command, actor=acting())
    return kampung().get_activity(activity_id), 201, {"Location": url_for(".get_activity", activity_id=activity_id)}


@blueprint.route("/<uuid:activity_id>", methods=["GET"])
@blueprint.response(200, ActivitySchema)
@blueprint.problems(404)
def get_activity(activity_id: UUID) -> Any:
    """Get an activity

    Its current state: premium assessed, paid and outstanding, task letters, participants.
    """
    return kampung().get_activity(activity_id)



@blueprint.route("/<uuid:activity_id>/task-letters", methods=["POST"])
@blueprint.arguments(IssueTaskLetter)
@blueprint.response(200, ActivitySchema)
@blueprint.problems(404, 409)
def issue_task_letter(command: dict[str, Any], activity_id: UUID) -> Any:
    """Issue a task letter (surat tugas)

    Signed by the RT's current Ketua RT, for a launched RT; cover starts no earlier than the letter.
    """
    return step(kampung().issue_task_letter, activity_id, command, kampung().get_activity)


@blueprint.route("/<uuid:activity_id>/participants", methods=["GET"])
@blueprint.arguments(ParticipantListQuery, location="query")
@blueprint.response(200, ParticipantPageSchema)
@blueprint.problems(404)
def list_participants(query: dict[str, Any], activity_id: UUID) -> dict[str, Any]:
    """List an activity's participants

    In join order, withdrawn ones included.
    """
    activity = kampung().get_activity(activity_id)
    niks = list(activity.participants)  # join order; participants are only ever added
    start = 0
    if query["cursor"] is not None:
        if query["cursor"] not in activity.participants:
            raise ValidationError(NOT_A_CURSOR, "cursor")
        start = niks.index(query["cursor"]) + 1
    rows = [participant_data(activity.participants[nik]) for nik in niks[start:start + query["limit"] + 1]]
    page = page_of(rows, query["limit"], "nik")
    return page_body("participants", page.rows, page.next)


@blueprint.route("/<uuid:activity_id>/participants", methods=["POST"])
@blueprint.doc(requestBody=JOIN_BODY)
@blueprint.response(200, ActivitySchema)
@blueprint.problems(404, 409, 422)
def join_participants(activity_id: UUID) -> Any:
    """Join participants

    One participant (`JoinParticipant`) or several (`JoinParticipantRows`: a list of {nik, name, role}).
    Several are all joined or, if any is refused, none.
    """
    parser = blueprint.ARGUMENTS_PARSER
    body = parser.load_json(request, JoinParticipant())
    if isinstance(body, dict) and "rows" in body:
        command = parser.parse(JoinParticipantRows(), request, location="json")
        rows = [(row["nik"], row["name"], row["role"]) for row in command["rows"]]
        kampung().join_participants(activity_id, rows, acting(), command["expected_version"])
    else:
        command = parser.parse(JoinParticipant(), request, location="json")
        kampung().join_participant(activity_id, **command, actor=acting())
    return kampung().get_activity(activity_id)


@blueprint.route("/<uuid:activity_id>/participants/<nik:nik>/withdrawal", methods=["POST"])
@blueprint.arguments(WithdrawParticipant(exclude=("nik",)))
@blueprint.response(200, ActivitySchema)
@blueprint.problems(404, 409)
def withdraw_participant(command: dict[str, Any], activity_id: UUID, nik: str) -> Any:
    """Withdraw a participant

    From the moment it is recorded: cover for later incidents ends.
    """
    return step(kampung().withdraw_participant, activity_id, {**command, "nik": nik}, kampung().get_activity)


@blueprint.route("/<uuid:activity_id>/premium", methods=["GET"])
@blueprint.response(200, PremiumSchema)
@blueprint.problems(404)
def get_premium(activity_id: UUID) -> Any:
    """Get an activity's premium

    The JKK and JKM breakdown assessed, the payments and what is outstanding.
    """
    return kampung().get_activity(activity_id)


@blueprint.route("/<uuid:activity_id>/premium-payments", methods=["POST"])
@blueprint.arguments(RecordPremiumPayment)
@blueprint.response(200, ActivitySchema)
@blueprint.problems(404, 409)
def record_premium_payment(command: dict[str, Any], activity_id: UUID) -> Any:
    """Record a premium payment

    Never more than what is outstanding.
    """
    return step(kampung().record_premium_payment, activity_id, command, kampung().get_activity)


@blueprint.route("/<uuid:activity_id>/value", methods=["POST"])
@blueprint.arguments(ReviseValue)
@blueprint.response(200, ActivitySchema)
@blueprint.problems(404, 409)
def revise_value(command: dict[str, Any], activity_id: UUID) -> Any:
    """Revise the activity's value

    The premium is assessed again.
    """
    return step(kampung().revise_value, activity_id, command, kampung().get_activity)


@blueprint.route("/<uuid:activity_id>/completion", methods=["POST"])
@blueprint.arguments(CompleteActivity)
@blueprint.response(200, ActivitySchema)
@blueprint.problems(404, 409)
def complete(command: dict[str, Any], activity_id: UUID) -> Any:
    """Complete the activity

    Only an activity with a task letter; it then takes no more participants.
    """
    return step(kampung().complete_activity, activity_id, command, kampung().get_activity)


@blueprint.route("/<uuid:activity_id>/cancellation", methods=["POST"])
@blueprint.arguments(CancelActivity)
@blueprint.response(200, ActivitySchema)
@blueprint.problems(404, 409)
def cancel(command: dict[str, Any], activity_id: UUID) -> Any:
    """Cancel the activity

    From the moment it is recorded: incidents after it are not covered.
    """
    return step(kampung().cancel_activity, activity_id, command, kampung().get_activity)
