"""NIK masking by who is looking: a NIK is personal data, shown in full only to those whose work
needs it.

| role | NIK shown | why |
| --- | --- | --- |
| admin | full | runs the programme, corrects records |
| claim_officer | full | files claims with BPJS Ketenagakerjaan, which identifies people by NIK |
| ketua_rt | full (their RT only: they see no other) | issues the task letters that name their residents |
| auditor | masked ``1571********0001`` | checks what happened and who did it; the person stays identifiable by name, region and serial |
| integrator | masked | the feed leaves the city's systems; receivers need the events, not the identity numbers |

Not signed in: masked. The masking is applied where data leaves for a reader: the ``nik`` template
filter, the API's ``ShownNIK`` field, and ``for_viewer()`` for the audit trail, its exports, the
aggregate history and the event feed. Searching by a full NIK is unaffected: only output is masked.
"""

import re
from collections.abc import Callable
from typing import Any

from flask import Flask, g, has_request_context
from marshmallow import fields

from domain.actor import Actor
from domain.nik import mask_nik

FULL_NIK_ROLES = frozenset({"admin", "claim_officer", "ketua_rt"})
# Sixteen digits standing alone: no amount, phone number, position or id of the system is that long.
NIK_IN_TEXT = re.compile(r"(?<!\d)\d{16}(?!\d)")


def sees_full_nik(actor: Actor | None) -> bool:
    return actor is not None and actor.role in FULL_NIK_ROLES


def viewer() -> Actor | None:
    """Who the current request acts for (set by interfaces/access.py); none outside a request."""
    return g.get("access_actor") if has_request_context() else None


def masked(value: Any) -> Any:
    """``value`` with every NIK in it masked: in text, and in the strings of dicts (keys too: the
    participants of an activity are keyed by NIK) and lists."""
    if isinstance(value, str):
        return NIK_IN_TEXT.sub(_mask_found, value)
    if isinstance(value, dict):
        return {masked(key): masked(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [masked(item) for item in value]
    return value


# Where a run of digits in a JSON text could be a number rather than part of a string: after the
# text's start, ``:``, ``,``, ``[``, a minus sign or white space, and before ``,``, ``]``, ``}``, a
# fraction, an exponent, white space or the text's end.
_NUMBER_BEFORE = frozenset(":,[- \t\r\n")
_NUMBER_AFTER = frozenset(",]}.eE \t\r\n")
_DIGITS_AS_ZERO = bytes.maketrans(b"123456789", b"000000000")
_SIXTEEN_DIGITS = b"0" * 16


def _mask_found(found: re.Match[str]) -> str:
    return mask_nik(found.group())


def masked_json(text: str) -> str | None:
    """``text``, a JSON document as ``json.dumps`` writes it, with its NIKs masked exactly as
    ``masked()`` masks the value it was made from, done on the text: the event feed's volumes make
    a walk over every string too slow. None where the text alone cannot tell: a character beyond
    ASCII (``\\d`` takes other scripts' digits too), a ``\\u`` escape (its hex digits could touch a
    NIK) or a sixteen-digit run where a number could stand (numbers are never masked); then
    ``masked()`` is the way."""
    if not text.isascii() or "\\u" in text:
        return None
    shape = text.encode("ascii").translate(_DIGITS_AS_ZERO)  # every digit a 0: runs are found in C
    length, pieces, done = len(text), [], 0
    start = shape.find(_SIXTEEN_DIGITS)
    while start >= 0:
        stop = end = start + 16
        while end < length and shape[end] == 48:  # the run goes on: longer than a NIK
            end += 1
        if end == stop:
            before, after = (text[start - 1] if start else ","), (text[stop] if stop < length else ",")
            if before in _NUMBER_BEFORE and after in _NUMBER_AFTER:
                return None
            pieces += (text[done:start], mask_nik(text[start:stop]))
            done = stop
        start = shape.find(_SIXTEEN_DIGITS, end)
    pieces.append(text[done:])
    return "".join(pieces)


def unchanged(value: Any) -> Any:
    return value


def for_viewer() -> Callable[[Any], Any]:
    """What to do to data before the current viewer gets it; decided now, inside the request, so a
    stream can still apply it after the request's context is gone."""
    return unchanged if sees_full_nik(viewer()) else masked


def shown_nik(nik: str) -> str:
    """The ``nik`` template filter: the NIK as the viewer may see it."""
    return nik if sees_full_nik(viewer()) else mask_nik(nik)


class ShownNIK(fields.String):
    """A NIK in an API response, as the caller may see it."""

    def _serialize(self, value: Any, attr: str | None, obj: Any, **kwargs: Any) -> str | None:
        text = super()._serialize(value, attr, obj, **kwargs)
        return None if text is None else shown_nik(text)


def init_masking(app: Flask) -> None:
    app.add_template_filter(shown_nik, "nik")
