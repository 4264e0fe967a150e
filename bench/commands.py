"""Command throughput of KampungBahagia against the bare eventsourcing library, on SQLite and PostgreSQL.

Run from the repository root:

    .venv/bin/python bench/commands.py [--store sqlite|postgres|both] [--rts N] [--profile]

For each store, in this one process, three measurements, each on a fresh store (an SQLite temp
file, or a scratch PostgreSQL database ``bench_*`` created and dropped here):

1. baseline append   - a bare ``Application`` with a trivial aggregate writes the same events
                       (same aggregates, same events per save, similar payload size), one save
                       per command, aggregates kept in memory.
2. baseline get+save - the same, but each command first reloads the aggregate it changes with
                       ``repository.get`` (load-modify-save, as a command handler does).
3. KampungBahagia    - the realistic command mix through the application's command methods.

Then ``repository.get`` of a 20-event aggregate (an Activity vs. the baseline's equivalent).
Timings use ``time.perf_counter``; nothing is asserted on time.
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import io
import os
import pstats
import secrets
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time as dtime, timedelta, timezone
from decimal import Decimal
from pathlib import Path
from typing import Any
from uuid import UUID

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from eventsourcing.application import Application  # noqa: E402
from eventsourcing.domain import Aggregate, event  # noqa: E402

from application import rules  # noqa: E402
from application.clock import FixedClock  # noqa: E402
from application.config import store_env  # noqa: E402
from application.service import KampungBahagia  # noqa: E402
from bench.stores import add_store_options, run_each_store, scratch_database  # noqa: E402
from domain.activity import Activity  # noqa: E402
from domain.actor import Actor  # noqa: E402
from domain.benefits import AssessmentInputs  # noqa: E402
from domain.claim import Claim  # noqa: E402
from domain.nik import parse_nik  # noqa: E402
from domain.period import JAKARTA, Period  # noqa: E402
from domain.rt import RT, rt_code  # noqa: E402

DEFAULT_RTS = 200
GETS = 1000  # repository.get calls per measurement
ACTIVITIES_PER_RT = 2
PARTICIPANTS_PER_ACTIVITY = 15  # Activity = planned + premium + letter + 15 joins + 2 payments = 20 events
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


# --- small helpers --------------------------------------------------------------------------------------------


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile; values need not be sorted."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(p / 100 * len(ordered) + 0.5)))
    return ordered[rank - 1]


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


# --- the workload, written once ---------------------------------------------------------------------------------
#
# Every command states the events it writes: ``shape`` is a list of (aggregate key, number of new events), in the
# order the application saves them. The same workload run in "shape" mode (no application) gives the baseline
# the exact same aggregates and events per save.

Shape = list[tuple[tuple[Any, ...], int]]


class Runner:
    """Runs the workload's commands on the application (``app`` given) or only collects their shapes."""

    def __init__(self, app: KampungBahagia | None = None, clock: FixedClock | None = None):
        self.app = app
        self.clock = clock
        self.shapes: list[Shape] = []
        self.latencies: list[tuple[str, float]] = []

    def at(self, when: datetime) -> None:
        if self.clock is not None:
            self.clock.set(when)

    def do(self, command: str, shape: Shape, *args: Any, **kwargs: Any) -> None:
        self.shapes.append(shape)
        if self.app is None:
            return
        method = getattr(self.app, command)
        started = time.perf_counter()
        method(*args, **kwargs)
        self.latencies.append((command, time.perf_counter() - started))


