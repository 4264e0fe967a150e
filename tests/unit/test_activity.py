"""Activity: planning, task letters, participants, premium, and the end of its life."""

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest

from domain.activity import KINDS, PARTICIPANT_ROLES, Activity, TaskLetter, TaskLetterNumber
from domain.errors import (
    ActivityClosed,
    AlreadyDone,
    InvalidValue,
    NotAParticipant,
    NotCurrentKetuaRT,
    ParticipantAlreadyJoined,
    PremiumOverpaid,
    RTNotLaunched,
    RuleRefused,
)
from domain.period import JAKARTA, Period
from domain.rt import RT
from tests.unit.scenario import given, refused, then_events
from tests.unit.world import (
    ADMIN,
    AHMAD,
    FLAT_RULE,
    KETUA,
    KETUA_NIK,
    LAUNCHED,
    LETTER,
    LETTER_DAY,
    NEW_KETUA_NIK,
    SEPTEMBER,
    SIMPANG_IV_SIPIN,
    SITI,
    SITI_JOINED,
    VALUE,
    appoint_budi,
    covered_activity,
    enrol,
    enrolled_rt,
    hold_musyawarah,
    issue_letter,
    join_siti,
    launch,
    launched_rt,
    plan_drainage,
    planned_activity,
)

LATER = datetime(2025, 9, 30, 16, 0, tzinfo=JAKARTA)


def complete(activity: Activity) -> None:
    activity.complete(LATER, ADMIN)


def cancel(activity: Activity) -> None:
    activity.cancel("Hujan deras sepanjang bulan", LATER, ADMIN)


def assess(activity: Activity) -> None:
    activity.assess_premium(FLAT_RULE.assess(activity.total_value), ADMIN)


# --- plan ----------------------------------------------------------------------------------


def test_planning_an_activity_records_its_rt_title_kind_location_value_and_period():
    rt = launched_rt()

    activity = Activity.plan(rt, "  Gotong royong   pembersihan drainase ", "drainage", "Jl. Sipin Ujung",
                             "50000000", SEPTEMBER, ADMIN)

    assert then_events(activity) == [
        ("Activity.ActivityPlanned", {"rt_id": rt.id, "rt_code": "15.71.01.1001/RT-005",
                                      "title": "Gotong royong pembersihan drainase", "kind": "drainage",
                                      "location": "Jl. Sipin Ujung", "total_value": Decimal(50_000_000),
                                      "planned_period": SEPTEMBER, "actor": ADMIN})
    ]
    assert activity.status == "planned"


@pytest.mark.parametrize("kind", KINDS)
def test_every_kind_of_the_list_may_be_planned(kind):
    activity = Activity.plan(launched_rt(), "Kerja bakti", kind, "Jl. Sipin Ujung", 1_000_000, SEPTEMBER, ADMIN)
    assert then_events(activity)[0][1]["kind"] == kind


@pytest.mark.parametrize("kind", ["", "Drainage", "party", None])
def test_planning_an_activity_of_an_unknown_kind_is_refused(kind):
    rt = launched_rt()
    error = refused(rt, lambda: Activity.plan(rt, "Kerja bakti", kind, "Jl. Sipin Ujung", 1_000_000, SEPTEMBER,
                                              ADMIN), InvalidValue)
    assert error.field == "kind"


def test_an_activity_may_be_planned_in_an_enrolled_rt_before_its_launch():
    activity = plan_drainage(enrolled_rt())
    assert [name for name, _ in then_events(activity)] == ["Activity.ActivityPlanned"]


def test_planning_in_an_rt_that_is_not_enrolled_is_refused():
    rt = given(lambda: RT.register(SIMPANG_IV_SIPIN, 5, ADMIN), appoint_budi)
    error = refused(rt, lambda: plan_drainage(rt), RuleRefused)
    assert "not enrolled" in error.message


@pytest.mark.parametrize("value", [0, -1, "0", 50_000_000.0, "1000.50", Decimal("0.5"), "lima juta", None,
                                   10**13 + 1])
def test_planning_with_a_value_that_is_not_whole_rupiah_above_zero_is_refused(value):
    rt = launched_rt()
    error = refused(rt, lambda: Activity.plan(rt, "Kerja bakti", "cleaning", "Jl. Sipin Ujung", value, SEPTEMBER,
                                              ADMIN), InvalidValue)
    assert error.field == "total_value"


