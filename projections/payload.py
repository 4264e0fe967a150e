"""Domain events as plain JSON-able data, for the audit trail and anything that exports events."""

import dataclasses
import json
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from functools import cache
from typing import Any
from uuid import UUID

# Carried by every event and stored in their own columns; the payload is the rest.
ENVELOPE = ("originator_id", "originator_version", "timestamp", "originator_topic")


def _decimal(value: Decimal) -> int | str:
    return int(value) if value == value.to_integral_value() else str(value)


def _as_is(value: Any) -> Any:
    return value


# Values JSON has as they are: kept without a call (most of an event's values are).
_SCALARS = frozenset({str, int, bool, float, type(None)})

# By exact type: one dictionary look-up per value instead of a chain of isinstance tests (the audit
# trail turns every stored event into its payload; most values are strings and numbers).
_BY_TYPE: dict[type, Callable[[Any], Any]] = {
    **dict.fromkeys(_SCALARS, _as_is),
    Decimal: _decimal, datetime: datetime.isoformat, date: date.isoformat, UUID: str,
    list: lambda value: [plain(item) for item in value],
    tuple: lambda value: [plain(item) for item in value],
    dict: lambda value: {str(key): plain(item) for key, item in value.items()},
}


@cache
def _field_names(cls: type) -> tuple[str, ...]:
    return tuple(field.name for field in dataclasses.fields(cls))


def plain(value: Any) -> Any:
    convert = _BY_TYPE.get(type(value))
    if convert is not None:
        return convert(value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {name: item if type(item) in _SCALARS else plain(item)
                for name in _field_names(type(value)) for item in (getattr(value, name),)}
    # Subclasses of the types above (a named tuple, a datetime subclass).
    if isinstance(value, Decimal):
        return _decimal(value)
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, UUID):
        return str(value)
    if isinstance(value, (list, tuple)):
        return [plain(item) for item in value]
    if isinstance(value, dict):
        return {str(key): plain(item) for key, item in value.items()}
    return value


# Fields holding a hash of a secret (domain/user.py): stored in the event, shown nowhere else.
SECRET_FIELDS = frozenset({"password_hash", "token_hash"})
REDACTED = "[redacted]"
_OMITTED = frozenset(ENVELOPE)


def event_payload(event: Any) -> dict[str, Any]:
    return {
        name: REDACTED if name in SECRET_FIELDS else value if type(value) in _SCALARS else plain(value)
        for name, value in vars(event).items() if name not in _OMITTED
    }


# The payload as the audit trail stores it: keys sorted, non-ASCII as it is. One encoder for every
# event (``json.dumps`` with options builds a new one per call).
payload_json = json.JSONEncoder(ensure_ascii=False, sort_keys=True).encode


def event_type(event: Any) -> str:
    return type(event).__name__


def aggregate_type(event: Any) -> str:
    return _aggregate_of(type(event))


@cache
def _aggregate_of(cls: type) -> str:
    return cls.__qualname__.split(".")[0]
