"""Keyset pagination for the API's lists: ``limit`` and an opaque ``cursor``.

A page ends with ``next``: the cursor to pass for the following page, or ``null`` on the last
page. The cursor carries the sort key of the page's last row (base64url JSON, tagged with the
list it belongs to), so a row added meanwhile never shifts a page: every list has a stable
order that ends with a unique id.
"""

import base64
import binascii
import json
from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime
from typing import Any
from uuid import UUID

from marshmallow import Schema, ValidationError, fields, validate

MAX_LIMIT = 200
DEFAULT_LIMIT = 50


def _plain(value: Any) -> Any:
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return str(value) if isinstance(value, UUID) else value


def encode_cursor(kind: str, key: Sequence[Any]) -> str:
    raw = json.dumps([kind, [_plain(value) for value in key]], separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


class Cursor(fields.String):
    """A cursor of one list: deserialises to the tuple of its sort key, parsed by ``parts``."""

    def __init__(self, kind: str, parts: Sequence[Callable[[Any], Any]], **kwargs: Any):
        kwargs.setdefault("load_default", None)
        kwargs.setdefault(
            "metadata", {"description": "The `next` value of the previous page; omit for the first page."}
        )
        super().__init__(**kwargs)
        self.kind = kind
        self.parts = tuple(parts)

    def _deserialize(self, value: Any, attr: str | None, data: Mapping[str, Any] | None, **kwargs: Any) -> Any:
        token = super()._deserialize(value, attr, data, **kwargs)
        try:
            kind, key = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
            if kind != self.kind or len(key) != len(self.parts):
                raise ValueError(kind)
            return tuple(parse(item) for parse, item in zip(self.parts, key))
        except (binascii.Error, UnicodeDecodeError, ValueError, TypeError):
            raise ValidationError("Not a cursor of this list; pass the `next` value of a previous page.") from None


def limit_field() -> fields.Integer:
    return fields.Integer(
        load_default=DEFAULT_LIMIT, validate=validate.Range(1, MAX_LIMIT),
        metadata={"description": f"Items per page (1–{MAX_LIMIT})."},
    )


def page_schema(name: str, item: type[Schema], description: str) -> type[Schema]:
    """The envelope of one page of ``item``: ``{"items": [...], "next": cursor | null}``."""
    return Schema.from_dict(
        {
            "items": fields.List(fields.Nested(item), required=True, metadata={"description": description}),
            "next": fields.String(
                required=True, allow_none=True,
                metadata={"description": "Cursor of the next page (pass it as `cursor`); null on the last page."},
            ),
        },
        name=name,
    )


def keyset_page(
    rows: Sequence[Any], limit: int, kind: str, key: Callable[[Any], Sequence[Any]]
) -> dict[str, Any]:
    """``rows`` is up to ``limit + 1`` rows in the list's order: one more than the page shows
    tells whether a next page exists."""
    items = list(rows[:limit])
    more = len(rows) > limit and bool(items)
    return {"items": items, "next": encode_cursor(kind, key(items[-1])) if more else None}