def test_planning_without_a_title_or_location_is_refused():
    rt = launched_rt()
    refused(rt, lambda: Activity.plan(rt, "  ", "cleaning", "Jl. Sipin Ujung", 1, SEPTEMBER, ADMIN), InvalidValue)
    refused(rt, lambda: Activity.plan(rt, "Kerja bakti", "cleaning", "", 1, SEPTEMBER, ADMIN), InvalidValue)


def test_the_activity_id_is_derived_from_rt_title_and_start_so_a_double_submission_has_the_same_id():
    rt = launched_rt()
    first = plan_drainage(rt)
    again = Activity.plan(rt, "GOTONG ROYONG  pembersihan drainase", "cleaning", "elsewhere", 1, SEPTEMBER, ADMIN)
    later = Activity.plan(rt, "Gotong royong pembersihan drainase", "drainage", "Jl. Sipin Ujung", 50_000_000,
                          Period(date(2025, 10, 1), date(2025, 10, 31)), ADMIN)

    assert first.id == again.id == Activity.create_id(rt.id, "Gotong royong pembersihan drainase", SEPTEMBER)
    assert later.id != first.id


# --- task letters --------------------------------------------------------------------------


def test_issuing_a_task_letter_records_it_with_the_signing_ketua_rt_and_reserves_its_number():
    rt = launched_rt()
    activity = planned_activity(rt)

    reservation = activity.issue_task_letter(rt, LETTER, LETTER_DAY, SEPTEMBER, KETUA_NIK, LETTER_DAY, KETUA)

    assert then_events(activity) == [
        ("Activity.TaskLetterIssued", {"number": LETTER, "issued_on": LETTER_DAY, "cover_period": SEPTEMBER,
                                       "ketua_nik": KETUA_NIK, "ketua_name": "Budi Santoso", "actor": KETUA})
    ]
    assert isinstance(reservation, TaskLetterNumber)
    assert then_events(reservation) == [
        ("TaskLetterNumber.TaskLetterNumberReserved", {"number": LETTER, "activity_id": activity.id, "actor": KETUA})
    ]
    assert reservation.id == TaskLetterNumber.create_id(LETTER) == TaskLetterNumber.create_id(LETTER.lower())
    assert activity.task_letters == [TaskLetter(LETTER, LETTER_DAY, SEPTEMBER, KETUA_NIK, "Budi Santoso")]
    assert activity.status == "active"
    assert then_events(rt) == []


def test_a_task_letter_in_an_rt_not_yet_launched_is_refused():
    rt = enrolled_rt()
    activity = planned_activity(rt)
    refused((activity, rt), lambda: issue_letter(rt)(activity), RTNotLaunched)


def test_a_task_letter_signed_by_someone_who_is_not_the_ketua_rt_is_refused():
    rt = launched_rt()
    activity = planned_activity(rt)
    error = refused((activity, rt), lambda: activity.issue_task_letter(
        rt, LETTER, LETTER_DAY, SEPTEMBER, AHMAD, LETTER_DAY, KETUA), NotCurrentKetuaRT)
    assert error.field == "issued_by_nik"
    assert "Budi Santoso" in error.message


def test_a_task_letter_signed_by_a_former_ketua_rt_is_refused_and_the_new_one_may_sign():
    rt = launched_rt()
    rt.appoint_ketua_rt(NEW_KETUA_NIK, "Rahmat Hidayat", "081298765432", date(2025, 8, 30), ADMIN)
    rt.collect_events()
    activity = planned_activity(rt)

    refused((activity, rt), lambda: issue_letter(rt)(activity), NotCurrentKetuaRT)

    activity.issue_task_letter(rt, LETTER, LETTER_DAY, SEPTEMBER, NEW_KETUA_NIK, LETTER_DAY, KETUA)
    assert then_events(activity)[0][1]["ketua_name"] == "Rahmat Hidayat"


def test_a_task_letter_with_an_invalid_signer_nik_is_refused():
    rt = launched_rt()
    activity = planned_activity(rt)
    error = refused((activity, rt), lambda: activity.issue_task_letter(
        rt, LETTER, LETTER_DAY, SEPTEMBER, "12345", LETTER_DAY, KETUA), InvalidValue)
    assert error.field == "issued_by_nik"


