"""HTTP throughput and latency under gunicorn (``kampung serve``), with locust on 127.0.0.1.

For each store: a fresh store is seeded (an RT with 16 activities under a task letter covering today,
one participant to look up), ``kampung serve`` (sized by store as in production: 1 worker × 16
threads on SQLite, 2 × 8 on PostgreSQL) starts on a free port, the driver signs in once
(``bench/auth.py``), and locust runs headless for each endpoint at each number of concurrent users
(``bench/locustfile.py``), in interleaved rounds: at each number of users, each round runs every
endpoint once (the order rotated), so the static file is measured right beside the others:

- ``static``: a static file from the same server, the baseline;
- ``coverage``: ``GET /coverage?nik=…&at=…``, a coverage look-up on the read model;
- ``join``: ``POST`` of the form that joins a participant (a command, then the read models catch up).

Locust runs on the same 2 cores as the server, so the figures include its own cost. Part of
``bench/suite.py``; run alone:

    .venv/bin/python bench/serving.py [--store sqlite|postgres|both] [--users 1,4,16] [--seconds 5] [--rounds 2]
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import itertools
import json
import os
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from uuid import UUID

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from application.config import store_env  # noqa: E402
from application.service import KampungBahagia  # noqa: E402
from bench.auth import sign_in  # noqa: E402
from bench.loads import launched_rt  # noqa: E402
from bench.rounds import Spread  # noqa: E402
from bench.stores import Stores, add_store_options, run_each_store  # noqa: E402
from bench.workload import person, synthetic_nik  # noqa: E402
from domain.period import JAKARTA, Period  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
USERS = (1, 4, 16)
SECONDS = 5  # per locust run
ROUNDS = 2  # runs of each endpoint at each number of users, alternating with the others
ENDPOINTS = {"static": "StaticFile", "coverage": "CoverageLookup", "join": "JoinForm"}  # name: locust user class
ACTIVITIES = max(USERS)


@dataclass
class Seed:
    activities: list[UUID]
    nik: str
    at: str  # the coverage form's datetime-local value: now, WIB


@dataclass
class HttpResult:
    requests: int
    failures: int
    per_second: float
    p50_ms: float | None  # None: no request was answered
    p99_ms: float | None
    vs_static: Spread | None = None  # requests/s over the static file's, round by round


def seed(app: KampungBahagia) -> Seed:
    now = datetime.now(JAKARTA)
    start = now.date() - timedelta(days=30)
    rt_id, ketua = launched_rt(app, 1, start)
    ketua_nik = synthetic_nik(1)
    cover = Period(start, start + timedelta(days=300))
    activities = []
    for number in range(ACTIVITIES):
        activity_id = app.plan_activity(rt_id, f"Gotong royong {number + 1}", "cleaning", "Jl. Sipin", 50_000_000,
                                        cover, ketua)
        app.issue_task_letter(activity_id, f"ST/HTTP/{number + 1}", start, cover, ketua_nik, ketua)
        activities.append(activity_id)
    nik = synthetic_nik(2)
    app.join_participant(activities[0], nik, person(2), "resident", ketua)
    return Seed(activities, nik, now.strftime("%Y-%m-%dT%H:%M"))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def server(variables: dict[str, str], log: Path) -> Iterator[str]:
    """``kampung serve`` on the store of ``variables``, its error log in ``log`` (a file: a pipe
    nobody reads would block the server once full); yields its base URL once it answers."""
    port = free_port()
    env = {**os.environ, **variables, "KAMPUNG_SECRET_KEY": secrets.token_hex(32), "KAMPUNG_INSECURE_COOKIES": "1"}
    with open(log, "wb") as errors:
        process = subprocess.Popen(
            [str(BIN / "kampung"), "serve", "--host", "127.0.0.1", "--port", str(port)],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=errors, start_new_session=True,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"kampung serve exited: {log.read_text()[-2000:]}")
            with contextlib.suppress(requests.ConnectionError):
                if requests.get(f"{url}/static/style.css", timeout=5).ok:
                    break
            if time.monotonic() > deadline:
                raise RuntimeError("kampung serve did not answer within 90 s")
            time.sleep(0.3)
        yield url
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def locust(url: str, endpoint: str, users: int, seconds: int, setup: dict[str, object], workdir: str) -> HttpResult:
    prefix = os.path.join(workdir, f"{endpoint}_{users}")
    run = subprocess.run(
        [str(BIN / "locust"), "-f", str(ROOT / "bench" / "locustfile.py"), "--headless", "-u", str(users),
         "-r", str(users), "-t", f"{seconds}s", "--csv", prefix, "--host", url, "--only-summary",
         "--loglevel", "ERROR", "--exit-code-on-error", "0", ENDPOINTS[endpoint]],
        cwd=ROOT, env={**os.environ, "BENCH_HTTP_SETUP": json.dumps(setup)}, capture_output=True, text=True,
        timeout=seconds + 60,
    )
    if run.returncode:
        raise RuntimeError(f"locust failed: {run.stderr[-2000:]}")
    with open(f"{prefix}_stats.csv", newline="") as stats:
        row = next((row for row in csv.DictReader(stats) if row["Name"] == endpoint), None)
    if row is None:  # not one request was answered within the run
        return HttpResult(0, 0, 0.0, None, None)
    return HttpResult(int(row["Request Count"]), int(row["Failure Count"]), float(row["Requests/s"]),
                      float(row["50%"]), float(row["99%"]))


def measure_http(
    variables: dict[str, str], users: tuple[int, ...] = USERS, seconds: int = SECONDS, rounds: int = ROUNDS,
) -> dict[tuple[str, int], HttpResult]:
    """Every endpoint at every number of users on one store; keyed by (endpoint, users). For each number
    of users, ``rounds`` rounds of a ``seconds`` run of every endpoint, the static file's among them
    (the order rotated each round); a result's figures are the medians of its rounds."""
    rounds_of: dict[tuple[str, int], list[HttpResult]] = defaultdict(list)
    names = list(ENDPOINTS)
    with contextlib.closing(KampungBahagia(env=store_env(variables))) as app:
        seeded = seed(app)
        with tempfile.TemporaryDirectory(prefix="bench_locust_") as workdir, \
                server(variables, Path(workdir) / "server.log") as url:
            credentials = sign_in(app, url, f"/activities/{seeded.activities[0]}/participants/new")
            runs = itertools.count(1)
            for count in users:
                for number in range(rounds):
                    for endpoint in names[number % len(names):] + names[:number % len(names)]:
                        setup = {"cookies": credentials.cookies, "csrf_token": credentials.csrf_token,
                                 "nik": seeded.nik, "at": seeded.at,
                                 "activities": [str(a) for a in seeded.activities],
                                 "first_serial": 1_000_000 * next(runs)}
                        result = locust(url, endpoint, count, seconds, setup, workdir)
                        rounds_of[endpoint, count].append(result)
                        if result.failures or not result.requests:
                            errors = [line for line in (Path(workdir) / "server.log").read_text().splitlines()
                                      if "Error" in line]
                            print(f"  !! {endpoint} with {count} users: {result.failures} of {result.requests} "
                                  f"failed; server errors: {errors[-3:]}", file=sys.stderr)
    return {key: summary(results, rounds_of["static", key[1]]) for key, results in rounds_of.items()}


