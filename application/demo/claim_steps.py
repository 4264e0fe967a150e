"""What the claim officers do with each claim, and when: documents, coverage, assessment, approval,
payments line by line, a waiver, closing; each variant stopping at its target status."""

import random
from datetime import datetime, timedelta
from decimal import Decimal

from application import rules
from application.demo.claims import ClaimPlan
from application.demo.people import heir_of
from application.demo.timeline import office_hours
from domain.actor import Actor
from domain.benefits import NON_WORK_DEATH, WORK_ACCIDENT, AssessmentInputs, calculate
from domain.claim import DOCUMENTS
from domain.period import local_day

OFFICERS = (Actor("petugas.klaim.1", "claim_officer"), Actor("petugas.klaim.2", "claim_officer"))
DENIALS = {
    "denied_withdrawn": "Peserta telah mengundurkan diri dari kegiatan sebelum kejadian; tidak tercakup surat tugas",
    "denied_before_cover": "Kejadian terjadi sebelum masa berlaku surat tugas dimulai",
    "denied_after_cover": "Kejadian terjadi setelah masa berlaku surat tugas berakhir",
    "denied_not_participant": "Korban tidak terdaftar sebagai peserta kegiatan",
}
REJECTED_AT_HOME = "Keterangan dua saksi: cedera terjadi di rumah korban, bukan saat kegiatan gotong royong"
REJECTED_RECEIPTS = "Kuitansi pengobatan tidak dapat diverifikasi oleh rumah sakit penerbit"
WAIVED = "Peserta kembali bekerja lebih awal dan menyatakan tertulis tidak mengambil sisa santunan"
# Paid first in a partial payment; the rest waits for the last document.
PAID_FIRST = ("funeral", "periodic_santunan", "medical_care")


def schedule(rng: random.Random, plan: ClaimPlan) -> None:
    """Fill ``plan.steps`` with (moment, step, arguments), in time order."""
    steps = plan.steps
    officer = rng.choice(OFFICERS)
    variant, target = plan.variant, plan.target

    def close_after(moment: datetime) -> None:
        if target == "closed":
            steps.append((office_hours(moment + timedelta(days=rng.randint(3, 7)), rng), "close", {"officer": officer}))

    checklist = DOCUMENTS[plan.kind]
    first_docs = [doc for doc in ("ktp", "kk", "kronologis", "laporan_tahap_1") if doc in checklist]
    steps.append((plan.reported_at + timedelta(hours=1), "documents", {"documents": first_docs}))
    if target == "reported":
        return
    t = office_hours(plan.reported_at + timedelta(days=rng.randint(1, 3)), rng)
    if variant.startswith("denied"):
        steps.append((t, "deny", {"reason": DENIALS[variant], "officer": officer}))
        close_after(t)
        return
    steps.append((t, "confirm", {"officer": officer}))
    later_docs = [doc for doc, required in checklist.items() if required and doc not in first_docs]
    if variant == "paid_traffic":
        later_docs.append("laporan_polisi")
    if (rng.random() < 0.5 or variant.startswith("rejected")) and "keterangan_saksi" in checklist:
        later_docs.append("keterangan_saksi")
    if target in ("coverage_confirmed", "assessed"):
        later_docs = later_docs[: max(1, len(later_docs) - 2)]  # some documents still awaited
    if variant == "rejected":
        later_docs = ["surat_tugas", "keterangan_saksi"]
    for doc in later_docs:
        t = t + timedelta(days=rng.randint(1, 4))
        steps.append((office_hours(t, rng), "documents", {"documents": [doc]}))
    if target == "coverage_confirmed":
        return
    t = office_hours(t + timedelta(days=rng.randint(2, 5)), rng)
    if variant in ("rejected", "rejected_late"):
        steps.append((t, "reject", {"reason": REJECTED_AT_HOME, "officer": officer}))
        close_after(t)
        return
    inputs = _assessment_inputs(rng, plan)
    steps.append((t, "assess", {"inputs": inputs, "officer": officer}))
    if target == "assessed":
        return
    t = office_hours(t + timedelta(days=rng.randint(2, 5)), rng)
    if variant == "rejected_assessed":
        steps.append((t, "reject", {"reason": REJECTED_RECEIPTS, "officer": officer}))
        return
    steps.append((t, "approve", {"officer": officer}))
    if target == "approved":
        return
    t = _payments(rng, plan, inputs, t, officer)
    if variant == "waived":
        t = office_hours(t + timedelta(days=rng.randint(3, 7)), rng)
        steps.append((t, "waive", {"reason": WAIVED, "officer": officer}))
    close_after(t)


def _payments(rng: random.Random, plan: ClaimPlan, inputs: AssessmentInputs, t: datetime, officer: Actor) -> datetime:
    """A payment per benefit line the service will compute (only some for a partial payment or a
    waiver); returns the moment of the last."""
    incident_day = local_day(plan.incident_at)
    lines = calculate(plan.kind, incident_day, inputs, rules.benefit_tables()).lines
    beneficiary = plan.person.name if plan.kind == WORK_ACCIDENT else heir_of(rng, plan.person)
    if plan.variant == "partial":
        lines = [line for line in lines if line.benefit in PAID_FIRST]
    elif plan.variant == "waived":
        lines = [line for line in lines if line.benefit == "medical_care"]
    program = "JKM" if plan.kind == NON_WORK_DEATH else "JKK"
    for line in lines:
        t = office_hours(t + timedelta(days=rng.randint(2, 6)), rng)
        day = local_day(t)
        plan.steps.append((t, "pay", {
            "benefit": line.benefit, "amount": line.amount, "beneficiary": beneficiary,
            "reference": f"BPJSTK-{program}-{day:%Y%m}-{rng.randrange(10**6):06d}", "paid_on": day,
            "officer": officer,
        }))
    return t


def _assessment_inputs(rng: random.Random, plan: ClaimPlan) -> AssessmentInputs:
    """What the officer enters; the service computes the lines (48 × UMK and the fixed amounts for a death)."""
    if plan.kind != WORK_ACCIDENT:
        return AssessmentInputs()
    transport = rng.random() < 0.5 or plan.variant == "paid_traffic"
    return AssessmentInputs(
        medical_costs=Decimal(rng.randint(1_500, 8_500) * 1000),
        transport_costs=Decimal(rng.choice((150, 250, 350, 500, 750)) * 1000) if transport else Decimal(0),
        stmb_days=rng.randint(5, 30),
        disability_item="right_index_finger" if plan.variant == "paid_disability" else None,
    )
