"""Command throughput of KampungBahagia against the bare eventsourcing library, on SQLite and PostgreSQL.

Run from the repository root:

    .venv/bin/python bench/commands.py [--store sqlite|postgres|both] [--rts N] [--rounds R] [--profile]

Contestants, each on a fresh store of its own (an SQLite temp file, or a scratch PostgreSQL database
``bench_*`` created and dropped here), one client each, in interleaved rounds (``bench/rounds.py``):
each round every contestant runs the command mix (``bench/workload.py``) of the same next RTs.

1. baseline append   - the bare library writing the same events, aggregates kept in memory
                       (``bench/baseline.py``);
2. baseline get+save - the same, each command first reloading the aggregate it changes;
3. KampungBahagia    - the command mix through the application's command methods;
4. (``--without-cache``) KampungBahagia with ``KAMPUNG_COMMAND_CACHE=0``;
5. (``--two-servers``) two KampungBahagia instances on one store, taking the commands in turn, so
   that every copy one of them keeps is stale by its next command: the cache's worst case.

Then ``repository.get`` of a 20-event aggregate (an Activity against the baseline's equivalent),
alternating between the two. Nothing is asserted on time.
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import io
import itertools
import pstats
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any
from uuid import UUID

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from eventsourcing.application import Application  # noqa: E402

from application.service import KampungBahagia  # noqa: E402
from bench import baseline  # noqa: E402
from bench.rounds import Series, alternate_steps, percentile  # noqa: E402
from bench.stores import Stores, add_store_options, run_each_store  # noqa: E402
from bench.workload import ACTIVITIES_PER_RT, Call, ThreadClock, activity_ids, events_of, moment, plan, replay  # noqa: E402

DEFAULT_RTS = 200
DEFAULT_ROUNDS = 20
WARM_UP_RTS = 2  # run by every contestant before the first round, not counted
GETS = 1000  # repository.get calls per aggregate kind
APPEND, GET_SAVE, OURS = "baseline append", "baseline get+save", "KampungBahagia"
UNCACHED, TWO_SERVERS = "KampungBahagia, no cache", "two servers taking turns"


def rounds_of(first: int, rts: int, rounds: int) -> list[list[Call]]:
    """The planned commands of ``rts`` RTs numbered from ``first``, in ``rounds`` rounds of about the same size."""
    bounds = [first + rts * k // rounds for k in range(rounds + 1)]
    return [plan(range(start, stop)) for start, stop in zip(bounds, bounds[1:]) if stop > start]


def bare(library: baseline.BareLibrary) -> Callable[[Call], int]:
    """A baseline contestant: the bare library writing the command's shape."""

    def step(call: Call) -> int:
        library.save(call.shape)
        return events_of([call])

    return step


def commands(app: KampungBahagia, clock: ThreadClock, profiler: cProfile.Profile | None = None) -> Callable[[Call], int]:
    """The application contestant: the command through its command method, at its moment."""

    def step(call: Call) -> int:
        replay(app, clock, [call])
        return events_of([call])

    def profiled(call: Call) -> int:
        assert profiler is not None
        profiler.enable()
        try:
            return step(call)
        finally:
            profiler.disable()

    return profiled if profiler else step


def taking_turns(servers: list[KampungBahagia], clock: ThreadClock) -> Callable[[Call], int]:
    """Commands sent to each server in turn, as two workers behind one address may get them: every
    kept copy is stale by the next command on its aggregate."""
    turns = itertools.cycle(servers)

    def step(call: Call) -> int:
        replay(next(turns), clock, [call])
        return events_of([call])

    return step


@dataclass
class CommandResults:
    store: str
    rts: int
    series: dict[str, Series]
    gets: dict[str, list[float]]  # seconds per repository.get of a 20-event aggregate, by contestant
    by_command: list[tuple[str, float]]  # the application's latencies, by command name

    @property
    def ours(self) -> Series:
        return self.series[OURS]


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


