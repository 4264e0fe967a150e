"""Accidents and deaths during the activities, and the claims made for them.

Claims are placed on the activities in the order they start. The pilot's first claims follow a
roster that takes a claim to every status (some stay there: a claim still waiting for its
documents, an approved claim not yet paid, …); after the roster, about one activity in eight has
an accident whose claim runs its course to closing, so there are always claims under way.
"""

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from uuid import UUID

from application.demo.activities import ActivityPlan
from application.demo.people import Person
from application.demo.timeline import at, stream
from domain.benefits import NON_WORK_DEATH, WORK_ACCIDENT, WORK_ACCIDENT_DEATH
from domain.claim import Claim
from domain.period import JAKARTA, Period, local_day

# (target status, kind, variant): the roster, in the order it is placed; most interleaved so that
# the early statuses are reached soon.
ROSTER: tuple[tuple[str, str, str], ...] = (
    ("closed", WORK_ACCIDENT, "paid"),
    ("reported", WORK_ACCIDENT, "reported"),
    ("coverage_confirmed", WORK_ACCIDENT, "confirmed"),
    ("coverage_denied", WORK_ACCIDENT, "denied_after_cover"),
    ("assessed", WORK_ACCIDENT, "assessed"),
    ("approved", WORK_ACCIDENT_DEATH, "approved"),
    ("rejected", WORK_ACCIDENT, "rejected"),
    ("partially_paid", WORK_ACCIDENT_DEATH, "partial"),
    ("paid", WORK_ACCIDENT, "paid"),
    ("waived", WORK_ACCIDENT, "waived"),
    ("closed", WORK_ACCIDENT_DEATH, "paid"),
    ("closed", NON_WORK_DEATH, "paid"),
    ("closed", WORK_ACCIDENT, "waived"),
    ("closed", WORK_ACCIDENT, "paid_late"),
    ("closed", WORK_ACCIDENT, "paid_disability"),
    ("closed", WORK_ACCIDENT, "paid_traffic"),
    ("closed", WORK_ACCIDENT, "rejected"),
    ("closed", WORK_ACCIDENT, "rejected_late"),
    ("closed", WORK_ACCIDENT, "denied_withdrawn"),
    ("closed", WORK_ACCIDENT, "denied_before_cover"),
    ("paid", WORK_ACCIDENT, "paid_late"),
    ("partially_paid", WORK_ACCIDENT, "partial"),
    ("approved", NON_WORK_DEATH, "approved"),
    ("approved", WORK_ACCIDENT, "approved_late"),
    ("rejected", WORK_ACCIDENT, "rejected_assessed"),
    ("coverage_denied", WORK_ACCIDENT, "denied_not_participant"),
    ("coverage_confirmed", WORK_ACCIDENT, "confirmed_late"),
    ("reported", WORK_ACCIDENT_DEATH, "reported_late"),
)
ROSTER_RATE = 0.3  # of activities with a claim while the roster lasts
CLAIM_RATE = 0.12  # afterwards
# After the roster: claims that run their course to closing, by weight.
LATER: dict[tuple[str, str, str], int] = {
    ("closed", WORK_ACCIDENT, "paid"): 40, ("closed", WORK_ACCIDENT, "paid_late"): 8,
    ("closed", WORK_ACCIDENT, "paid_traffic"): 4, ("closed", WORK_ACCIDENT, "waived"): 4,
    ("closed", WORK_ACCIDENT_DEATH, "paid"): 4, ("closed", NON_WORK_DEATH, "paid"): 4,
    ("closed", WORK_ACCIDENT, "rejected"): 8, ("closed", WORK_ACCIDENT, "denied_after_cover"): 6,
    ("closed", WORK_ACCIDENT, "denied_not_participant"): 4,
}

