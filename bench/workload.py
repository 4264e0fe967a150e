"""The command mix every command benchmark runs, written once (``commands.py``, ``group_commit.py``).

Each RT is registered, gets a Ketua RT, is enrolled, holds a musyawarah and is launched. It then
plans 2 activities; each gets a task letter, 15 participants who join one by one and 2 premium
payments (20 events). One accident per RT goes through report, coverage, 7 documents, assessment,
approval, santunan and close. About 60 events and 56 commands per RT; dates in 2025–2026, NIKs
synthetic but valid. Every RT's commands touch only its own aggregates, so RTs can be run in any
order, in chunks, and by several threads at once.

Every command states the events it writes: ``shape`` is a list of (aggregate key, number of new
events), in the order the application saves them, which gives the bare-library baseline the same
aggregates and events per save. The workload is planned first (``plan``: the calls with their
arguments) and run later (``replay``), so a measurement times the commands, not the arguments.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time as dtime, timedelta, timezone
from decimal import Decimal
from typing import Any
from uuid import UUID

from application import rules
from application.clock import SystemClock
from domain.activity import Activity
from domain.actor import Actor
from domain.benefits import AssessmentInputs
from domain.claim import Claim
from domain.nik import parse_nik
from domain.period import JAKARTA, Period
from domain.rt import RT, rt_code

ACTIVITIES_PER_RT = 2
PARTICIPANTS_PER_ACTIVITY = 15  # Activity = planned + premium + letter + 15 joins + 2 payments = 20 events
SERIALS_PER_RT = 1 + ACTIVITIES_PER_RT * (PARTICIPANTS_PER_ACTIVITY - 1)
CLAIM_DOCUMENTS = (
    "ktp", "kk", "kronologis", "surat_tugas", "laporan_tahap_1", "surat_keterangan_dokter", "kuitansi_pengobatan",
)

ADMIN = Actor("admin.kota", "admin")
OFFICER = Actor("petugas.klaim", "claim_officer")

FIRST = ("Ahmad", "Siti", "Budi", "Dewi", "Rahmat", "Nur", "Hendra", "Yuliana", "Agus", "Fitri", "Joko", "Rina")
LAST = ("Saputra", "Lestari", "Hidayat", "Wulandari", "Pratama", "Harahap", "Siregar", "Nasution", "Putri", "Syahputra")
KINDS = ("cleaning", "road_repair", "drainage", "greening", "public_facility")
PRIORITIES = (
    "Perbaikan saluran drainase di gang utama",
    "Pengecoran jalan lingkungan sepanjang 120 meter",
    "Penghijauan dan tempat sampah terpilah",
)
CHRONOLOGY = (
    "Saat gotong royong pengecoran jalan lingkungan, peserta tergelincir di tepi saluran drainase\n"
    "dan kakinya tertimpa papan bekisting. Korban dibawa warga ke Puskesmas lalu dirujuk ke RSUD\n"
    "Raden Mattaher untuk rontgen dan perawatan. Saksi: dua warga yang bekerja di lokasi yang sama."
)


def moment(day: date, hour: int = 9) -> datetime:
    """``hour`` o'clock in Kota Jambi on ``day``, as an aware UTC datetime."""
    return datetime.combine(day, dtime(hour), JAKARTA).astimezone(timezone.utc)


def synthetic_nik(serial: int) -> str:
    """A valid NIK: 1571 (Kota Jambi) + district 01–11 + DDMMYY (+40 on the day for women) + serial ≠ 0000."""
    district = 1 + serial % 11
    born = date(1965, 1, 1) + timedelta(days=(serial * 37) % 14000)
    day = born.day + (40 if serial % 2 else 0)
    nik = f"1571{district:02d}{day:02d}{born.month:02d}{born.year % 100:02d}{serial % 9999 + 1:04d}"
    return parse_nik(nik)


