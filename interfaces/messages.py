"""Indonesian for the messages people see in the web pages.

Domain and schema messages are English (the API's language); the web shows them in Bahasa
Indonesia. Each entry is a regular expression over an English message and its Indonesian
template ({0}, {1}, … are the groups)."""

import re

CATALOGUE: tuple[tuple[str, str], ...] = (
    (r"Missing data for required field\.", "Wajib diisi."),
    (r"Not a valid date\.", "Bukan tanggal yang sah."),
    (r"Not a valid datetime\.", "Bukan tanggal dan jam yang sah."),
    (r"Not a valid integer\.", "Bukan bilangan bulat."),
    (r"Not a valid UUID\.", "Bukan pengenal yang sah."),
    (r"Must be one of: (.+)\.", "Harus salah satu dari: {0}."),
    (r"NIK must be exactly 16 digits", "NIK harus tepat 16 angka"),
)

_COMPILED = tuple((re.compile(f"^{pattern}$", re.DOTALL), template) for pattern, template in CATALOGUE)


def indonesian(message: str) -> str:
    for pattern, template in _COMPILED:
        match = pattern.match(message)
        if match:
            return template.format(*match.groups())
    return message


def indonesian_errors(messages: object) -> object:
    """The same nesting as marshmallow's ``messages`` (dicts, lists), every text translated."""
    if isinstance(messages, dict):
        return {key: indonesian_errors(value) for key, value in messages.items()}
    if isinstance(messages, list):
        return [indonesian_errors(value) for value in messages]
    return indonesian(str(messages))
