"""Turning text typed by people (CLI arguments, query strings) into days and moments."""

from datetime import date, datetime

from domain.errors import InvalidValue
from domain.period import JAKARTA, within_span


def parse_day(value: str | None, field: str) -> date | None:
    if value is None or not value.strip():
        return None
    try:
        day = date.fromisoformat(value.strip())
    except ValueError:
        raise InvalidValue(f"{value!r} is not a date (YYYY-MM-DD)", field) from None
    within_span(day, field)
    return day


def parse_moment(value: str | None, field: str) -> datetime | None:
    """ISO 8601; without an offset the time is read as WIB (Asia/Jakarta), as people here write it."""
    if value is None or not value.strip():
        return None
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        raise InvalidValue(f"{value!r} is not a date-time (YYYY-MM-DDTHH:MM[+07:00])", field) from None
    within_span(moment.date(), field)
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=JAKARTA)