def person(serial: int) -> str:
    return f"{FIRST[serial % len(FIRST)]} {LAST[(serial // len(FIRST)) % len(LAST)]}"


class ThreadClock(SystemClock):
    """A fixed clock per thread: each client thread places its own RT's history in time."""

    def __init__(self, start: datetime):
        self.start = start
        self._local = threading.local()

    def now(self) -> datetime:
        return getattr(self._local, "moment", self.start)

    def set(self, when: datetime) -> None:
        self._local.moment = when


Shape = list[tuple[tuple[Any, ...], int]]


@dataclass(frozen=True)
class Call:
    """One command of the workload: when it happens, the method and its arguments, and its shape."""

    at: datetime
    command: str
    shape: Shape
    args: tuple[Any, ...]
    kwargs: dict[str, Any]


class Planner:
    """Collects the workload's commands, so that running them later costs only the commands."""

    def __init__(self) -> None:
        self.calls: list[Call] = []
        self.now = datetime.min

    def at(self, when: datetime) -> None:
        self.now = when

    def do(self, command: str, shape: Shape, *args: Any, **kwargs: Any) -> None:
        self.calls.append(Call(self.now, command, shape, args, kwargs))


def plan(rts: Iterable[int]) -> list[Call]:
    planner = Planner()
    workload(planner, rts)
    return planner.calls


def replay(app: Any, clock: ThreadClock, calls: Iterable[Call]) -> list[tuple[str, float]]:
    """Run ``calls`` on ``app``, each at its moment on ``clock`` (this thread's); seconds per command."""
    latencies = []
    for call in calls:
        clock.set(call.at)
        method = getattr(app, call.command)
        started = time.perf_counter()
        method(*call.args, **call.kwargs)
        latencies.append((call.command, time.perf_counter() - started))
    return latencies


def events_of(calls: Iterable[Call]) -> int:
    return sum(count for call in calls for _, count in call.shape)


