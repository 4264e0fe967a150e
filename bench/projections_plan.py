"""The plan of a programme year for the read-model benchmarks: which RTs, activities and claims,
and what happens to each when, decided before anything runs (``bench/projections_sim.py`` runs it).

Each RT, activity and claim has a timeline: (moment, events written, action, arguments), in time
order. The events of a plan are known before it runs, so the history is sized exactly. Every random
choice comes from a seeded generator, so a plan of the same size is the same plan, event for event.
"""

from __future__ import annotations

import random
import sys
from dataclasses import dataclass, field
from datetime import date, datetime, time as dtime, timedelta, timezone
from decimal import Decimal
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from application import rules  # noqa: E402
from domain.actor import Actor  # noqa: E402
from domain.benefits import WORK_ACCIDENT_DEATH, AssessmentInputs, calculate  # noqa: E402
from domain.claim import DOCUMENTS  # noqa: E402
from domain.period import Period  # noqa: E402
from domain.rt import RT, rt_code  # noqa: E402

# (RTs, events) of a year. Kota Jambi has 1,650 RTs. Jambi province (11 regencies and cities, 1,585
# desa/kelurahan) publishes no RT count; 15,000 is assumed (about 9 per desa). Events per RT as in the city.
SCALES = {"city": (1650, 1_000_000), "province": (15_000, 9_100_000)}
DEFAULT_RTS = SCALES["city"][0]
SEED = "kampung-bahagia-2025"

UTC = timezone.utc
WIB = timedelta(hours=7)  # Asia/Jakarta has no daylight saving time
END = datetime(2026, 1, 1, tzinfo=UTC) - WIB  # the simulated year ends at midnight WIB
LAST_START = date(2025, 12, 20)
POOL = 40  # residents per RT who may take part: 0 is the first Ketua RT, 1 their successor
EVENTS_PER_ACTIVITY = 28  # first estimate; the plan below counts exactly

ADMINS = tuple(Actor(f"admin.dpmppa.{n}", "admin") for n in range(1, 5))
OFFICERS = tuple(Actor(f"petugas.klaim.{n}", "claim_officer") for n in range(1, 7))
KINDS = ("cleaning", "road_repair", "drainage", "greening", "public_facility", "other")
KIND_TITLES = {
    "cleaning": "Gotong royong kebersihan lingkungan",
    "road_repair": "Perbaikan jalan setapak",
    "drainage": "Pembersihan saluran drainase",
    "greening": "Penghijauan dan taman warga",
    "public_facility": "Perbaikan balai warga",
    "other": "Kerja bakti",
}
ROLES = ("resident",) * 14 + ("phl", "phl", "pokja_member", "pokja_member", "petugas_syara", "facilitator")
STREETS = ("Jl. Sipin", "Gang Mawar", "Gang Kenanga", "Jl. Kapt. Pattimura", "Lorong Melati", "Jl. Sumantri Brojonegoro",
           "Gang Masjid", "Lorong Family", "Jl. Kol. Abunjani", "Gang Anggrek")
FIRST = ("Ahmad", "Siti", "Budi", "Dewi", "Rahmat", "Nur", "Hendra", "Yuliana", "Agus", "Fitri", "Joko", "Rina",
         "M. Yusuf", "Ratna", "Syamsul", "Lina", "Irwan", "Wati", "Zulkifli", "Desi")
LAST = ("Saputra", "Lestari", "Hidayat", "Wulandari", "Pratama", "Harahap", "Siregar", "Nasution", "Putri",
        "Syahputra", "Effendi", "Marpaung", "Rangkuti", "Lubis", "Daulay")
