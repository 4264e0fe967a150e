"""The benchmark suite (``make bench``): one table, each figure next to its baseline from the same run.

Run from the repository root:

    .venv/bin/python bench/suite.py [--store sqlite|postgres|both] [--output bench/results.md]
    BENCH_QUICK=1 .venv/bin/python bench/suite.py     # a smoke run of every piece, small sizes, seconds

On each store, in this order (each piece on fresh stores), every figure measured in rounds
interleaved with its baseline (``bench/rounds.py``), so that the machine's load, which changes
from minute to minute on this shared machine, falls on both alike:

1. commands (``bench/commands.py``): the application's command mix by one client in events/s,
   against the bare library appending the same events (and against its load-modify-save),
   alternating command by command; the CPU time per command of each;
2. group commit (``bench/group_commit.py``): the same mix by 16 client threads in one process,
   with and without group commit, against the bare library appending one command at a time;
3. loads (``bench/loads.py``): ms per load of an Activity of 10, 1,000 and 10,000 events from its
   latest snapshot, against replaying every event, alternating load by load;
4. HTTP (``bench/serving.py``): requests/s and p50/p99 latency of the coverage look-up and of the
   form that joins a participant under ``kampung serve``, at 1, 4 and 16 concurrent locust users,
   against a static file from the same server, in alternating runs;
5. relay (``bench/relay.py``, NATS with JetStream at ``$KAMPUNG_NATS_URL`` or 127.0.0.1:4222): the relay's
   events/s to JetStream against the bare read + decode of the same log, in alternating rounds, and
   p50/p99 from a command's commit to a JetStream consumer, against a bare NATS message.

A ratio is the median of the rounds' ratios, with their range in brackets. Writes the table, the plan
and the machine's facts to ``--output`` and prints them; the file's section of ``make bench-scale``
(``bench/projections_scale.py``) is kept. A piece that fails leaves ``failed`` in its cells (its
traceback on stderr) and the exit status is 1. Nothing is asserted on time.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import platform
import sqlite3
import sys
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from importlib.metadata import version
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from application.config import store_env  # noqa: E402
from application.service import KampungBahagia  # noqa: E402
from bench import commands, group_commit, loads, relay, serving  # noqa: E402
from bench.projections_scale import split_section  # noqa: E402
from bench.rounds import Spread  # noqa: E402
from bench.stores import STORES, Stores, add_store_options  # noqa: E402

STORE_NAMES = {"sqlite": "SQLite", "postgres": "PostgreSQL"}
DEFAULT_OUTPUT = Path(__file__).resolve().parent / "results.md"


@dataclass(frozen=True)
class Plan:
    rts: int  # of the one-client command workload, about 60 events each
    rounds: int  # it is measured in
    clients: int  # client threads of the group-commit piece
    client_rounds: int  # its rounds, an RT per client each
    sizes: tuple[int, ...]  # events per loaded Activity
    users: tuple[int, ...]  # concurrent HTTP users
    seconds: int  # per locust run
    http_rounds: int  # locust runs per endpoint and number of users
    relay_events: int  # the history the relay publishes
    relay_rounds: int  # alternating throughput rounds
    relay_samples: int  # commands timed from commit to consumer, per relay setting

    def describe(self) -> str:
        return (f"commands: {self.rts} RTs (about {self.rts * 60:,} events) in {self.rounds} rounds; group commit: "
                f"{self.clients} clients, {self.client_rounds} rounds of {self.clients} RTs; loads: Activities of "
                f"{', '.join(f'{size:,}' for size in self.sizes)} events; HTTP: {self.http_rounds} × {self.seconds} s "
                f"per endpoint and number of users ({', '.join(map(str, self.users))}); relay: "
                f"{self.relay_events:,} events, {self.relay_rounds} rounds, {self.relay_samples} latency samples "
                f"per setting")


FULL = Plan(rts=150, rounds=30, clients=group_commit.CLIENTS, client_rounds=group_commit.DEFAULT_ROUNDS,
            sizes=loads.SIZES, users=serving.USERS, seconds=serving.SECONDS, http_rounds=serving.ROUNDS,
            relay_events=20_000, relay_rounds=3, relay_samples=100)
QUICK = Plan(rts=2, rounds=2, clients=4, client_rounds=1, sizes=(10, 60), users=(1,), seconds=2, http_rounds=1,
             relay_events=300, relay_rounds=1, relay_samples=5)
RELAY_POLLS = (0.05, 0.5)

Cell = float | tuple[float | None, float | None] | None


@dataclass(frozen=True)
class Row:
    """One measurement: ``figure`` against ``baseline`` (latency cells carry p50 and p99), and their
    ratio: the median of the rounds' ratios and its range (None: the row has no ratio, or failed)."""

    label: str
    unit: str
    figure: Cell
    baseline: Cell
    ratio: Spread | None = None