WORK_ACCIDENTS = (
    "tergelincir ke dalam parit dan kaki kanannya terkilir",
    "tangan kirinya terluka terkena cangkul",
    "tertimpa tumpukan batako saat menurunkan material dari mobil bak",
    "jatuh dari tangga bambu setinggi dua meter",
    "kakinya tertusuk paku dari papan bekas",
    "matanya terkena percikan adukan semen",
    "punggungnya cedera saat mengangkat material berat bersama warga",
    "terjatuh dari gerobak sorong dan pergelangan tangannya retak",
)
DEATHS = (
    "tersengat listrik dari kabel yang terkelupas",
    "tertimpa dahan pohon besar yang patah",
    "terpeleset dan terseret arus parit yang deras ketika hujan lebat",
    "tertimpa dinding lama yang roboh",
)
# JKM: a participant covered at the time who died, not from a work accident.
NON_WORK_DEATHS = (
    "meninggal dunia di rumah karena serangan jantung",
    "meninggal dunia di rumah sakit setelah dirawat karena demam berdarah",
    "meninggal dunia dalam kecelakaan lalu lintas saat berangkat ke pasar",
)
SPECIAL_ACCIDENTS = {
    "paid_traffic": "ditabrak sepeda motor saat mengatur lalu lintas di mulut gang lokasi kegiatan",
    "paid_disability": "jari telunjuk kanannya terpotong mesin gerinda saat memotong besi",
}
HOSPITALS = (
    "RSUD Raden Mattaher Jambi", "RSUD H. Abdul Manap", "RS Bhayangkara Jambi", "RS Siloam Jambi",
    "RS Baiturrahim Jambi", "Puskesmas Kenali Besar", "Puskesmas Simpang Kawat", "Puskesmas Talang Banjar",
)


@dataclass
class ClaimPlan:
    activity: ActivityPlan
    person: Person
    participant: bool
    kind: str
    variant: str
    target: str
    incident_at: datetime
    reported_at: datetime
    chronology: str
    reporter: str
    withdrawal: tuple[Person, datetime, str] | None = None  # the claimant's, made before the incident
    steps: list[tuple[datetime, str, dict]] = field(default_factory=list)

    @property
    def id(self) -> UUID:
        return Claim.create_id(self.activity.id, self.person.nik, self.incident_at)


def plan_claims(activities: list[ActivityPlan]) -> list[ClaimPlan]:
    """The claims on ``activities`` (in the order they start); the deceased join no later activity."""
    roster = list(ROSTER)
    claimants: set[str] = set()  # one claim per person in the whole data set
    deaths: dict[UUID, list[tuple[Person, datetime]]] = {}
    claims: list[ClaimPlan] = []
    for activity in activities:
        _without_the_deceased(activity, deaths.get(activity.rt.id, []))
        if not activity.letters or activity.cancelled is not None:
            continue
        rng = stream("claim", activity.rt.code, activity.index)
        if rng.random() >= (ROSTER_RATE if roster else CLAIM_RATE):
            continue
        scenarios = roster or rng.choices(list(LATER), weights=list(LATER.values()))
        plan = next(filter(None, (_try_claim(rng, activity, *scenario, claimants) for scenario in scenarios)), None)
        if plan is None:
            continue
        if roster:
            roster.remove((plan.target, plan.kind, plan.variant))
        if plan.withdrawal is not None:
            activity.withdrawals.append(plan.withdrawal)
        activity.claimants.add(plan.person.nik)
        claimants.add(plan.person.nik)
        claims.append(plan)
        if plan.kind != WORK_ACCIDENT:
            deaths.setdefault(activity.rt.id, []).append((plan.person, plan.incident_at))
    return claims


def _without_the_deceased(activity: ActivityPlan, deaths: list[tuple[Person, datetime]]) -> None:
    """Those who died before the activity are not in it; others of the RT take their places."""
    if not activity.letters:
        return
    dead = {person.nik for person, died_at in deaths if died_at < activity.joined_at}
    if not dead:
        return
    activity.joiners = [(p, role) for p, role in activity.joiners if p.nik not in dead]
    activity.late_joiners = [row for row in activity.late_joiners if row[0].nik not in dead]
    activity.withdrawals = [row for row in activity.withdrawals if row[0].nik not in dead]
    joined = {p.nik for p, _ in activity.joiners} | {row[0].nik for row in activity.late_joiners}
    spare = [p for p in activity.rt.residents if p.nik not in joined | dead and p.role == "resident"]
    while len(activity.joiners) + len(activity.late_joiners) < 5 and spare:
        activity.joiners.append((spare.pop(0), "resident"))


def _pick_moment(rng: random.Random, period: Period) -> datetime:
    day = period.start + timedelta(days=rng.randint(0, period.days - 1))
    return at(day, rng.randint(8, 11), rng.choice((0, 10, 20, 30, 40, 50)))


