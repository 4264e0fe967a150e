"""The whole life cycle through the application, on SQLite and on PostgreSQL."""

from datetime import date, datetime, timedelta
from decimal import Decimal

from eventsourcing.utils import get_topic

from domain.activity import Activity
from domain.benefits import AssessmentInputs
from domain.claim import DOCUMENTS, Claim
from domain.period import JAKARTA
from domain.rt import RT
from tests.integration.conftest import ADMIN, KETUA, OFFICER, SITI


def test_an_rt_is_registered_appointed_enrolled_and_launched(app, world):
    rt = app.get_rt(world.rt_id)
    assert rt.code == "15.71.01.1001/RT-005"
    assert (rt.place.kelurahan, rt.place.kecamatan) == ("Simpang IV Sipin", "Telanaipura")
    assert rt.ketua.name == "Budi Santoso"
    assert (rt.phase, rt.enrolled_from, rt.launched_on) == ("pilot", date(2025, 8, 1), date(2025, 8, 24))
    assert rt.musyawarah == [(date(2025, 8, 10), ["Drainase lingkungan", "Jalan setapak"])]
    assert app.rt_ids() == [world.rt_id]


def test_planning_assesses_the_premium_by_the_rate_table(app, world):
    activity = app.get_activity(world.activity_id)
    assert activity.premium.total == Decimal(120_000)  # 0.24 % of Rp50 juta
    assert (activity.premium.jkk, activity.premium.jkm) == (Decimal(105_000), Decimal(15_000))
    assert activity.premium.rule == "PERMENAKER-44-2015"


def test_revising_the_value_reassesses_the_premium_in_the_same_transaction(app, world):
    before = app.recorder.max_notification_id()
    app.revise_value(world.activity_id, 80_000_000, "Tambahan material saluran", ADMIN)
    activity = app.get_activity(world.activity_id)
    assert activity.premium.total == Decimal(192_000)
    new = app.recorder.select_notifications(start=before + 1, limit=10)
    assert [n.topic.rsplit(".", 1)[1] for n in new] == ["ValueRevised", "PremiumAssessed"]


def test_premium_payments_reduce_the_outstanding_amount(app, world):
    app.record_premium_payment(world.activity_id, 100_000, "BJ-2025-0001", date(2025, 9, 1), ADMIN)
    app.record_premium_payment(world.activity_id, "20000", "BJ-2025-0002", date(2025, 9, 1), ADMIN)
    activity = app.get_activity(world.activity_id)
    assert activity.premium_paid == Decimal(120_000)
    assert activity.premium_outstanding == Decimal(0)


def test_a_work_accident_claim_runs_from_report_to_closure(app, world, clock):
    incident = datetime(2025, 9, 3, 9, 30, tzinfo=JAKARTA)
    clock.set(incident + timedelta(hours=6))
    claim_id = app.report_accident(
        world.activity_id, SITI, incident, "work_accident", "Terpeleset di tepi parit dan kaki terkilir.",
        "Budi Santoso (Ketua RT)", KETUA,
    )
    app.confirm_coverage(claim_id, OFFICER)
    for document, required in DOCUMENTS["work_accident"].items():
        if required:
            app.receive_document(claim_id, document, OFFICER)
    app.assess_claim(claim_id, AssessmentInputs(medical_costs=Decimal(2_750_000)), OFFICER)
    app.approve_claim(claim_id, OFFICER)
    app.pay_santunan(claim_id, "medical_care", 2_000_000, "Siti Aminah", "TRF-001", date(2025, 9, 3), OFFICER)
    app.pay_santunan(claim_id, "medical_care", 750_000, "Siti Aminah", "TRF-002", date(2025, 9, 3), OFFICER)
    app.close_claim(claim_id, OFFICER)

    claim = app.get_claim(claim_id)
    assert claim.status == "closed"
    assert claim.cover.task_letter_number == "ST/001/RT-005/IX/2025"
    assert claim.paid_amount == Decimal(2_750_000)
    assert claim.late is False
    events = list(app.events.get(claim_id))
    assert [type(e).__name__ for e in events][:2] == ["AccidentReported", "CoverageConfirmed"]
    assert type(events[-1]).__name__ == "ClaimClosed"
    assert all(e.actor in (KETUA, OFFICER) for e in events)
    assert all(e.timestamp.tzinfo is not None for e in events)


def test_a_report_more_than_two_days_after_the_incident_is_flagged_late(app, world, clock):
    incident = datetime(2025, 9, 3, 9, 30, tzinfo=JAKARTA)
    clock.set(incident + timedelta(hours=48, minutes=1))
    claim_id = app.report_accident(
        world.activity_id, SITI, incident, "work_accident", "Tangan tergores seng.", "Budi", KETUA
    )
    assert app.get_claim(claim_id).late is True


def test_time_travel_reads_an_aggregate_at_any_version(app, world):
    app.withdraw_participant(world.activity_id, SITI, "Pindah domisili", KETUA)
    now = app.get_activity(world.activity_id)
    then = app.get_activity(world.activity_id, version=now.version - 1)
    assert now.participants[SITI].withdrawn_at is not None
    assert then.participants[SITI].withdrawn_at is None
    first = app.get_rt(world.rt_id, version=1)
    assert first.ketua is None and first.code == "15.71.01.1001/RT-005"


def test_every_event_is_in_the_notification_log_in_global_order(app, world):
    notifications = app.recorder.select_notifications(start=1, limit=100)
    assert [n.id for n in notifications] == sorted(n.id for n in notifications)
    topics = [n.topic for n in notifications]
    assert topics[0] == get_topic(RT.RTRegistered)
    assert get_topic(Activity.TaskLetterIssued) in topics
    decoded = [app.mapper.to_domain_event(n) for n in notifications]
    assert all(hasattr(event, "actor") for event in decoded)


def test_dates_and_value_objects_survive_the_store(app, world):
    event = next(e for e in app.events.get(world.activity_id) if isinstance(e, Activity.TaskLetterIssued))
    assert event.issued_on == date(2025, 9, 1)
    assert event.cover_period.start == date(2025, 9, 1) and event.cover_period.end == date(2025, 9, 30)
    assert event.actor == KETUA


def test_a_claim_for_a_participant_who_is_not_covered_can_be_denied(app, world, clock):
    incident = datetime(2025, 10, 2, 7, 0, tzinfo=JAKARTA)  # after the cover period ended
    clock.set(incident + timedelta(hours=2))
    claim_id = app.report_accident(
        world.activity_id, SITI, incident, "non_work_death", "Meninggal dunia di rumah.", "Keluarga", OFFICER
    )
    app.deny_coverage(claim_id, "Kejadian di luar masa berlaku surat tugas", OFFICER)
    app.close_claim(claim_id, OFFICER)
    assert app.get_claim(claim_id).status == "closed"
    assert isinstance(app.get_claim(claim_id), Claim)
