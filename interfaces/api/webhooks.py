"""Webhook subscriptions: create (the secret is in that answer only), list, pause, resume,
delete, their delivery attempts, and redelivery from a position of the event log.

Deliveries are made by the worker ``kampung webhooks run`` (``interfaces/feed/webhook_worker.py``),
signed per Standard Webhooks; see docs/integrators.md.
"""

from typing import Any
from uuid import UUID

from flask import url_for
from marshmallow import Schema, fields, validate

from interfaces.api.actor import acting
from interfaces.api.blueprint import ApiBlueprint
from interfaces.api.pagination import Cursor, limit_field, page_body, page_schema
from interfaces.feed.webhook_store import DELIVERY_STATUSES, STATUSES
from interfaces.feed.webhooks import head_of, init_webhooks, webhook_store
from interfaces.schemas.webhooks import ChangeWebhookStatus, CreateWebhook, Redeliver
from interfaces.services import kampung

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
    last_error = fields.String(required=True, allow_none=True)
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
    error = fields.String(required=True, allow_none=True)
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
    subscription, secret = webhook_store().create(
        command["url"].strip(" "), command["event_types"], acting(), head_of(kampung()), command["from_position"]
    )
    location = url_for(".get_webhook", subscription_id=subscription["id"])
    return {**subscription, "secret": secret}, 201, {"Location": location}


@blueprint.route("", methods=["GET"])
@blueprint.arguments(WebhookListQuery, location="query")
@blueprint.response(200, WebhookPageSchema)
def list_webhooks(query: dict[str, Any]) -> dict[str, Any]:
    """List webhook subscriptions"""
    page = webhook_store().subscriptions(after=query["cursor"], limit=query["limit"])
    return page_body("webhooks", page.rows, page.next)


@blueprint.route("/<uuid:subscription_id>", methods=["GET"])
@blueprint.response(200, WebhookSubscriptionSchema)
@blueprint.problems(404)
def get_webhook(subscription_id: UUID) -> Any:
    """Get a webhook subscription

    Its status, checkpoint and last error; never its secret.
    """
    return webhook_store().get(str(subscription_id))


@blueprint.route("/<uuid:subscription_id>", methods=["DELETE"])
@blueprint.response(200, WebhookSubscriptionSchema)
@blueprint.problems(404)
def delete_webhook(subscription_id: UUID) -> Any:
    """Delete a webhook subscription

    Its delivery records go with it; the answer shows the subscription as it was.
    """
    return webhook_store().delete(str(subscription_id))


@blueprint.route("/<uuid:subscription_id>/pause", methods=["POST"])
@blueprint.arguments(ChangeWebhookStatus)
@blueprint.response(200, WebhookSubscriptionSchema)
@blueprint.problems(404, 409)
def pause_webhook(command: dict[str, Any], subscription_id: UUID) -> Any:
    """Pause deliveries

    Events keep accumulating behind the checkpoint until the subscription is resumed.
    """
    return webhook_store().pause(str(subscription_id), command["expected_status"])


@blueprint.route("/<uuid:subscription_id>/resume", methods=["POST"])
@blueprint.arguments(ChangeWebhookStatus)
@blueprint.response(200, WebhookSubscriptionSchema)
@blueprint.problems(404, 409)
def resume_webhook(command: dict[str, Any], subscription_id: UUID) -> Any:
    """Resume deliveries

    A paused or dead subscription becomes active and delivers from its checkpoint on, at once.
    """
    return webhook_store().resume(str(subscription_id), command["expected_status"])


@blueprint.route("/<uuid:subscription_id>/redeliver", methods=["POST"])
@blueprint.arguments(Redeliver)
@blueprint.response(200, WebhookSubscriptionSchema)
@blueprint.problems(404)
def redeliver_webhook(command: dict[str, Any], subscription_id: UUID) -> Any:
    """Redeliver from a position

    Moves the checkpoint to `from_position - 1`, so the events from that position on are delivered
    (again); a dead subscription becomes active (a paused one stays paused). Beyond the log's end: 422.
    """
    return webhook_store().redeliver(str(subscription_id), command["from_position"], head_of(kampung()))


@blueprint.route("/<uuid:subscription_id>/deliveries", methods=["GET"])
@blueprint.arguments(WebhookDeliveryQuery, location="query")
@blueprint.response(200, WebhookDeliveryPageSchema)
@blueprint.problems(404)
def list_deliveries(query: dict[str, Any], subscription_id: UUID) -> dict[str, Any]:
    """List delivery attempts

    Newest first: the event's position and id, the attempt number, the outcome, the receiver's
    HTTP status and the error, and when.
    """
    page = webhook_store().deliveries(str(subscription_id), after=query["cursor"], limit=query["limit"])
    return page_body("webhook-deliveries", page.rows, page.next)