def _try_claim(
    rng: random.Random, activity: ActivityPlan, target: str, kind: str, variant: str, claimants: set[str],
) -> ClaimPlan | None:
    """The claim of ``variant`` on ``activity``, or None when the activity cannot have one."""
    letter = activity.letters[0]
    withdrawn = {person.nik for person, _, _ in activity.withdrawals}
    eligible = [
        person for person, role in activity.joiners
        if role != "ketua_rt" and person.nik not in claimants | withdrawn
    ]
    if not eligible or (activity.completed_at is None and target == "closed"):
        return None
    person = rng.choice(eligible)
    participant, withdrawal = True, None
    join_day = local_day(activity.joined_at)
    if variant == "denied_before_cover":
        if join_day >= letter.cover.start:
            return None
        incident = at(join_day, 16)
    elif variant == "denied_after_cover":
        if len(activity.letters) > 1:
            return None
        incident = at(letter.cover.end + timedelta(days=1), 9, 30)
    elif variant == "denied_withdrawn":
        if letter.cover.days < 3:
            return None
        withdrawn_at = at(letter.cover.start, 18)
        if activity.completed_at and activity.completed_at <= withdrawn_at:
            return None
        withdrawal = (person, withdrawn_at, "Mengundurkan diri karena bekerja sebagai buruh bangunan di luar kota")
        cover_after = Period(letter.cover.start + timedelta(days=1), letter.cover.end)
        incident = _pick_moment(rng, cover_after).replace(minute=15)
    else:
        incident = _pick_moment(rng, letter.cover)
        if incident <= activity.joined_at + timedelta(minutes=30):
            incident = at(local_day(incident), 16, 10)
        if variant == "denied_not_participant":
            joined = {p.nik for p, _ in activity.joiners} | {p.nik for p, _, _ in activity.late_joiners}
            outsiders = [p for p in activity.rt.residents if p.nik not in joined | claimants]
            if not outsiders:
                return None
            person, participant = rng.choice(outsiders), False
    reported_at = _reported_at(rng, incident, late="late" in variant)
    return ClaimPlan(
        activity=activity, person=person, participant=participant, kind=kind, variant=variant, target=target,
        incident_at=incident, reported_at=reported_at, chronology=_chronology(rng, activity, person, kind, variant,
                                                                              incident),
        reporter=f"{activity.rt.ketua_at(reported_at).name} (Ketua RT {activity.rt.number:03d})",
        withdrawal=withdrawal,
    )


def _reported_at(rng: random.Random, incident: datetime, late: bool) -> datetime:
    """Within two days, or three to six days later when reported late; in office hours (08–17 WIB)."""
    delay = timedelta(days=rng.randint(3, 6), hours=rng.randint(1, 5)) if late else timedelta(hours=rng.randint(2, 30))
    reported_at = incident + delay
    local = reported_at.astimezone(JAKARTA)
    if local.hour < 8 or local.hour >= 17:
        reported_at = at(local.date() + timedelta(days=local.hour >= 17), 9, 0)
        if not late and reported_at - incident > timedelta(hours=47):
            reported_at = incident + timedelta(hours=20)
    return reported_at


def _chronology(
    rng: random.Random, activity: ActivityPlan, person: Person, kind: str, variant: str, incident: datetime
) -> str:
    local = incident.astimezone(JAKARTA)
    when = f"Pada {local:%d-%m-%Y} sekitar pukul {local:%H.%M} WIB"
    if kind == NON_WORK_DEATH:
        return (
            f"{when}, {person.name}, peserta kegiatan \"{activity.title}\", {rng.choice(NON_WORK_DEATHS)}.\n"
            "Kematian tidak berkaitan dengan kegiatan gotong royong; peserta masih dalam masa surat tugas."
        )
    what = SPECIAL_ACCIDENTS.get(variant) or rng.choice(DEATHS if kind == WORK_ACCIDENT_DEATH else WORK_ACCIDENTS)
    chronology = f"{when}, saat kegiatan \"{activity.title}\" di {activity.location}, {person.name} {what}.\n" + (
        "Korban segera dibawa warga ke rumah sakit namun dinyatakan meninggal dunia oleh dokter jaga."
        if kind == WORK_ACCIDENT_DEATH
        else f"Korban dibawa warga ke {rng.choice(HOSPITALS)} untuk mendapat pertolongan."
    )
    if variant == "denied_after_cover":
        chronology += "\nPekerjaan dilanjutkan sehari setelah masa surat tugas berakhir karena material terlambat datang."
    if variant == "denied_before_cover":
        chronology += "\nKejadian terjadi saat persiapan lokasi, sehari sebelum kegiatan dimulai."
    return chronology
