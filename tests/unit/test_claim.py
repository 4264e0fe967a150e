"""Claim: report → coverage → documents → assessment → decision → santunan → closure."""

from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

import pytest

from domain.activity import Activity
from domain.claim import BENEFITS, DOCUMENTS, BenefitLine, Claim, Cover
from domain.errors import AlreadyDone, ClaimStepRefused, InvalidValue, NotCovered, SantunanExceedsApproved
from domain.period import JAKARTA
from tests.unit.scenario import given, refused, then_events
from tests.unit.world import (
    ADMIN,
    AHMAD,
    INCIDENT,
    KETUA,
    LETTER,
    OFFICER,
    REPORTED,
    SEPTEMBER,
    SITI,
    covered_activity,
    launched_rt,
    report_siti,
)

CHRONOLOGY = "Terpeleset di tepi parit dan kaki terkilir."
REPORTER = "Budi Santoso (Ketua RT)"
MEDICAL = BenefitLine("medical_care", "RSUD Raden Mattaher", Decimal(2_750_000))
TRANSPORT = BenefitLine("transport", "Ambulans ke RSUD", Decimal(250_000))
PAID_ON = date(2025, 9, 10)


def required(kind: str) -> list[str]:
    return [document for document, needed in DOCUMENTS[kind].items() if needed]


def report(activity: Activity, nik: str = SITI, incident_at: datetime = INCIDENT, now: datetime = REPORTED,
           kind: str = "work_accident", participant_name: str | None = None) -> Claim:
    return Claim.report(activity, nik, incident_at, kind, CHRONOLOGY, REPORTER, now, KETUA,
                        participant_name=participant_name)


# Steps for ``given``; each takes the claim. ``confirm`` needs the activity.
def confirm(activity: Activity):
    return lambda claim: claim.confirm_coverage(activity, OFFICER)


def deny(claim: Claim) -> None:
    claim.deny_coverage("Kegiatan di luar surat tugas", OFFICER)


def all_documents(claim: Claim) -> None:
    for document in required(claim.kind):
        claim.receive_document(document, OFFICER)


def assess(claim: Claim) -> None:
    claim.assess([MEDICAL, TRANSPORT], OFFICER)  # Rp3.000.000


def approve(claim: Claim) -> None:
    claim.approve(OFFICER)


def reject(claim: Claim) -> None:
    claim.reject("Kecelakaan terjadi di luar lokasi kegiatan", OFFICER)


def pay(amount: int, reference: str):
    return lambda claim: claim.pay_santunan(amount, "Siti Aminah", reference, PAID_ON, PAID_ON, OFFICER)


def reported(kind: str = "work_accident") -> tuple[Activity, Claim]:
    activity = covered_activity()
    return activity, given(lambda: report_siti(activity, kind))


def confirmed(kind: str = "work_accident") -> Claim:
    activity = covered_activity()
    return given(lambda: report_siti(activity, kind), confirm(activity))


def assessed() -> Claim:
    activity = covered_activity()
    return given(lambda: report_siti(activity), confirm(activity), all_documents, assess)


def approved(*more) -> Claim:
    activity = covered_activity()
    return given(lambda: report_siti(activity), confirm(activity), all_documents, assess, approve, *more)


# --- report --------------------------------------------------------------------------------


def test_reporting_an_accident_records_who_when_what_and_by_whom():
    activity = covered_activity()

    claim = Claim.report(activity, " 1571014507900002 ", INCIDENT, "work_accident", "  Terpeleset di tepi parit\n"
                         "dan kaki   terkilir.  ", " Budi  Santoso (Ketua RT) ", REPORTED, KETUA)

    assert then_events(claim) == [
        ("Claim.AccidentReported", {"activity_id": activity.id, "rt_id": activity.rt_id, "nik": SITI,
                                    "participant_name": "Siti Aminah", "incident_at": INCIDENT,
                                    "kind": "work_accident",
                                    "chronology": "Terpeleset di tepi parit\ndan kaki terkilir.",
                                    "reporter": "Budi Santoso (Ketua RT)", "reported_at": REPORTED, "late": False,
                                    "actor": KETUA, "location": None})
    ]
    assert claim.status == "reported"


