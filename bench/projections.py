"""Projection throughput on a city- or province-scale history, against a bare read of the notification log.

Run from the repository root:

    .venv/bin/python bench/projections.py [--store sqlite|postgres|both] [--scale city|province]
                                          [--events N] [--rts N] [--reuse PATH]

1. Generates a year of the programme: ``--scale city`` (Kota Jambi, 1,650 RTs, 1,000,000 events) or
   ``--scale province`` (Jambi province, an assumed 15,000 RTs, 9,100,000 events; the places are
   Kota Jambi's kelurahan, the residents' NIKs those of the province's 11 regencies and cities).
   RTs spread over the real kelurahan, each with
   activities (task letters, 10–30 participants, premium payments, withdrawals, completions,
   cancellations) and claims through their life cycles; at least ``--events`` events. The history
   is simulated in time order with the domain's own methods (no commands, no reloading) and saved
   a few hundred aggregates per ``app.save``. SQLite: a temporary file, or ``--reuse PATH``, which
   keeps the generated store at PATH and reuses it next time. PostgreSQL: a scratch database
   ``bench_proj_*``, dropped at the end.
2. Measures on that store, in this process:
   a. a bare loop over the log in pages (``select_notifications``): raw, and raw + decode;
   b. catch-up of each read model alone from position 0 into fresh tables;
   c. ``runner.rebuild(name)`` of each read model;
   d. the coverage projection's rate as a share of the bare loops (the goal: >= 0.3).
Timings use ``time.perf_counter``; nothing is asserted on time.
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import heapq
import inspect
import io
import json
import os
import pstats
import random
import re
import secrets
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time as dtime, timedelta, timezone
from decimal import Decimal
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import Engine, MetaData, func, select, text  # noqa: E402

from application import rules  # noqa: E402
from application.config import read_model_url, store_env  # noqa: E402
from application.service import KampungBahagia  # noqa: E402
from bench.stores import add_store_options, run_each_store, scratch_database  # noqa: E402
from domain.activity import Activity  # noqa: E402
from domain.actor import Actor  # noqa: E402
from domain.aggregate import recording_with  # noqa: E402
from domain.benefits import WORK_ACCIDENT_DEATH, AssessmentInputs, calculate  # noqa: E402
from domain.claim import DOCUMENTS, Claim  # noqa: E402
from domain.period import Period  # noqa: E402
from domain.rt import RT, rt_code  # noqa: E402
from projections.audit import AuditTrail  # noqa: E402
from projections.claims import ClaimsBoard  # noqa: E402
from projections.coverage import Coverage  # noqa: E402
from projections.engine import make_engine  # noqa: E402
from projections.readmodel import ReadModel  # noqa: E402
from projections.runner import ProjectionRunner  # noqa: E402

# (RTs, events) of a year. Kota Jambi has 1,650 RTs. Jambi province (11 regencies and cities, 1,585
# desa/kelurahan) publishes no RT count; 15,000 is assumed (about 9 per desa). Events per RT as in the city.
SCALES = {"city": (1650, 1_000_000), "province": (15_000, 9_100_000)}
DEFAULT_RTS = SCALES["city"][0]
SEED = "kampung-bahagia-2025"
MODELS = (Coverage, AuditTrail, ClaimsBoard)
GOAL = 0.3  # coverage catch-up rate / bare read loop

# Saving: a batch is saved when it holds this many aggregates or pending events.
SAVE_AGGREGATES = 300
SAVE_EVENTS = 4000

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


# --- the plan of the year: what happens when, decided before anything runs ---------------------------------------
#
# Each RT, activity and claim has a timeline: (moment, events written, action, arguments), in time order. The
# events of a plan are known before it runs, so the history is sized exactly, and the simulation just walks the
# timelines in time order. Entries at or after END are not run (work still in progress at the end of the year).

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


# --- running the plan: the domain's own methods, in time order ------------------------------------------------


class Simulation:
    """Walks the timelines in time order; events are timestamped with the simulated moment and saved
    a few hundred aggregates at a time."""

    def __init__(self, app: KampungBahagia, year: YearPlan, progress: bool = True):
        self.app = app
        self.year = year
        self.now = datetime(2024, 12, 1, tzinfo=UTC)
        self.premium = rules.premium_table()
        self.dirty: dict[Any, Any] = {}
        self.pending = 0
        self.saves = 0
        self.aggregates = 0
        self.events = 0
        self.save_seconds = 0.0
        self.progress = progress

    def touch(self, aggregate: Any, events: int, new: bool = False) -> None:
        self.dirty[aggregate.id] = aggregate
        self.pending += events
        self.aggregates += new

    def flush(self) -> None:
        if not self.dirty:
            return
        started = time.perf_counter()
        self.app.save(*self.dirty.values())
        self.save_seconds += time.perf_counter() - started
        self.saves += 1
        self.events += self.pending
        self.dirty.clear()
        self.pending = 0

    def run(self) -> None:
        heap: list[tuple[datetime, int, Any]] = []
        seq = 0
        for rt in self.year.rts:
            process = RTLife(self, rt).process()
            heap.append((next(process), seq, process))
            seq += 1
        for moment, rt_index, sequence, start in self.year.activities:
            heap.append((moment, seq, (rt_index, sequence, start)))
            seq += 1
        heapq.heapify(heap)
        started, shown = time.perf_counter(), 0
        with recording_with(lambda: self.now):
            while heap:
                moment, _, item = heapq.heappop(heap)
                self.now = moment
                if isinstance(item, tuple):  # an activity's first step: plan its details now
                    rt_index, sequence, start = item
                    plan = plan_activity(self.year.rts[rt_index], sequence, start)
                    life = ActivityLife(self, plan)
                    for claim in plan.claims:
                        process = ClaimLife(self, life, claim).process()
                        first = next(process, None)
                        if first is not None:
                            heapq.heappush(heap, (first, seq, process))
                            seq += 1
                    item = life.process()
                    next(item)
                following = next(item, None)
                if following is not None:
                    heapq.heappush(heap, (following, seq, item))
                    seq += 1
                if len(self.dirty) >= SAVE_AGGREGATES or self.pending >= SAVE_EVENTS:
                    self.flush()
                    if self.progress and self.events - shown >= self.year.events // 10:
                        shown = self.events
                        elapsed = time.perf_counter() - started
                        print(f"  … {self.events:>9,} events, {moment + WIB:%Y-%m-%d}, {elapsed:6.1f} s, "
                              f"{self.events / elapsed:,.0f} events/s", flush=True)
            self.flush()


class Life:
    """One aggregate's life: the actions of its plan's timeline, each a method of the life, run at
    its moment (the simulation resumes ``process`` at each moment it yields)."""

    created_by: str  # the action that creates the aggregate

    def __init__(self, sim: Simulation, spec: RTPlan | ActivityPlan | ClaimPlan):
        self.sim = sim
        self.spec = spec

    @property
    def aggregate(self) -> Any:
        raise NotImplementedError

    def process(self) -> Iterator[datetime]:
        for moment, events, action, args in self.spec.timeline:
            if moment >= END:
                return
            yield moment
            getattr(self, action)(*args)
            self.sim.touch(self.aggregate, events, new=action == self.created_by)


class RTLife(Life):
    created_by = "register"

    @property
    def aggregate(self) -> RT:
        return self.spec.rt

    def register(self, place: Any, number: int, admin: Actor) -> None:
        self.spec.rt = RT.register(place=place, rt_number=number, actor=admin)

    def appoint(self, who: int, day: date, phone: str, admin: Actor) -> None:
        nik, name = self.spec.pool[who]
        self.spec.rt.appoint_ketua_rt(nik=nik, name=name, phone=phone, appointed_on=day, actor=admin)

    def enrol(self, phase: str, day: date, admin: Actor) -> None:
        self.spec.rt.enrol(phase=phase, from_date=day, actor=admin)

    def musyawarah(self, day: date, priorities: list[str]) -> None:
        self.spec.rt.hold_musyawarah(held_on=day, priorities=priorities, actor=self.spec.actor)

    def launch(self, day: date, admin: Actor) -> None:
        self.spec.rt.launch(launched_on=day, actor=admin)


class ActivityLife(Life):
    created_by = "plan"

    def __init__(self, sim: Simulation, plan: ActivityPlan):
        super().__init__(sim, plan)
        self.rt = plan.rt
        self.activity: Activity | None = None

    @property
    def aggregate(self) -> Activity | None:
        return self.activity

    def _assess(self, admin: Actor) -> None:
        activity = self.activity
        rule = self.sim.premium.rule_on(activity.planned_period.start)
        activity.assess_premium(rule.assess(activity.total_value), actor=admin)

    def plan(self, title: str, kind: str, location: str, value: Decimal, period: Period, admin: Actor) -> None:
        self.activity = Activity.plan(rt=self.rt.rt, title=title, kind=kind, location=location, total_value=value,
                                      planned_period=period, actor=admin)
        self._assess(admin)

    def revise(self, value: Decimal, reason: str, admin: Actor) -> None:
        self.activity.revise_value(total_value=value, reason=reason, actor=admin)
        self._assess(admin)

    def letter(self, number: str, issued_on: date, period: Period) -> None:
        rt = self.rt.rt
        reservation = self.activity.issue_task_letter(
            rt=rt, number=number, issued_on=issued_on, cover_period=period, issued_by_nik=rt.ketua.nik,
            today=local_day(self.sim.now), actor=self.rt.actor,
        )
        self.sim.touch(reservation, 0, new=True)  # its one event is counted with the letter

    def join(self, joiners: list[tuple[int, str]]) -> None:
        sim, activity, ketua = self.sim, self.activity, self.rt.rt.ketua
        for p, role in joiners:
            nik, name = (ketua.nik, ketua.name) if p < 0 else self.rt.pool[p]
            activity.join_participant(nik=nik, name=name, role=role, now=sim.now, actor=self.rt.actor)
            sim.now += timedelta(minutes=1)

    def pay(self, part: str, reference: str, admin: Actor) -> None:
        activity = self.activity
        amount = activity.premium.total // 2 if part == "half" else activity.premium_outstanding
        today = local_day(self.sim.now)
        activity.record_premium_payment(amount=amount, reference=reference, paid_on=today, today=today, actor=admin)

    def withdraw(self, p: int, reason: str) -> None:
        self.activity.withdraw_participant(nik=self.rt.pool[p][0], reason=reason, now=self.sim.now,
                                           actor=self.rt.actor)

    def cancel(self, reason: str) -> None:
        self.activity.cancel(reason=reason, now=self.sim.now, actor=self.rt.actor)

    def complete(self, admin: Actor) -> None:
        self.activity.complete(now=self.sim.now, actor=admin)


class ClaimLife(Life):
    created_by = "report"

    def __init__(self, sim: Simulation, activity: ActivityLife, plan: ClaimPlan):
        super().__init__(sim, plan)
        self.activity = activity
        self.claim: Claim | None = None

    @property
    def aggregate(self) -> Claim | None:
        return self.claim

    def report(self, nik: str, incident: datetime, kind: str, chronology: str, reporter: str) -> None:
        self.claim = Claim.report(
            activity=self.activity.activity, nik=nik, incident_at=incident, kind=kind, chronology=chronology,
            reporter=reporter, now=self.sim.now, actor=self.activity.rt.actor,
        )

    def confirm(self, officer: Actor) -> None:
        self.claim.confirm_coverage(self.activity.activity, actor=officer)

    def deny(self, reason: str, officer: Actor) -> None:
        self.claim.deny_coverage(reason=reason, actor=officer)

    def document(self, document: str, officer: Actor) -> None:
        self.claim.receive_document(document=document, actor=officer)

    def assess(self, inputs: AssessmentInputs, officer: Actor) -> None:
        self.claim.assess(inputs=inputs, tables=rules.benefit_tables(), actor=officer)

    def approve(self, officer: Actor) -> None:
        self.claim.approve(actor=officer)

    def reject(self, reason: str, officer: Actor) -> None:
        self.claim.reject(reason=reason, actor=officer)

    def santunan(self, benefit: str, amount: Decimal, beneficiary: str, reference: str, officer: Actor) -> None:
        today = local_day(self.sim.now)
        self.claim.pay_santunan(benefit=benefit, amount=amount, beneficiary=beneficiary, reference=reference,
                                paid_on=today, today=today, actor=officer)

    def close(self, officer: Actor) -> None:
        self.claim.close(actor=officer)


@dataclass
class Generated:
    events: int
    aggregates: int
    saves: int
    seconds: float
    save_seconds: float
    plan_seconds: float

    @property
    def rate(self) -> float:
        return self.events / self.seconds


def generate(app: KampungBahagia, target_events: int, n_rts: int) -> Generated:
    started = time.perf_counter()
    year = plan_year(target_events, n_rts)
    plan_seconds = time.perf_counter() - started
    print(f"  plan: {len(year.rts):,} RTs, {len(year.activities):,} activities, {year.claims:,} claims, "
          f"{year.events:,} events ({plan_seconds:.1f} s)", flush=True)
    sim = Simulation(app, year)
    started = time.perf_counter()
    sim.run()
    seconds = time.perf_counter() - started
    written = app.recorder.max_notification_id() or 0
    if sim.events != year.events or written != year.events:
        print(f"  !! planned {year.events} events, saved {sim.events}, the log holds {written}", file=sys.stderr)
    return Generated(sim.events, sim.aggregates, sim.saves, seconds, sim.save_seconds, plan_seconds)


# --- stores ---------------------------------------------------------------------------------------------------


@dataclass
class Store:
    kind: str
    env: dict[str, str]
    label: str
    reused: dict[str, Any] | None = None  # the generation record of a reused store


def sqlite_store(stack: contextlib.ExitStack, reuse: str | None) -> Store:
    if reuse is None:
        directory = stack.enter_context(tempfile.TemporaryDirectory(prefix="bench_projections_"))
        return Store("sqlite", store_env({"KAMPUNG_DATA_DIR": directory}), "SQLite (temporary file)")
    path = Path(reuse).resolve()
    record_path = path.with_name(path.name + ".json")
    env = {"PERSISTENCE_MODULE": "eventsourcing.sqlite", "SQLITE_DBNAME": str(path), "CREATE_TABLE": "y"}
    if path.exists():
        if not record_path.exists():
            raise SystemExit(f"{path} exists but has no {record_path.name}: an interrupted generation? Delete it.")
        return Store("sqlite", env, f"SQLite {path} (reused)", json.loads(record_path.read_text()))
    path.parent.mkdir(parents=True, exist_ok=True)
    return Store("sqlite", env, f"SQLite {path} (kept for --reuse)")


def postgres_store(stack: contextlib.ExitStack, pg_url: str) -> Store:
    name = f"bench_proj_{os.getpid()}_{secrets.token_hex(3)}"
    url = scratch_database(stack, pg_url, name)
    return Store("postgres", store_env({"DATABASE_URL": url}), f"PostgreSQL scratch database {name}")


READ_MODEL_TABLE = re.compile(r"^(projection_generations|projection_positions|[a-z_]+_g\d+_[a-z_]+)$")


def drop_read_models(engine: Engine) -> None:
    """Remove read-model and tracking tables (a reused SQLite store may hold a previous run's)."""
    metadata = MetaData()
    metadata.reflect(engine)
    doomed = [table for name, table in metadata.tables.items() if READ_MODEL_TABLE.match(name)]
    if doomed:
        metadata.drop_all(engine, tables=doomed)


# --- measuring ------------------------------------------------------------------------------------------------


def default_page_size() -> int:
    return inspect.signature(ProjectionRunner.__init__).parameters["page_size"].default


@dataclass
class Row:
    label: str
    seconds: float
    processed: int  # events this measurement handled (all, or those the read model subscribes to)


def read_loop(app: KampungBahagia, page: int, decode: bool) -> tuple[float, int]:
    select_notifications, to_domain_event = app.recorder.select_notifications, app.mapper.to_domain_event
    count, start = 0, 1
    started = time.perf_counter()
    while True:
        notifications = select_notifications(start, limit=page)
        if decode:
            for notification in notifications:
                to_domain_event(notification)
        count += len(notifications)
        if len(notifications) < page:
            return time.perf_counter() - started, count
        start = notifications[-1].id + 1


def topic_counts(app: KampungBahagia, engine: Engine) -> dict[str, int]:
    table = app.recorder.events_table_name
    with engine.connect() as connection:
        return dict(connection.execute(text(f'SELECT topic, COUNT(*) FROM "{table}" GROUP BY topic')).all())


def row_counts(runner: ProjectionRunner, name: str) -> dict[str, int]:
    with runner.reading(name) as (connection, tables):
        return {key: connection.execute(select(func.count()).select_from(table)).scalar_one()
                for key, table in tables.items()}


@dataclass
class Measured:
    head: int
    rows: list[Row]
    subscribed: dict[str, int]
    counts: dict[str, dict[str, int]]
    page_size: int
    load: tuple[float, float]  # 1-minute load average when measuring began and ended


def analyze_events(app: KampungBahagia, engine: Engine) -> None:
    """PostgreSQL: gather the events table's statistics, as autovacuum does on a live server (it is
    off on some; without statistics the log's topic-filtered paging plans a scan of the rest of
    the table for every page)."""
    started = time.perf_counter()
    with engine.begin() as connection:
        connection.exec_driver_sql(f'ANALYZE "{app.recorder.events_table_name}"')
    print(f"  ANALYZE of the events table: {time.perf_counter() - started:.1f} s", flush=True)


def measure(app: KampungBahagia, profile: str | None, page_size: int) -> Measured:
    load_before = os.getloadavg()[0]
    engine = make_engine(read_model_url(app.env))
    try:
        drop_read_models(engine)
        if engine.dialect.name == "postgresql":
            analyze_events(app, engine)
        head = app.recorder.max_notification_id() or 0
        topics = topic_counts(app, engine)
        rows = []
        for label, decode in (("bare read, raw", False), ("bare read + decode", True)):
            seconds, count = read_loop(app, page_size, decode)
            if count != head:
                print(f"  !! {label} read {count} events, the log's head is {head}", file=sys.stderr)
            rows.append(Row(label, seconds, count))
            print(f"  {label}: {seconds:.1f} s", flush=True)
        subscribed: dict[str, int] = {}
        counts: dict[str, dict[str, int]] = {}
        runners = {}
        for model_class in MODELS:
            model: ReadModel = model_class()
            subscribed[model.name] = sum(topics.get(topic, 0) for topic in model.topics)
            runner = ProjectionRunner(engine, app.recorder, app.mapper, [model], page_size=page_size)
            runner.setup()
            runners[model.name] = runner
            profiler = cProfile.Profile() if profile == model.name else None
            started = time.perf_counter()
            if profiler:
                profiler.enable()
            applied = runner.catch_up([model.name])
            if profiler:
                profiler.disable()
            rows.append(Row(f"catch-up {model.name}", time.perf_counter() - started, applied))
            print(f"  catch-up {model.name}: {rows[-1].seconds:.1f} s", flush=True)
            if applied != subscribed[model.name]:
                print(f"  !! {model.name} applied {applied} events, it subscribes to {subscribed[model.name]}",
                      file=sys.stderr)
            counts[model.name] = row_counts(runner, model.name)
            if profiler:
                out = io.StringIO()
                stats = pstats.Stats(profiler, stream=out).strip_dirs().sort_stats("tottime")
                stats.print_stats(30)
                stats.sort_stats("cumulative").print_stats(40)
                print(f"\ncProfile of the {model.name} catch-up (profiling slows it down):\n{out.getvalue()}")
        for name, runner in runners.items():
            started = time.perf_counter()
            status = runner.rebuild(name)
            rows.append(Row(f"rebuild {name}", time.perf_counter() - started, subscribed[name]))
            print(f"  rebuild {name}: {rows[-1].seconds:.1f} s", flush=True)
            if status.position != head or row_counts(runner, name) != counts[name]:
                print(f"  !! rebuild of {name}: position {status.position}/{head}, rows {row_counts(runner, name)} "
                      f"vs catch-up {counts[name]}", file=sys.stderr)
        drop_read_models(engine)
        return Measured(head, rows, subscribed, counts, page_size, (load_before, os.getloadavg()[0]))
    finally:
        engine.dispose()


def report(store: Store, generated: Generated | None, measured: Measured) -> dict[str, float]:
    head = measured.head
    print(f"\n== {store.kind}: {head:,} events in the log; {store.label} ==")
    if generated is not None:
        print(f"generation: {generated.events:,} events, {generated.aggregates:,} aggregates in {generated.saves:,} saves, "
              f"{generated.seconds:.1f} s = {generated.rate:,.0f} events/s "
              f"(of which app.save {generated.save_seconds:.1f} s; planning {generated.plan_seconds:.1f} s more)")
    elif store.reused:
        r = store.reused
        print(f"generation: reused ({r['events']:,} events generated {r['generated_at']} "
              f"at {r['events_per_second']:,.0f} events/s)")
    default = " (the runner's default)" if measured.page_size == default_page_size() else ""
    print(f"page size: {measured.page_size}{default}; 1-minute load average {measured.load[0]:.1f} when measuring "
          f"began, {measured.load[1]:.1f} when it ended ({os.cpu_count()} CPUs)")
    header = (f"{'measurement':<20} {'seconds':>8} {'log events/s':>13} {'subscribed':>11} {'subscr. ev/s':>13} "
              f"{'vs read+dec':>11} {'vs raw':>7}")
    print(header)
    print("-" * len(header))
    raw = head / measured.rows[0].seconds
    decoded = head / measured.rows[1].seconds
    rates: dict[str, float] = {}
    for row in measured.rows:
        rate = head / row.seconds
        rates[row.label] = rate
        print(f"{row.label:<20} {row.seconds:>8.2f} {rate:>13,.0f} {row.processed:>11,} "
              f"{row.processed / row.seconds:>13,.0f} {rate / decoded:>11.2f} {rate / raw:>7.2f}")
    for name, counts in measured.counts.items():
        print(f"rows {name}: " + ", ".join(f"{table} {count:,}" for table, count in counts.items()))
    coverage = rates["catch-up coverage"]
    verdict = "meets" if coverage >= GOAL * decoded else "misses"
    print(f"coverage catch-up / bare read+decode = {coverage / decoded:.2f}, / bare raw = {coverage / raw:.2f} "
          f"({verdict} the goal of >= {GOAL} x read+decode)")
    return rates


def run_store(kind: str, args: argparse.Namespace) -> None:
    with contextlib.ExitStack() as stack:
        store = sqlite_store(stack, args.reuse) if kind == "sqlite" else postgres_store(stack, args.pg_url)
        print(f"\n-- {kind}: {store.label}", flush=True)
        app = KampungBahagia(env=store.env)
        stack.callback(app.close)
        generated = None
        if store.reused is None:
            generated = generate(app, args.events, args.rts)
            print(f"  generated {generated.events:,} events in {generated.seconds:.1f} s = "
                  f"{generated.rate:,.0f} events/s", flush=True)
            if kind == "sqlite" and args.reuse:
                record = {"events": generated.events, "rts": args.rts, "target": args.events, "seed": SEED,
                          "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
                          "events_per_second": round(generated.rate)}
                path = Path(args.reuse).resolve()
                path.with_name(path.name + ".json").write_text(json.dumps(record, indent=1))
        elif store.reused.get("target") != args.events or store.reused.get("rts") != args.rts:
            print(f"  note: the reused store was generated for --events {store.reused.get('target')} "
                  f"--rts {store.reused.get('rts')}; measuring it as it is", flush=True)
        measured = measure(app, args.profile, args.page_size or default_page_size())
        report(store, generated, measured)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add_store_options(parser)
    parser.add_argument("--scale", choices=SCALES, default="city",
                        help="city: Kota Jambi, 1,650 RTs, 1,000,000 events; province: Jambi province (assumed "
                             "15,000 RTs), the same year per RT, 9,100,000 events")
    parser.add_argument("--events", type=int, help="generate at least this many events (default: the scale's)")
    parser.add_argument("--rts", type=int, help="RTs (default: the scale's)")
    parser.add_argument("--reuse", metavar="PATH",
                        help="SQLite: keep the generated store at PATH, or reuse it if it is there already")
    parser.add_argument("--page-size", type=int, metavar="N",
                        help=f"page size of the runner and of the bare loops (default: the runner's, "
                             f"{default_page_size()})")
    parser.add_argument("--profile", choices=[m.name for m in MODELS],
                        help="cProfile this read model's catch-up and print the top functions")
    args = parser.parse_args(argv)
    args.rts = args.rts or SCALES[args.scale][0]
    args.events = args.events or SCALES[args.scale][1]
    if not 1 <= args.rts <= MAX_RTS:
        parser.error(f"--rts must be between 1 and {MAX_RTS:,} (NIKs of {POOL} residents per RT stay unique)")
    return run_each_store(args.store, lambda kind: run_store(kind, args))


if __name__ == "__main__":
    sys.exit(main())
