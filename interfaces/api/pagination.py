"""Keyset pagination for the API's lists: ``limit`` and an opaque ``cursor``.

A page ends with ``next``: the cursor to pass for the following page, or ``null`` on the last
page. The cursor carries the unique value (id, code, NIK, version) of the page's last row
(base64url JSON, tagged with the list it belongs to); the list continues from that row's place in
its stable order (``projections.paging``), so a row added meanwhile never shifts a page.
"""

import base64
import binascii
import json
import re
from collections.abc import Callable, Mapping
from typing import Any

from marshmallow import Schema, ValidationError, fields

from interfaces.bounded_json import loads
from interfaces.schemas.fields import WholeNumber

MAX_LIMIT = 200
DEFAULT_LIMIT = 50
NOT_A_CURSOR = "Not a cursor of this list; pass the `next` value of a previous page."
# base64url without padding, of at most a few hundred characters (the longest key is a text of
# 200); checked before decoding, so that no length of garbage is decoded.
CURSOR_PATTERN = "^[A-Za-z0-9_-]{1,600}$"


def encode_cursor(kind: str, value: Any) -> str:
    # The value goes in a one-item list: the cursors' first format had a list of key parts, and
    # cursors handed out in it (RTs, participants, history) stay valid.
    raw = json.dumps([kind, [value]], separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


class Cursor(fields.String):
    """A cursor of one list: deserialises to the unique value it carries, parsed by ``parse``."""

    def __init__(self, kind: str, parse: Callable[[Any], Any], **kwargs: Any):
        kwargs.setdefault("load_default", None)
        kwargs.setdefault("metadata", {
            "description": "The `next` value of the previous page (opaque); omit for the first page. A value that is "
                           "no cursor of this list is 422.",
            "pattern": CURSOR_PATTERN,
        })
        super().__init__(**kwargs)
        self.kind = kind
        self.parse = parse

    def _deserialize(self, value: Any, attr: str | None, data: Mapping[str, Any] | None, **kwargs: Any) -> Any:
        token = super()._deserialize(value, attr, data, **kwargs)
        try:
            if not re.fullmatch(CURSOR_PATTERN, token):
                raise ValueError(token)
            kind, (key,) = loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode())
            if kind != self.kind:
                raise ValueError(kind)
            return self.parse(key)
        except (binascii.Error, UnicodeDecodeError, ValueError, TypeError):
            raise ValidationError(NOT_A_CURSOR) from None


def limit_field() -> fields.Integer:
    return WholeNumber(1, MAX_LIMIT, load_default=DEFAULT_LIMIT,
                       metadata={"description": f"Items per page (1–{MAX_LIMIT})."})


def page_schema(
    name: str, item: type[Schema], description: str, next_field: fields.Field | None = None
) -> type[Schema]:
    """The envelope of one page of ``item``: ``{"items": [...], "next": cursor | null}`` (or what
    ``next_field`` says ``next`` is)."""
    return Schema.from_dict(
        {
            "items": fields.List(fields.Nested(item), required=True, metadata={"description": description}),
            "next": next_field or fields.String(
                required=True, allow_none=True,
                metadata={"description": "Cursor of the next page (pass it as `cursor`); null on the last page."},
            ),
        },
        name=name,
    )


def page_body(kind: str, rows: list[Any], after: Any | None) -> dict[str, Any]:
    """One page of the list ``kind`` as the API sends it; ``after``: the unique value to continue
    after (a page's ``next``), None on the last page."""
    return {"items": rows, "next": None if after is None else encode_cursor(kind, after)}