def command_rows(store: str, plan: Plan, stores: Stores | None) -> list[Row]:
    """The one-client rows; without ``stores``, the same rows empty (for a run that failed)."""
    labels = {commands.APPEND: "commands, 1 client | bare library appending the same events",
              commands.GET_SAVE: "commands, 1 client | bare library, load-modify-save"}
    cpu_label = "CPU time per command in this process, 1 client | bare library appending"
    if stores is None:
        return [Row(label, "events/s", None, None) for label in labels.values()] + [Row(cpu_label, "ms", None, None)]
    results = commands.measure_store(store, plan.rts, plan.rounds, stores, commands.calibrate_payload())
    ours, series = results.ours, results.series
    rows = [Row(label, "events/s", ours.events_per_second.median, series[base].events_per_second.median,
                ours.ratio(series[base]))
            for base, label in labels.items()]
    append = series[commands.APPEND]
    return rows + [Row(cpu_label, "ms", ours.cpu_ms_per_command, append.cpu_ms_per_command, ours.cpu_ratio(append))]


def group_commit_rows(store: str, plan: Plan, stores: Stores | None) -> list[Row]:
    labels = {group_commit.GROUPED: f"commands, {plan.clients} clients in one process, group commit",
              group_commit.ALONE: f"commands, {plan.clients} clients in one process, one transaction each"}
    labels = {name: f"{label} | bare library appending one command at a time" for name, label in labels.items()}
    if stores is None:
        return [Row(label, "events/s", None, None) for label in labels.values()]
    results = group_commit.measure_concurrent(store, stores, commands.calibrate_payload(), plan.client_rounds,
                                              plan.clients)
    base = results.series[group_commit.APPEND]
    return [Row(label, "events/s", results.series[name].events_per_second.median, base.events_per_second.median,
                results.series[name].ratio(base))
            for name, label in labels.items()]


def load_rows(store: str, plan: Plan, stores: Stores | None) -> list[Row]:
    label = "load an Activity of {:,} events: latest snapshot + rest | replay of every event"
    if stores is None:
        return [Row(label.format(size), "ms per load", None, None) for size in plan.sizes]
    return [Row(label.format(r.events), "ms per load", r.with_snapshots * 1000, r.replay * 1000, r.ratio)
            for r in loads.measure_loads(stores.fresh(store), plan.sizes)]


HTTP_LABELS = {"coverage": "GET /coverage (look-up)", "join": "POST join-participant form"}


def http_rows(store: str, plan: Plan, stores: Stores | None) -> list[Row]:
    """The HTTP rows. Latency rows carry no ratio: locust reports whole milliseconds and the static
    file's p50 is 1–3 ms, so one millisecond more or less would move such a ratio by a third or more."""
    results = (serving.measure_http(stores.fresh_variables(store), plan.users, plan.seconds, plan.http_rounds)
               if stores else {})
    rows = []
    for endpoint, label in HTTP_LABELS.items():
        for users in plan.users:
            ours, static = results.get((endpoint, users)), results.get(("static", users))
            clients = f"{users} client{'s' if users > 1 else ''}"
            rows.append(Row(f"{label}, {clients} | static file", "requests/s",
                            ours and ours.per_second, static and static.per_second, ours and ours.vs_static))
            rows.append(Row(f"{label}, {clients} | static file", "p50 / p99 ms",
                            ours and (ours.p50_ms, ours.p99_ms), static and (static.p50_ms, static.p99_ms)))
    return rows


def relay_rows(store: str, plan: Plan, stores: Stores | None) -> list[Row]:
    """The relay's rows; without ``stores``, the same rows empty (for a run that failed)."""
    throughput = bare = None
    latencies: dict[float, relay.Latency] = {}
    if stores is not None:
        variables = stores.fresh_variables(store)
        app = stores.open(KampungBahagia, store_env(variables))
        relay.history(app, plan.relay_events)
        url = os.environ.get("KAMPUNG_NATS_URL", relay.DEFAULT_NATS_URL)
        throughput = relay.measure_throughput(app, url, plan.relay_rounds, relay.RelaySettings.batch)
        bare = relay.measure_bare_latency(url, plan.relay_samples)
        latencies = {poll: relay.measure_latency(app, variables, url, plan.relay_samples, poll) for poll in RELAY_POLLS}
    rows = [Row("relay to NATS JetStream, acknowledged and recorded | bare read + decode of the log", "events/s",
                throughput and throughput.relay, throughput and throughput.bare, throughput and throughput.ratio)]
    for poll in RELAY_POLLS:
        found = latencies.get(poll)
        rows.append(Row(f"commit → JetStream consumer, kampung relay run --poll {poll} | a bare NATS message",
                        "p50 / p99 ms", found and (found.p50_ms, found.p99_ms), bare and (bare.p50_ms, bare.p99_ms)))
    return rows