def test_a_report_exactly_48_hours_after_the_incident_is_not_late():
    claim = report(covered_activity(), now=INCIDENT + timedelta(hours=48))
    assert claim.late is False
    assert then_events(claim)[0][1]["late"] is False


def test_a_report_48_hours_and_one_second_after_the_incident_is_late():
    claim = report(covered_activity(), now=INCIDENT + timedelta(hours=48, seconds=1))
    assert claim.late is True
    assert then_events(claim)[0][1]["late"] is True


def test_a_report_at_the_moment_of_the_incident_is_accepted():
    claim = report(covered_activity(), now=INCIDENT)
    assert then_events(claim)[0][1]["reported_at"] == INCIDENT


def test_an_incident_in_the_future_is_refused():
    activity = covered_activity()
    error = refused(activity, lambda: report(activity, now=INCIDENT - timedelta(seconds=1)), InvalidValue)
    assert error.field == "incident_at"


def test_a_claim_more_than_five_years_after_the_incident_is_refused():
    activity = covered_activity()
    incident = datetime(2020, 9, 3, 9, 30, tzinfo=JAKARTA)
    error = refused(activity, lambda: report(activity, incident_at=incident, now=datetime(2025, 9, 4, 9, 30,
                                                                                          tzinfo=JAKARTA)),
                    ClaimStepRefused)
    assert "5 years" in error.message


def test_a_claim_reported_an_hour_before_the_fifth_anniversary_is_accepted():
    # 15 January 2020 → 15 January 2025 spans two 29 Februaries (2020 and 2024): 1827 days.
    activity = covered_activity()
    incident = datetime(2020, 1, 15, 9, 30, tzinfo=JAKARTA)
    claim = report(activity, incident_at=incident, now=datetime(2025, 1, 15, 8, 30, tzinfo=JAKARTA))
    assert claim.late is True
    assert [name for name, _ in then_events(claim)] == ["Claim.AccidentReported"]


def test_a_claim_for_someone_who_is_not_a_participant_needs_their_name():
    activity = covered_activity()
    error = refused(activity, lambda: report(activity, nik=AHMAD), InvalidValue)
    assert error.field == "participant_name"

    claim = report(activity, nik=AHMAD, participant_name=" Ahmad  Fauzi ")
    assert then_events(claim)[0][1]["participant_name"] == "Ahmad Fauzi"


def test_the_participant_name_comes_from_the_activity_for_a_participant():
    claim = report(covered_activity(), participant_name="Nama Lain")
    assert claim.participant_name == "Siti Aminah"


@pytest.mark.parametrize("kind", ["", "illness", "Death", None])
def test_a_claim_of_an_unknown_kind_is_refused(kind):
    activity = covered_activity()
    error = refused(activity, lambda: report(activity, kind=kind), InvalidValue)
    assert error.field == "kind"


def test_a_claim_with_an_invalid_nik_or_a_moment_without_time_zone_is_refused():
    activity = covered_activity()
    assert refused(activity, lambda: report(activity, nik="1571014507900000"), InvalidValue).field == "nik"
    assert refused(activity, lambda: report(activity, incident_at=datetime(2025, 9, 3, 9, 30)),
                   InvalidValue).field == "incident_at"
    assert refused(activity, lambda: report(activity, now=datetime(2025, 9, 3, 15, 30)), InvalidValue).field == "now"


def test_a_claim_without_chronology_or_reporter_is_refused():
    activity = covered_activity()
    refused(activity, lambda: Claim.report(activity, SITI, INCIDENT, "death", " \n ", REPORTER, REPORTED, KETUA),
            InvalidValue)
    refused(activity, lambda: Claim.report(activity, SITI, INCIDENT, "death", CHRONOLOGY, "", REPORTED, KETUA),
            InvalidValue)


