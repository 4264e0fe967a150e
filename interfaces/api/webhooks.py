"""Webhook subscriptions: create (the secret is in that answer only), list, pause, resume,
delete, their delivery attempts, and redelivery from a position of the event log.

A subscription belongs to the account that made it: an integrator sees and manages only their own
(another's is 404, as an unknown one), administrators and auditors see every one. Each change is an
event with its actor in the audit trail.

Deliveries are made by the worker ``kampung webhooks run`` (``projections/webhooks/worker.py``),
signed per Standard Webhooks; see docs/integrators.md.
"""

from typing import Any
from uuid import UUID

from flask import url_for
from marshmallow import Schema, fields, validate

from interfaces.apibase.bearer import acting
from interfaces.apibase.blueprint import ApiBlueprint
from interfaces.api.pagination import Cursor, limit_field, page_body, page_schema
from projections.webhooks.tables import DELIVERY_STATUSES, STATUSES
from interfaces.webhooks import init_webhooks, webhook_subscriptions
from interfaces.schemas.webhooks import ChangeWebhookStatus, CreateWebhook, Redeliver

blueprint = ApiBlueprint(
    "api_webhooks", __name__, url_prefix="/api/v1/webhooks", tag="Webhooks",
    description="Subscriptions that push the events to an integrator's URL as CloudEvents, signed per "
                "Standard Webhooks, in order and at least once; their deliveries; redelivery.",
)

# The tables are created when the app starts (idempotent), not on the first request.
blueprint.record_once(lambda state: init_webhooks(state.app))


# --- schemas -----------------------------------------------------------------------------


class WebhookCreatorSchema(Schema):
    user_id = fields.String(required=True)
    role = fields.String(required=True)


class WebhookSubscriptionSchema(Schema):
    id = fields.String(required=True, metadata={"format": "uuid"})
    url = fields.String(required=True)
    event_types = fields.List(fields.String(), required=True,
                              metadata={"description": "Event types delivered; empty: every event."})
    status = fields.String(required=True, validate=validate.OneOf(STATUSES), metadata={
        "description": "`active`: delivering; `paused`: by an operator; `dead`: after too many failures in a "
                       "row, until resumed or redelivered."})
    position = fields.Integer(required=True, metadata={
        "description": "Checkpoint: the events up to this position of the log are handled (delivered with a "
                       "2xx, or not matching the filter)."})
    failures = fields.Integer(required=True, metadata={"description": "Failed attempts in a row."})
    next_attempt_at = fields.DateTime(required=True, allow_none=True,
                                      metadata={"description": "When a retry is due (null: as soon as possible)."})
    last_error = fields.String(required=True, allow_none=True, metadata={
        "description": "Why the last attempt failed, in our words: `HTTP 500`, `timeout`, `connection refused`, "
                       "`refused: internal address`, …; never the receiver's answer."})
    last_delivered_at = fields.DateTime(required=True, allow_none=True)
    created_by = fields.Nested(WebhookCreatorSchema, required=True)
    created_at = fields.DateTime(required=True)
    updated_at = fields.DateTime(required=True)


class WebhookCreatedSchema(WebhookSubscriptionSchema):
    secret = fields.String(required=True, metadata={
        "description": "The signing secret (`whsec_…`), shown in this answer only: store it now."})


class WebhookDeliverySchema(Schema):
    id = fields.Integer(required=True)
    position = fields.Integer(required=True, metadata={"description": "The event's position in the log."})
    event_id = fields.String(required=True, metadata={"description": "The CloudEvent id, sent as `webhook-id`."})
    event_type = fields.String(required=True)
    attempt = fields.Integer(required=True, metadata={"description": "1 for the first try of this event."})
    status = fields.String(required=True, validate=validate.OneOf(DELIVERY_STATUSES))
    http_status = fields.Integer(required=True, allow_none=True,
                                 metadata={"description": "The receiver's status; null when none came."})
    error = fields.String(required=True, allow_none=True, metadata={
        "description": "Why the attempt failed, in our words: `HTTP <status>`, `timeout`, `connection refused`, "
                       "`connection failed`, `TLS error`, `invalid HTTP response`, `host not found`, "
                       "`refused: internal address`, `refused: plain http`, `cannot encode the event: …`; "
                       "never the receiver's answer."})
    duration_ms = fields.Integer(required=True)
    attempted_at = fields.DateTime(required=True)


WebhookPageSchema = page_schema("WebhookPage", WebhookSubscriptionSchema, "Newest first.")
WebhookDeliveryPageSchema = page_schema("WebhookDeliveryPage", WebhookDeliverySchema, "Newest first.")


