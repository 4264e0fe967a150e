"""Claim: report → coverage → documents → assessment → decision → santunan → closure."""

from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

import pytest

from domain.activity import Activity
from application.rules import benefit_tables
from domain.benefits import AssessmentInputs, BenefitLine
from domain.claim import DOCUMENTS, AssessmentBasis, Claim, Cover, LineBalance
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
TABLES = benefit_tables()
# Hospital bill and ambulance: Rp2.750.000 + Rp250.000 = Rp3.000.000.
COSTS = AssessmentInputs(medical_costs=Decimal(2_750_000), transport_costs=Decimal(250_000))
MEDICAL = BenefitLine("medical_care", "Biaya perawatan sesuai kebutuhan medis (tanpa batas)", Decimal(2_750_000))
TRANSPORT = BenefitLine("transport", "Transportasi darat, paling banyak Rp5.000.000", Decimal(250_000))
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
    claim.assess(COSTS, TABLES, OFFICER)  # Rp3.000.000


def approve(claim: Claim) -> None:
    claim.approve(OFFICER)


def reject(claim: Claim) -> None:
    claim.reject("Kecelakaan terjadi di luar lokasi kegiatan", OFFICER)


def pay(amount: int, reference: str, benefit: str = "medical_care"):
    return lambda claim: claim.pay_santunan(benefit, amount, "Siti Aminah", reference, PAID_ON, PAID_ON, OFFICER)


def pay_in_full(claim: Claim) -> None:
    pay(2_750_000, "TRF-001")(claim)
    pay(250_000, "TRF-002", "transport")(claim)


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


@pytest.mark.parametrize("kind", ["work_accident", "work_accident_death"])
def test_a_work_accident_claim_reported_after_48_hours_is_late(kind):
    assert report(covered_activity(), now=INCIDENT + timedelta(days=3), kind=kind).late is True


