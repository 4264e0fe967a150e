"""Webhook subscriptions: the body that creates one and the one that redelivers, shared by the
admin pages and the JSON API."""

import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from marshmallow import Schema, ValidationError, fields, pre_load, validate

from domain.text import is_blank
from projections.webhooks.tables import EVENT_TYPES, MAX_URL_LENGTH, STATUSES
from interfaces.schemas.fields import Text, WholeNumber


_PORT = "(?:[0-9]{1,4}|[1-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5])"
_H = "[0-9A-Fa-f]{1,4}"
_OCTET = "(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])"
# An IPv6 address as RFC 4291 writes it (a subset of what Python's ipaddress reads: full, compressed, and
# ::ffff: with an IPv4 address), so that the policy, not the format, says why such a host is refused.
_IPV6 = "|".join((
    f"(?:{_H}:){{7}}{_H}", f"(?:{_H}:){{1,7}}:", f"(?:{_H}:){{1,6}}:{_H}", f"(?:{_H}:){{1,5}}(?::{_H}){{1,2}}",
    f"(?:{_H}:){{1,4}}(?::{_H}){{1,3}}", f"(?:{_H}:){{1,3}}(?::{_H}){{1,4}}", f"(?:{_H}:){{1,2}}(?::{_H}){{1,5}}",
    f"{_H}:(?::{_H}){{1,6}}", f":(?:(?::{_H}){{1,7}}|:)", f"::[Ff]{{4}}:(?:{_OCTET}\\.){{3}}{_OCTET}",
))
# What the API document states and the check below enforces: the scheme, a host name of ASCII letters,
# digits, dots and hyphens (an internationalised name in its xn-- form) or an IPv6 address in brackets,
# a port, then a path and query without spaces or a fragment; spaces around the URL are ignored. Whether
# the host may be reached is the target policy's to say (projections/webhooks/targets.py).
TARGET_URL = (f"^ *[Hh][Tt][Tt][Pp][Ss]?://(?:[A-Za-z0-9.-]+|\\[(?:{_IPV6})\\])(?::{_PORT})?"
              "(?:[/?][^#\\x00-\\x20\\x7f-\\x9f]*)? *$")


def check_target_url(value: str) -> None:
    """An absolute http or https URL with a host, no credentials and no fragment."""
    try:
        parts = urlsplit(value.strip(" "))
    except ValueError:  # a malformed host, e.g. an unclosed [
        raise ValidationError("Give an http or https URL.") from None
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
    if not re.fullmatch(TARGET_URL, value):
        raise ValidationError("Give an http or https URL.")


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
        metadata={"description": "Where to POST the events: an https URL of a public host (plain http, and hosts "
                                 "on private or other internal addresses, only if the deployment's administrator "
                                 "allowed them).", "pattern": TARGET_URL,
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
