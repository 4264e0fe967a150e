"""Refused commands raise typed errors and leave the store exactly as it was."""

from datetime import date, datetime, timedelta
from decimal import Decimal
from uuid import uuid4

import pytest

from application.errors import AlreadyExists
from domain.errors import ConcurrencyConflict, NotFound
from application.service import KampungBahagia
from domain.benefits import AssessmentInputs
from domain.errors import (
    ClaimStepRefused,
    InvalidValue,
    NotCovered,
    NotCurrentKetuaRT,
    ParticipantAlreadyJoined,
    RTNotLaunched,
    SantunanExceedsApproved,
)
from domain.period import JAKARTA, Period
from tests.integration.conftest import ADMIN, AHMAD, COVER, KETUA, KETUA_NIK, OFFICER, SITI


@pytest.fixture
def unchanged(app):
    """Asserts, after the test body, that nothing new reached the notification log."""
    before = app.recorder.max_notification_id()

    def check():
        assert app.recorder.max_notification_id() == before

    return check


def test_registering_the_same_rt_twice_is_refused(app, world):
    before = app.recorder.max_notification_id()
    with pytest.raises(AlreadyExists, match="15.71.01.1001/RT-005"):
        app.register_rt("15.71.01.1001", 5, ADMIN)
    assert app.recorder.max_notification_id() == before


def test_an_unknown_kelurahan_is_invalid(app):
    with pytest.raises(InvalidValue) as refused:
        app.register_rt("15.71.99.9999", 1, ADMIN)
    assert refused.value.field == "kelurahan_code"
    assert app.recorder.max_notification_id() in (None, 0)


def test_a_task_letter_by_someone_other_than_the_current_ketua_is_refused(app, world):
    before = app.recorder.max_notification_id()
    app.appoint_ketua_rt(world.rt_id, AHMAD, "Ahmad Fauzi", "081298765432", date(2025, 9, 1), ADMIN)
    after_appointment = app.recorder.max_notification_id()
    assert after_appointment == before + 1
    with pytest.raises(NotCurrentKetuaRT):
        app.issue_task_letter(world.activity_id, "ST/002/RT-005/IX/2025", date(2025, 9, 1), COVER, KETUA_NIK, KETUA)
    assert app.recorder.max_notification_id() == after_appointment


def test_a_task_letter_for_an_rt_not_yet_launched_is_refused(app, unchanged):
    rt_id = app.register_rt("15.71.02.1002", 3, ADMIN)
    app.appoint_ketua_rt(rt_id, KETUA_NIK, "Budi", "081234567890", date(2025, 7, 1), ADMIN)
    app.enrol_rt(rt_id, "pilot", date(2025, 8, 1), ADMIN)
    activity_id = app.plan_activity(rt_id, "Penghijauan", "greening", "Jl. Kapten Pattimura", 20_000_000, COVER, ADMIN)
    before = app.recorder.max_notification_id()
    with pytest.raises(RTNotLaunched):
        app.issue_task_letter(activity_id, "ST/009", date(2025, 9, 1), COVER, KETUA_NIK, KETUA)
    assert app.recorder.max_notification_id() == before


def test_a_task_letter_number_used_by_another_activity_is_refused(app, world):
    other = app.plan_activity(
        world.rt_id, "Perbaikan jalan setapak", "road_repair", "Gang Mawar", 30_000_000, COVER, ADMIN
    )
    before = app.recorder.max_notification_id()
    with pytest.raises(AlreadyExists, match="(?i)task letter number ST/001/RT-005/IX/2025 already exists"):
        app.issue_task_letter(other, "st/001/rt-005/ix/2025", date(2025, 9, 1), COVER, KETUA_NIK, KETUA)
    assert app.recorder.max_notification_id() == before
    assert app.get_activity(other).task_letters == []


def test_joining_twice_is_refused(app, world, unchanged):
    with pytest.raises(ParticipantAlreadyJoined):
        app.join_participant(world.activity_id, SITI, "Siti Aminah", "resident", KETUA)
    unchanged()


def test_a_bulk_join_with_one_bad_row_saves_nobody(app, world, unchanged):
    rows = [(AHMAD, "Ahmad Fauzi", "phl"), ("1571010101000000", "Serial Nol", "resident")]
    with pytest.raises(InvalidValue, match="serial"):
        app.join_participants(world.activity_id, rows, KETUA)
    unchanged()
    assert AHMAD not in app.get_activity(world.activity_id).participants


def test_joining_after_completion_is_refused(app, world):
    app.complete_activity(world.activity_id, ADMIN)
    before = app.recorder.max_notification_id()
    with pytest.raises(Exception) as refused:
        app.join_participant(world.activity_id, AHMAD, "Ahmad Fauzi", "resident", KETUA)
    assert type(refused.value).__name__ == "ActivityClosed"
    assert app.recorder.max_notification_id() == before