class WebhookListQuery(Schema):
    limit = limit_field()
    cursor = Cursor("webhooks", str)


class WebhookDeliveryQuery(Schema):
    limit = limit_field()
    cursor = Cursor("webhook-deliveries", int)


# --- endpoints ---------------------------------------------------------------------------


@blueprint.route("", methods=["POST"])
@blueprint.arguments(CreateWebhook)
@blueprint.response(201, WebhookCreatedSchema)
def create_webhook(command: dict[str, Any]) -> tuple[Any, int, dict[str, str]]:
    """Subscribe a URL to events

    The answer holds the signing secret, which is never shown again. Delivery starts with the events
    recorded after this call, or at `from_position`.
    """
    subscription, secret = webhook_subscriptions().subscribe(
        command["url"].strip(" "), command["event_types"], acting(), command["from_position"]
    )
    location = url_for(".get_webhook", subscription_id=subscription["id"])
    return {**subscription, "secret": secret}, 201, {"Location": location}


@blueprint.route("", methods=["GET"])
@blueprint.arguments(WebhookListQuery, location="query")
@blueprint.response(200, WebhookPageSchema)
def list_webhooks(query: dict[str, Any]) -> dict[str, Any]:
    """List webhook subscriptions

    An integrator's own; every subscription for administrators and auditors.
    """
    page = webhook_subscriptions().subscriptions(acting(), after=query["cursor"], limit=query["limit"])
    return page_body("webhooks", page.rows, page.next)


@blueprint.route("/<uuid:subscription_id>", methods=["GET"])
@blueprint.response(200, WebhookSubscriptionSchema)
@blueprint.problems(404)
def get_webhook(subscription_id: UUID) -> Any:
    """Get a webhook subscription

    Its status, checkpoint and last error; never its secret.
    """
    return webhook_subscriptions().get(str(subscription_id), acting())


@blueprint.route("/<uuid:subscription_id>", methods=["DELETE"])
@blueprint.response(200, WebhookSubscriptionSchema)
@blueprint.problems(404)
def delete_webhook(subscription_id: UUID) -> Any:
    """Delete a webhook subscription

    Its delivery records go with it; the answer shows the subscription as it was.
    """
    return webhook_subscriptions().unsubscribe(str(subscription_id), acting())


@blueprint.route("/<uuid:subscription_id>/pause", methods=["POST"])
@blueprint.arguments(ChangeWebhookStatus)
@blueprint.response(200, WebhookSubscriptionSchema)
@blueprint.problems(404, 409)
def pause_webhook(command: dict[str, Any], subscription_id: UUID) -> Any:
    """Pause deliveries

    Events keep accumulating behind the checkpoint until the subscription is resumed.
    """
    return webhook_subscriptions().pause(str(subscription_id), acting(), command["expected_status"])


@blueprint.route("/<uuid:subscription_id>/resume", methods=["POST"])
@blueprint.arguments(ChangeWebhookStatus)
@blueprint.response(200, WebhookSubscriptionSchema)
@blueprint.problems(404, 409)
def resume_webhook(command: dict[str, Any], subscription_id: UUID) -> Any:
    """Resume deliveries

    A paused or dead subscription becomes active and delivers from its checkpoint on, at once.
    """
    return webhook_subscriptions().resume(str(subscription_id), acting(), command["expected_status"])


@blueprint.route("/<uuid:subscription_id>/redeliver", methods=["POST"])
@blueprint.arguments(Redeliver)
@blueprint.response(200, WebhookSubscriptionSchema)
@blueprint.problems(404)
def redeliver_webhook(command: dict[str, Any], subscription_id: UUID) -> Any:
    """Redeliver from a position

    Moves the checkpoint to `from_position - 1`, so the events from that position on are delivered
    (again); a dead subscription becomes active (a paused one stays paused). Beyond the log's end: 422.
    """
    return webhook_subscriptions().redeliver(str(subscription_id), command["from_position"], acting())


@blueprint.route("/<uuid:subscription_id>/deliveries", methods=["GET"])
@blueprint.arguments(WebhookDeliveryQuery, location="query")
@blueprint.response(200, WebhookDeliveryPageSchema)
@blueprint.problems(404)
def list_deliveries(query: dict[str, Any], subscription_id: UUID) -> dict[str, Any]:
    """List delivery attempts

    Newest first: the event's position and id, the attempt number, the outcome, the receiver's
    HTTP status, our short reason for a failure (never what the receiver answered), and when.
    Records older than the deployment's retention (30 days by default) are deleted.
    """
    page = webhook_subscriptions().deliveries(str(subscription_id), acting(), after=query["cursor"],
                                              limit=query["limit"])
    return page_body("webhook-deliveries", page.rows, page.next)
