"""Free text typed by people: trimmed, single-spaced, required and bounded."""

from domain.errors import InvalidValue


def clean_text(value: object, field: str, max_length: int = 200) -> str:
    text = " ".join(str(value or "").split())
    if not text:
        raise InvalidValue(f"{field.replace('_', ' ')} is required", field)
    if len(text) > max_length:
        raise InvalidValue(f"{field.replace('_', ' ')} is longer than {max_length} characters", field)
    return text


def clean_paragraphs(value: object, field: str, max_length: int = 4000) -> str:
    """Like ``clean_text`` but keeps line breaks (a chronology is written in paragraphs)."""
    lines = [" ".join(line.split()) for line in str(value or "").strip().splitlines()]
    text = "\n".join(lines).strip()
    if not text:
        raise InvalidValue(f"{field.replace('_', ' ')} is required", field)
    if len(text) > max_length:
        raise InvalidValue(f"{field.replace('_', ' ')} is longer than {max_length} characters", field)
    return text