def test_a_task_letter_dated_in_the_future_is_refused_and_one_dated_today_is_accepted():
    rt = launched_rt()
    activity = planned_activity(rt)
    today = date(2025, 8, 31)
    error = refused(activity, lambda: activity.issue_task_letter(
        rt, LETTER, LETTER_DAY, SEPTEMBER, KETUA_NIK, today, KETUA), InvalidValue)
    assert error.field == "issued_on"

    activity.issue_task_letter(rt, LETTER, today, SEPTEMBER, KETUA_NIK, today, KETUA)
    assert then_events(activity)[0][1]["issued_on"] == today


def test_a_task_letter_dated_before_the_launch_is_refused_and_one_dated_on_launch_day_is_accepted():
    rt = launched_rt()
    activity = planned_activity(rt)
    cover = Period(LAUNCHED, date(2025, 9, 30))
    error = refused(activity, lambda: activity.issue_task_letter(
        rt, LETTER, LAUNCHED - timedelta(days=1), cover, KETUA_NIK, LETTER_DAY, KETUA), RuleRefused)
    assert error.field == "issued_on"

    activity.issue_task_letter(rt, LETTER, LAUNCHED, cover, KETUA_NIK, LETTER_DAY, KETUA)
    assert then_events(activity)[0][1]["issued_on"] == LAUNCHED


def test_cover_starting_before_the_letter_is_issued_is_refused():
    rt = launched_rt()
    activity = planned_activity(rt)
    backdated = Period(date(2025, 8, 31), date(2025, 9, 30))
    error = refused(activity, lambda: activity.issue_task_letter(
        rt, LETTER, LETTER_DAY, backdated, KETUA_NIK, LETTER_DAY, KETUA), RuleRefused)
    assert error.field == "cover_period"


def test_cover_may_start_after_the_letter_is_issued():
    rt = launched_rt()
    activity = planned_activity(rt)
    later = Period(date(2025, 9, 15), date(2025, 9, 20))
    activity.issue_task_letter(rt, LETTER, LETTER_DAY, later, KETUA_NIK, LETTER_DAY, KETUA)
    assert then_events(activity)[0][1]["cover_period"] == later


def test_a_cover_period_is_at_most_366_days():
    rt = launched_rt()
    activity = planned_activity(rt)
    too_long = Period(LETTER_DAY, LETTER_DAY + timedelta(days=366))  # 367 days, both ends included
    error = refused(activity, lambda: activity.issue_task_letter(
        rt, LETTER, LETTER_DAY, too_long, KETUA_NIK, LETTER_DAY, KETUA), InvalidValue)
    assert error.field == "cover_period"

    longest = Period(LETTER_DAY, LETTER_DAY + timedelta(days=365))
    assert longest.days == 366
    activity.issue_task_letter(rt, LETTER, LETTER_DAY, longest, KETUA_NIK, LETTER_DAY, KETUA)
    assert then_events(activity)[0][1]["cover_period"] == longest


@pytest.mark.parametrize("again", [LETTER, LETTER.lower(), f"  {LETTER} "])
def test_the_same_letter_number_twice_in_an_activity_is_refused(again):
    rt = launched_rt()
    activity = covered_activity(rt)
    error = refused(activity, lambda: activity.issue_task_letter(
        rt, again, LETTER_DAY, SEPTEMBER, KETUA_NIK, LETTER_DAY, KETUA), AlreadyDone)
    assert error.field == "number"


def test_a_second_letter_with_another_number_is_recorded():
    rt = launched_rt()
    activity = covered_activity(rt)
    october = Period(date(2025, 10, 1), date(2025, 10, 31))
    activity.issue_task_letter(rt, "ST/002/RT-005/X/2025", LETTER_DAY, october, KETUA_NIK, LETTER_DAY, KETUA)
    assert [letter.number for letter in activity.task_letters] == [LETTER, "ST/002/RT-005/X/2025"]
    assert [name for name, _ in then_events(activity)] == ["Activity.TaskLetterIssued"]


def test_a_task_letter_given_another_rt_is_refused():
    rt = launched_rt()
    activity = planned_activity(rt)
    other = given(lambda: RT.register(SIMPANG_IV_SIPIN, 6, ADMIN), appoint_budi, enrol, hold_musyawarah, launch)
    error = refused((activity, other), lambda: issue_letter(other)(activity), InvalidValue)
    assert error.field == "rt_id"


