"""Benefits by the rule tables through the application, on SQLite and PostgreSQL: a preview records nothing, an
assessment stores what it was computed from, santunan is paid per line and the rest may be waived; claims stored
before (kind ``death``, typed benefit lines, payments without a line) still load, upcast."""

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from eventsourcing.persistence import StoredEvent
from eventsourcing.utils import get_topic

from application.rules import benefit_tables
from domain.benefits import AssessmentInputs, BenefitLine
from domain.claim import DOCUMENTS, AssessmentBasis, Claim, LineBalance
from domain.errors import InvalidValue, SantunanExceedsApproved
from domain.period import JAKARTA
from tests.integration.conftest import KETUA, OFFICER, SITI

INCIDENT = datetime(2025, 9, 3, 9, 30, tzinfo=JAKARTA)
PAID_ON = date(2025, 9, 3)
INJURY = AssessmentInputs(medical_costs=Decimal(2_750_000), stmb_days=45)  # STMB 3.607.223 / 30 × 45


def confirmed_injury(app, world, clock):
    """Siti's sprained ankle, reported three hours after the accident, its coverage confirmed."""
    clock.set(INCIDENT + timedelta(hours=3))
    claim_id = app.report_accident(world.activity_id, SITI, INCIDENT, "work_accident", "Kaki terkilir.", "Budi",
                                   KETUA)
    app.confirm_coverage(claim_id, OFFICER)
    return claim_id


def approved_injury(app, world, clock):
    claim_id = confirmed_injury(app, world, clock)
    app.receive_documents(claim_id, [doc for doc, required in DOCUMENTS["work_accident"].items() if required],
                          OFFICER)
    app.assess_claim(claim_id, INJURY, OFFICER)
    app.approve_claim(claim_id, OFFICER)
    return claim_id


def test_a_preview_computes_the_assessment_and_records_nothing(app, world, clock):
    claim_id = confirmed_injury(app, world, clock)
    head = app.recorder.max_notification_id()

    preview = app.preview_assessment(claim_id, INJURY)

    assert [(line.benefit, line.amount) for line in preview.lines] == [("medical_care", 2_750_000),
                                                                       ("stmb", 5_410_835)]
    assert app.recorder.max_notification_id() == head and app.get_claim(claim_id).benefit_lines == []


def test_an_assessment_is_stored_with_its_inputs_wage_base_rules_and_table_version(app, world, clock):
    claim_id = approved_injury(app, world, clock)

    claim = app.get_claim(claim_id)  # read back from the store

    assert claim.assessment_basis == AssessmentBasis(
        inputs=INJURY, wage_base=Decimal(3_607_223),
        rule_ids=["UMK-KOTA-JAMBI-2025", "PP82-2019-JKK-MEDICAL", "PP82-2019-JKK-STMB"],
        table_version=benefit_tables().version,
    )
    assert claim.approved_amount == Decimal(8_160_835)


def test_santunan_is_paid_per_line_in_instalments_and_the_rest_waived_before_closing(app, world, clock):
    claim_id = approved_injury(app, world, clock)
    app.pay_santunan(claim_id, "stmb", 3_000_000, "Siti Aminah", "TRF-1", PAID_ON, OFFICER)
    app.pay_santunan(claim_id, "stmb", 2_410_835, "Siti Aminah", "TRF-2", PAID_ON, OFFICER)
    head = app.recorder.max_notification_id()
    with pytest.raises(SantunanExceedsApproved):
        app.pay_santunan(claim_id, "stmb", 1, "Siti Aminah", "TRF-3", PAID_ON, OFFICER)
    with pytest.raises(InvalidValue):
        app.pay_santunan(claim_id, "funeral", 1, "Siti Aminah", "TRF-3", PAID_ON, OFFICER)
    assert app.recorder.max_notification_id() == head

    app.waive_outstanding(claim_id, "Kuitansi asli hilang; peserta tidak mengajukan biaya perawatan", OFFICER)
    app.close_claim(claim_id, OFFICER)

    claim = app.get_claim(claim_id)
    assert [(b.line.benefit, b.paid, b.waived, b.outstanding) for b in claim.line_balances] == [
        ("medical_care", 0, 2_750_000, 0), ("stmb", 5_410_835, 0, 0)]
    assert claim.status == "closed" and claim.waiver_reason.startswith("Kuitansi asli hilang")


