"""JSON Schema (draft 2020-12) of each event's ``data``, generated from the event class's fields and
their annotations.

The ``data`` of a CloudEvent is ``projections.payload.event_payload``: every field of the event but
the envelope (aggregate id, version, timestamp, topic), as JSON. So the schema maps Python types the
way that payload writes them:

| annotation | JSON Schema |
| --- | --- |
| ``str``, ``int``, ``bool``, ``float`` | string, integer, boolean, number |
| ``Decimal`` (money) | integer: whole rupiah |
| ``date`` / ``datetime`` / ``UUID`` | string with format date / date-time / uuid |
| a dataclass (``Actor``, ``Place``, ``Period``, ``BenefitLine``, …) | object with its fields, in ``$defs`` |
| ``list[X]``, ``tuple[X, ...]`` | array of X |
| ``dict[str, X]`` | object of X |
| ``X | None`` | X or null |

Every field is always present in ``data`` (an upcast fills the fields an old version lacked), so
every field is required, and no other is allowed.
"""

import dataclasses
import types
import typing
from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from projections.cloudevents import EventType
from projections.payload import ENVELOPE

DIALECT = "https://json-schema.org/draft/2020-12/schema"
NULL = {"type": "null"}


def data_fields(cls: type) -> list[tuple[str, Any]]:
    """The fields of an event (or value object) class that its payload carries, with their types."""
    hints = typing.get_type_hints(cls)
    return [(field.name, hints[field.name]) for field in dataclasses.fields(cls) if field.name not in ENVELOPE]


def _nullable(schema: dict[str, Any]) -> dict[str, Any]:
    if isinstance(schema.get("type"), str) and "$ref" not in schema:
        return {**schema, "type": [schema["type"], "null"]}
    return {"anyOf": [schema, NULL]}


def type_schema(annotation: Any, defs: dict[str, Any]) -> dict[str, Any]:
    """The JSON Schema of a value of ``annotation``; dataclasses are added to ``defs`` and referenced."""
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if annotation is Any:
        return {}
    if origin in (typing.Union, types.UnionType):
        present = [arg for arg in args if arg is not type(None)]
        inner = type_schema(present[0], defs) if len(present) == 1 else {
            "anyOf": [type_schema(arg, defs) for arg in present]
        }
        return _nullable(inner) if len(present) < len(args) else inner
    if origin in (list, tuple, set, frozenset, Sequence):
        if origin is tuple and args and args[-1] is not Ellipsis:
            return {"type": "array", "prefixItems": [type_schema(arg, defs) for arg in args],
                    "minItems": len(args), "maxItems": len(args)}
        return {"type": "array", "items": type_schema(args[0], defs) if args else {}}
    if origin is dict:
        return {"type": "object", "additionalProperties": type_schema(args[1], defs) if args else {}}
    if annotation is bool:
        return {"type": "boolean"}
    if annotation is int:
        return {"type": "integer"}
    if annotation is float:
        return {"type": "number"}
    if annotation is str:
        return {"type": "string"}
    if annotation is Decimal:
        return {"type": "integer", "description": "Whole rupiah."}
    if annotation is datetime:  # before date: a datetime is a date
        return {"type": "string", "format": "date-time"}
    if annotation is date:
        return {"type": "string", "format": "date"}
    if annotation is UUID:
        return {"type": "string", "format": "uuid"}
    if isinstance(annotation, type) and dataclasses.is_dataclass(annotation):
        name = annotation.__name__
        if name not in defs:
            defs[name] = {}  # placeholder: a dataclass that refers to itself stops here
            defs[name] = object_schema(data_fields(annotation), defs)
        return {"$ref": f"#/$defs/{name}"}
    raise TypeError(f"no JSON Schema for the annotation {annotation!r}")


def object_schema(fields: list[tuple[str, Any]], defs: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": {name: type_schema(annotation, defs) for name, annotation in fields},
        "required": [name for name, _ in fields],
        "additionalProperties": False,
    }


def data_schema(entry: EventType) -> dict[str, Any]:
    """The JSON Schema of the ``data`` of the CloudEvents of one event type."""
    defs: dict[str, Any] = {}
    body = object_schema(data_fields(entry.event_class), defs)
    schema: dict[str, Any] = {
        "$schema": DIALECT,
        "$id": entry.dataschema,
        "title": f"{entry.aggregate}.{entry.name} v{entry.version}",
        **body,
    }
    if defs:
        schema["$defs"] = dict(sorted(defs.items()))
    return schema
