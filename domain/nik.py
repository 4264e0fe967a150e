"""NIK, the 16-digit national identity number.

Layout: province (2), regency/city (2), district (2), birth date DDMMYY with 40 added to
the day for women, serial (4, never 0000). The region is where the NIK was first issued,
not where the person lives, so any known province is accepted, not only Jambi (15). Spaces
around a NIK (pasted from a letter or a spreadsheet) are ignored; nothing else is.
"""

from datetime import date

from domain.errors import InvalidValue

# Kemendagri province codes, including the Papua provinces created in 2022 (93–96).
PROVINCE_CODES = frozenset(
    {
        "11", "12", "13", "14", "15", "16", "17", "18", "19", "21",
        "31", "32", "33", "34", "35", "36", "51", "52", "53",
        "61", "62", "63", "64", "65", "71", "72", "73", "74", "75", "76",
        "81", "82", "91", "92", "93", "94", "95", "96",
    }
)


def _birth_date_exists(day: int, month: int, yy: int) -> bool:
    # The century is not in the NIK; 29 February is real if either century makes it so.
    for century in (1900, 2000):
        try:
            date(century + yy, month, day)
            return True
        except ValueError:
            continue
    return False


def parse_nik(value: object, field: str = "nik") -> str:
    """Return the NIK as a 16-digit string, or raise ``InvalidValue`` saying what is wrong."""
    text = str(value).strip(" ") if value is not None else ""
    if len(text) != 16 or not text.isascii() or not text.isdigit():
        raise InvalidValue("NIK must be exactly 16 digits", field)
    if text[:2] not in PROVINCE_CODES:
        raise InvalidValue(f"NIK region code {text[:2]} is not a known province", field)
    if text[2:4] == "00" or text[4:6] == "00":
        raise InvalidValue("NIK regency and district codes cannot be 00", field)
    day, month, yy = int(text[6:8]), int(text[8:10]), int(text[10:12])
    if day > 40:
        day -= 40
    if not _birth_date_exists(day, month, yy):
        raise InvalidValue(f"NIK birth date {text[6:12]} is not a calendar date", field)
    if text[12:] == "0000":
        raise InvalidValue("NIK serial number cannot be 0000", field)
    return text


def _either(*alternatives: str) -> str:
    return f"(?:{'|'.join(alternatives)})"


def _birth_date_pattern() -> str:
    """DDMMYY of a real calendar date, the day plus 40 for women: what ``_birth_date_exists`` accepts."""
    any_month, not_february, long_months = "(?:0[1-9]|1[0-2])", "(?:0[13-9]|1[0-2])", "(?:0[13578]|1[02])"
    # 29 February is real when 20YY is a leap year (2000 was one, so every YY divisible by 4).
    leap_yy = "(?:[02468][048]|[13579][26])"
    dates = []
    for tens in (0, 4):  # men's days, women's days (day + 40)
        first, second, third = (f"{tens + digit}" for digit in (0, 1, 2))
        dates += [
            f"{_either(f'{first}[1-9]', f'{second}[0-9]', f'{third}[0-8]')}{any_month}[0-9]{{2}}",
            f"{third}9{not_february}[0-9]{{2}}", f"{third}902{leap_yy}",
            f"{tens + 3}0{not_february}[0-9]{{2}}", f"{tens + 3}1{long_months}[0-9]{{2}}",
        ]
    return _either(*dates)


def nik_pattern() -> str:
    """A regular expression (valid in Python and in JSON Schema) matching exactly the NIKs ``parse_nik``
    accepts, as it returns them (without surrounding spaces)."""
    region = "(?:0[1-9]|[1-9][0-9])"
    serial = _either("000[1-9]", "00[1-9][0-9]", "0[1-9][0-9]{2}", "[1-9][0-9]{3}")
    return f"{_either(*sorted(PROVINCE_CODES))}{region}{region}{_birth_date_pattern()}{serial}"


def mask_nik(nik: str) -> str:
    """Show region and serial only, as on receipts: ``1571********0001``."""
    return nik[:4] + "*" * 8 + nik[12:]