# --- claims stored before benefits were computed -----------------------------------------------------


def _stored(app, event, version: int, drop: tuple[str, ...] = (), **changes) -> StoredEvent:
    """The event as an older schema version stored it: fields dropped or changed, its class_version."""
    state = {key: value for key, value in vars(event).items()
             if key not in ("originator_id", "originator_version", *drop)}
    state.update(changes)
    if version > 1:
        state["class_version"] = version
    return StoredEvent(originator_id=event.originator_id, originator_version=event.originator_version,
                       topic=get_topic(type(event)), state=app.mapper.transcoder.encode(state))


def store_old_death_claim(app, world, clock) -> Claim:
    """A death claim as it was stored before: kind ``death`` (AccidentReported v2), lines typed by the officer
    (ClaimAssessed v1), approved, and one payment against the whole claim (SantunanPaid v1)."""
    clock.set(INCIDENT + timedelta(hours=3))
    claim = Claim.report(app.get_activity(world.activity_id), SITI, INCIDENT, "work_accident_death",
                         "Tertimpa material.", "Keluarga", clock.now(), KETUA)
    claim.confirm_coverage(app.get_activity(world.activity_id), OFFICER)
    for document, required in DOCUMENTS["work_accident_death"].items():
        if required:
            claim.receive_document(document, OFFICER)
    typed = [BenefitLine("death_benefit", "48 × UMK", Decimal(173_146_704)),
             BenefitLine("funeral", "Biaya pemakaman", Decimal(10_000_000))]
    claim._claim_assessed(lines=typed, total=Decimal(183_146_704), inputs=None, wage_base=None, rule_ids=[],
                          table_version=None, actor=OFFICER)
    claim.approve(OFFICER)
    claim._santunan_paid(amount=Decimal(175_000_000), beneficiary="Ahli waris", reference="TRF-OLD",
                         paid_on=PAID_ON, benefit=None, actor=OFFICER)
    stored = []
    for event in claim.collect_events():
        if isinstance(event, Claim.AccidentReported):
            stored.append(_stored(app, event, 2, kind="death"))
        elif isinstance(event, Claim.ClaimAssessed):
            stored.append(_stored(app, event, 1, drop=("inputs", "wage_base", "rule_ids", "table_version")))
        elif isinstance(event, Claim.SantunanPaid):
            stored.append(_stored(app, event, 1, drop=("benefit",)))
        else:
            stored.append(app.mapper.to_stored_event(event))
    app.recorder.insert_events(stored)
    return claim


def test_an_old_death_claim_reads_as_a_death_from_a_work_accident_with_its_typed_lines(app, world, clock):
    old = store_old_death_claim(app, world, clock)

    claim = app.get_claim(old.id)

    assert claim.kind == "work_accident_death" and claim.status == "partially_paid"
    assert claim.assessment_basis == AssessmentBasis(inputs=None, wage_base=None, rule_ids=[], table_version=None)
    assert claim.payments[0].benefit is None
    # A payment recorded before lines were named counts against the lines in their order.
    assert claim.line_balances == [
        LineBalance(BenefitLine("death_benefit", "48 × UMK", Decimal(173_146_704)), Decimal(173_146_704), Decimal(0)),
        LineBalance(BenefitLine("funeral", "Biaya pemakaman", Decimal(10_000_000)), Decimal(1_853_296), Decimal(0)),
    ]


def test_an_old_claim_goes_on_with_payments_per_line(app, world, clock):
    old = store_old_death_claim(app, world, clock)

    app.pay_santunan(old.id, "funeral", 8_146_704, "Ahli waris", "TRF-NEW", PAID_ON, OFFICER)
    app.close_claim(old.id, OFFICER)

    claim = app.get_claim(old.id)
    assert claim.status == "closed" and claim.paid_amount == Decimal(183_146_704)
    assert [payment.benefit for payment in claim.payments] == [None, "funeral"]
