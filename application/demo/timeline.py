"""When the demo's history happens, and the random streams it is drawn from.

The pilot's dates are the programme's own: RTs registered at the end of July 2025, enrolled as
pilot RTs on 1 August 2025, launched from 24 September 2025 (RT 014 Kenali Asam first); their
activities begin in October 2025 and go on, one after another, with no end date.

Every random choice comes from a stream named after what it decides (an RT's n-th activity, the
claim on an activity, …), so a plan drawn up to a later day begins exactly as one drawn up to an
earlier day: a later ``--today`` only extends the history.
"""

import random
from datetime import date, datetime, time, timedelta, timezone

from domain.period import JAKARTA, local_day

SEED = 20250801
PILOT_RTS = 67
KELURAHAN_COUNT = 44
ENROLLED_ON = date(2025, 8, 1)
FIRST_LAUNCH = date(2025, 9, 24)
FIRST_RT = ("15.71.07.1012", 14)  # RT 014 Kenali Asam, the first launch (24 September 2025)
ACTIVITIES_FROM = date(2025, 10, 1)
# The earliest --today: by then the pilot's first claims have reached every status.
EARLIEST_TODAY = date(2026, 3, 1)
# How far after today activities are planned (an activity is planned 1–3 weeks before it starts).
LOOKAHEAD = timedelta(days=45)


def at(day: date, hour: int, minute: int = 0) -> datetime:
    """A moment on a day in Kota Jambi (WIB), as UTC."""
    return datetime.combine(day, time(hour, minute), JAKARTA).astimezone(timezone.utc)


def stream(*key: object) -> random.Random:
    """The random stream of one decision, the same on every run and whatever else is drawn."""
    return random.Random(":".join(str(part) for part in (SEED, *key)))


def not_sunday(day: date) -> date:
    return day + timedelta(days=1) if day.weekday() == 6 else day


def office_hours(moment: datetime, rng: random.Random) -> datetime:
    """A claim officer's working moment on or after ``moment``'s day: a weekday, 09:00–14:45."""
    day = local_day(moment)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return at(day, rng.randint(9, 14), rng.choice((0, 15, 30, 45)))
