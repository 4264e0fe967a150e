"""Claims: an accident or death reported, through coverage, documents, assessment and decision
to the santunan paid and the claim closed."""

from typing import Any
from uuid import UUID

from flask import url_for

from interfaces.apibase.bearer import acting
from interfaces.apibase.blueprint import ApiBlueprint
from interfaces.api.pagination import page_body
from interfaces.api.schemas import AssessmentSchema, ClaimListQuery, ClaimPageSchema, ClaimSchema
from interfaces.api.steps import step
from interfaces.schemas.claims import (
    ApproveClaim, AssessClaim, CloseClaim, ConfirmCoverage, DenyCoverage, PaySantunan, ReceiveDocuments,
    RejectClaim, ReportAccident, WaiveOutstanding,
)
from interfaces.services import kampung, reading
from projections.claims import board_page

blueprint = ApiBlueprint(
    "api_claims", __name__, url_prefix="/api/v1/claims", tag="Claims",
    description="JKK and JKM claims, from the accident report to the santunan paid.",
)


@blueprint.route("", methods=["GET"])
@blueprint.arguments(ClaimListQuery, location="query")
@blueprint.response(200, ClaimPageSchema)
def list_claims(query: dict[str, Any]) -> dict[str, Any]:
    """List claims

    Most recent incident first; filter by status.
    """
    with reading("claims") as (connection, tables):
        page = board_page(connection, tables, kampung().clock.now(), status=query["status"],
                          after=query["cursor"], limit=query["limit"])
    return page_body("claims", page.rows, page.next)


@blueprint.route("", methods=["POST"])
@blueprint.arguments(ReportAccident)
@blueprint.response(201, ClaimSchema)
@blueprint.problems(404, 409)
def report_accident(command: dict[str, Any]) -> tuple[Any, int, dict[str, str]]:
    """Report an accident or death

    Flagged `late` when reported more than 2 × 24 hours after the incident; the same participant
    and incident twice is 409.
    """
    command.pop("expected_version", None)
    claim_id = kampung().report_accident(**command, actor=acting())
    return kampung().get_claim(claim_id), 201, {"Location": url_for(".get_claim", claim_id=claim_id)}


@blueprint.route("/<uuid:claim_id>", methods=["GET"])
@blueprint.response(200, ClaimSchema)
@blueprint.problems(404)
def get_claim(claim_id: UUID) -> Any:
    """Get a claim

    Its current state: status, cover, document checklist, assessment, decision and payments.
    """
    return kampung().get_claim(claim_id)



@blueprint.route("/<uuid:claim_id>/coverage-confirmation", methods=["POST"])
@blueprint.arguments(ConfirmCoverage)
@blueprint.response(200, ClaimSchema)
@blueprint.problems(404, 409)
def confirm_coverage(command: dict[str, Any], claim_id: UUID) -> Any:
    """Confirm coverage

    Only when the participant was covered by a task letter at the incident.
    """
    return step(kampung().confirm_coverage, claim_id, command, kampung().get_claim)


@blueprint.route("/<uuid:claim_id>/coverage-denial", methods=["POST"])
@blueprint.arguments(DenyCoverage)
@blueprint.response(200, ClaimSchema)
@blueprint.problems(404, 409)
def deny_coverage(command: dict[str, Any], claim_id: UUID) -> Any:
    """Deny coverage"""
    return step(kampung().deny_coverage, claim_id, command, kampung().get_claim)


@blueprint.route("/<uuid:claim_id>/documents", methods=["POST"])
@blueprint.arguments(ReceiveDocuments)
@blueprint.response(200, ClaimSchema)
@blueprint.problems(404, 409)
def receive_documents(command: dict[str, Any], claim_id: UUID) -> Any:
    """Receive documents

    Several at once: all are recorded, or none if any is refused.
    """
    return step(kampung().receive_documents, claim_id, command, kampung().get_claim)


@blueprint.route("/<uuid:claim_id>/assessment", methods=["POST"])
@blueprint.arguments(AssessClaim)
@blueprint.response(200, ClaimSchema)
@blueprint.problems(404, 409)
def assess(command: dict[str, Any], claim_id: UUID) -> Any:
    """Assess the claim

    The benefit lines are computed from the officer's inputs by the rule tables in force at the
    incident; the claim records them with the inputs, wage base, rule ids and table version. A new
    assessment replaces the last until the decision.
    """
    return step(kampung().assess_claim, claim_id, command, kampung().get_claim)


@blueprint.route("/<uuid:claim_id>/assessment-preview", methods=["POST"])
@blueprint.arguments(AssessClaim)
@blueprint.response(200, AssessmentSchema)
@blueprint.problems(404, 409)
def preview_assessment(command: dict[str, Any], claim_id: UUID) -> Any:
    """Preview the assessment

    The same body as the assessment; answers the assessment it would record, and records nothing.
    """
    return kampung().preview_assessment(claim_id, command["inputs"])


@blueprint.route("/<uuid:claim_id>/approval", methods=["POST"])
@blueprint.arguments(ApproveClaim)
@blueprint.response(200, ClaimSchema)
@blueprint.problems(404, 409)
def approve(command: dict[str, Any], claim_id: UUID) -> Any:
    """Approve the claim

    After coverage is confirmed, the claim assessed and every required document received.
    """
    return step(kampung().approve_claim, claim_id, command, kampung().get_claim)


@blueprint.route("/<uuid:claim_id>/rejection", methods=["POST"])
@blueprint.arguments(RejectClaim)
@blueprint.response(200, ClaimSchema)
@blueprint.problems(404, 409)
def reject(command: dict[str, Any], claim_id: UUID) -> Any:
    """Reject the claim"""
    return step(kampung().reject_claim, claim_id, command, kampung().get_claim)


@blueprint.route("/<uuid:claim_id>/santunan-payments", methods=["POST"])
@blueprint.arguments(PaySantunan)
@blueprint.response(200, ClaimSchema)
@blueprint.problems(404, 409)
def pay_santunan(command: dict[str, Any], claim_id: UUID) -> Any:
    """Pay santunan

    Against one benefit line, in instalments if need be, never more than is outstanding on it.
    """
    return step(kampung().pay_santunan, claim_id, command, kampung().get_claim)


@blueprint.route("/<uuid:claim_id>/waiver", methods=["POST"])
@blueprint.arguments(WaiveOutstanding)
@blueprint.response(200, ClaimSchema)
@blueprint.problems(404, 409)
def waive_outstanding(command: dict[str, Any], claim_id: UUID) -> Any:
    """Waive the outstanding santunan

    What is still outstanding on every line, with a reason; the claim may then be closed.
    """
    return step(kampung().waive_outstanding, claim_id, command, kampung().get_claim)


@blueprint.route("/<uuid:claim_id>/closure", methods=["POST"])
@blueprint.arguments(CloseClaim)
@blueprint.response(200, ClaimSchema)
@blueprint.problems(404, 409)
def close(command: dict[str, Any], claim_id: UUID) -> Any:
    """Close the claim

    When nothing is outstanding (paid, or the rest waived), rejected or denied.
    """
    return step(kampung().close_claim, claim_id, command, kampung().get_claim)