PRIORITIES = (
    "Perbaikan saluran drainase di gang utama", "Pengecoran jalan lingkungan", "Penghijauan dan tempat sampah terpilah",
    "Perbaikan balai warga", "Penerangan jalan lingkungan", "Bank sampah RT", "Sumur resapan",
)
CHRONOLOGIES = (
    "Saat gotong royong peserta tergelincir di tepi saluran drainase dan kakinya tertimpa papan bekisting.\n"
    "Korban dibawa warga ke Puskesmas lalu dirujuk ke RSUD Raden Mattaher.",
    "Peserta terkena cangkul di kaki kiri saat menggali saluran.\nDirawat di Puskesmas Simpang IV Sipin.",
    "Peserta jatuh dari tangga saat memasang lampu jalan.\nSaksi: dua warga yang bekerja di lokasi yang sama.",
    "Peserta pingsan karena kelelahan saat mengangkut material dan terbentur batu.",
)
WITHDRAW_REASONS = ("Bekerja di luar kota", "Sakit", "Mengurus keluarga", "Pindah domisili")
CANCEL_REASONS = ("Cuaca buruk", "Material tidak tersedia", "Lokasi tergenang banjir", "Anggaran dialihkan")
DENY_REASONS = ("Kejadian di luar kegiatan gotong royong", "Bukan kecelakaan kerja")
REJECT_REASONS = ("Dokumen tidak sah", "Keterangan saksi bertentangan")
OPTIONAL_DOCUMENTS = ("laporan_polisi", "keterangan_saksi")
ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")


def wib(day: date, hour: int, minute: int = 0) -> datetime:
    """``hour:minute`` in Kota Jambi on ``day``, as an aware UTC datetime."""
    return datetime.combine(day, dtime(hour), UTC) + timedelta(minutes=minute) - WIB


def local_day(moment: datetime) -> date:
    return (moment + WIB).date()


# The regencies and cities of Jambi province (BPS codes 15.01–15.09, 15.71 Kota Jambi, 15.72 Sungai
# Penuh): residents beyond Kota Jambi's share of serials get the NIK of the next one.
REGENCIES = ("71", "01", "02", "03", "04", "05", "06", "07", "08", "09", "72")
NIKS_PER_REGENCY = 11 * 9999
MAX_RTS = len(REGENCIES) * NIKS_PER_REGENCY // POOL