def alternate_gets(apps: dict[str, tuple[Application, list[UUID]]], expected_version: int) -> dict[str, list[float]]:
    """``repository.get`` on each application in turn, ``GETS`` times each."""
    for app, ids in apps.values():
        for aggregate_id in ids[:3]:  # the workload really built aggregates of the size we say we are reading
            version = app.repository.get(aggregate_id).version
            if version != expected_version:
                raise RuntimeError(f"expected a {expected_version}-event aggregate, {aggregate_id} has {version}")
    latencies: dict[str, list[float]] = {name: [] for name in apps}
    for n in range(GETS):
        for name, (app, ids) in apps.items():
            started = time.perf_counter()
            app.repository.get(ids[n % len(ids)])
            latencies[name].append(time.perf_counter() - started)
    return latencies


def measure_store(store: str, rts: int, rounds: int, stores: Stores, pad: int, profile: bool = False,
                  variants: tuple[str, ...] = (), progress: Callable[[str], Any] = lambda line: None) -> CommandResults:
    """The contestants on ``store``; ``variants``: also ``UNCACHED``, ``TWO_SERVERS``."""
    clock = ThreadClock(moment(date(2025, 1, 1)))
    profiler = cProfile.Profile() if profile else None
    apps: dict[str, Application] = {}
    contestants: dict[str, Callable[[Call], int]] = {}
    libraries = {}
    for name, reload in ((APPEND, False), (GET_SAVE, True)):
        apps[name] = stores.open(baseline.Baseline, stores.fresh(store))
        libraries[name] = baseline.BareLibrary(apps[name], pad, reload)
        contestants[name] = bare(libraries[name])
    apps[OURS] = stores.open(KampungBahagia, stores.fresh(store), clock=clock)
    contestants[OURS] = commands(apps[OURS], clock, profiler)
    if UNCACHED in variants:
        apps[UNCACHED] = stores.open(KampungBahagia, stores.fresh(store, KAMPUNG_COMMAND_CACHE="0"), clock=clock)
        contestants[UNCACHED] = commands(apps[UNCACHED], clock)
    if TWO_SERVERS in variants:
        env = stores.fresh(store)
        apps[TWO_SERVERS], other = (stores.open(KampungBahagia, env, clock=clock) for _ in range(2))
        contestants[TWO_SERVERS] = taking_turns([apps[TWO_SERVERS], other], clock)

    measured = rounds_of(WARM_UP_RTS, rts, rounds)
    series = alternate_steps(contestants, plan(range(WARM_UP_RTS)), measured, progress)

    planned = events_of(plan(range(WARM_UP_RTS + rts)))
    written = {name: log_stats(app) for name, app in apps.items()}
    for name, (events, aggregates, _) in written.items():
        if events != planned or aggregates != written[OURS][1]:
            print(f"  !! {name}: {events} events / {aggregates} aggregates, planned {planned}", file=sys.stderr)
    keys = [("activity", i, a) for i in range(WARM_UP_RTS + rts) for a in range(ACTIVITIES_PER_RT)]
    gets = alternate_gets({APPEND: (apps[APPEND], [libraries[APPEND].ids[key] for key in keys]),
                           OURS: (apps[OURS], activity_ids(range(WARM_UP_RTS + rts)))}, 20)
    if profiler:
        print_profile(store, profiler)
    names = [call.command for calls in measured for call in calls]
    return CommandResults(store, rts, series, gets, list(zip(names, series[OURS].latencies, strict=True)))


def print_profile(store: str, profiler: cProfile.Profile) -> None:
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out).strip_dirs().sort_stats("tottime")
    stats.print_stats(25)
    out.write("\n--- by cumulative time ---\n")
    stats.sort_stats("cumulative").print_stats(40)
    print(f"\ncProfile of KampungBahagia on {store} (profiling slows it down):\n{out.getvalue()}")


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.2f}"