def workload(run: Runner, n_rts: int) -> list[UUID]:
    """The command mix for ``n_rts`` RTs; returns the ids of the 20-event activities."""
    places = sorted(rules.places())
    premium = rules.premium_table()
    activity_ids: list[UUID] = []
    serial = 0
    for i in range(n_rts):
        kelurahan, rt_number = places[i % len(places)], i // len(places) + 1
        rt_id = RT.create_id(rt_code(kelurahan, rt_number))
        ketua = Actor(f"ketua.rt{i}", "ketua_rt", rt_code(kelurahan, rt_number))  # acts for this RT only
        rt_key = ("rt", i)
        base = date(2025, 1, 6) + timedelta(days=(i * 3) % 540)  # RTs start through 2025 into mid-2026
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
            start = base + timedelta(days=20 + 7 * a)
            period = Period(start, start + timedelta(days=10))
            title = f"Gotong royong {KINDS[(i + a) % len(KINDS)].replace('_', ' ')} tahap {a + 1}"
            value = Decimal(25_000_000 + (i % 7) * 5_000_000 + a * 1_000_000)
            activity_id = Activity.create_id(rt_id, title, period)
            activity_ids.append(activity_id)

            run.at(moment(base + timedelta(days=16), 10))
            run.do(
                "plan_activity", [(act_key, 2)], rt_id, title, KINDS[(i + a) % len(KINDS)],
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
                nik, name = participants[3]
                incident = moment(start + timedelta(days=2), 10)
                claim_id = Claim.create_id(activity_id, nik, incident)
                claim_key = ("claim", i)
                run.at(incident + timedelta(hours=5))
                run.do("report_accident", [(claim_key, 1)], activity_id, nik, incident, "work_accident",
                       CHRONOLOGY, ketua_name, ketua)
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
    return activity_ids


# --- the baseline: bare library, trivial aggregate --------------------------------------------------------------


class Thing(Aggregate):
    @event("Created")
    def __init__(self, data: str):
        self.data = data
        self.count = 0

    @event("Happened")
    def happen(self, data: str) -> None:
        self.count += 1


class Baseline(Application):
    name = "Baseline"


def baseline_padding(target_bytes: float, created_share: float) -> int:
    """How long ``data`` must be for the baseline's events to store about ``target_bytes`` each on average,
    when ``created_share`` of them create an aggregate (a creation event also stores the aggregate's topic)."""
    app = Baseline(env={"PERSISTENCE_MODULE": "eventsourcing.popo"})
    thing = Thing(data="")
    thing.happen(data="")
    created, happened = (len(app.mapper.to_stored_event(e).state) for e in thing.collect_events())
    return max(0, round(target_bytes - (created_share * created + (1 - created_share) * happened)))


def run_baseline(
    app: Baseline, shapes: list[Shape], pad: int, reload: bool
) -> tuple[list[tuple[str, float]], dict[tuple[Any, ...], UUID]]:
    data = "x" * pad
    things: dict[tuple[Any, ...], Thing] = {}
    ids: dict[tuple[Any, ...], UUID] = {}
    latencies: list[tuple[str, float]] = []
    for shape in shapes:
        started = time.perf_counter()
        changed = []
        for key, count in shape:
            thing = things.get(key)
            if thing is None:
                thing = Thing(data=data)
                ids[key] = thing.id
                count -= 1
            elif reload:
                thing = app.repository.get(ids[key])
            for _ in range(count):
                thing.happen(data=data)
            things[key] = thing
            changed.append(thing)
        app.save(*changed)
        latencies.append(("save", time.perf_counter() - started))
    return latencies, ids


# --- stores: fresh and cleaned up -------------------------------------------------------------------------------


class Stores:
    """Hands out fresh store environments and removes them all on close (also on error)."""

    def __init__(self, stack: contextlib.ExitStack, pg_url: str):
        self.stack = stack
        self.pg_url = pg_url
        self.count = 0
        self.tag = f"{os.getpid()}_{secrets.token_hex(3)}"

    def fresh(self, store: str) -> dict[str, str]:
        return store_env(self.fresh_variables(store))

    def fresh_variables(self, store: str) -> dict[str, str]:
        """The variables an operator sets to use a fresh store (``KAMPUNG_DATA_DIR`` or ``DATABASE_URL``)."""
        self.count += 1
        if store == "sqlite":
            return {"KAMPUNG_DATA_DIR": self.stack.enter_context(tempfile.TemporaryDirectory(prefix="bench_"))}
        return {"DATABASE_URL": scratch_database(self.stack, self.pg_url, f"bench_cmd_{self.tag}_{self.count}")}

    def open(self, cls: type[Application], env: dict[str, str], **kwargs: Any) -> Any:
        app = cls(env=env, **kwargs)
        self.stack.callback(app.close)  # closed before its store is removed (the stack unwinds in reverse)
        return app


# --- measuring --------------------------------------------------------------------------------------------------


@dataclass
class Result:
    label: str
    seconds: float
    latencies: list[tuple[str, float]]
    events: int = 0
    aggregates: int = 0
    bytes_per_event: float = 0.0
    get_latencies: list[float] = field(default_factory=list)

    @property
    def commands(self) -> int:
        return len(self.latencies)


def log_stats(app: Application) -> tuple[int, int, float]:
    """Events, distinct aggregates and mean stored-state bytes, read back from the notification log."""
    events, size, originators, start = 0, 0, set(), 1
    while True:
        page = app.recorder.select_notifications(start=start, limit=5000)
        for notification in page:
            events += 1
            size += len(notification.state)
            originators.add(notification.originator_id)
        if len(page) < 5000:
            return events, len(originators), size / max(events, 1)
        start = page[-1].id + 1


def time_gets(app: Application, ids: list[UUID], expected_version: int) -> list[float]:
    for aggregate_id in ids[:3]:  # the workload really built aggregates of the size we say we are reading
        version = app.repository.get(aggregate_id).version
        if version != expected_version:
            raise RuntimeError(f"expected a {expected_version}-event aggregate, {aggregate_id} has {version}")
    latencies = []
    for n in range(GETS):
        aggregate_id = ids[n % len(ids)]
        started = time.perf_counter()
        app.repository.get(aggregate_id)
        latencies.append(time.perf_counter() - started)
    return latencies


def measure_store(store: str, n_rts: int, stores: Stores, pad: int, profile: bool) -> list[Result]:
    shaper = Runner()
    workload(shaper, n_rts)
    shapes = shaper.shapes
    planned_events = sum(count for shape in shapes for _, count in shape)
    activity_keys = [("activity", i, a) for i in range(n_rts) for a in range(ACTIVITIES_PER_RT)]
    results = []

    for label, reload in (("baseline append", False), ("baseline get+save", True)):
        app = stores.open(Baseline, stores.fresh(store))
        started = time.perf_counter()
        latencies, ids = run_baseline(app, shapes, pad, reload)
        result = Result(label, time.perf_counter() - started, latencies)
        result.events, result.aggregates, result.bytes_per_event = log_stats(app)
        result.get_latencies = time_gets(app, [ids[key] for key in activity_keys], 20)
        results.append(result)
        app.close()

    clock = FixedClock(moment(date(2025, 1, 1)))
    app = stores.open(KampungBahagia, stores.fresh(store), clock=clock)
    run = Runner(app, clock)
    profiler = cProfile.Profile() if profile else None
    started = time.perf_counter()
    if profiler:
        profiler.enable()
    activity_ids = workload(run, n_rts)
    if profiler:
        profiler.disable()
    result = Result("KampungBahagia", time.perf_counter() - started, run.latencies)
    result.events, result.aggregates, result.bytes_per_event = log_stats(app)
    result.get_latencies = time_gets(app, activity_ids, 20)
    results.append(result)
    app.close()

    for r in results:
        if r.events != planned_events or r.aggregates != results[-1].aggregates:
            print(f"  !! {r.label}: {r.events} events / {r.aggregates} aggregates, planned {planned_events}",
                  file=sys.stderr)
    if profiler:
        out = io.StringIO()
        stats = pstats.Stats(profiler, stream=out).strip_dirs().sort_stats("tottime")
        stats.print_stats(25)
        out.write("\n--- by cumulative time ---\n")
        stats.sort_stats("cumulative").print_stats(40)
        print(f"\ncProfile of KampungBahagia on {store} (profiling slows it down):\n{out.getvalue()}")
    return results


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.2f}"