def test_the_claim_id_is_derived_from_activity_nik_and_incident_so_a_second_report_has_the_same_id():
    activity = covered_activity()
    first = report(activity)
    again = report(activity, incident_at=INCIDENT.astimezone(timezone.utc), now=REPORTED + timedelta(hours=1))
    other_moment = report(activity, incident_at=INCIDENT + timedelta(minutes=1))
    other_person = report(activity, nik=AHMAD, participant_name="Ahmad Fauzi")

    assert first.id == again.id == Claim.create_id(activity.id, SITI, INCIDENT)
    assert len({first.id, other_moment.id, other_person.id}) == 3


# --- coverage --------------------------------------------------------------------------------


def test_confirming_coverage_records_the_task_letter_that_covers_the_incident():
    activity, claim = reported()

    claim.confirm_coverage(activity, OFFICER)

    assert then_events(claim) == [
        ("Claim.CoverageConfirmed", {"task_letter_number": LETTER, "cover_period": SEPTEMBER, "actor": OFFICER})
    ]
    assert claim.cover == Cover(LETTER, SEPTEMBER)
    assert claim.status == "coverage_confirmed"


def test_confirming_coverage_for_someone_who_is_not_covered_is_refused():
    activity = covered_activity()
    claim = given(lambda: report(activity, nik=AHMAD, participant_name="Ahmad Fauzi"))
    refused((claim, activity), lambda: claim.confirm_coverage(activity, OFFICER), NotCovered)
    assert claim.status == "reported"


def test_confirming_coverage_for_an_incident_after_withdrawal_is_refused():
    activity = covered_activity()
    activity.withdraw_participant(SITI, "Pindah", INCIDENT - timedelta(hours=1), KETUA)
    activity.collect_events()
    claim = given(lambda: report_siti(activity))
    error = refused(claim, lambda: claim.confirm_coverage(activity, OFFICER), NotCovered)
    assert "withdrawn" in error.message


def test_confirming_coverage_twice_is_refused():
    activity, claim = reported()
    claim.confirm_coverage(activity, OFFICER)
    claim.collect_events()
    refused(claim, lambda: claim.confirm_coverage(activity, OFFICER), ClaimStepRefused)


def test_confirming_coverage_against_another_activity_is_refused():
    _, claim = reported()
    rt = launched_rt()
    other = given(lambda: Activity.plan(rt, "Penghijauan", "greening", "Taman RT", 5_000_000, SEPTEMBER, ADMIN))
    assert other.id != claim.activity_id
    error = refused(claim, lambda: claim.confirm_coverage(other, OFFICER), InvalidValue)
    assert error.field == "activity_id"


def test_denying_coverage_records_the_reason():
    _, claim = reported()

    claim.deny_coverage(" Kegiatan di luar  surat tugas ", OFFICER)

    assert then_events(claim) == [
        ("Claim.CoverageDenied", {"reason": "Kegiatan di luar surat tugas", "actor": OFFICER})
    ]
    assert claim.status == "coverage_denied"


def test_denying_coverage_without_a_reason_is_refused():
    _, claim = reported()
    refused(claim, lambda: claim.deny_coverage("  ", OFFICER), InvalidValue)


def test_coverage_once_decided_cannot_be_decided_again():
    activity, claim = reported()
    denied = given(lambda: claim, deny)
    refused(denied, lambda: denied.confirm_coverage(activity, OFFICER), ClaimStepRefused)
    refused(denied, lambda: denied.deny_coverage("Lagi", OFFICER), ClaimStepRefused)
    confirmed_claim = confirmed()
    refused(confirmed_claim, lambda: confirmed_claim.deny_coverage("Terlambat", OFFICER), ClaimStepRefused)