@pytest.mark.parametrize("close", [complete, cancel])
def test_a_task_letter_on_a_completed_or_cancelled_activity_is_refused(close):
    rt = launched_rt()
    activity = given(lambda: plan_drainage(rt), issue_letter(rt), close)
    october = Period(date(2025, 10, 1), date(2025, 10, 31))
    refused(activity, lambda: activity.issue_task_letter(
        rt, "ST/002/RT-005/X/2025", LETTER_DAY, october, KETUA_NIK, LETTER_DAY, KETUA), ActivityClosed)


# --- participants ----------------------------------------------------------------------------


def test_joining_records_the_participant_joined_at_now():
    activity = planned_activity()

    activity.join_participant(" 1571014507900002", " Siti  Aminah ", "resident", SITI_JOINED, KETUA)

    assert then_events(activity) == [
        ("Activity.ParticipantJoined", {"nik": SITI, "name": "Siti Aminah", "role": "resident",
                                        "joined_at": SITI_JOINED, "actor": KETUA})
    ]
    assert activity.participants[SITI].joined_at == SITI_JOINED


@pytest.mark.parametrize("role", PARTICIPANT_ROLES)
def test_every_participant_role_of_the_list_may_join(role):
    activity = planned_activity()
    activity.join_participant(SITI, "Siti Aminah", role, SITI_JOINED, KETUA)
    assert then_events(activity)[0][1]["role"] == role


@pytest.mark.parametrize("role", ["", "Resident", "volunteer", None])
def test_joining_with_an_unknown_role_is_refused(role):
    activity = planned_activity()
    error = refused(activity, lambda: activity.join_participant(SITI, "Siti Aminah", role, SITI_JOINED, KETUA),
                    InvalidValue)
    assert error.field == "role"


@pytest.mark.parametrize("nik", ["1571014507900000", "157101450790000", "1571014507900002x", "1571017207900002"])
def test_joining_with_an_invalid_nik_is_refused(nik):
    activity = planned_activity()
    error = refused(activity, lambda: activity.join_participant(nik, "Siti Aminah", "resident", SITI_JOINED, KETUA),
                    InvalidValue)
    assert error.field == "nik"


def test_joining_with_a_moment_without_time_zone_is_refused():
    activity = planned_activity()
    refused(activity, lambda: activity.join_participant(SITI, "Siti Aminah", "resident", datetime(2025, 9, 1, 7),
                                                        KETUA), InvalidValue)


def test_joining_twice_is_refused():
    activity = covered_activity()
    error = refused(activity, lambda: activity.join_participant(SITI, "Siti Aminah", "phl", LATER, KETUA),
                    ParticipantAlreadyJoined)
    assert error.field == "nik"


@pytest.mark.parametrize("close", [complete, cancel])
def test_joining_a_completed_or_cancelled_activity_is_refused(close):
    rt = launched_rt()
    activity = given(lambda: plan_drainage(rt), issue_letter(rt), close)
    refused(activity, lambda: activity.join_participant(AHMAD, "Ahmad Fauzi", "resident", LATER, KETUA),
            ActivityClosed)


def test_withdrawing_records_the_reason_and_the_moment():
    activity = covered_activity()
    moment = datetime(2025, 9, 10, 12, 0, tzinfo=JAKARTA)

    activity.withdraw_participant(SITI, "Pindah ke Kota Sungai Penuh", moment, KETUA)

    assert then_events(activity) == [
        ("Activity.ParticipantWithdrawn", {"nik": SITI, "reason": "Pindah ke Kota Sungai Penuh",
                                           "withdrawn_at": moment, "actor": KETUA})
    ]
    assert activity.participants[SITI].withdrawn_at == moment


def test_withdrawing_someone_who_never_joined_is_refused():
    activity = covered_activity()
    refused(activity, lambda: activity.withdraw_participant(AHMAD, "Salah input", LATER, KETUA), NotAParticipant)


def test_withdrawing_someone_already_withdrawn_is_refused():
    activity = given(lambda: planned_activity(), join_siti,
                     lambda a: a.withdraw_participant(SITI, "Pindah", datetime(2025, 9, 10, tzinfo=JAKARTA), KETUA))
    refused(activity, lambda: activity.withdraw_participant(SITI, "Pindah", LATER, KETUA), NotAParticipant)


