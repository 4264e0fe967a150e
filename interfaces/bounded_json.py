"""JSON from outside (request bodies, cursors), parsed within bounds, so that odd JSON is a 400 and
never a server error.

Python's parser recurses once per level of nesting: a body of 100 000 ``[`` exhausts the stack
(``RecursionError``), so nesting deeper than ``MAX_DEPTH`` is refused before the parser walks it.
Numbers of more than ``MAX_DIGITS`` digits (far past any amount, position or count; Python refuses
to convert 4 300) and ``NaN``/``Infinity`` (not JSON) are refused too. Every refusal is a
``json.JSONDecodeError``, as for malformed JSON.
"""

import json
import re
from typing import Any

MAX_DEPTH = 32
MAX_DIGITS = 1000
_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
_NOT_BRACKETS = re.compile(r"[^\[\]{}]+")


def _too_deep(text: str) -> bool:
    if text.count("[") + text.count("{") <= MAX_DEPTH:
        return False  # the usual body: no need to look closer
    depth = 0
    for bracket in _NOT_BRACKETS.sub("", _STRING.sub("", text)):
        depth += 1 if bracket in "[{" else -1
        if depth > MAX_DEPTH:
            return True
    return False


def _integer(digits: str) -> int:
    if len(digits.lstrip("-")) > MAX_DIGITS:
        raise ValueError(f"a number of more than {MAX_DIGITS} digits")
    return int(digits)


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def loads(text: str) -> Any:
    """``json.loads`` within the bounds above."""
    if _too_deep(text):
        raise json.JSONDecodeError(f"nested deeper than {MAX_DEPTH} levels", text, 0)
    try:
        return json.loads(text, parse_int=_integer, parse_constant=_no_constant)
    except json.JSONDecodeError:
        raise
    except ValueError as error:
        raise json.JSONDecodeError(str(error), text, 0) from None
