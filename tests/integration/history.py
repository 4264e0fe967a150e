"""A small but complete history for projection tests: claims in several states, a withdrawal,
a cancellation, premium payments, a value revision, a second RT."""

from datetime import date, datetime, timedelta
from decimal import Decimal

from domain.benefits import AssessmentInputs
from domain.claim import DOCUMENTS
from domain.period import JAKARTA, Period
from tests.integration.conftest import ADMIN, AHMAD, COVER, KETUA, KETUA_NIK, OFFICER, SITI, launched_rt

DEWI = "1571015808950004"
RUDI = "1571010303700005"


def make_history(app, clock) -> dict[str, object]:
    rt_id = launched_rt(app)
    other_rt = app.register_rt("15.71.03.1002", 7, ADMIN)
    drainage = app.plan_activity(rt_id, "Pembersihan drainase", "drainage", "Jl. Sipin", 50_000_000, COVER, ADMIN)
    app.issue_task_letter(drainage, "ST/001/RT-005/IX/2025", date(2025, 9, 1), COVER, KETUA_NIK, KETUA)
    app.join_participants(drainage, [(SITI, "Siti Aminah", "resident"), (AHMAD, "Ahmad Fauzi", "phl")], KETUA)
    app.record_premium_payment(drainage, 100_000, "BJ-1", date(2025, 9, 1), ADMIN)
    road = app.plan_activity(
        rt_id, "Perbaikan jalan setapak", "road_repair", "Gang Mawar", 30_000_000,
        Period(date(2025, 9, 10), date(2025, 9, 20)), ADMIN,
    )
    clock.advance(timedelta(days=2))
    app.issue_task_letter(road, "ST/002/RT-005/IX/2025", date(2025, 9, 3), Period(date(2025, 9, 10), date(2025, 9, 20)),
                          KETUA_NIK, KETUA)
    app.join_participant(road, DEWI, "Dewi Lestari", "resident", KETUA)
    app.join_participant(road, RUDI, "Rudi Hartono", "resident", KETUA)
    app.revise_value(road, 35_000_000, "Tambah semen", ADMIN)
    clock.advance(timedelta(days=1))
    app.withdraw_participant(drainage, AHMAD, "Bekerja di luar kota", KETUA)

    # A covered work accident, paid in two instalments and closed.
    incident = datetime(2025, 9, 4, 9, 0, tzinfo=JAKARTA)
    clock.set(incident + timedelta(hours=3))
    paid = app.report_accident(drainage, SITI, incident, "work_accident", "Kaki terkilir.", "Budi", KETUA)
    app.confirm_coverage(paid, OFFICER)
    for document, required in DOCUMENTS["work_accident"].items():
        if required:
            app.receive_document(paid, document, OFFICER)
    app.assess_claim(paid, AssessmentInputs(medical_costs=Decimal(900_000)), OFFICER)
    app.approve_claim(paid, OFFICER)
    app.pay_santunan(paid, "medical_care", 400_000, "Siti Aminah", "TRF-1", date(2025, 9, 4), OFFICER)
    clock.advance(timedelta(days=1))
    app.pay_santunan(paid, "medical_care", 500_000, "Siti Aminah", "TRF-2", date(2025, 9, 5), OFFICER)
    app.close_claim(paid, OFFICER)

    # A late report for someone who had withdrawn: denied.
    incident = datetime(2025, 9, 6, 15, 0, tzinfo=JAKARTA)
    clock.set(incident + timedelta(days=3))
    denied = app.report_accident(drainage, AHMAD, incident, "work_accident", "Jatuh dari tangga.", "Ahmad", OFFICER)
    app.deny_coverage(denied, "Sudah mengundurkan diri", OFFICER)

    # A death during the road works, assessed but not yet approved.
    incident = datetime(2025, 9, 12, 10, 0, tzinfo=JAKARTA)
    clock.set(incident + timedelta(hours=20))
    assessed = app.report_accident(road, DEWI, incident, "work_accident_death", "Tertimpa material.", "Keluarga",
                                   OFFICER)
    app.confirm_coverage(assessed, OFFICER)
    app.assess_claim(assessed, AssessmentInputs(), OFFICER)  # 48 × UMK, periodic santunan, funeral
    clock.advance(timedelta(days=1))
    app.cancel_activity(road, "Material tidak tersedia", ADMIN)
    return {"rt_id": rt_id, "other_rt": other_rt, "drainage": drainage, "road": road,
            "paid": paid, "denied": denied, "assessed": assessed}
