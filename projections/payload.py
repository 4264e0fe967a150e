"""Domain events as plain JSON-able data, for the audit trail and anything that exports events."""

import dataclasses
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

# Carried by every event and stored in their own columns; the payload is the rest.
ENVELOPE = ("originator_id", "originator_version", "timestamp", "originator_topic")


# Values that are JSON as they are: returned at once (most of an event's fields are).
_AS_THEY_ARE = frozenset({str, int, bool, float, type(None)})


def plain(value: Any) -> Any:
    if type(value) in _AS_THEY_ARE:
        return value
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else str(value)
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, UUID):
        return str(value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {field.name: plain(getattr(value, field.name)) for field in dataclasses.fields(value)}
    if isinstance(value, (list, tuple)):
        return [plain(item) for item in value]
    if isinstance(value, dict):
        return {str(key): plain(item) for key, item in value.items()}
    return value


# Fields holding a hash of a secret (domain/user.py): stored in the event, shown nowhere else.
SECRET_FIELDS = frozenset({"password_hash", "token_hash"})
REDACTED = "[redacted]"


def event_payload(event: Any) -> dict[str, Any]:
    return {
        name: REDACTED if name in SECRET_FIELDS else plain(value)
        for name, value in vars(event).items() if name not in ENVELOPE
    }


def event_type(event: Any) -> str:
    return type(event).__name__


def aggregate_type(event: Any) -> str:
    return type(event).__qualname__.split(".")[0]
