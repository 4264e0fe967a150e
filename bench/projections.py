"""Read-model throughput on a city- or province-scale history, against a bare read of the notification log.

Run from the repository root:

    .venv/bin/python bench/projections.py [--store sqlite|postgres|both] [--scale city|province]
                                          [--events N] [--rts N] [--reuse PATH] [--loader save|copy]
                                          [--rounds N] [--page-size N] [--profile MODEL]

1. Generates a year of the programme (``bench/projections_plan.py``, ``bench/projections_sim.py``):
   ``--scale city`` (Kota Jambi, 1,650 RTs, 1,000,000 events) or ``--scale province`` (Jambi
   province, an assumed 15,000 RTs, 9,100,000 events); at least ``--events`` events, saved through
   ``app.save`` a few hundred aggregates at a time, or on PostgreSQL with ``--loader copy`` by the
   COPY loader (``bench/projections_loader.py``: the same stored events, several times faster).
   SQLite: a temporary file, or ``--reuse PATH``, which keeps the generated store at PATH and reuses
   it next time. PostgreSQL: a scratch database ``bench_proj_*``, dropped at the end.
2. Measures on that store, in this process, interleaved with the baseline (a bare read + decode of the
   whole log) for ``--rounds`` rounds (``bench/projections_measure.py``): each read model's catch-up
   from position 0 into fresh tables (pages of ``--page-size``; on PostgreSQL 20,000 while far
   behind); ``runner.rebuild(name)`` of each in this process; and the rebuild of all three as
   ``kampung projections rebuild`` does it (one process per model on PostgreSQL). Also a bare read without decoding, once.
Timings use ``time.perf_counter``; nothing is asserted on time. ``make bench-scale``
(``bench/projections_scale.py``) measures the full city year on PostgreSQL.
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import inspect
import io
import json
import os
import pstats
import secrets
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from application.config import read_model_url, store_env  # noqa: E402
from application.service import KampungBahagia  # noqa: E402
from bench import projections_measure as measure  # noqa: E402
from bench.projections_measure import read_loop  # noqa: E402
from bench.projections_loader import load  # noqa: E402
from bench.projections_plan import DEFAULT_RTS, MAX_RTS, POOL, SCALES, SEED, UTC  # noqa: E402
from bench.projections_sim import Generated, generate  # noqa: E402
from bench.stores import add_store_options, run_each_store, scratch_database  # noqa: E402
from interfaces.consumers import MODELS, build_runner, open_log  # noqa: E402
from projections.engine import make_engine  # noqa: E402
from projections.parallel import rebuild_all  # noqa: E402
from projections.runner import ProjectionRunner  # noqa: E402

__all__ = ["DEFAULT_RTS", "generate", "read_loop"]  # what bench/feed.py takes from here
PAGE_SIZE = inspect.signature(ProjectionRunner.__init__).parameters["page_size"].default


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


def profiled(run: Any, label: str) -> None:
    profiler = cProfile.Profile()
    profiler.runcall(run)
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out).strip_dirs().sort_stats("tottime")
    stats.print_stats(30)
    print(f"\ncProfile of the {label} (profiling slows it down):\n{out.getvalue()}")


def measure_store(app: KampungBahagia, args: argparse.Namespace) -> None:
    engine = make_engine(read_model_url(app.env))
    try:
        measure.drop_read_models(engine)
        if engine.dialect.name == "postgresql":
            print(f"  ANALYZE of the events table: {measure.analyze_events(app, engine):.1f} s", flush=True)
        head = app.recorder.max_notification_id() or 0
        topics = measure.topic_counts(app, engine)
        raw, _ = read_loop(app, args.page_size, decode=False)
        if args.profile:
            model_class = next(m for m in MODELS if m.name == args.profile)
            profiled(measure.catch_up_run(app, engine, model_class, args.page_size), f"{args.profile} catch-up")
        runs: dict[str, tuple[int, Any]] = {
            f"catch-up {m.name} ({measure.subscribed(m(), topics):,} events)":
                (head, measure.catch_up_run(app, engine, m, args.page_size)) for m in MODELS
        }
        runner = build_runner(app, page_size=args.page_size)
        runs.update({f"rebuild {m.name}, in this process": (head, partial(timed, runner, runner.rebuild, m.name))
                     for m in MODELS})
        runs["rebuild all three (kampung projections rebuild)"] = (
            head, partial(timed, runner, rebuild_all, runner, list(runner.models), partial(open_log, dict(app.env)),
                          processes_from=0))  # processes even for a small log: the path measured
        rounds = measure.interleaved(
            lambda: read_loop(app, args.page_size, decode=True)[0], head, runs, args.rounds)
        print(f"\n{head:,} events in the log; pages of {args.page_size:,}; bare read without decoding "
              f"{head / raw:,.0f} events/s; 1-minute load average {rounds.load[0]:.1f} when measuring began, "
              f"{rounds.load[1]:.1f} when it ended ({os.cpu_count()} CPUs)")
        print("\n".join(measure.table(rounds)))
        for model_class in MODELS:
            print(f"rows {model_class.name}: " + ", ".join(
                f"{table} {count:,}" for table, count in measure.row_counts(runner, model_class.name).items()))
        runner.engine.dispose()
        measure.drop_read_models(engine)
    finally:
        engine.dispose()


def timed(runner: ProjectionRunner, function: Any, *args: Any, **kwargs: Any) -> float:
    """Seconds of a rebuild (the catch-ups measured in between drop every read model's tables)."""
    runner.setup()
    started = time.perf_counter()
    function(*args, **kwargs)
    return time.perf_counter() - started


def generated_now(app: KampungBahagia, args: argparse.Namespace, kind: str) -> Generated:
    if args.loader == "copy":
        if kind != "postgres":
            raise SystemExit("--loader copy writes a PostgreSQL store")
        return load(app, args.events, args.rts)
    return generate(app, args.events, args.rts)


def run_store(kind: str, args: argparse.Namespace) -> None:
    with contextlib.ExitStack() as stack:
        store = sqlite_store(stack, args.reuse) if kind == "sqlite" else postgres_store(stack, args.pg_url)
        print(f"\n-- {kind}: {store.label}", flush=True)
        app = KampungBahagia(env=store.env)
        stack.callback(app.close)
        if store.reused is None:
            generated = generated_now(app, args, kind)
            print(f"  generated {generated.events:,} events in {generated.seconds:.1f} s = {generated.rate:,.0f} "
                  f"events/s (saving {generated.save_seconds:.1f} s of it; planning {generated.plan_seconds:.1f} s "
                  f"more; {args.loader})", flush=True)
            if kind == "sqlite" and args.reuse:
                record = {"events": generated.events, "rts": args.rts, "target": args.events, "seed": SEED,
                          "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
                          "events_per_second": round(generated.rate)}
                path = Path(args.reuse).resolve()
                path.with_name(path.name + ".json").write_text(json.dumps(record, indent=1))
        else:
            print(f"  reused: {store.reused['events']:,} events generated {store.reused['generated_at']} "
                  f"(--events {store.reused.get('target')} --rts {store.reused.get('rts')})", flush=True)
        measure_store(app, args)


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
    parser.add_argument("--loader", choices=("save", "copy"), default="save",
                        help="save: through app.save (default); copy: the COPY loader (PostgreSQL only)")
    parser.add_argument("--rounds", type=int, default=3, help="rounds of the interleaved measurements (default 3)")
    parser.add_argument("--page-size", type=int, default=PAGE_SIZE, metavar="N",
                        help=f"page size of the live runner and of the bare loops (default {PAGE_SIZE:,})")
    parser.add_argument("--profile", choices=[m.name for m in MODELS],
                        help="cProfile this read model's catch-up once and print the top functions")
    args = parser.parse_args(argv)
    args.rts = args.rts or SCALES[args.scale][0]
    args.events = args.events or SCALES[args.scale][1]
    if not 1 <= args.rts <= MAX_RTS:
        parser.error(f"--rts must be between 1 and {MAX_RTS:,} (NIKs of {POOL} residents per RT stay unique)")
    return run_each_store(args.store, lambda kind: run_store(kind, args))


if __name__ == "__main__":
    sys.exit(main())