# --- documents --------------------------------------------------------------------------------


def test_receiving_a_document_of_the_checklist_records_it():
    _, claim = reported()

    claim.receive_document("ktp", OFFICER)
    claim.receive_document("laporan_polisi", OFFICER)  # optional documents are welcome too

    assert then_events(claim) == [
        ("Claim.DocumentReceived", {"document": "ktp", "actor": OFFICER}),
        ("Claim.DocumentReceived", {"document": "laporan_polisi", "actor": OFFICER}),
    ]
    assert claim.documents == ["ktp", "laporan_polisi"]


@pytest.mark.parametrize(("kind", "document"), [("work_accident", "surat_kematian"), ("death", "kuitansi_pengobatan"),
                                                ("work_accident", "KTP"), ("death", "")])
def test_a_document_not_on_the_checklist_of_the_claim_kind_is_refused(kind, document):
    _, claim = reported(kind)
    error = refused(claim, lambda: claim.receive_document(document, OFFICER), InvalidValue)
    assert error.field == "document"


def test_a_document_received_twice_is_refused():
    _, claim = reported()
    claim.receive_document("ktp", OFFICER)
    claim.collect_events()
    refused(claim, lambda: claim.receive_document("ktp", OFFICER), AlreadyDone)


def test_a_document_after_the_claim_is_closed_is_refused():
    activity = covered_activity()
    claim = given(lambda: report_siti(activity), deny, lambda c: c.close(OFFICER))
    refused(claim, lambda: claim.receive_document("ktp", OFFICER), ClaimStepRefused)


# --- assessment ------------------------------------------------------------------------------


def test_assessing_records_the_benefit_lines_and_their_total():
    claim = confirmed()

    claim.assess([MEDICAL, BenefitLine("transport", " Ambulans  ke RSUD ", "250000")], OFFICER)

    assert then_events(claim) == [
        ("Claim.ClaimAssessed", {"lines": [MEDICAL, TRANSPORT], "total": Decimal(3_000_000), "actor": OFFICER})
    ]
    assert claim.assessed_amount == Decimal(3_000_000)
    assert claim.status == "assessed"


def test_assessing_before_coverage_is_confirmed_is_refused():
    _, claim = reported()
    refused(claim, lambda: claim.assess([MEDICAL], OFFICER), ClaimStepRefused)


def test_assessing_after_coverage_was_denied_is_refused():
    _, claim = reported()
    deny(claim)
    claim.collect_events()
    refused(claim, lambda: claim.assess([MEDICAL], OFFICER), ClaimStepRefused)


@pytest.mark.parametrize(("kind", "benefit"), [("work_accident", "funeral"), ("work_accident", "death_benefit"),
                                               ("death", "medical_care"), ("death", "stmb"), ("death", "")])
def test_a_benefit_that_is_not_of_the_claim_kind_is_refused(kind, benefit):
    claim = confirmed(kind)
    error = refused(claim, lambda: claim.assess([BenefitLine(benefit, "Santunan", Decimal(1_000_000))], OFFICER),
                    InvalidValue)
    assert error.field == "lines"


@pytest.mark.parametrize("kind", ["work_accident", "death"])
def test_every_benefit_of_the_kind_may_be_assessed(kind):
    claim = confirmed(kind)
    claim.assess([BenefitLine(benefit, "Santunan", Decimal(1_000)) for benefit in BENEFITS[kind]], OFFICER)
    assert then_events(claim)[0][1]["total"] == Decimal(1_000) * len(BENEFITS[kind])


@pytest.mark.parametrize("amount", [0, -1, Decimal("10.5"), 1000.0, "satu juta"])
def test_a_benefit_amount_that_is_not_whole_rupiah_above_zero_is_refused(amount):
    claim = confirmed()
    error = refused(claim, lambda: claim.assess([BenefitLine("medical_care", "RSUD", amount)], OFFICER), InvalidValue)
    assert error.field == "amount"