def activity_ids(rts: Iterable[int]) -> list[UUID]:
    """The ids of the 20-event activities ``workload`` plans for ``rts``."""
    places = sorted(rules.places())
    ids = []
    for i in rts:
        rt_id = RT.create_id(rt_code(places[i % len(places)], i // len(places) + 1))
        base = _start_of(i)
        for a in range(ACTIVITIES_PER_RT):
            ids.append(Activity.create_id(rt_id, _title(i, a), _period(base, a)))
    return ids


def _start_of(i: int) -> date:
    return date(2025, 1, 6) + timedelta(days=(i * 3) % 540)  # RTs start through 2025 into mid-2026


def _title(i: int, a: int) -> str:
    return f"Gotong royong {KINDS[(i + a) % len(KINDS)].replace('_', ' ')} tahap {a + 1}"


def _period(base: date, a: int) -> Period:
    start = base + timedelta(days=20 + 7 * a)
    return Period(start, start + timedelta(days=10))


def workload(run: Planner, rts: Iterable[int]) -> None:
    """The command mix for the RTs numbered ``rts`` (0 up to 67,931: Kota Jambi's kelurahan × 999)."""
    places = sorted(rules.places())
    premium = rules.premium_table()
    for i in rts:
        kelurahan, rt_number = places[i % len(places)], i // len(places) + 1
        rt_id = RT.create_id(rt_code(kelurahan, rt_number))
        ketua = Actor(f"ketua.rt{i}", "ketua_rt", rt_code(kelurahan, rt_number))  # acts for this RT only
        rt_key = ("rt", i)
        base = _start_of(i)
        serial = i * SERIALS_PER_RT
        ketua_nik = synthetic_nik(serial := serial + 1)
        ketua_name = person(serial)

        run.at(moment(base + timedelta(days=14), 10))
        run.do("register_rt", [(rt_key, 1)], kelurahan, rt_number, ADMIN)
        run.do("appoint_ketua_rt", [(rt_key, 1)], rt_id, ketua_nik, ketua_name, f"0812{7000000 + i:07d}", base, ADMIN)
        run.do("enrol_rt", [(rt_key, 1)], rt_id, "pilot" if i % 3 else "expansion", base + timedelta(days=1), ADMIN)
        run.do("hold_musyawarah", [(rt_key, 1)], rt_id, base + timedelta(days=7), PRIORITIES, ketua)
        run.do("launch_rt", [(rt_key, 1)], rt_id, base + timedelta(days=14), ADMIN)

        for a in range(ACTIVITIES_PER_RT):
            act_key = ("activity", i, a)
            period = _period(base, a)
            start = period.start
            value = Decimal(25_000_000 + (i % 7) * 5_000_000 + a * 1_000_000)
            activity_id = Activity.create_id(rt_id, _title(i, a), period)

            run.at(moment(base + timedelta(days=16), 10))
            run.do(
                "plan_activity", [(act_key, 2)], rt_id, _title(i, a), KINDS[(i + a) % len(KINDS)],
                f"Gang Kenanga RT {rt_number:03d}, {kelurahan}", value, period, ketua,
            )
            run.do(
                "issue_task_letter", [(act_key, 1), (("letter", i, a), 1)], activity_id,
                f"ST/{i:05d}-{a}/KB/{start.year}", base + timedelta(days=16), period, ketua_nik, ketua,
            )
            run.at(moment(base + timedelta(days=18), 8))
            participants = []
            for p in range(PARTICIPANTS_PER_ACTIVITY):
                if p == 0:
                    nik, name, role = ketua_nik, ketua_name, "ketua_rt"
                else:
                    nik, name = synthetic_nik(serial := serial + 1), person(serial)
                    role = ("resident", "resident", "phl", "pokja_member")[p % 4]
                participants.append((nik, name))
                run.do("join_participant", [(act_key, 1)], activity_id, nik, name, role, ketua)
            total = premium.rule_on(start).assess(value).total
            run.do("record_premium_payment", [(act_key, 1)], activity_id, total // 2, f"BPJS-{i}-{a}-1",
                   base + timedelta(days=18), ADMIN)
            run.do("record_premium_payment", [(act_key, 1)], activity_id, total - total // 2, f"BPJS-{i}-{a}-2",
                   base + timedelta(days=18), ADMIN)

            if a == 0:  # one accident per RT, on its first activity, followed to the end
                _accident(run, i, activity_id, participants[3], start, ketua_name, ketua)


def _accident(run: Planner, i: int, activity_id: UUID, victim: tuple[str, str], start: date, reporter: str,
              ketua: Actor) -> None:
    nik, name = victim
    incident = moment(start + timedelta(days=2), 10)
    claim_id = Claim.create_id(activity_id, nik, incident)
    claim_key = ("claim", i)
    run.at(incident + timedelta(hours=5))
    run.do("report_accident", [(claim_key, 1)], activity_id, nik, incident, "work_accident", CHRONOLOGY, reporter,
           ketua)
    run.at(incident + timedelta(days=3))
    run.do("confirm_coverage", [(claim_key, 1)], claim_id, OFFICER)
    for document in CLAIM_DOCUMENTS:
        run.do("receive_document", [(claim_key, 1)], claim_id, document, OFFICER)
    inputs = AssessmentInputs(medical_costs=Decimal(4_700_000))  # one line: medical care
    run.do("assess_claim", [(claim_key, 1)], claim_id, inputs, OFFICER)
    run.do("approve_claim", [(claim_key, 1)], claim_id, OFFICER)
    run.do("pay_santunan", [(claim_key, 1)], claim_id, "medical_care", Decimal(4_700_000), name,
           f"SANTUNAN-{i:05d}", (incident + timedelta(days=3)).astimezone(JAKARTA).date(), OFFICER)
    run.do("close_claim", [(claim_key, 1)], claim_id, OFFICER)
