"""Aggregate load time as an aggregate's history grows, with and without snapshots.

An Activity of N events (planned, premium assessed, task letter issued, N - 3 participants joined) is
built through the application's commands, 1,000 joins per save, by an application that takes no
snapshots. The snapshot the application would have taken by then (at the last multiple of its
interval) is then taken once. Rows: ``repository.get`` of the whole aggregate by the application
(latest snapshot + the events after it) and by the same application replaying every event (the
baseline), the two alternating load by load. Part of ``bench/suite.py``; run alone:

    .venv/bin/python bench/loads.py [--store sqlite|postgres|both] [--sizes 10,1000,10000]
"""

from __future__ import annotations

import argparse
import contextlib
import statistics
import sys
import time
from dataclasses import dataclass, replace
from datetime import date, timedelta
from pathlib import Path
from uuid import UUID

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from application.clock import FixedClock  # noqa: E402
from application.service import KampungBahagia  # noqa: E402
from bench.rounds import Spread  # noqa: E402
from bench.stores import Stores, add_store_options, run_each_store  # noqa: E402
from bench.workload import ADMIN, PRIORITIES, moment, person, synthetic_nik  # noqa: E402
from domain.activity import Activity  # noqa: E402
from domain.actor import Actor  # noqa: E402
from domain.period import Period  # noqa: E402

SIZES = (10, 1_000, 10_000)
JOINS_PER_SAVE = 1_000
EVENTS_BEFORE_JOINS = 3  # ActivityPlanned, PremiumAssessed, TaskLetterIssued
LOADS_PER_SIZE = 20_000  # events replayed per size: many loads of a small aggregate, a few of a big one
BATCHES = 5  # the loads alternate between the two applications; the ratio's range is over batches
MIN_LOADS = 15  # of the biggest aggregate too, so that each batch has a median
INTERVAL = KampungBahagia.snapshotting_intervals[Activity]


class Replaying(KampungBahagia):
    """The application on the same tables, replaying every event (no snapshots)."""

    name = KampungBahagia.name
    snapshotting_intervals = {}


@dataclass(frozen=True)
class LoadResult:
    events: int
    snapshot_version: int
    with_snapshots: float  # median seconds per load
    replay: float
    ratio: Spread  # with_snapshots / replay, batch by batch


def launched_rt(app: KampungBahagia, number: int, start: date) -> tuple[UUID, Actor]:
    """A launched RT and its Ketua RT (who acts for it alone)."""
    rt_id = app.register_rt("15.71.01.1001", number, ADMIN)
    ketua = Actor(f"ketua.{number}", "ketua_rt", app.get_rt(rt_id).code)
    app.appoint_ketua_rt(rt_id, synthetic_nik(number), person(number), "081234567890", start, ADMIN)
    app.enrol_rt(rt_id, "pilot", start, ADMIN)
    app.hold_musyawarah(rt_id, start, PRIORITIES, ketua)
    app.launch_rt(rt_id, start, ADMIN)
    return rt_id, ketua


def activity_of(app: KampungBahagia, clock: FixedClock, events: int, number: int) -> UUID:
    """A new RT's Activity with exactly ``events`` events."""
    start = date(2025, 3, 3)
    clock.set(moment(start, 8))
    rt_id, ketua = launched_rt(app, number, start)
    period = Period(start, start + timedelta(days=90))
    activity_id = app.plan_activity(rt_id, f"Gotong royong {events}", "cleaning", "Jl. Sipin", 50_000_000, period,
                                    ADMIN)
    app.issue_task_letter(activity_id, f"ST/LOAD/{number}", start, period, synthetic_nik(number), ketua)
    clock.set(moment(start, 10))
    rows, seen = [], set()
    serial = number * 100_000
    while len(rows) < events - EVENTS_BEFORE_JOINS:
        nik = synthetic_nik(serial := serial + 1)
        if nik not in seen:
            seen.add(nik)
            rows.append((nik, person(serial), "resident"))
    for first in range(0, len(rows), JOINS_PER_SAVE):
        app.join_participants(activity_id, rows[first:first + JOINS_PER_SAVE], ketua)
    return activity_id


def alternate_loads(apps: tuple[KampungBahagia, KampungBahagia], aggregate_id: UUID, loads: int) -> LoadResult:
    """``repository.get`` by each application in turn, ``loads`` times each, in ``BATCHES`` batches."""
    for app in apps:
        app.repository.get(aggregate_id)  # warm the connection and the code path
    seconds: tuple[list[float], list[float]] = ([], [])
    for number in range(loads):
        pairs = list(zip(apps, seconds))
        for app, times in pairs if number % 2 else reversed(pairs):  # nobody always first
            started = time.perf_counter()
            app.repository.get(aggregate_id)
            times.append(time.perf_counter() - started)
    size = max(1, loads // BATCHES)
    batch_ratios = [statistics.median(seconds[0][k:k + size]) / statistics.median(seconds[1][k:k + size])
                    for k in range(0, loads - size + 1, size)]
    return LoadResult(0, 0, statistics.median(seconds[0]), statistics.median(seconds[1]), Spread.of(batch_ratios))


def measure_loads(env: dict[str, str], sizes: tuple[int, ...] = SIZES) -> list[LoadResult]:
    clock = FixedClock(moment(date(2025, 3, 3)))
    results = []
    with contextlib.closing(Replaying(env=env, clock=clock)) as replaying, \
            contextlib.closing(KampungBahagia(env=env, clock=clock)) as app:
        for number, events in enumerate(sizes, start=1):
            activity_id = activity_of(replaying, clock, events, number)
            version = replaying.repository.get(activity_id).version
            if version != events:
                raise RuntimeError(f"built an Activity of {version} events, wanted {events}")
            snapshot_version = events // INTERVAL * INTERVAL
            if snapshot_version:
                app.take_snapshot(activity_id, version=snapshot_version)
            loads = max(MIN_LOADS, min(200, LOADS_PER_SIZE // events))
            results.append(replace(alternate_loads((app, replaying), activity_id, loads), events=events,
                                   snapshot_version=snapshot_version))
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add_store_options(parser)
    parser.add_argument("--sizes", default=",".join(map(str, SIZES)), help="events per Activity, comma-separated")
    args = parser.parse_args(argv)
    sizes = tuple(int(size) for size in args.sizes.split(","))
    if min(sizes) <= EVENTS_BEFORE_JOINS:
        parser.error(f"each size must be above {EVENTS_BEFORE_JOINS}")

    def run(store: str) -> None:
        with contextlib.ExitStack() as stack:
            results = measure_loads(Stores(stack, args.pg_url).fresh(store), sizes)
        print(f"\n== {store}: ms per load of an Activity ==")
        print(f"{'events':>7} {'snapshot at':>11} {'snapshots':>10} {'replay':>10} {'ratio (range)':>18}")
        for r in results:
            print(f"{r.events:>7} {r.snapshot_version or '-':>11} {r.with_snapshots * 1000:>10.2f} "
                  f"{r.replay * 1000:>10.2f} {str(r.ratio):>18}")

    return run_each_store(args.store, run)


if __name__ == "__main__":
    sys.exit(main())