def test_an_assessment_without_lines_is_refused():
    claim = confirmed()
    refused(claim, lambda: claim.assess([], OFFICER), InvalidValue)


def test_a_benefit_line_without_description_is_refused():
    claim = confirmed()
    refused(claim, lambda: claim.assess([BenefitLine("medical_care", " ", Decimal(1))], OFFICER), InvalidValue)


def test_a_new_assessment_replaces_the_previous_one():
    claim = assessed()

    claim.assess([MEDICAL], OFFICER)

    assert then_events(claim) == [
        ("Claim.ClaimAssessed", {"lines": [MEDICAL], "total": Decimal(2_750_000), "actor": OFFICER})
    ]
    assert claim.benefit_lines == [MEDICAL]
    assert claim.assessed_amount == Decimal(2_750_000)


def test_assessing_after_the_decision_is_refused():
    claim = approved()
    refused(claim, lambda: claim.assess([MEDICAL], OFFICER), ClaimStepRefused)


# --- decision ---------------------------------------------------------------------------------


def test_approving_records_the_assessed_amount():
    claim = assessed()

    claim.approve(OFFICER)

    assert then_events(claim) == [("Claim.ClaimApproved", {"amount": Decimal(3_000_000), "actor": OFFICER})]
    assert claim.approved_amount == Decimal(3_000_000)
    assert claim.status == "approved"


def test_approving_before_coverage_is_confirmed_is_refused():
    _, claim = reported()
    all_documents(claim)
    claim.collect_events()
    error = refused(claim, lambda: claim.approve(OFFICER), ClaimStepRefused)
    assert "coverage has not been confirmed" in error.message


def test_approving_before_assessment_is_refused():
    activity = covered_activity()
    claim = given(lambda: report_siti(activity), confirm(activity), all_documents)
    error = refused(claim, lambda: claim.approve(OFFICER), ClaimStepRefused)
    assert "coverage confirmed" in error.message


def test_approving_with_required_documents_missing_is_refused_and_says_which():
    activity = covered_activity()
    claim = given(lambda: report_siti(activity), confirm(activity), assess,
                  *[lambda c, d=d: c.receive_document(d, OFFICER)
                    for d in ["ktp", "kk", "kronologis", "surat_tugas", "laporan_tahap_1"]])
    error = refused(claim, lambda: claim.approve(OFFICER), ClaimStepRefused)
    assert error.message == "cannot approve: documents missing: surat_keterangan_dokter, kuitansi_pengobatan"
    assert claim.missing_documents == ["surat_keterangan_dokter", "kuitansi_pengobatan"]


def test_a_death_claim_needs_the_heir_documents_for_approval():
    activity = covered_activity()
    claim = given(lambda: report_siti(activity, "death"), confirm(activity),
                  lambda c: c.assess([BenefitLine("death_benefit", "Santunan kematian", Decimal(42_000_000))],
                                     OFFICER),
                  *[lambda c, d=d: c.receive_document(d, OFFICER)
                    for d in ["ktp", "kk", "kronologis", "surat_tugas", "laporan_tahap_1", "surat_kematian"]])
    error = refused(claim, lambda: claim.approve(OFFICER), ClaimStepRefused)
    assert error.message.endswith("surat_keterangan_ahli_waris, ktp_ahli_waris, buku_tabungan_ahli_waris")

    for document in ["surat_keterangan_ahli_waris", "ktp_ahli_waris", "buku_tabungan_ahli_waris"]:
        claim.receive_document(document, OFFICER)
    claim.approve(OFFICER)
    assert then_events(claim)[-1] == ("Claim.ClaimApproved", {"amount": Decimal(42_000_000), "actor": OFFICER})


def test_approving_twice_is_refused():
    claim = approved()
    refused(claim, lambda: claim.approve(OFFICER), ClaimStepRefused)