def summary(results: list[HttpResult], static: list[HttpResult]) -> HttpResult:
    """The medians of an endpoint's rounds, and its requests/s over the static file's, round by round."""
    answered = [r for r in results if r.p50_ms is not None]
    ratios = [r.per_second / s.per_second for r, s in zip(results, static, strict=True) if s.per_second]
    return HttpResult(
        sum(r.requests for r in results), sum(r.failures for r in results),
        statistics.median(r.per_second for r in results),
        statistics.median(r.p50_ms for r in answered) if answered else None,
        statistics.median(r.p99_ms for r in answered) if answered else None,
        Spread.of(ratios) if ratios else None,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add_store_options(parser)
    parser.add_argument("--users", default=",".join(map(str, USERS)), help="concurrent users, comma-separated")
    parser.add_argument("--seconds", type=int, default=SECONDS, help="seconds per locust run")
    parser.add_argument("--rounds", type=int, default=ROUNDS, help="runs of each endpoint per number of users")
    args = parser.parse_args(argv)
    users = tuple(int(count) for count in args.users.split(","))

    def run(store: str) -> None:
        with contextlib.ExitStack() as stack:
            results = measure_http(Stores(stack, args.pg_url).fresh_variables(store), users, args.seconds, args.rounds)
        print(f"\n== {store}: HTTP (medians of {args.rounds} rounds) ==\n{'endpoint':<9} {'users':>5} {'requests':>8} "
              f"{'req/s':>8} {'p50 ms':>7} {'p99 ms':>7} {'failed':>6} {'vs static (range)':>18}")
        for (endpoint, count), r in sorted(results.items(), key=lambda item: (item[0][1], item[0][0])):
            print(f"{endpoint:<9} {count:>5} {r.requests:>8} {r.per_second:>8.1f} {r.p50_ms or 0:>7.0f} "
                  f"{r.p99_ms or 0:>7.0f} {r.failures:>6} {str(r.vs_static):>18}")

    return run_each_store(args.store, run)


if __name__ == "__main__":
    sys.exit(main())
