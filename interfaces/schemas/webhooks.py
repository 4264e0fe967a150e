"""Webhook subscriptions: the body that creates one and the one that redelivers, shared by the
admin pages and the JSON API."""

from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from marshmallow import Schema, ValidationError, fields, pre_load, validate

from domain.text import is_blank
from interfaces.feed.webhook_store import EVENT_TYPES, MAX_URL_LENGTH, STATUSES
from interfaces.schemas.fields import Text, WholeNumber


def check_target_url(value: str) -> None:
    """An absolute http or https URL with a host, no credentials and no fragment."""
    parts = urlsplit(value.strip())
    if parts.scheme not in ("http", "https"):
        raise ValidationError("Give an http or https URL.")
    if not parts.hostname:
        raise ValidationError("The URL needs a host name.")
    if parts.username is not None or parts.password is not None:
        raise ValidationError("The URL must not contain a user name or password.")
    if parts.fragment:
        raise ValidationError("The URL must not contain a fragment (#...).")
    try:
        parts.port
    except ValueError:
        raise ValidationError("The URL has an invalid port.") from None


class WebhookSchema(Schema):
    """Blank form fields count as missing."""

    @pre_load
    def drop_blanks(self, data: Any, **kwargs: Any) -> Any:
        if isinstance(data, Mapping):
            return {key: value for key, value in data.items() if not (isinstance(value, str) and is_blank(value))}
        return data


class CreateWebhook(WebhookSchema):
    url = Text(
        required=True, validate=(validate.Length(max=MAX_URL_LENGTH), check_target_url),
        metadata={"description": "Where to POST the events: an http or https URL.",
                  "example": "https://integrator.example/kampung/webhook"},
    )
    event_types = fields.List(
        fields.String(validate=validate.OneOf(EVENT_TYPES)), load_default=(),
        validate=validate.Length(max=len(EVENT_TYPES)),
        metadata={"description": "Event types to deliver, e.g. `SantunanPaid`; empty or omitted: every event."},
    )
    from_position = WholeNumber(
        1, load_default=None,
        metadata={"description": "Deliver from this position of the event log on (past events too); "
                                 "omitted: only events recorded after the subscription."},
    )


class Redeliver(WebhookSchema):
    from_position = WholeNumber(
        1, required=True,
        metadata={"description": "Deliver again from this position of the event log: the checkpoint "
                                 "moves to the position before it."},
    )


class ChangeWebhookStatus(WebhookSchema):
    """Pause or resume; the body may be empty."""

    expected_status = fields.String(
        load_default=None, validate=validate.OneOf(STATUSES),
        metadata={"description": "The status you saw: if the subscription's status is another one by now, "
                                 "nothing changes and the answer is 409."},
    )