def test_withdrawing_without_a_reason_is_refused():
    activity = covered_activity()
    refused(activity, lambda: activity.withdraw_participant(SITI, "  ", LATER, KETUA), InvalidValue)


def test_withdrawing_from_a_completed_activity_is_refused():
    rt = launched_rt()
    activity = given(lambda: plan_drainage(rt), issue_letter(rt), join_siti, complete)
    refused(activity, lambda: activity.withdraw_participant(SITI, "Pindah", LATER, KETUA), ActivityClosed)


# --- premium -------------------------------------------------------------------------------


def test_assessing_the_premium_records_value_jkk_jkm_amount_and_rule():
    activity = planned_activity()

    activity.assess_premium(FLAT_RULE.assess(VALUE), ADMIN)

    assert then_events(activity) == [
        ("Activity.PremiumAssessed", {"value": Decimal(50_000_000), "jkk": Decimal(105_000), "jkm": Decimal(15_000),
                                      "amount": Decimal(120_000), "rule": "TEST-FLAT-0.24", "actor": ADMIN})
    ]
    assert activity.premium.total == Decimal(120_000)
    assert activity.premium_outstanding == Decimal(120_000)


def test_a_premium_assessed_on_another_value_is_refused():
    activity = planned_activity()
    error = refused(activity, lambda: activity.assess_premium(FLAT_RULE.assess(Decimal(40_000_000)), ADMIN),
                    InvalidValue)
    assert error.field == "value"
    assert activity.premium is None


def test_premium_payments_reduce_the_outstanding_amount():
    activity = given(lambda: planned_activity(), assess)

    activity.record_premium_payment(100_000, "BJ-2025-0001", date(2025, 9, 1), date(2025, 9, 2), ADMIN)
    activity.record_premium_payment("20000", "BJ-2025-0002", date(2025, 9, 2), date(2025, 9, 2), ADMIN)

    assert then_events(activity) == [
        ("Activity.PremiumPaid", {"amount": Decimal(100_000), "reference": "BJ-2025-0001",
                                  "paid_on": date(2025, 9, 1), "actor": ADMIN}),
        ("Activity.PremiumPaid", {"amount": Decimal(20_000), "reference": "BJ-2025-0002",
                                  "paid_on": date(2025, 9, 2), "actor": ADMIN}),
    ]
    assert (activity.premium_paid, activity.premium_outstanding) == (Decimal(120_000), Decimal(0))


def test_paying_more_than_the_outstanding_premium_is_refused():
    activity = given(lambda: planned_activity(), assess,
                     lambda a: a.record_premium_payment(100_000, "BJ-1", LETTER_DAY, LETTER_DAY, ADMIN))
    error = refused(activity, lambda: activity.record_premium_payment(20_001, "BJ-2", LETTER_DAY, LETTER_DAY, ADMIN),
                    PremiumOverpaid)
    assert error.field == "amount"
    assert activity.premium_outstanding == Decimal(20_000)


def test_any_payment_once_the_premium_is_paid_in_full_is_refused():
    activity = given(lambda: planned_activity(), assess,
                     lambda a: a.record_premium_payment(120_000, "BJ-1", LETTER_DAY, LETTER_DAY, ADMIN))
    refused(activity, lambda: activity.record_premium_payment(1, "BJ-2", LETTER_DAY, LETTER_DAY, ADMIN),
            PremiumOverpaid)


def test_a_payment_reference_recorded_twice_is_refused():
    activity = given(lambda: planned_activity(), assess,
                     lambda a: a.record_premium_payment(10_000, "BJ-1", LETTER_DAY, LETTER_DAY, ADMIN))
    error = refused(activity, lambda: activity.record_premium_payment(10_000, "BJ-1", LETTER_DAY, LETTER_DAY, ADMIN),
                    AlreadyDone)
    assert error.field == "reference"


def test_a_payment_dated_in_the_future_is_refused():
    activity = given(lambda: planned_activity(), assess)
    error = refused(activity, lambda: activity.record_premium_payment(
        10_000, "BJ-1", date(2025, 9, 2), date(2025, 9, 1), ADMIN), InvalidValue)
    assert error.field == "paid_on"


def test_a_payment_before_any_assessment_is_refused():
    activity = planned_activity()
    refused(activity, lambda: activity.record_premium_payment(10_000, "BJ-1", LETTER_DAY, LETTER_DAY, ADMIN),
            RuleRefused)


