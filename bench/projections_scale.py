"""``make bench-scale``: the read models over a city year on PostgreSQL, written to bench/results.md.

Run from the repository root:

    .venv/bin/python bench/projections_scale.py [--events N] [--catch-up-events N] [--rounds N]
                                                [--rebuild-rounds N] [--pg-url URL] [--output PATH]

1. A scratch PostgreSQL database (``bench_scale_*``, dropped at the end) gets the city year of Kota
   Jambi (1,650 RTs, ``--events``: 1,000,000) through the COPY loader (``bench/projections_loader.py``).
2. Catch-up: each read model from position 0 over the first ``--catch-up-events`` events into fresh
   tables, as the live runner does it (one transaction per page: 20,000 events while far behind, then
   5,000), interleaved with the bare read + decode of the same events (pages of 5,000), ``--rounds``
   rounds (``bench/projections_measure.py``).
3. Rebuild: ``kampung projections rebuild`` of all three over the whole log (one process per read
   model, indexes after the load, the swaps when all are built), interleaved with the bare read +
   decode of the whole log, ``--rebuild-rounds`` rounds; the first beside an empty live generation,
   the next beside the one the round before swapped in. Per round: the wall time, each model's
   build (wall and CPU seconds of its process), the CPU seconds of the worker processes and of the
   PostgreSQL server, the load average.
4. Replaces the section ``## Read models at city scale`` of ``--output`` (``make bench`` keeps it).
Nothing is asserted on time.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import resource
import secrets
import sys
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from functools import partial
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from application.config import read_model_url, store_env  # noqa: E402
from application.service import KampungBahagia  # noqa: E402
from bench import projections_measure as measure  # noqa: E402
from bench.projections_loader import load  # noqa: E402
from bench.projections_plan import SCALES  # noqa: E402
from bench.stores import DEFAULT_PG_URL, scratch_database  # noqa: E402
from interfaces.consumers import MODELS, build_runner, open_log  # noqa: E402
from projections.engine import make_engine  # noqa: E402
from projections.parallel import Outcome, rebuild_all  # noqa: E402

SECTION = "## Read models at city scale"
DEFAULT_OUTPUT = Path(__file__).resolve().parent / "results.md"
CATCH_UP_GOAL, REBUILD_GOAL = 0.5, 60.0  # × bare read + decode; seconds (issue 15)
LIVE_PAGE = 5000


@dataclass
class RebuildRound:
    seconds: float
    outcomes: list[Outcome]
    children_cpu: float  # CPU seconds of the worker processes
    postgres_cpu: float
    load: float


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def rebuild_run(app: KampungBahagia, rounds: list[RebuildRound]) -> float:
    """One measured ``kampung projections rebuild`` of every read model, as the CLI runs it."""
    runner = build_runner(app)
    cpu = children_cpu()
    with measure.PostgresCPU() as postgres:
        started = time.perf_counter()
        outcomes = rebuild_all(runner, list(runner.models), partial(open_log, dict(app.env)))
        seconds = time.perf_counter() - started
    rounds.append(RebuildRound(seconds, outcomes, children_cpu() - cpu, postgres.seconds, os.getloadavg()[0]))
    runner.engine.dispose()
    failed = [outcome for outcome in outcomes if outcome.error is not None]
    if failed:
        raise SystemExit(f"the rebuild failed: {failed[0].error}")
    return seconds


def rebuild_table(rounds: list[RebuildRound], ratios: list[float], head: int) -> list[str]:
    names = [model.name for model in MODELS]
    lines = [
        "| round | wall s | " + " | ".join(f"{name} s (CPU s)" for name in names)
        + " | events/s | vs bare read + decode | CPU s: workers, PostgreSQL | load |",
        "| --- | ---: |" + " ---: |" * len(names) + " ---: | ---: | ---: | ---: |",
    ]
    for number, (round_, ratio) in enumerate(zip(rounds, ratios), start=1):
        built = {outcome.name: outcome.built for outcome in round_.outcomes}
        cells = [f"{built[name].seconds:.1f} ({built[name].cpu_seconds:.1f})" for name in names]
        lines.append(f"| {number} | **{round_.seconds:.1f}** | " + " | ".join(cells)
                     + f" | {head / round_.seconds:,.0f} | {ratio:.2f} | {round_.children_cpu:.0f}, "
                       f"{round_.postgres_cpu:.0f} | {round_.load:.1f} |")
    return lines


def report(args: argparse.Namespace, loaded: str, head: int, catch_up: measure.Rounds,
           rebuilds: measure.Rounds, rounds: list[RebuildRound]) -> str:
    when = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    rebuild = rebuilds.measurements[0]
    catch_ups = {m.label: m.ratio for m in catch_up.measurements}
    best = min(round_.seconds for round_ in rounds)
    lines = [
        SECTION, "",
        f"`make bench-scale` on {when}: PostgreSQL on 127.0.0.1, {os.cpu_count()} CPUs. {loaded}",
        "",
        f"**Catch-up** from position 0 over the first {catch_up.baseline.events:,} events, each read model into "
        "fresh tables as the live runner does it (one transaction per page: 20,000 events while far behind the "
        f"head, {LIVE_PAGE:,} near it), interleaved with the bare read + decode of the same events (pages of "
        f"{LIVE_PAGE:,}); {args.rounds} rounds, the median (range); 1-minute load average {catch_up.load[0]:.1f} "
        f"→ {catch_up.load[1]:.1f}:",
        "", *measure.table(catch_up), "",
        f"**Full rebuild** of all three read models over the {head:,} events (`kampung projections rebuild`: one "
        "process per read model, tables filled by COPY in pages of 20,000 and indexed after the load, each "
        "swapped in when all are built, the old generation dropped); the bare read + decode of the whole log "
        f"between rounds ({baseline_summary(rebuilds.baseline)}). Each model's seconds are its process's, "
        "from opening the event log to its indexes built; the wall time adds starting the processes and the "
        "swaps:",
        "", *rebuild_table(rounds, rebuild.ratios, head), "",
        f"- Goal: each catch-up ≥ {CATCH_UP_GOAL} × the bare read + decode: "
        + ", ".join(f"{label.split(' (')[0]} {ratio:.2f}" for label, ratio in catch_ups.items())
        + f" — {'met' if min(catch_ups.values()) >= CATCH_UP_GOAL else 'missed'}.",
        f"- Goal: the full rebuild under {REBUILD_GOAL:.0f} s: fastest round {best:.1f} s, median "
        f"{rebuild.median_seconds:.1f} s — {'met' if best < REBUILD_GOAL else 'missed'}.",
        "",
    ]
    return "\n".join(lines)


def baseline_summary(baseline: measure.Measurement) -> str:
    return f"median {baseline.median_seconds:.1f} s = {baseline.rate:,.0f} events/s"


def split_section(document: str) -> tuple[str, str]:
    """(``document`` without its ``SECTION``, the section): from its heading to the next ``## ``
    heading or the end."""
    start = document.find(SECTION)
    if start < 0:
        return document, ""
    end = document.find("\n## ", start + len(SECTION))
    end = len(document) if end < 0 else end + 1
    return document[:start] + document[end:], document[start:end]


def replace_section(document: str, section: str) -> str:
    return split_section(document)[0].rstrip() + "\n\n" + section.rstrip() + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pg-url", default=os.environ.get("BENCH_PG_URL", DEFAULT_PG_URL),
                        help="PostgreSQL server and database to create the scratch database from")
    parser.add_argument("--events", type=int, default=SCALES["city"][1], help="events of the year (default 1,000,000)")
    parser.add_argument("--catch-up-events", type=int, default=200_000, help="events each catch-up covers")
    parser.add_argument("--rounds", type=int, default=3, help="rounds of the catch-up measurements (default 3)")
    parser.add_argument("--rebuild-rounds", type=int, default=2, help="rounds of the full rebuild (default 2)")
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT, help="the results file to update")
    args = parser.parse_args(argv)
    with contextlib.ExitStack() as stack:
        url = scratch_database(stack, args.pg_url, f"bench_scale_{os.getpid()}_{secrets.token_hex(3)}")
        app = KampungBahagia(env=store_env({"DATABASE_URL": url}))
        stack.callback(app.close)
        print(f"loading {args.events:,} events by COPY …", flush=True)
        generated = load(app, args.events, SCALES["city"][0])
        head = app.recorder.max_notification_id() or 0
        loaded = (f"The year: {head:,} events of {SCALES['city'][0]:,} RTs, generated and loaded by COPY in "
                  f"{generated.seconds:.0f} s ({generated.rate:,.0f} events/s).")
        print(loaded, flush=True)
        engine = make_engine(read_model_url(app.env))
        stack.callback(engine.dispose)
        measure.analyze_events(app, engine)
        stop = min(args.catch_up_events, head)
        catch_up = measure.interleaved(
            lambda: measure.read_loop(app, LIVE_PAGE, decode=True, stop=stop)[0], stop,
            {f"catch-up {m.name}": (stop, measure.catch_up_run(app, engine, m, LIVE_PAGE, stop)) for m in MODELS},
            args.rounds)
        measure.drop_read_models(engine)
        rounds: list[RebuildRound] = []
        rebuilds = measure.interleaved(
            lambda: measure.read_loop(app, LIVE_PAGE, decode=True)[0], head,
            {"rebuild of all three": (head, partial(rebuild_run, app, rounds))}, args.rebuild_rounds)
        section = report(args, loaded, head, catch_up, rebuilds, rounds)
    args.output.write_text(replace_section(args.output.read_text() if args.output.exists() else "", section))
    print("\n" + section)
    return 0


if __name__ == "__main__":
    sys.exit(main())