@pytest.mark.parametrize("stage", ["reported", "coverage_confirmed", "assessed"])
def test_rejecting_records_the_reason_before_the_decision(stage):
    claim = {"reported": lambda: reported()[1], "coverage_confirmed": confirmed, "assessed": assessed}[stage]()
    assert claim.status == stage

    claim.reject(" Kecelakaan terjadi di luar  lokasi kegiatan ", OFFICER)

    assert then_events(claim) == [
        ("Claim.ClaimRejected", {"reason": "Kecelakaan terjadi di luar lokasi kegiatan", "actor": OFFICER})
    ]
    assert claim.status == "rejected"


def test_rejecting_without_a_reason_is_refused():
    claim = assessed()
    refused(claim, lambda: claim.reject("", OFFICER), InvalidValue)


def test_rejecting_after_approval_or_denial_or_rejection_is_refused():
    claim = approved()
    refused(claim, lambda: reject(claim), ClaimStepRefused)
    _, denied = reported()
    deny(denied)
    denied.collect_events()
    refused(denied, lambda: reject(denied), ClaimStepRefused)
    rejected = given(lambda: assessed(), reject)
    refused(rejected, lambda: reject(rejected), ClaimStepRefused)
    refused(rejected, lambda: rejected.approve(OFFICER), ClaimStepRefused)


# --- santunan --------------------------------------------------------------------------------


def test_paying_santunan_records_amount_beneficiary_reference_and_date():
    claim = approved()

    claim.pay_santunan("2000000", " Siti  Aminah ", "TRF-001", PAID_ON, PAID_ON, OFFICER)

    assert then_events(claim) == [
        ("Claim.SantunanPaid", {"amount": Decimal(2_000_000), "beneficiary": "Siti Aminah", "reference": "TRF-001",
                                "paid_on": PAID_ON, "actor": OFFICER})
    ]
    assert (claim.paid_amount, claim.outstanding_amount) == (Decimal(2_000_000), Decimal(1_000_000))
    assert claim.status == "partially_paid"


def test_santunan_may_be_paid_in_parts_until_the_approved_amount():
    claim = approved(pay(2_000_000, "TRF-001"))
    claim.pay_santunan(1_000_000, "Siti Aminah", "TRF-002", PAID_ON, PAID_ON, OFFICER)
    assert [name for name, _ in then_events(claim)] == ["Claim.SantunanPaid"]
    assert (claim.paid_amount, claim.outstanding_amount, claim.status) == (Decimal(3_000_000), Decimal(0), "paid")


def test_paying_santunan_before_approval_is_refused():
    claim = assessed()
    refused(claim, lambda: pay(1_000_000, "TRF-001")(claim), ClaimStepRefused)


def test_paying_more_than_approved_is_refused():
    claim = approved()
    error = refused(claim, lambda: pay(3_000_001, "TRF-001")(claim), SantunanExceedsApproved)
    assert error.field == "amount"


def test_paying_more_than_what_is_still_outstanding_is_refused():
    claim = approved(pay(2_000_000, "TRF-001"))
    refused(claim, lambda: pay(1_000_001, "TRF-002")(claim), SantunanExceedsApproved)
    assert claim.outstanding_amount == Decimal(1_000_000)


def test_paying_again_once_paid_in_full_is_refused():
    claim = approved(pay(3_000_000, "TRF-001"))
    refused(claim, lambda: pay(1, "TRF-002")(claim), ClaimStepRefused)


def test_a_santunan_reference_recorded_twice_is_refused():
    claim = approved(pay(1_000_000, "TRF-001"))
    error = refused(claim, lambda: pay(1_000_000, "TRF-001")(claim), AlreadyDone)
    assert error.field == "reference"


def test_a_santunan_payment_dated_in_the_future_is_refused():
    claim = approved()
    error = refused(claim, lambda: claim.pay_santunan(1_000_000, "Siti Aminah", "TRF-001", PAID_ON,
                                                      PAID_ON - timedelta(days=1), OFFICER), InvalidValue)
    assert error.field == "paid_on"