def report(store: str, n_rts: int, results: list[Result]) -> None:
    base = results[0]
    print(f"\n== {store}: {n_rts} RTs, {results[-1].commands} commands ==")
    header = (f"{'measurement':<19} {'events':>7} {'aggs':>6} {'B/event':>7} {'seconds':>8} {'events/s':>9} "
              f"{'cmds/s':>8} {'p50 ms':>7} {'p99 ms':>7} {'vs append':>9}")
    print(header)
    print("-" * len(header))
    for r in results:
        seconds = [s for _, s in r.latencies]
        ratio = (r.events / r.seconds) / (base.events / base.seconds)
        print(f"{r.label:<19} {r.events:>7} {r.aggregates:>6} {r.bytes_per_event:>7.0f} {r.seconds:>8.2f} "
              f"{r.events / r.seconds:>9.0f} {r.commands / r.seconds:>8.0f} {ms(percentile(seconds, 50)):>7} "
              f"{ms(percentile(seconds, 99)):>7} {ratio:>9.2f}")
    ours = results[-1]
    print(f"ratio of KampungBahagia events/s to baseline: {ours.events / ours.seconds / (base.events / base.seconds):.2f}"
          f" (append), {ours.events / ours.seconds / (results[1].events / results[1].seconds):.2f} (get+save)")

    print(f"\nrepository.get of a 20-event aggregate ({GETS} gets)   p50 ms   p99 ms")
    for r in results:
        print(f"  {r.label:<43} {ms(percentile(r.get_latencies, 50)):>7} {ms(percentile(r.get_latencies, 99)):>8}")
    print(f"  KampungBahagia / baseline append (p50)      "
          f"{percentile(ours.get_latencies, 50) / percentile(base.get_latencies, 50):>7.2f}x")

    by_command: dict[str, list[float]] = defaultdict(list)
    for command, seconds in ours.latencies:
        by_command[command].append(seconds)
    total = sum(s for _, s in ours.latencies)
    print(f"\nKampungBahagia by command      count  p50 ms  p99 ms  share of time")
    for command, seconds in sorted(by_command.items(), key=lambda item: -sum(item[1])):
        print(f"  {command:<26} {len(seconds):>7} {ms(percentile(seconds, 50)):>7} {ms(percentile(seconds, 99)):>7}"
              f"  {sum(seconds) / total:>6.1%}")


