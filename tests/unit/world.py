"""The world the domain specifications start from: RT 005 of Simpang IV Sipin, Kota Jambi.

Timeline (all 2025): Ketua RT Budi Santoso appointed 1 July, RT enrolled (pilot) 1 August,
musyawarah 10 August, launched 24 August; a drainage activity worth Rp50 juta planned for
September, task letter ST/001 issued 1 September covering 1–30 September, Siti Aminah joined
at 07:00 WIB on 1 September.
"""

from datetime import date, datetime
from decimal import Decimal

from domain.activity import Activity
from domain.actor import Actor
from domain.claim import Claim
from domain.period import JAKARTA, Period
from domain.premium import Band, PremiumRule
from domain.rt import RT, Place

from tests.unit.scenario import given

ADMIN = Actor("admin.dpmppa", "admin")
KETUA = Actor("ketua.simpang-iv-sipin.005", "ketua_rt", "15.71.01.1001/RT-005")
OFFICER = Actor("petugas.klaim.1", "claim_officer")

SIMPANG_IV_SIPIN = Place("15.71.01.1001", "Simpang IV Sipin", "15.71.01", "Telanaipura")

KETUA_NIK = "1571010101750001"  # man born 1 January 1975
NEW_KETUA_NIK = "1571022306800004"  # man born 23 June 1980
SITI = "1571014507900002"  # woman born 5 July 1990 (45 = 5 + 40)
AHMAD = "1571011203880003"  # man born 12 March 1988

APPOINTED = date(2025, 7, 1)
ENROLLED = date(2025, 8, 1)
MUSYAWARAH = date(2025, 8, 10)
LAUNCHED = date(2025, 8, 24)
SEPTEMBER = Period(date(2025, 9, 1), date(2025, 9, 30))
LETTER = "ST/001/RT-005/IX/2025"
LETTER_DAY = date(2025, 9, 1)
SITI_JOINED = datetime(2025, 9, 1, 7, 0, tzinfo=JAKARTA)
VALUE = Decimal(50_000_000)

# A one-band rule for aggregate tests (the real table is specified in test_premium_table).
FLAT_RULE = PremiumRule(
    rule_id="TEST-FLAT-0.24",
    effective_from=date(2015, 7, 1),
    source="test",
    bands=(Band(upper=None, jkk_percent=Decimal("0.21"), jkm_percent=Decimal("0.03")),),
)


def registered_rt() -> RT:
    return given(lambda: RT.register(SIMPANG_IV_SIPIN, 5, ADMIN))


def appoint_budi(rt: RT) -> None:
    rt.appoint_ketua_rt(KETUA_NIK, "Budi Santoso", "081234567890", APPOINTED, ADMIN)


def enrol(rt: RT) -> None:
    rt.enrol("pilot", ENROLLED, ADMIN)


def hold_musyawarah(rt: RT) -> None:
    rt.hold_musyawarah(MUSYAWARAH, ["Drainase lingkungan", "Jalan setapak"], KETUA)


def launch(rt: RT) -> None:
    rt.launch(LAUNCHED, ADMIN)


def enrolled_rt() -> RT:
    return given(lambda: RT.register(SIMPANG_IV_SIPIN, 5, ADMIN), appoint_budi, enrol)


def launched_rt() -> RT:
    return given(lambda: RT.register(SIMPANG_IV_SIPIN, 5, ADMIN), appoint_budi, enrol, hold_musyawarah, launch)


def plan_drainage(rt: RT) -> Activity:
    return Activity.plan(
        rt, "Gotong royong pembersihan drainase", "drainage", "Jl. Sipin Ujung", 50_000_000, SEPTEMBER, ADMIN
    )


def issue_letter(rt: RT, number: str = LETTER, cover: Period = SEPTEMBER):
    def step(activity: Activity) -> None:
        activity.issue_task_letter(rt, number, LETTER_DAY, cover, KETUA_NIK, LETTER_DAY, KETUA)

    return step


def join_siti(activity: Activity) -> None:
    activity.join_participant(SITI, "Siti Aminah", "resident", SITI_JOINED, KETUA)


def planned_activity(rt: RT | None = None) -> Activity:
    rt = rt or launched_rt()
    return given(lambda: plan_drainage(rt))


def covered_activity(rt: RT | None = None) -> Activity:
    """Planned, with task letter ST/001 for September and Siti Aminah joined."""
    rt = rt or launched_rt()
    return given(lambda: plan_drainage(rt), issue_letter(rt), join_siti)


INCIDENT = datetime(2025, 9, 3, 9, 30, tzinfo=JAKARTA)
REPORTED = datetime(2025, 9, 3, 15, 30, tzinfo=JAKARTA)


def report_siti(activity: Activity, kind: str = "work_accident") -> Claim:
    return Claim.report(
        activity, SITI, INCIDENT, kind, "Terpeleset di tepi parit dan kaki terkilir.",
        "Budi Santoso (Ketua RT)", REPORTED, KETUA,
    )
