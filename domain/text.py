"""Text typed by people, and the rule every text coming in obeys, whichever way it comes (API, web
forms, CLI, bulk lists, service calls).

The text rule: text is normalised to NFC, so that "é" typed as one character and as "e" with a
combining accent is the same text, of the same length; and it may hold no control character (C0,
DEL, C1) and no lone surrogate: none has a place in a name, a reason or a number, and they break
terminals, CSV exports, the store's JSON and the natural ids made from text. Multi-line text (a
chronology, a reason, a pasted list) may hold tabs and line breaks; a line break written CR LF or
CR is read as LF.
"""

import re
import unicodedata

from domain.errors import InvalidValue

# Unicode's control characters (category Cc: C0, DEL, C1), all of them and all but tab, line feed
# and carriage return, and its surrogates (category Cs): bodies of character classes, valid in
# Python and in a JSON Schema (ECMA 262) pattern.
CONTROLS = "\\x00-\\x1f\\x7f-\\x9f"
CONTROLS_IN_PARAGRAPHS = "\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f-\\x9f"
SURROGATES = "\\ud800-\\udfff"
_REFUSED_IN_LINE = re.compile(f"[{CONTROLS}{SURROGATES}]")
_REFUSED_IN_PARAGRAPHS = re.compile(f"[{CONTROLS_IN_PARAGRAPHS}{SURROGATES}]")


def spaces() -> str:
    """The characters trimming takes away (``str.split``, ``str.strip``) that are no control
    characters, as the body of a character class (escaped as ``CONTROLS`` is)."""
    return "".join(f"\\u{code:04x}" for code in range(0x3001)
                   if chr(code).isspace() and not _REFUSED_IN_LINE.match(chr(code)))


_BLANK = re.compile(f"[{spaces()}\\t\\n\\r]*")


def is_blank(value: str) -> bool:
    """Nothing but spaces and line breaks: a field left empty (a control character is not blank)."""
    return bool(_BLANK.fullmatch(value))


def _label(field: str) -> str:
    return field.replace("_", " ")


def normalised(value: str, field: str, *, multiline: bool = False) -> str:
    """``value`` under the text rule (NFC), or ``InvalidValue`` naming the first character refused."""
    if multiline:
        value = value.replace("\r\n", "\n").replace("\r", "\n")
    refused = (_REFUSED_IN_PARAGRAPHS if multiline else _REFUSED_IN_LINE).search(value)
    if refused is not None:
        char = refused.group()
        code = f"{ord(char):04X}"
        if "\ud800" <= char <= "\udfff":
            raise InvalidValue(f"{_label(field)} contains an unpaired surrogate (U+{code})", field)
        raise InvalidValue(f"{_label(field)} contains a control character (U+{code})", field)
    return unicodedata.normalize("NFC", value)


def _bounded(text: str, field: str, max_length: int) -> str:
    if not text:
        raise InvalidValue(f"{_label(field)} is required", field)
    if len(text) > max_length:
        raise InvalidValue(f"{_label(field)} is longer than {max_length} characters", field)
    return text


def _line(value: object, field: str) -> str:
    return " ".join(normalised(str(value or ""), field).split())


def clean_text(value: object, field: str, max_length: int = 200) -> str:
    """One line of text: under the text rule, trimmed, single-spaced, required and bounded."""
    return _bounded(_line(value, field), field, max_length)


def optional_text(value: object, field: str, max_length: int = 200) -> str | None:
    """Like ``clean_text``, but blank (or absent) is None."""
    text = _line(value, field)
    return _bounded(text, field, max_length) if text else None


def clean_paragraphs(value: object, field: str, max_length: int = 4000) -> str:
    """Like ``clean_text`` but multi-line: keeps line breaks (a chronology is written in paragraphs)."""
    lines = [" ".join(line.split()) for line in normalised(str(value or ""), field, multiline=True).split("\n")]
    return _bounded("\n".join(lines).strip(), field, max_length)