def calibrate_payload() -> tuple[float, float]:
    """Mean stored bytes per event of the application's workload, and the share of events that create an
    aggregate (run in memory; this also warms the code up)."""
    clock = FixedClock(moment(date(2025, 1, 1)))
    app = KampungBahagia(env={"PERSISTENCE_MODULE": "eventsourcing.popo"}, clock=clock)
    workload(Runner(app, clock), 3)
    events, aggregates, size = log_stats(app)
    return size, aggregates / events


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add_store_options(parser)
    parser.add_argument("--rts", type=int, default=DEFAULT_RTS,
                        help=f"RTs in the workload, about 60 events and 56 commands each (default {DEFAULT_RTS})")
    parser.add_argument("--profile", action="store_true", help="cProfile the application's run and print the top")
    args = parser.parse_args(argv)
    if not 1 <= args.rts <= 68 * 999:
        parser.error("--rts must be between 1 and 67932")

    target, created_share = calibrate_payload()
    pad = baseline_padding(target, created_share)
    print(f"KampungBahagia payload: {target:.0f} bytes/event on average; baseline events padded to match.")

    def run(store: str) -> None:
        with contextlib.ExitStack() as stack:
            results = measure_store(store, args.rts, Stores(stack, args.pg_url), pad, args.profile)
        report(store, args.rts, results)

    return run_each_store(args.store, run)


if __name__ == "__main__":
    sys.exit(main())