def test_a_death_not_from_a_work_accident_has_no_stage_one_deadline_so_it_is_never_late():
    # JKM: no form 3 KK1 report; the family may claim any time within the claim's five years.
    claim = report(covered_activity(), now=INCIDENT + timedelta(days=30), kind="non_work_death")
    assert claim.late is False
    assert then_events(claim)[0][1]["late"] is False


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
    refused(activity, lambda: Claim.report(activity, SITI, INCIDENT, "non_work_death", " \n ", REPORTER, REPORTED,
                                           KETUA),
            InvalidValue)
    refused(activity, lambda: Claim.report(activity, SITI, INCIDENT, "non_work_death", CHRONOLOGY, "", REPORTED, KETUA),
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


@pytest.mark.parametrize(("kind", "document"), [("work_accident", "surat_kematian"),
                                                ("work_accident_death", "kuitansi_pengobatan"),
                                                ("non_work_death", "laporan_tahap_1"),
                                                ("work_accident", "KTP"), ("non_work_death", "")])
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


def test_assessing_computes_the_benefit_lines_from_the_rule_tables_and_records_what_they_came_from():
    claim = confirmed()

    claim.assess(COSTS, TABLES, OFFICER)

    assert then_events(claim) == [
        ("Claim.ClaimAssessed", {"lines": [MEDICAL, TRANSPORT], "total": Decimal(3_000_000), "inputs": COSTS,
                                 "wage_base": None, "rule_ids": ["PP82-2019-JKK-MEDICAL", "PP82-2019-JKK-TRANSPORT"],
                                 "table_version": TABLES.version, "actor": OFFICER})
    ]
    assert claim.assessed_amount == Decimal(3_000_000)
    assert claim.assessment_basis == AssessmentBasis(COSTS, None, ["PP82-2019-JKK-MEDICAL", "PP82-2019-JKK-TRANSPORT"],
                                                     TABLES.version)
    assert claim.status == "assessed"


def test_an_assessment_on_the_wage_states_the_wage_base_it_used():
    claim = confirmed()

    claim.assess(AssessmentInputs(stmb_days=30), TABLES, OFFICER)

    assert claim.benefit_lines == [BenefitLine("stmb", "30 hari × 100% × Rp3.607.223/30", Decimal(3_607_223))]
    assert claim.assessment_basis.wage_base == Decimal(3_607_223)
    assert claim.assessment_basis.rule_ids == ["UMK-KOTA-JAMBI-2025", "PP82-2019-JKK-STMB"]


def test_a_preview_shows_the_assessment_without_recording_it():
    claim = confirmed()

    preview = claim.preview_assessment(COSTS, TABLES)

    assert preview.lines == (MEDICAL, TRANSPORT) and preview.total == Decimal(3_000_000)
    assert then_events(claim) == [] and claim.status == "coverage_confirmed"


def test_a_death_not_from_a_work_accident_gets_the_fixed_jkm_amounts():
    claim = confirmed("non_work_death")

    claim.assess(AssessmentInputs(), TABLES, OFFICER)

    assert [(line.benefit, line.amount) for line in claim.benefit_lines] == [
        ("death_benefit", Decimal(20_000_000)), ("periodic_santunan", Decimal(12_000_000)),
        ("funeral", Decimal(10_000_000))]
    assert claim.assessed_amount == Decimal(42_000_000)


def test_assessing_before_coverage_is_confirmed_is_refused():
    _, claim = reported()
    refused(claim, lambda: claim.assess(COSTS, TABLES, OFFICER), ClaimStepRefused)
    refused(claim, lambda: claim.preview_assessment(COSTS, TABLES), ClaimStepRefused)


def test_assessing_after_coverage_was_denied_is_refused():
    _, claim = reported()
    deny(claim)
    claim.collect_events()
    refused(claim, lambda: claim.assess(COSTS, TABLES, OFFICER), ClaimStepRefused)


@pytest.mark.parametrize(("kind", "inputs", "field"), [
    ("work_accident", AssessmentInputs(contribution_years=3), "contribution_years"),
    ("work_accident_death", AssessmentInputs(stmb_days=10), "stmb_days"),
    ("non_work_death", AssessmentInputs(medical_costs=Decimal(1_000_000)), "medical_costs"),
    ("work_accident", AssessmentInputs(), "medical_costs"),
    ("work_accident", AssessmentInputs(medical_costs=Decimal(1), children=("sd",)), "children"),
    ("non_work_death", AssessmentInputs(children=("sd",), contribution_years=2), "children"),
    ("work_accident_death", AssessmentInputs(children=("sd", "smp", "sma")), "children"),
    ("work_accident", AssessmentInputs(disability_item="tail"), "disability_item"),
])
def test_inputs_that_do_not_apply_to_the_claim_kind_are_refused_on_their_field(kind, inputs, field):
    claim = confirmed(kind)
    error = refused(claim, lambda: claim.assess(inputs, TABLES, OFFICER), InvalidValue)
    assert error.field == field


def test_a_new_assessment_replaces_the_previous_one():
    claim = assessed()

    claim.assess(AssessmentInputs(medical_costs=Decimal(2_750_000)), TABLES, OFFICER)

    assert then_events(claim)[0][1]["lines"] == [MEDICAL]
    assert claim.benefit_lines == [MEDICAL]
    assert claim.assessed_amount == Decimal(2_750_000)


def test_assessing_after_the_decision_is_refused():
    claim = approved()
    refused(claim, lambda: claim.assess(COSTS, TABLES, OFFICER), ClaimStepRefused)


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
    claim = given(lambda: report_siti(activity, "work_accident_death"), confirm(activity),
                  lambda c: c.assess(AssessmentInputs(), TABLES, OFFICER),
                  *[lambda c, d=d: c.receive_document(d, OFFICER)
                    for d in ["ktp", "kk", "kronologis", "surat_tugas", "laporan_tahap_1", "surat_kematian"]])
    error = refused(claim, lambda: claim.approve(OFFICER), ClaimStepRefused)
    assert error.message.endswith("surat_keterangan_ahli_waris, ktp_ahli_waris, buku_tabungan_ahli_waris")

    for document in ["surat_keterangan_ahli_waris", "ktp_ahli_waris", "buku_tabungan_ahli_waris"]:
        claim.receive_document(document, OFFICER)
    claim.approve(OFFICER)
    # 48 × Rp3.607.223 + Rp12.000.000 periodic santunan + Rp10.000.000 funeral
    assert then_events(claim)[-1] == ("Claim.ClaimApproved", {"amount": Decimal(195_146_704), "actor": OFFICER})


def test_a_jkm_claim_has_no_accident_documents_on_its_checklist():
    assert {"kronologis", "laporan_tahap_1", "kuitansi_pengobatan"}.isdisjoint(DOCUMENTS["non_work_death"])
    assert {"surat_tugas", "surat_kematian", "surat_keterangan_ahli_waris"} <= {
        document for document, needed in DOCUMENTS["non_work_death"].items() if needed}


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


def test_paying_santunan_records_the_line_amount_beneficiary_reference_and_date():
    claim = approved()

    claim.pay_santunan("medical_care", "2000000", " Siti  Aminah ", "TRF-001", PAID_ON, PAID_ON, OFFICER)

    assert then_events(claim) == [
        ("Claim.SantunanPaid", {"amount": Decimal(2_000_000), "beneficiary": "Siti Aminah", "reference": "TRF-001",
                                "paid_on": PAID_ON, "benefit": "medical_care", "actor": OFFICER})
    ]
    assert (claim.paid_amount, claim.outstanding_amount) == (Decimal(2_000_000), Decimal(1_000_000))
    assert claim.line_balances == [LineBalance(MEDICAL, Decimal(2_000_000), Decimal(0)),
                                   LineBalance(TRANSPORT, Decimal(0), Decimal(0))]
    assert claim.status == "partially_paid"


def test_santunan_may_be_paid_in_parts_until_every_line_is_paid():
    claim = approved(pay(2_000_000, "TRF-001"))
    claim.pay_santunan("medical_care", 750_000, "Siti Aminah", "TRF-002", PAID_ON, PAID_ON, OFFICER)
    claim.pay_santunan("transport", 250_000, "Siti Aminah", "TRF-003", PAID_ON, PAID_ON, OFFICER)
    assert [name for name, _ in then_events(claim)] == ["Claim.SantunanPaid"] * 2
    assert [balance.outstanding for balance in claim.line_balances] == [0, 0]
    assert (claim.paid_amount, claim.outstanding_amount, claim.status) == (Decimal(3_000_000), Decimal(0), "paid")


def test_paying_santunan_before_approval_is_refused():
    claim = assessed()
    refused(claim, lambda: pay(1_000_000, "TRF-001")(claim), ClaimStepRefused)


def test_paying_more_than_the_line_is_refused_even_when_the_claim_has_more_outstanding():
    claim = approved()
    error = refused(claim, lambda: pay(250_001, "TRF-001", "transport")(claim), SantunanExceedsApproved)
    assert error.field == "amount"
    assert error.message == "paying 250001 would exceed the transport line; 250000 is outstanding on it"


def test_paying_more_than_what_is_still_outstanding_on_the_line_is_refused():
    claim = approved(pay(2_000_000, "TRF-001"))
    refused(claim, lambda: pay(750_001, "TRF-002")(claim), SantunanExceedsApproved)
    assert claim.outstanding_amount == Decimal(1_000_000)


def test_paying_a_benefit_that_is_not_a_line_of_the_claim_is_refused():
    claim = approved()
    error = refused(claim, lambda: pay(1_000, "TRF-001", "funeral")(claim), InvalidValue)
    assert error.field == "benefit"


def test_paying_again_once_paid_in_full_is_refused():
    claim = approved(pay_in_full)
    refused(claim, lambda: pay(1, "TRF-003")(claim), ClaimStepRefused)


def test_a_santunan_reference_recorded_twice_is_refused():
    claim = approved(pay(1_000_000, "TRF-001"))
    error = refused(claim, lambda: pay(1_000_000, "TRF-001")(claim), AlreadyDone)
    assert error.field == "reference"


def test_a_santunan_payment_dated_in_the_future_is_refused():
    claim = approved()
    error = refused(claim, lambda: claim.pay_santunan("medical_care", 1_000_000, "Siti Aminah", "TRF-001", PAID_ON,
                                                      PAID_ON - timedelta(days=1), OFFICER), InvalidValue)
    assert error.field == "paid_on"


@pytest.mark.parametrize("amount", [0, -1, 1.5, "1000.5"])
def test_a_santunan_amount_that_is_not_whole_rupiah_above_zero_is_refused(amount):
    claim = approved()
    refused(claim, lambda: pay(amount, "TRF-001")(claim), InvalidValue)


def test_waiving_the_outstanding_records_what_each_line_gives_up_and_lets_the_claim_close():
    claim = approved(pay(2_000_000, "TRF-001"))

    claim.waive_outstanding(" Ahli waris  tidak dapat dihubungi ", OFFICER)

    assert then_events(claim) == [
        ("Claim.OutstandingWaived", {"lines": [BenefitLine("medical_care", MEDICAL.description, Decimal(750_000)),
                                               BenefitLine("transport", TRANSPORT.description, Decimal(250_000))],
                                     "reason": "Ahli waris tidak dapat dihubungi", "actor": OFFICER})
    ]
    assert [(b.paid, b.waived, b.outstanding) for b in claim.line_balances] == [
        (Decimal(2_000_000), Decimal(750_000), 0), (0, Decimal(250_000), 0)]
    # Settled, but not paid in full: a status of its own, from which the claim closes like a paid one.
    assert (claim.outstanding_amount, claim.status) == (Decimal(0), "waived")
    claim.close(OFFICER)
    assert claim.status == "closed"


def test_waiving_needs_a_reason_and_something_outstanding():
    claim = approved()
    refused(claim, lambda: claim.waive_outstanding(" ", OFFICER), InvalidValue)
    paid = approved(pay_in_full)
    refused(paid, lambda: paid.waive_outstanding("Selesai", OFFICER), ClaimStepRefused)
    undecided = assessed()
    refused(undecided, lambda: undecided.waive_outstanding("Belum disetujui", OFFICER), ClaimStepRefused)


# --- closure ----------------------------------------------------------------------------------


@pytest.mark.parametrize("how", ["paid", "rejected", "coverage_denied"])
def test_a_claim_paid_in_full_rejected_or_denied_coverage_may_be_closed(how):
    claim = {
        "paid": lambda: approved(pay_in_full),
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
    for step in (confirm(activity), all_documents, assess, approve, pay(2_750_000, "TRF-001"),
                 pay(250_000, "TRF-002", "transport"), lambda c: c.close(OFFICER)):
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
    # optional documents may still come
    assert claim.possible_steps() == {"pay_santunan", "waive_outstanding", "receive_document"}


def test_a_step_that_is_not_possible_is_refused():
    claim = assessed()
    assert "close" not in claim.possible_steps()
    refused(claim, lambda: claim.close(OFFICER), ClaimStepRefused)
    assert "approve" in claim.possible_steps()
    claim.approve(OFFICER)
    assert claim.status == "approved"
