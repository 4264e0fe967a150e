"""The benchmark suite (``make bench``): one table, each figure next to its baseline from the same run.

Run from the repository root:

    .venv/bin/python bench/suite.py [--store sqlite|postgres|both] [--output bench/results.md]
    BENCH_QUICK=1 .venv/bin/python bench/suite.py     # a smoke run of every piece, small sizes, seconds

On each store, in this order (each piece on fresh stores):

1. commands (``bench/commands.py``): the application's command mix in events/s, against the bare
   library appending the same events (and against its load-modify-save);
2. loads (``bench/loads.py``): ms per load of an Activity of 10, 1,000 and 10,000 events from its
   latest snapshot, against replaying every event;
3. HTTP (``bench/serving.py``): requests/s and p50/p99 latency of the coverage look-up and of the
   form that joins a participant under ``kampung serve``, at 1, 4 and 16 concurrent locust users,
   against a static file from the same server.

Writes the table, the plan and the machine's facts to ``--output`` and prints them; the file's section
of ``make bench-scale`` (``bench/projections_scale.py``) is kept. A piece that fails leaves ``failed``
in its cells (its traceback on stderr) and the exit status is 1. Nothing is asserted on time.
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

from bench import commands, loads, serving  # noqa: E402
from bench.projections_scale import split_section  # noqa: E402
from bench.stores import STORES, add_store_options  # noqa: E402

STORE_NAMES = {"sqlite": "SQLite", "postgres": "PostgreSQL"}
DEFAULT_OUTPUT = Path(__file__).resolve().parent / "results.md"


@dataclass(frozen=True)
class Plan:
    rts: int  # of the command workload, about 60 events each
    sizes: tuple[int, ...]  # events per loaded Activity
    users: tuple[int, ...]  # concurrent HTTP users
    seconds: int  # per locust run

    def describe(self) -> str:
        return (f"commands: {self.rts} RTs (about {self.rts * 60:,} events); loads: Activities of "
                f"{', '.join(f'{size:,}' for size in self.sizes)} events; HTTP: {self.seconds} s per endpoint and "
                f"number of users ({', '.join(map(str, self.users))})")


FULL = Plan(rts=100, sizes=loads.SIZES, users=serving.USERS, seconds=serving.SECONDS)
QUICK = Plan(rts=1, sizes=(10, 60), users=(1,), seconds=1)


@dataclass(frozen=True)
class Row:
    """One measurement: ``figure`` against ``baseline``; latency cells carry p50 and p99."""

    label: str
    unit: str
    figure: float | tuple[float | None, float | None] | None
    baseline: float | tuple[float | None, float | None] | None

    @property
    def ratio(self) -> float | None:
        first = (lambda value: value[0] if isinstance(value, tuple) else value)
        figure, baseline = first(self.figure), first(self.baseline)
        return None if figure is None or not baseline else figure / baseline


def command_rows(store: str, plan: Plan, stores: commands.Stores) -> list[Row]:
    target, created_share = commands.calibrate_payload()
    append, get_save, ours = commands.measure_store(
        store, plan.rts, stores, commands.baseline_padding(target, created_share), profile=False,
    )
    rate = (lambda result: result.events / result.seconds)
    return [
        Row("commands through KampungBahagia | bare library appending the same events", "events/s",
            rate(ours), rate(append)),
        Row("commands through KampungBahagia | bare library, load-modify-save", "events/s", rate(ours), rate(get_save)),
    ]


def load_rows(store: str, plan: Plan, stores: commands.Stores) -> list[Row]:
    return [
        Row(f"load an Activity of {r.events:,} events: latest snapshot + rest | replay of every event",
            "ms per load", r.with_snapshots * 1000, r.replay * 1000)
        for r in loads.measure_loads(stores.fresh(store), plan.sizes)
    ]


HTTP_LABELS = {"coverage": "GET /coverage (look-up)", "join": "POST join-participant form"}


def http_rows(store: str, plan: Plan, stores: commands.Stores | None) -> list[Row]:
    """The HTTP rows; without ``stores``, the same rows empty (for a run that failed)."""
    results = serving.measure_http(stores.fresh_variables(store), plan.users, plan.seconds) if stores else {}
    rows = []
    for endpoint, label in HTTP_LABELS.items():
        for users in plan.users:
            ours, static = results.get((endpoint, users)), results.get(("static", users))
            clients = f"{users} client{'s' if users > 1 else ''}"
            rows.append(Row(f"{label}, {clients} | static file", "requests/s",
                            ours and ours.per_second, static and static.per_second))
            rows.append(Row(f"{label}, {clients} | static file", "p50 / p99 ms",
                            ours and (ours.p50_ms, ours.p99_ms), static and (static.p50_ms, static.p99_ms)))
    return rows


PIECES: dict[str, Callable[[str, Plan, commands.Stores], list[Row]]] = {
    "commands": command_rows, "loads": load_rows, "http": http_rows,
}


def placeholder_rows(piece: str, store: str, plan: Plan) -> list[Row]:
    """The rows a failed piece would have given, empty, so the table keeps its shape."""
    if piece == "commands":
        return [Row("commands through KampungBahagia | (failed)", "events/s", None, None)] * 2
    if piece == "loads":
        return [Row(f"load an Activity of {size:,} events | (failed)", "ms per load", None, None) for size in plan.sizes]
    return http_rows(store, plan, None)


def run_store(store: str, plan: Plan, pg_url: str) -> tuple[list[Row], bool]:
    rows, ok = [], True
    for piece, measure in PIECES.items():
        started = time.perf_counter()
        print(f"[{store}] {piece} …", file=sys.stderr, flush=True)
        try:
            with contextlib.ExitStack() as stack:
                rows.extend(measure(store, plan, commands.Stores(stack, pg_url)))
        except Exception:
            ok = False
            traceback.print_exc()
            rows.extend(placeholder_rows(piece, store, plan))
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
        header += [STORE_NAMES[store], "baseline", "ratio"]
    lines = ["| " + " | ".join(header) + " |", "| --- | --- |" + " ---: | ---: | ---: |" * len(stores)]
    for index, first in enumerate(results[stores[0]]):
        cells = [first.label.replace(" | ", " \\| vs "), first.unit]
        for store in stores:
            row = results[store][index] if index < len(results[store]) else None
            ratio = row.ratio if row else None
            cells += [cell(row.figure if row else None), cell(row.baseline if row else None),
                      "–" if ratio is None else f"{ratio:.2f}"]
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
            "Ratios are figure / baseline, both measured minutes apart in this run: above 1 is faster for events/s "
            "and requests/s, slower for ms. Latency ratios compare p50. HTTP: `kampung serve` (gunicorn; 1 worker "
            "× 16 threads on SQLite, 2 × 8 on PostgreSQL) and locust (no think time: N clients = N requests in flight) share the machine's cores.\n\n"
            f"{machine_facts(load_before, time.perf_counter() - started)}\n")
    # The city-scale read-model figures are measured apart (``make bench-scale``): kept as they are.
    kept = split_section(args.output.read_text())[1] if args.output.exists() else ""
    args.output.write_text(text + (f"\n{kept}" if kept else ""))
    print(text)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