PIECES: dict[str, Callable[[str, Plan, Stores | None], list[Row]]] = {
    "commands": command_rows, "group commit": group_commit_rows, "loads": load_rows, "http": http_rows,
    "relay": relay_rows,
}


def run_store(store: str, plan: Plan, pg_url: str) -> tuple[list[Row], bool]:
    rows, ok = [], True
    for piece, measure in PIECES.items():
        started = time.perf_counter()
        print(f"[{store}] {piece} …", file=sys.stderr, flush=True)
        try:
            with contextlib.ExitStack() as stack:
                rows.extend(measure(store, plan, Stores(stack, pg_url)))
        except Exception:
            ok = False
            traceback.print_exc()
            rows.extend(measure(store, plan, None))
        print(f"[{store}] {piece}: {time.perf_counter() - started:.0f} s", file=sys.stderr, flush=True)
    return rows, ok


def cell(value: float | tuple[float, float] | None) -> str:
    if value is None:
        return "failed"
    if isinstance(value, tuple):
        return " / ".join(cell(part) for part in value)
    if value >= 100 or value.is_integer():  # locust reports whole milliseconds
        return f"{value:,.0f}"
    return f"{value:.2f}" if value < 10 else f"{value:.1f}"


def table(results: dict[str, list[Row]]) -> str:
    stores = list(results)
    header = ["measurement \\| baseline", "unit"]
    for store in stores:
        header += [STORE_NAMES[store], "baseline", "ratio (range)"]
    lines = ["| " + " | ".join(header) + " |", "| --- | --- |" + " ---: | ---: | ---: |" * len(stores)]
    for index, first in enumerate(results[stores[0]]):
        cells = [first.label.replace(" | ", " \\| vs "), first.unit]
        for store in stores:
            row = results[store][index] if index < len(results[store]) else None
            ratio = row.ratio if row else None
            cells += [cell(row.figure if row else None), cell(row.baseline if row else None),
                      "–" if ratio is None else str(ratio)]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def machine_facts(load_before: tuple[float, ...], seconds: float) -> str:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor()) if Path("/proc/cpuinfo").exists() else "?"
    memory = next((line.split()[1] for line in Path("/proc/meminfo").read_text().splitlines()
                   if line.startswith("MemTotal")), "0") if Path("/proc/meminfo").exists() else "0"
    return (f"- {os.cpu_count()} CPUs ({cpu}), {int(memory) / 1024 ** 2:.1f} GiB RAM, {platform.platform()}\n"
            f"- Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}, eventsourcing "
            f"{version('eventsourcing')}, gunicorn {version('gunicorn')}, locust {version('locust')}; PostgreSQL on "
            f"127.0.0.1 (same machine)\n"
            f"- 1-minute load average {load_before[0]:.1f} at the start, {os.getloadavg()[0]:.1f} at the end; "
            f"the suite took {seconds / 60:.1f} minutes")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add_store_options(parser)
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT, help="where to write the results (Markdown)")
    args = parser.parse_args(argv)
    quick = os.environ.get("BENCH_QUICK") == "1"
    plan = QUICK if quick else FULL
    started, load_before = time.perf_counter(), os.getloadavg()
    results, ok = {}, True
    for store in STORES if args.store == "both" else (args.store,):
        results[store], store_ok = run_store(store, plan, args.pg_url)
        ok = ok and store_ok
    when = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    text = (f"# Benchmark results{' (BENCH_QUICK=1: a smoke run, not a measurement)' if quick else ''}\n\n"
            f"`make bench` on {when}. {plan.describe()}.\n\n{table(results)}\n\n"
            "Ratios are figure / baseline, taken round by round with the baseline measured in alternation "
            "(`bench/rounds.py`): the median of the rounds, their range in brackets. Above 1 is faster for "
            "events/s and requests/s, slower (or more CPU) for ms. CPU time is this process's only "
            "(PostgreSQL's server work is not in it). Latency rows carry no ratio (whole milliseconds against a "
            "static file's 1–3 ms). HTTP: `kampung serve` (gunicorn; 1 worker × 16 threads on SQLite, 2 × 8 on "
            "PostgreSQL) and locust (no think time: N clients = N requests in flight) share the machine's "
            "cores. Relay: the log read in pages of the relay's batch (500) for both figures; latency is mostly the "
            "relay's poll (commands 20–80 ms apart, the consumer in the bench's process).\n\n"
            f"{machine_facts(load_before, time.perf_counter() - started)}\n")
    # The city-scale read-model figures are measured apart (``make bench-scale``): kept as they are.
    kept = split_section(args.output.read_text())[1] if args.output.exists() else ""
    args.output.write_text(text + (f"\n{kept}" if kept else ""))
    print(text)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