@pytest.mark.parametrize("amount", [0, -5, 1.0, "10.5"])
def test_a_payment_that_is_not_whole_rupiah_above_zero_is_refused(amount):
    activity = given(lambda: planned_activity(), assess)
    refused(activity, lambda: activity.record_premium_payment(amount, "BJ-1", LETTER_DAY, LETTER_DAY, ADMIN),
            InvalidValue)


def test_revising_the_value_records_the_new_value_and_the_reason():
    activity = given(lambda: planned_activity(), assess)

    activity.revise_value("80000000", " Tambahan  material saluran ", ADMIN)

    assert then_events(activity) == [
        ("Activity.ValueRevised", {"total_value": Decimal(80_000_000), "reason": "Tambahan material saluran",
                                   "actor": ADMIN})
    ]
    assert activity.total_value == Decimal(80_000_000)
    # the premium must now be re-assessed on the new value, not the old one
    refused(activity, lambda: activity.assess_premium(FLAT_RULE.assess(VALUE), ADMIN), InvalidValue)
    activity.assess_premium(FLAT_RULE.assess(Decimal(80_000_000)), ADMIN)
    assert then_events(activity)[0][1]["amount"] == Decimal(192_000)


def test_revising_to_the_same_value_is_refused():
    activity = planned_activity()
    refused(activity, lambda: activity.revise_value(50_000_000, "Tidak berubah", ADMIN), AlreadyDone)


@pytest.mark.parametrize("close", [complete, cancel])
def test_revising_the_value_of_a_completed_or_cancelled_activity_is_refused(close):
    rt = launched_rt()
    activity = given(lambda: plan_drainage(rt), issue_letter(rt), close)
    refused(activity, lambda: activity.revise_value(60_000_000, "Tambahan", ADMIN), ActivityClosed)


# --- completion and cancellation ------------------------------------------------------------


def test_completing_records_the_moment_and_closes_the_activity():
    activity = covered_activity()

    activity.complete(LATER, ADMIN)

    assert then_events(activity) == [("Activity.ActivityCompleted", {"completed_at": LATER, "actor": ADMIN})]
    assert activity.status == "completed"


def test_completing_an_activity_without_a_task_letter_is_refused():
    activity = planned_activity()
    error = refused(activity, lambda: activity.complete(LATER, ADMIN), RuleRefused)
    assert "cancel it instead" in error.message


def test_completing_twice_is_refused():
    rt = launched_rt()
    activity = given(lambda: plan_drainage(rt), issue_letter(rt), complete)
    refused(activity, lambda: activity.complete(LATER + timedelta(days=1), ADMIN), ActivityClosed)


def test_cancelling_records_the_reason_and_the_moment():
    activity = planned_activity()

    activity.cancel(" Hujan deras ", LATER, ADMIN)

    assert then_events(activity) == [
        ("Activity.ActivityCancelled", {"reason": "Hujan deras", "cancelled_at": LATER, "actor": ADMIN})
    ]
    assert (activity.status, activity.cancel_reason) == ("cancelled", "Hujan deras")


def test_cancelling_without_a_reason_is_refused():
    activity = planned_activity()
    refused(activity, lambda: activity.cancel("", LATER, ADMIN), InvalidValue)


@pytest.mark.parametrize("close", [complete, cancel])
def test_cancelling_a_completed_or_cancelled_activity_is_refused(close):
    rt = launched_rt()
    activity = given(lambda: plan_drainage(rt), issue_letter(rt), close)
    refused(activity, lambda: activity.cancel("Lagi", LATER, ADMIN), ActivityClosed)


def test_completing_a_cancelled_activity_is_refused():
    rt = launched_rt()
    activity = given(lambda: plan_drainage(rt), issue_letter(rt), cancel)
    refused(activity, lambda: activity.complete(LATER, ADMIN), ActivityClosed)


def test_status_runs_planned_active_completed():
    rt = launched_rt()
    activity = plan_drainage(rt)
    seen = [activity.status]
    issue_letter(rt)(activity)
    seen.append(activity.status)
    join_siti(activity)
    complete(activity)
    seen.append(activity.status)
    assert seen == ["planned", "active", "completed"]
    assert [name for name, _ in then_events(activity)] == [
        "Activity.ActivityPlanned", "Activity.TaskLetterIssued", "Activity.ParticipantJoined",
        "Activity.ActivityCompleted",
    ]
