"""The application's sense of now, injectable so tests and the demo can place events in time."""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone

from domain.period import local_day


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(timezone.utc)

    def today(self) -> date:
        return local_day(self.now())


@dataclass
class FixedClock(SystemClock):
    """A clock that stays where it is put, moved on explicitly."""

    moment: datetime = field(default_factory=lambda: datetime.now(timezone.utc))

    def now(self) -> datetime:
        return self.moment

    def set(self, moment: datetime) -> None:
        self.moment = moment

    def advance(self, delta: timedelta) -> None:
        self.moment += delta