def report(results: CommandResults) -> None:
    series, base = results.series, results.series[APPEND]
    rounds = len(base.segments)
    print(f"\n== {results.store}: {results.rts} RTs in {rounds} interleaved rounds, "
          f"{sum(s.work.commands for s in results.ours.segments)} commands each ==")
    header = (f"{'measurement':<25} {'events/s':>9} {'cmds/s':>8} {'CPU ms/cmd':>10} {'p50 ms':>7} {'p99 ms':>7} "
              f"{'vs append: median (range)':>26} {'vs get+save':>18}")
    print(header)
    print("-" * len(header))
    for s in series.values():
        print(f"{s.name:<25} {s.events_per_second.median:>9.0f} {s.commands_per_second.median:>8.0f} "
              f"{s.cpu_ms_per_command:>10.3f} {ms(percentile(s.latencies, 50)):>7} {ms(percentile(s.latencies, 99)):>7} "
              f"{str(s.ratio(base)):>26} {str(s.ratio(series[GET_SAVE])):>18}")
    print(f"CPU per command (this process), KampungBahagia / baseline append: {results.ours.cpu_ratio(base)}")

    print(f"\nrepository.get of a 20-event aggregate ({GETS} gets, alternating)   p50 ms   p99 ms")
    for name, latencies in results.gets.items():
        print(f"  {name:<51} {ms(percentile(latencies, 50)):>7} {ms(percentile(latencies, 99)):>8}")

    by_command: dict[str, list[float]] = defaultdict(list)
    for command, seconds in results.by_command:
        by_command[command].append(seconds)
    total = sum(seconds for _, seconds in results.by_command)
    print("\nKampungBahagia by command      count  p50 ms  p99 ms  share of time")
    for command, seconds in sorted(by_command.items(), key=lambda item: -sum(item[1])):
        print(f"  {command:<26} {len(seconds):>7} {ms(percentile(seconds, 50)):>7} {ms(percentile(seconds, 99)):>7}"
              f"  {sum(seconds) / total:>6.1%}")


def calibrate_payload() -> int:
    """The padding that gives the baseline's events the application's mean stored size (measured by
    running the workload in memory, which also warms the code up)."""
    clock = ThreadClock(moment(date(2025, 1, 1)))
    app = KampungBahagia(env={"PERSISTENCE_MODULE": "eventsourcing.popo"}, clock=clock)
    replay(app, clock, plan(range(3)))
    events, aggregates, size = log_stats(app)
    return baseline.padding(size, aggregates / events)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add_store_options(parser)
    parser.add_argument("--rts", type=int, default=DEFAULT_RTS,
                        help=f"RTs in the workload, about 60 events and 56 commands each (default {DEFAULT_RTS})")
    parser.add_argument("--rounds", type=int, default=DEFAULT_ROUNDS, help=f"(default {DEFAULT_ROUNDS})")
    parser.add_argument("--profile", action="store_true", help="cProfile the application's run and print the top")
    parser.add_argument("--without-cache", action="store_true", help="also run the application without its cache")
    parser.add_argument("--two-servers", action="store_true",
                        help="also send the commands to two application instances on one store, in turn")
    args = parser.parse_args(argv)
    if not 1 <= args.rts <= 68 * 999 - WARM_UP_RTS or not 1 <= args.rounds <= args.rts:
        parser.error("--rts must be between 1 and 67930, --rounds between 1 and --rts")
    pad = calibrate_payload()

    def run(store: str) -> None:
        with contextlib.ExitStack() as stack:
            variants = (UNCACHED,) * args.without_cache + (TWO_SERVERS,) * args.two_servers
            results = measure_store(store, args.rts, args.rounds, Stores(stack, args.pg_url), pad, args.profile,
                                    variants, lambda line: print(f"  [{store}] {line}", file=sys.stderr))
        report(results)

    return run_each_store(args.store, run)


if __name__ == "__main__":
    sys.exit(main())