@pytest.mark.parametrize("amount", [0, -1, 1.5, "1000.5"])
def test_a_santunan_amount_that_is_not_whole_rupiah_above_zero_is_refused(amount):
    claim = approved()
    refused(claim, lambda: pay(amount, "TRF-001")(claim), InvalidValue)


# --- closure ----------------------------------------------------------------------------------


@pytest.mark.parametrize("how", ["paid", "rejected", "coverage_denied"])
def test_a_claim_paid_in_full_rejected_or_denied_coverage_may_be_closed(how):
    claim = {
        "paid": lambda: approved(pay(3_000_000, "TRF-001")),
        "rejected": lambda: given(lambda: assessed(), reject),
        "coverage_denied": lambda: given(lambda: reported()[1], deny),
    }[how]()
    assert claim.status == how

    claim.close(OFFICER)

    assert then_events(claim) == [("Claim.ClaimClosed", {"actor": OFFICER})]
    assert claim.status == "closed"


@pytest.mark.parametrize("stage", ["approved", "partially_paid"])
def test_closing_while_santunan_is_outstanding_is_refused(stage):
    claim = approved() if stage == "approved" else approved(pay(1_000_000, "TRF-001"))
    assert claim.status == stage
    refused(claim, lambda: claim.close(OFFICER), ClaimStepRefused)


def test_closing_an_undecided_claim_is_refused():
    for claim in (reported()[1], confirmed(), assessed()):
        error = refused(claim, lambda claim=claim: claim.close(OFFICER), ClaimStepRefused)
        assert error.message.startswith("cannot close")


def test_closing_twice_is_refused():
    claim = given(lambda: reported()[1], deny, lambda c: c.close(OFFICER))
    refused(claim, lambda: claim.close(OFFICER), ClaimStepRefused)


def test_the_status_follows_the_claim_through_its_life():
    activity = covered_activity()
    claim = report_siti(activity)
    seen = [claim.status]
    for step in (confirm(activity), all_documents, assess, approve, pay(1_000_000, "TRF-001"),
                 pay(2_000_000, "TRF-002"), lambda c: c.close(OFFICER)):
        step(claim)
        seen.append(claim.status)

    assert seen == ["reported", "coverage_confirmed", "coverage_confirmed", "assessed", "approved", "partially_paid",
                    "paid", "closed"]
    events = then_events(claim)
    assert [name for name, _ in events] == (
        ["Claim.AccidentReported", "Claim.CoverageConfirmed"] + ["Claim.DocumentReceived"] * 7
        + ["Claim.ClaimAssessed", "Claim.ClaimApproved", "Claim.SantunanPaid", "Claim.SantunanPaid",
           "Claim.ClaimClosed"]
    )
    assert [attributes["actor"] for _, attributes in events] == [KETUA] + [OFFICER] * 13


# --- what the forms offer -------------------------------------------------------------------


def test_the_possible_steps_follow_the_life_cycle():
    activity, claim = reported()
    assert claim.possible_steps() == {"confirm_coverage", "deny_coverage", "receive_document", "reject"}
    claim = given(lambda: report_siti(activity), confirm(activity), assess)
    assert claim.possible_steps() == {"assess", "receive_document", "reject"}  # documents still missing
    all_documents(claim)
    assert claim.possible_steps() == {"assess", "approve", "receive_document", "reject"}
    claim = approved()
    assert claim.possible_steps() == {"pay_santunan", "receive_document"}  # optional documents may still come


def test_a_step_that_is_not_possible_is_refused():
    claim = assessed()
    assert "close" not in claim.possible_steps()
    refused(claim, lambda: claim.close(OFFICER), ClaimStepRefused)
    assert "approve" in claim.possible_steps()
    claim.approve(OFFICER)
    assert claim.status == "approved"