def _reported_claim(app, world, clock):
    incident = datetime(2025, 9, 5, 10, 0, tzinfo=JAKARTA)
    clock.set(incident + timedelta(hours=1))
    return app.report_accident(world.activity_id, SITI, incident, "work_accident", "Jatuh.", "Budi", KETUA)


def test_approving_before_coverage_is_confirmed_is_refused(app, world, clock):
    claim_id = _reported_claim(app, world, clock)
    before = app.recorder.max_notification_id()
    with pytest.raises(ClaimStepRefused, match="coverage has not been confirmed"):
        app.approve_claim(claim_id, OFFICER)
    assert app.recorder.max_notification_id() == before


def test_confirming_coverage_for_someone_not_covered_is_refused(app, world, clock):
    incident = datetime(2025, 9, 5, 10, 0, tzinfo=JAKARTA)
    clock.set(incident + timedelta(hours=1))
    claim_id = app.report_accident(
        world.activity_id, AHMAD, incident, "work_accident", "Jatuh.", "Budi", KETUA, participant_name="Ahmad Fauzi"
    )
    before = app.recorder.max_notification_id()
    with pytest.raises(NotCovered, match="not a participant"):
        app.confirm_coverage(claim_id, OFFICER)
    assert app.recorder.max_notification_id() == before


def test_paying_more_santunan_than_approved_is_refused(app, world, clock):
    claim_id = _reported_claim(app, world, clock)
    app.confirm_coverage(claim_id, OFFICER)
    for document in ("ktp", "kk", "kronologis", "surat_tugas", "laporan_tahap_1", "surat_keterangan_dokter",
                     "kuitansi_pengobatan"):
        app.receive_document(claim_id, document, OFFICER)
    app.assess_claim(claim_id, AssessmentInputs(medical_costs=Decimal(500_000)), OFFICER)
    app.approve_claim(claim_id, OFFICER)
    app.pay_santunan(claim_id, "medical_care", 300_000, "Siti Aminah", "TRF-1", date(2025, 9, 5), OFFICER)
    before = app.recorder.max_notification_id()
    with pytest.raises(SantunanExceedsApproved, match="200000 is outstanding"):
        app.pay_santunan(claim_id, "medical_care", 200_001, "Siti Aminah", "TRF-2", date(2025, 9, 5), OFFICER)
    assert app.recorder.max_notification_id() == before


def test_reporting_the_same_accident_twice_is_refused(app, world, clock):
    _reported_claim(app, world, clock)
    before = app.recorder.max_notification_id()
    with pytest.raises(AlreadyExists):
        _reported_claim(app, world, clock)
    assert app.recorder.max_notification_id() == before


def test_a_stale_expected_version_is_a_concurrency_conflict(app, world, unchanged):
    seen = app.get_activity(world.activity_id).version
    with pytest.raises(ConcurrencyConflict):
        app.join_participant(world.activity_id, AHMAD, "Ahmad Fauzi", "resident", KETUA, expected_version=seen - 1)
    unchanged()
    app.join_participant(world.activity_id, AHMAD, "Ahmad Fauzi", "resident", KETUA, expected_version=seen)
    assert app.get_activity(world.activity_id).version == seen + 1


def test_two_writers_racing_on_one_aggregate_conflict_instead_of_overwriting(app, world, store_env, clock):
    other = KampungBahagia(env=store_env, clock=clock)
    try:
        mine = app.repository.get(world.activity_id)
        other.join_participant(world.activity_id, AHMAD, "Ahmad Fauzi", "resident", KETUA)
        mine.withdraw_participant(SITI, "Sakit", clock.now(), KETUA)
        with pytest.raises(ConcurrencyConflict):
            app._save(mine)
        activity = app.get_activity(world.activity_id)
        assert AHMAD in activity.participants and activity.participants[SITI].withdrawn_at is None
    finally:
        other.close()


def test_unknown_ids_and_ids_of_another_kind_are_not_found(app, world):
    with pytest.raises(NotFound):
        app.get_claim(uuid4())
    with pytest.raises(NotFound):
        app.get_rt(world.activity_id)
    with pytest.raises(NotFound, match="no version 99"):
        app.get_rt(world.rt_id, version=99)


def test_dates_in_the_future_are_invalid(app, world, clock, unchanged):
    with pytest.raises(InvalidValue):
        app.hold_musyawarah(world.rt_id, clock.today() + timedelta(days=1), ["Sumur resapan"], KETUA)
    with pytest.raises(InvalidValue):
        app.issue_task_letter(
            world.activity_id, "ST/003", clock.today() + timedelta(days=1),
            Period(date(2025, 9, 2), date(2025, 9, 3)), KETUA_NIK, KETUA,
        )
    unchanged()
