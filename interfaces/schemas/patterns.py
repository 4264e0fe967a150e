"""Regular expressions for the fields' formats: the fields check them before parsing (Python's ISO
parsers also take week dates, basic formats and years 1–9999), and the API document states them as
``pattern``, so the document and the server agree on every value. Each is valid in Python and in
JSON Schema (ECMA 262)."""

from datetime import date, timedelta

from domain.text import CONTROLS, CONTROLS_IN_PARAGRAPHS, spaces

MONTH = "(?:0[1-9]|1[0-2])"
DAY_OF_MONTH = "(?:0[1-9]|[12][0-9]|3[01])"  # whether the day exists in its month is the date parser's
TIME = "T(?:[01][0-9]|2[0-3]):[0-5][0-9](?::[0-5][0-9](?:\\.[0-9]{1,6})?)?"
OFFSET = "(?:Z|[+-](?:[01][0-9]|2[0-3]):[0-5][0-9])?"
# Any day or moment written so, whatever its year (the fields' windows come on top).
DAY = f"^[0-9]{{4}}-{MONTH}-{DAY_OF_MONTH}$"
MOMENT = f"^[0-9]{{4}}-{MONTH}-{DAY_OF_MONTH}{TIME}{OFFSET}$"


def digits_range(low: int, high: int, width: int) -> str:
    """A pattern for the numbers ``low``..``high`` written with ``width`` digits (leading zeros)."""
    lo, hi = f"{low:0{width}d}", f"{high:0{width}d}"
    if lo == hi:
        return lo
    if width == 1:
        return f"[{lo}-{hi}]"
    if lo[0] == hi[0]:
        return lo[0] + digits_range(int(lo[1:]), int(hi[1:]), width - 1)
    rest = width - 1
    parts = [lo[0] + digits_range(int(lo[1:]), 10**rest - 1, rest)]
    if int(hi[0]) - int(lo[0]) > 1:
        parts.append(f"[{int(lo[0]) + 1}-{int(hi[0]) - 1}][0-9]{{{rest}}}")
    parts.append(hi[0] + digits_range(0, int(hi[1:]), rest))
    return f"(?:{'|'.join(parts)})"


def _days(first: date, last: date) -> str:
    """ISO days from ``first`` (the 1st of a month) to ``last`` (the last of a month)."""
    assert first.day == 1 and (last + timedelta(days=1)).day == 1, "windows run from a month's start to an end"
    between = f"|{digits_range(first.year + 1, last.year - 1, 4)}-{MONTH}" if last.year - first.year > 1 else ""
    months = f"{first.year}-{digits_range(first.month, 12, 2)}{between}|{last.year}-{digits_range(1, last.month, 2)}"
    return f"(?:{months})-{DAY_OF_MONTH}"


def day_pattern(first: date, last: date) -> str:
    return f"^{_days(first, last)}$"


def moment_pattern(first: date, last: date) -> str:
    """A moment written on a day from ``first`` to ``last`` (the day as written, in its own offset)."""
    return f"^{_days(first, last)}{TIME}{OFFSET}$"


def text_pattern(*, multiline: bool, required: bool) -> str:
    """Text under the text rule (``domain/text.py``); ``required``: with something besides spaces.
    (A lone surrogate cannot be written in a pattern; the description says it is refused.)"""
    controls = CONTROLS_IN_PARAGRAPHS if multiline else CONTROLS
    allowed = f"[^{controls}]*"
    if not required:
        return f"^{allowed}$"
    blank = spaces() + ("\\t\\n\\r" if multiline else "")
    return f"^{allowed}[^{controls}{blank}]{allowed}$"
