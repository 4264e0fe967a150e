"""Calendar periods and moments.

Moments are timezone-aware datetimes. Declared calendar dates (a task letter's cover period,
a musyawarah) are days in Kota Jambi, so a moment is placed on a day in Asia/Jakarta.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from domain.errors import InvalidValue

JAKARTA = ZoneInfo("Asia/Jakarta")
# The days this system speaks of: from 1970 (WIB has been UTC+7 since 1964; earlier, Jakarta's
# offsets had seconds, which RFC 3339 cannot write) to the end of the century. An earlier or later day
# is a typing mistake (year 9999), and placing a moment of year 9999 or 1 in a time zone leaves
# Python's calendar (OverflowError).
EARLIEST_DAY = date(1970, 1, 1)
LATEST_DAY = date(2099, 12, 31)


def within_span(day: date, field: str) -> None:
    """``InvalidValue`` unless ``day`` (a moment's date as written) is between the two above."""
    if not EARLIEST_DAY <= day <= LATEST_DAY:
        raise InvalidValue(f"{field} must be between {EARLIEST_DAY.isoformat()} and {LATEST_DAY.isoformat()}",
                           field)


def local_day(moment: datetime) -> date:
    return moment.astimezone(JAKARTA).date()


def require_aware(moment: datetime, field: str) -> datetime:
    if not isinstance(moment, datetime) or moment.tzinfo is None or moment.utcoffset() is None:
        raise InvalidValue("a date-time with a time zone is required", field)
    return moment


@dataclass(frozen=True)
class Period:
    """An inclusive range of days."""

    start: date
    end: date

    def __post_init__(self) -> None:
        if not isinstance(self.start, date) or not isinstance(self.end, date):
            raise InvalidValue("a period needs a start and an end date", "period")
        if self.end < self.start:
            raise InvalidValue("the period ends before it starts", "period")

    def contains_day(self, day: date) -> bool:
        return self.start <= day <= self.end

    def contains(self, moment: datetime) -> bool:
        return self.contains_day(local_day(moment))

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def __str__(self) -> str:
        return f"{self.start.isoformat()}/{self.end.isoformat()}"


def hours_between(earlier: datetime, later: datetime) -> float:
    return (later - earlier) / timedelta(hours=1)
