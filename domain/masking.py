"""NIKs masked wherever they stand: in text, in the strings and keys of nested data, and in a JSON
document's text. A NIK is personal data: who may see one in full is the interfaces' to decide
(``interfaces/masking.py``); how a NIK is hidden is ``domain.nik.mask_nik``.
"""

import re
from typing import Any

from domain.nik import mask_nik

# Sixteen digits standing alone: no amount, phone number, position or id of the system is that long.
NIK_IN_TEXT = re.compile(r"(?<!\d)\d{16}(?!\d)")


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
