"""Who is covered when: ``Activity.check_covered`` and ``Activity.cover_for``.

A participant is covered at a moment iff the moment lies, as a day in Asia/Jakarta, in the
cover period of one of the activity's task letters, they had joined at or before it and not
withdrawn by then, and the activity had not been cancelled by then.
"""

from datetime import date, datetime, timedelta, timezone

import pytest

from domain.activity import Activity
from domain.errors import InvalidValue, NotCovered
from domain.period import JAKARTA, Period
from tests.unit.scenario import given, refused
from tests.unit.world import (
    ADMIN,
    AHMAD,
    KETUA,
    KETUA_NIK,
    LETTER,
    LETTER_DAY,
    SITI,
    SITI_JOINED,
    covered_activity,
    issue_letter,
    join_siti,
    launched_rt,
    plan_drainage,
)

INCIDENT = datetime(2025, 9, 3, 9, 30, tzinfo=JAKARTA)
AHMAD_JOINED = datetime(2025, 8, 30, 8, 0, tzinfo=JAKARTA)  # before the cover starts


def wib(*args: int) -> datetime:
    return datetime(*args, tzinfo=JAKARTA)


def join_ahmad(activity: Activity) -> None:
    activity.join_participant(AHMAD, "Ahmad Fauzi", "resident", AHMAD_JOINED, KETUA)


def ahmad_under_september_letter() -> Activity:
    rt = launched_rt()
    return given(lambda: plan_drainage(rt), join_ahmad, issue_letter(rt))


def assert_covered(activity: Activity, nik: str, moment: datetime) -> None:
    letter = activity.check_covered(nik, moment)
    assert letter.number == LETTER
    assert activity.cover_for(nik, moment) == letter
    assert activity.pending_events == []


def assert_not_covered(activity: Activity, nik: str, moment: datetime, why: str) -> None:
    error = refused(activity, lambda: activity.check_covered(nik, moment), NotCovered)
    assert why in error.message
    assert activity.cover_for(nik, moment) is None


def test_a_participant_is_covered_inside_the_cover_period():
    assert_covered(covered_activity(), SITI, INCIDENT)


@pytest.mark.parametrize("moment", [
    wib(2025, 9, 1, 0, 0),  # first day, midnight WIB
    wib(2025, 9, 30, 23, 59),  # last day, a minute before midnight WIB
    wib(2025, 9, 30, 23, 59, 59),
    datetime(2025, 8, 31, 17, 0, tzinfo=timezone.utc),  # = 1 Sep 00:00 WIB
    datetime(2025, 9, 30, 16, 59, tzinfo=timezone.utc),  # = 30 Sep 23:59 WIB
])
def test_the_first_and_last_days_of_the_cover_are_covered_whole_as_days_in_jakarta(moment):
    assert_covered(ahmad_under_september_letter(), AHMAD, moment)


@pytest.mark.parametrize(("moment", "day"), [
    (wib(2025, 8, 31, 23, 59), "2025-08-31"),  # the day before
    (wib(2025, 10, 1, 0, 0), "2025-10-01"),  # the day after
    (datetime(2025, 8, 31, 16, 59, tzinfo=timezone.utc), "2025-08-31"),  # = 31 Aug 23:59 WIB
    (datetime(2025, 9, 30, 17, 0, tzinfo=timezone.utc), "2025-10-01"),  # 30 Sep in UTC, 1 Oct in Jakarta
])
def test_a_moment_on_the_day_before_or_after_the_cover_is_not_covered(moment, day):
    assert_not_covered(ahmad_under_september_letter(), AHMAD, moment, f"no task letter of this activity covers {day}")


def test_the_letter_whose_period_holds_the_moment_is_the_one_returned():
    rt = launched_rt()
    october = Period(date(2025, 10, 1), date(2025, 10, 31))
    activity = given(lambda: plan_drainage(rt), join_ahmad, issue_letter(rt),
                     lambda a: a.issue_task_letter(rt, "ST/002/RT-005/X/2025", LETTER_DAY, october, KETUA_NIK,
                                                   LETTER_DAY, KETUA))
    assert activity.check_covered(AHMAD, wib(2025, 10, 1, 0, 0)).number == "ST/002/RT-005/X/2025"
    assert activity.check_covered(AHMAD, wib(2025, 9, 30, 23, 59)).number == LETTER


def test_an_activity_without_a_task_letter_covers_nobody():
    rt = launched_rt()
    activity = given(lambda: plan_drainage(rt), join_siti)
    assert_not_covered(activity, SITI, INCIDENT, "no task letter")


def test_someone_who_joined_after_the_incident_is_not_covered():
    activity = covered_activity()  # Siti joined 1 Sep 07:00 WIB
    assert_not_covered(activity, SITI, SITI_JOINED - timedelta(seconds=1), "joined after the incident")


def test_someone_who_joined_at_the_very_moment_of_the_incident_is_covered():
    assert_covered(covered_activity(), SITI, SITI_JOINED)


def test_someone_who_withdrew_before_the_incident_is_not_covered():
    activity = covered_activity()
    activity.withdraw_participant(SITI, "Pindah", INCIDENT - timedelta(minutes=1), KETUA)
    activity.collect_events()
    assert_not_covered(activity, SITI, INCIDENT, "withdrawn before the incident")


def test_someone_who_withdrew_at_the_moment_of_the_incident_is_not_covered():
    activity = covered_activity()
    activity.withdraw_participant(SITI, "Pindah", INCIDENT, KETUA)
    activity.collect_events()
    assert_not_covered(activity, SITI, INCIDENT, "withdrawn before the incident")


def test_someone_who_withdrew_after_the_incident_is_covered_for_it():
    activity = covered_activity()
    activity.withdraw_participant(SITI, "Dirawat di rumah sakit", INCIDENT + timedelta(hours=2), KETUA)
    activity.collect_events()
    assert_covered(activity, SITI, INCIDENT)


def test_nobody_is_covered_after_the_activity_was_cancelled():
    activity = covered_activity()
    activity.cancel("Hujan deras", INCIDENT - timedelta(minutes=1), ADMIN)
    activity.collect_events()
    assert_not_covered(activity, SITI, INCIDENT, "cancelled before the incident")


def test_an_incident_before_the_cancellation_stays_covered():
    activity = covered_activity()
    activity.cancel("Hujan deras", INCIDENT + timedelta(minutes=1), ADMIN)
    activity.collect_events()
    assert_covered(activity, SITI, INCIDENT)


def test_an_incident_in_the_cover_period_stays_covered_after_completion():
    activity = covered_activity()
    activity.complete(wib(2025, 9, 20, 16, 0), ADMIN)
    activity.collect_events()
    assert_covered(activity, SITI, INCIDENT)


def test_someone_who_is_not_a_participant_is_not_covered():
    assert_not_covered(covered_activity(), AHMAD, INCIDENT, "is not a participant")


def test_a_moment_without_time_zone_is_refused():
    activity = covered_activity()
    refused(activity, lambda: activity.check_covered(SITI, datetime(2025, 9, 3, 9, 30)), InvalidValue)
    with pytest.raises(InvalidValue):
        activity.cover_for(SITI, datetime(2025, 9, 3, 9, 30))