def synthetic_nik(serial: int) -> str:
    """A valid NIK, unique for serial < 11 × 109,989: 15 (Jambi) + regency + district 01–11 + birth
    date (+40 on the day for women) + a serial ≠ 0000 that, with the district, is unique."""
    regency = REGENCIES[serial // NIKS_PER_REGENCY]
    serial %= NIKS_PER_REGENCY
    district, q = 1 + serial % 11, serial // 11
    born = date(1958, 1, 1) + timedelta(days=(serial * 7919) % 18000)
    day = born.day + (40 if serial % 2 else 0)
    return f"15{regency}{district:02d}{day:02d}{born.month:02d}{born.year % 100:02d}{q % 9999 + 1:04d}"


def person(serial: int) -> str:
    return f"{FIRST[serial % len(FIRST)]} {LAST[(serial * 7 // len(FIRST)) % len(LAST)]}"


# Entries at or after END are not run (work still in progress at the end of the year).

Entry = tuple[datetime, int, str, tuple[Any, ...]]


def events_before_end(timeline: list[Entry]) -> int:
    return sum(n for moment, n, _, _ in timeline if moment < END)


@dataclass
class RTPlan:
    index: int
    kelurahan_code: str
    rt_number: int
    launch_day: date
    timeline: list[Entry]
    pool: list[tuple[str, str]]
    actor: Actor
    rt: RT | None = None


def plan_rts(n_rts: int, rng: random.Random) -> list[RTPlan]:
    """``n_rts`` RTs over the real kelurahan of Kota Jambi, more in some than in others."""
    places = rules.places()
    codes = sorted(places)
    weights = [rng.uniform(0.5, 1.5) for _ in codes]
    counts = [int(n_rts * w / sum(weights)) for w in weights]
    for i in rng.sample(range(len(codes)), n_rts - sum(counts)):
        counts[i] += 1
    plans = []
    for code, count in zip(codes, counts):
        for number in range(1, count + 1):
            index = len(plans)
            pool = [(synthetic_nik(index * POOL + p), person(index * POOL + p)) for p in range(POOL)]
            registered = date(2024, 12, 2) + timedelta(days=rng.randint(0, 75))
            enrol = registered + timedelta(days=rng.randint(1, 5))
            musyawarah = enrol + timedelta(days=rng.randint(5, 12))
            launch = musyawarah + timedelta(days=rng.randint(3, 10))
            admin = ADMINS[index % len(ADMINS)]
            at = wib(registered, 9, rng.randint(0, 359))
            timeline: list[Entry] = [
                (at, 1, "register", (places[code], number, admin)),
                (at + timedelta(minutes=30), 1, "appoint", (0, registered, f"08{rng.randint(10**9, 10**10 - 1)}", admin)),
                (wib(enrol, 10), 1, "enrol", ("pilot" if rng.random() < 0.25 else "expansion", enrol, admin)),
                (wib(musyawarah, 19, 30), 1, "musyawarah", (musyawarah, rng.sample(PRIORITIES, rng.randint(2, 4)))),
                (wib(launch, 9), 1, "launch", (launch, admin)),
            ]
            if rng.random() < 0.3:  # a mid-year musyawarah
                day = date(2025, 7, 1) + timedelta(days=rng.randint(0, 60))
                timeline.append((wib(day, 19, 30), 1, "musyawarah", (day, rng.sample(PRIORITIES, rng.randint(1, 3)))))
            if rng.random() < 0.04:  # a new Ketua RT
                day = date(2025, 5, 1) + timedelta(days=rng.randint(0, 180))
                timeline.append((wib(day, 10), 1, "appoint", (1, day, f"08{rng.randint(10**9, 10**10 - 1)}", admin)))
            timeline.sort(key=lambda entry: entry[0])
            plans.append(RTPlan(index, code, number, launch, timeline, pool,
                                Actor(f"ketua.{code}.{number:03d}", "ketua_rt", rt_code(code, number))))
    return plans


@dataclass
class ClaimPlan:
    number: int
    timeline: list[Entry]


@dataclass
class ActivityPlan:
    rt: RTPlan
    sequence: int
    timeline: list[Entry]
    claims: list[ClaimPlan] = field(default_factory=list)

    @property
    def events(self) -> int:
        return events_before_end(self.timeline) + sum(events_before_end(c.timeline) for c in self.claims)


def plan_activity(rt: RTPlan, sequence: int, start: date) -> ActivityPlan:
    """One activity of an RT starting on ``start``, decided by a seed of its own (so the plan of one
    activity does not depend on how many others there are)."""
    rng = random.Random(f"{SEED}:{rt.index}:{sequence}")
    kind = rng.choice(KINDS)
    days = rng.choice((1, 1, 1, 2, 2, 3, 3, 4, 5, 7, 10, 14))
    end = start + timedelta(days=days - 1)
    plan_day = max(start - timedelta(days=rng.randint(3, 20)), rt.launch_day + timedelta(days=1))
    letter_day = max(plan_day, start - timedelta(days=rng.randint(1, 3)))
    admin = ADMINS[(rt.index + sequence) % len(ADMINS)]
    value = Decimal(rng.randint(40, 3000) * 50_000)
    title = f"{KIND_TITLES[kind]} ke-{sequence}"
    location = f"{rng.choice(STREETS)} RT {rt.rt_number:03d}"
    number = f"{sequence:03d}/ST/RT{rt.rt_number:03d}/{rt.kelurahan_code}/{ROMAN[letter_day.month - 1]}/{letter_day.year}"
    timeline: list[Entry] = [(wib(plan_day, 10, rng.randint(0, 59)), 2, "plan",
                              (title, kind, location, value, Period(start, end), admin))]
    if rng.random() < 0.05:
        revised = (value * Decimal(rng.choice((80, 90, 110, 125))) / 100).quantize(Decimal(1))
        timeline.append((wib(plan_day, 13), 2, "revise", (revised, "Revisi RAB setelah survei lokasi", admin)))
    if rng.random() < 0.01:  # called off before any task letter
        timeline.append((wib(plan_day + timedelta(days=1), 10), 1, "cancel", (rng.choice(CANCEL_REASONS),)))
        return ActivityPlan(rt, sequence, timeline)
    timeline.append((wib(letter_day, 15), 2, "letter", (number, letter_day, Period(start, end))))

    size = rng.randint(10, 30)
    ketua_joins = rng.random() < 0.5
    others = rng.sample(range(2, POOL), size - ketua_joins)
    late = rng.randint(0, size // 5) if days >= 2 else 0
    joiners = [(-1, "ketua_rt")] * ketua_joins + [(p, rng.choice(ROLES)) for p in others]
    first_wave, late_wave = joiners[: size - late], joiners[size - late:]
    timeline.append((wib(start, 7), len(first_wave), "join", (first_wave,)))
    if late_wave:
        timeline.append((wib(start + timedelta(days=1), 7, 30), len(late_wave), "join", (late_wave,)))

    roll = rng.random()
    if roll < 0.55:
        timeline.append((wib(letter_day, 16), 1, "pay", ("full", f"BPJS-{rt.index}-{sequence}-1", admin)))
    elif roll < 0.9:
        timeline.append((wib(letter_day, 16), 1, "pay", ("half", f"BPJS-{rt.index}-{sequence}-1", admin)))
        timeline.append((wib(end, 16), 1, "pay", ("rest", f"BPJS-{rt.index}-{sequence}-2", admin)))

    withdrawn: set[int] = set()
    if days >= 2 and rng.random() < 0.3:
        candidates = [p for p, _ in first_wave if p >= 0]
        for p in rng.sample(candidates, rng.randint(1, 2)):
            withdrawn.add(p)
            day = start + timedelta(days=rng.randint(1, days - 1))
            timeline.append((wib(day, 16, rng.randint(0, 59)), 1, "withdraw", (p, rng.choice(WITHDRAW_REASONS))))

    final_end = end
    if days >= 3 and rng.random() < 0.08:  # extended by a second letter
        final_end = end + timedelta(days=rng.randint(2, 7))
        issued = end - timedelta(days=1)
        timeline.append((wib(issued, 15), 2, "letter", (number + "-P", issued, Period(end + timedelta(days=1), final_end))))

    cancelled_at = None
    if rng.random() < 0.04:
        cancelled_at = wib(start + timedelta(days=rng.randrange(days)), rng.randint(12, 15), rng.randint(0, 59))
        timeline = [entry for entry in timeline if entry[0] < cancelled_at]
        timeline.append((cancelled_at, 1, "cancel", (rng.choice(CANCEL_REASONS),)))
    else:
        timeline.append((wib(final_end, 17), 1, "complete", (admin,)))
    timeline.sort(key=lambda entry: entry[0])

    activity = ActivityPlan(rt, sequence, timeline)
    if rng.random() < 0.06:
        claimants = [p for p, _ in first_wave if p >= 0 and p not in withdrawn]
        first, last = wib(start, 8), min(cancelled_at or END, wib(final_end, 16))
        for c, p in enumerate(rng.sample(claimants, 2 if rng.random() < 0.1 else 1)):
            incident = first + timedelta(minutes=rng.randrange(max(int((last - first).total_seconds() // 60), 1)))
            activity.claims.append(plan_claim(rng, rt, p, incident, c))
    return activity


def plan_claim(rng: random.Random, rt: RTPlan, participant: int, incident: datetime, number: int) -> ClaimPlan:
    kind = WORK_ACCIDENT_DEATH if rng.random() < 0.04 else "work_accident"
    nik, name = rt.pool[participant]
    officer = OFFICERS[rng.randrange(len(OFFICERS))]
    delay = timedelta(minutes=rng.randint(49 * 60, 120 * 60) if rng.random() < 0.1 else rng.randint(60, 30 * 60))
    at = incident + delay
    timeline: list[Entry] = [(at, 1, "report", (nik, incident, kind, rng.choice(CHRONOLOGIES), rt.pool[0][1]))]
    roll = rng.random()
    if roll < 0.07:
        at += timedelta(days=rng.randint(1, 3))
        timeline.append((at, 1, "deny", (rng.choice(DENY_REASONS), officer)))
        timeline.append((at + timedelta(days=1), 1, "close", (officer,)))
        return ClaimPlan(number, timeline)
    at += timedelta(days=rng.randint(1, 3))
    timeline.append((at, 1, "confirm", (officer,)))
    required = [doc for doc, needed in DOCUMENTS[kind].items() if needed]
    if roll < 0.12:
        for doc in rng.sample(required, rng.randint(2, 3)):
            timeline.append((at + timedelta(hours=rng.randint(20, 200)), 1, "document", (doc, officer)))
        timeline.append((at + timedelta(days=9), 1, "reject", (rng.choice(REJECT_REASONS), officer)))
        timeline.append((at + timedelta(days=10), 1, "close", (officer,)))
        timeline.sort(key=lambda entry: entry[0])
        return ClaimPlan(number, timeline)
    documents = required + rng.sample(OPTIONAL_DOCUMENTS, rng.randint(0, 2))
    for doc in documents:
        timeline.append((at + timedelta(hours=rng.randint(20, 240)), 1, "document", (doc, officer)))
    if kind == WORK_ACCIDENT_DEATH:
        inputs = AssessmentInputs(children=("sd",) if rng.random() < 0.5 else ())
    else:
        transport = rng.randint(2, 15) * 50_000 if rng.random() < 0.4 else 0
        inputs = AssessmentInputs(medical_costs=Decimal(rng.randint(5, 400) * 50_000),
                                  transport_costs=Decimal(transport))
    # Assessed by the rule tables now, as the application will, so the plan knows the lines it pays.
    lines = calculate(kind, local_day(incident), inputs, rules.benefit_tables()).lines
    timeline.append((at + timedelta(days=12), 1, "assess", (inputs, officer)))
    timeline.append((at + timedelta(days=14), 1, "approve", (officer,)))
    beneficiary = name if kind == "work_accident" else f"Ahli waris {name}"
    reference = f"SAN-{rt.index}-{incident:%m%d%H%M}-{number}"
    paid = at + timedelta(days=16)
    for n, line in enumerate(lines):
        if n == 0 and rng.random() < 0.3:  # the first line in two instalments, a month apart
            half = (line.amount / 2).quantize(Decimal(1))
            timeline.append((paid, 1, "santunan", (line.benefit, half, beneficiary, f"{reference}-{n}a", officer)))
            paid = at + timedelta(days=45)
            timeline.append((paid, 1, "santunan", (line.benefit, line.amount - half, beneficiary,
                                                   f"{reference}-{n}b", officer)))
        else:
            timeline.append((paid, 1, "santunan", (line.benefit, line.amount, beneficiary, f"{reference}-{n}", officer)))
    closed = paid + timedelta(days=1)
    timeline.append((closed, 1, "close", (officer,)))
    timeline.sort(key=lambda entry: entry[0])
    return ClaimPlan(number, timeline)


@dataclass
class YearPlan:
    rts: list[RTPlan]
    activities: list[tuple[datetime, int, int, date]]  # (plan moment, RT index, sequence, start), no details
    events: int
    activity_events: int
    claims: int


def plan_year(target_events: int, n_rts: int) -> YearPlan:
    """RTs, then activities spread over the year until the plan holds at least ``target_events``."""
    rng = random.Random(SEED)
    rts = plan_rts(n_rts, rng)
    events = sum(events_before_end(rt.timeline) for rt in rts)
    per_rt = max(0.0, (target_events - events) * 0.97 / EVENTS_PER_ACTIVITY / len(rts))
    sequences = [0] * len(rts)
    activities: list[tuple[datetime, int, int, date]] = []
    activity_events = claims = 0

    def add(rt: RTPlan) -> None:
        nonlocal events, activity_events, claims
        sequences[rt.index] += 1
        first = rt.launch_day + timedelta(days=7)
        start = first + timedelta(days=rng.randrange((LAST_START - first).days + 1))
        activity = plan_activity(rt, sequences[rt.index], start)
        events += activity.events
        activity_events += activity.events
        claims += sum(1 for claim in activity.claims if claim.timeline[0][0] < END)
        activities.append((activity.timeline[0][0], rt.index, sequences[rt.index], start))

    for rt in rts:
        for _ in range(int(per_rt * rng.uniform(0.6, 1.4))):
            add(rt)
    order = list(rts)
    rng.shuffle(order)
    n = 0
    while events < target_events:
        add(order[n % len(order)])
        n += 1
    return YearPlan(rts, activities, events, activity_events, claims)
