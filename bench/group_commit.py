"""Group commit: command throughput of 16 concurrent clients in one process, against the bare library
appending one command at a time, on SQLite and PostgreSQL.

Run from the repository root:

    .venv/bin/python bench/group_commit.py [--store sqlite|postgres|both] [--rounds R] [--clients N]

Contestants, each on a fresh store of its own, in interleaved rounds (``bench/rounds.py``,
``alternate_chunks``): each round every contestant runs the command mix (``bench/workload.py``) of
the same next RTs, ``--rts-per-client`` for each client.

1. baseline append     - the bare library writing the same events, one thread, one save per command;
2. group commit        - KampungBahagia, N client threads (each runs its own RTs' commands in order)
                         sharing transactions (``application/group_commit.py``, the default window);
3. one transaction each - the same with ``KAMPUNG_GROUP_COMMIT_MS=off``.

Transactions are counted (calls of the recorder's ``insert_events``) to report events per
transaction. Nothing is asserted on time.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from application.service import KampungBahagia  # noqa: E402
from bench import baseline  # noqa: E402
from bench.commands import calibrate_payload  # noqa: E402
from bench.rounds import Series, Work, alternate_chunks  # noqa: E402
from bench.stores import Stores, add_store_options, run_each_store  # noqa: E402
from bench.workload import Call, ThreadClock, events_of, moment, plan, replay  # noqa: E402

CLIENTS = 16
RTS_PER_CLIENT = 1
DEFAULT_ROUNDS = 8
FIRST_RT = 10_000  # apart from the RTs of commands.py, for runs on one store
APPEND, GROUPED, ALONE = "baseline append, one at a time", "group commit", "one transaction each"


class Transactions:
    """Counts the transactions a recorder writes events in."""

    def __init__(self, recorder: Any):
        self.count = 0
        insert, lock = recorder.insert_events, threading.Lock()

        def counted(*args: Any, **kwargs: Any) -> Any:
            with lock:
                self.count += 1
            return insert(*args, **kwargs)

        recorder.insert_events = counted


@dataclass
class ConcurrentResults:
    store: str
    clients: int
    series: dict[str, Series]
    events_per_transaction: dict[str, float]


def chunk(first: int, clients: int, rts_per_client: int) -> list[list[Call]]:
    """Each client's planned commands: its own RTs, one after the other."""
    return [plan(range(first + client * rts_per_client, first + (client + 1) * rts_per_client))
            for client in range(clients)]


def one_at_a_time(library: baseline.BareLibrary) -> Callable[[list[list[Call]]], Work]:
    def run(clients: list[list[Call]]) -> Work:
        calls = [call for calls in clients for call in calls]
        for call in calls:
            library.save(call.shape)
        return Work(events_of(calls), len(calls))

    return run


def threaded(app: KampungBahagia, clock: ThreadClock, pool: ThreadPoolExecutor) -> Callable[[list[list[Call]]], Work]:
    def run(clients: list[list[Call]]) -> Work:
        latencies = [seconds for done in pool.map(lambda calls: replay(app, clock, calls), clients)
                     for _, seconds in done]
        return Work(sum(map(events_of, clients)), len(latencies), latencies)

    return run


def measure_concurrent(store: str, stores: Stores, pad: int, rounds: int = DEFAULT_ROUNDS, clients: int = CLIENTS,
                       rts_per_client: int = RTS_PER_CLIENT,
                       progress: Callable[[str], Any] = lambda line: None) -> ConcurrentResults:
    clock = ThreadClock(moment(date(2025, 1, 1)))
    library = baseline.BareLibrary(stores.open(baseline.Baseline, stores.fresh(store)), pad, reload=False)
    transactions = {APPEND: Transactions(library.app.recorder)}
    contestants = {APPEND: one_at_a_time(library)}
    for name, settings in ((GROUPED, {}), (ALONE, {"KAMPUNG_GROUP_COMMIT_MS": "off"})):
        app = stores.open(KampungBahagia, stores.fresh(store, **settings), clock=clock)
        pool = stores.stack.enter_context(ThreadPoolExecutor(clients, thread_name_prefix="client"))
        transactions[name] = Transactions(app.recorder)
        contestants[name] = threaded(app, clock, pool)
    per_round = clients * rts_per_client
    chunks = [chunk(FIRST_RT + (number + 1) * per_round, clients, rts_per_client) for number in range(rounds)]
    for counter in transactions.values():
        counter.count = 0
    warm_up = chunk(FIRST_RT, clients, rts_per_client)
    series = alternate_chunks(contestants, warm_up, chunks, progress)
    warm_up_events = sum(map(events_of, warm_up))
    per_transaction = {name: (series[name].events + warm_up_events) / max(counter.count, 1)
                       for name, counter in transactions.items()}
    return ConcurrentResults(store, clients, series, per_transaction)


def report(results: ConcurrentResults) -> None:
    series, base = results.series, results.series[APPEND]
    print(f"\n== {results.store}: {results.clients} clients in one process, {len(base.segments)} interleaved rounds, "
          f"{sum(s.work.commands for s in base.segments)} commands each ==")
    header = (f"{'measurement':<32} {'events/s':>9} {'cmds/s':>8} {'CPU ms/cmd':>10} {'events/transaction':>18} "
              f"{'vs append: median (range)':>26}")
    print(header)
    print("-" * len(header))
    for s in series.values():
        print(f"{s.name:<32} {s.events_per_second.median:>9.0f} {s.commands_per_second.median:>8.0f} "
              f"{s.cpu_ms_per_command:>10.3f} {results.events_per_transaction[s.name]:>18.1f} "
              f"{str(s.ratio(base)):>26}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add_store_options(parser)
    parser.add_argument("--rounds", type=int, default=DEFAULT_ROUNDS, help=f"(default {DEFAULT_ROUNDS})")
    parser.add_argument("--clients", type=int, default=CLIENTS, help=f"client threads (default {CLIENTS})")
    parser.add_argument("--rts-per-client", type=int, default=RTS_PER_CLIENT,
                        help=f"RTs each client runs per round (default {RTS_PER_CLIENT})")
    args = parser.parse_args(argv)
    if not (1 <= args.rounds <= 50 and 1 <= args.clients <= 64 and 1 <= args.rts_per_client <= 20):
        parser.error("--rounds 1–50, --clients 1–64, --rts-per-client 1–20")
    pad = calibrate_payload()

    def run(store: str) -> None:
        with contextlib.ExitStack() as stack:
            results = measure_concurrent(store, Stores(stack, args.pg_url), pad, args.rounds, args.clients,
                                         args.rts_per_client, lambda line: print(f"  [{store}] {line}", file=sys.stderr))
        report(results)

    return run_each_store(args.store, run)


if __name__ == "__main__":
    sys.exit(main())
