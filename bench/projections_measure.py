"""Measuring the read models over a store's log against the bare library reading it, in one process.

The baseline is a bare loop over the notification log in pages (``select_notifications``), decoding
each event with the application's mapper (``to_domain_event``): what any consumer of the log pays.
Measurements are interleaved with it — baseline, measurement, baseline, next measurement … for
several rounds — and each measurement's ratio is taken against the mean of the baselines just
before and after it; the median over rounds is reported. Load from other processes on a shared
machine then slows a measurement and its baselines alike instead of swinging the ratio.
"""

from __future__ import annotations

import os
import re
import statistics
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Engine, MetaData, func, select, text

from application.service import KampungBahagia
from projections.readmodel import ReadModel
from projections.runner import ProjectionRunner

READ_MODEL_TABLE = re.compile(
    r"^(projection_generations|projection_positions|projection_parked|[a-z_]+_g\d+_[a-z_]+)$")


def drop_read_models(engine: Engine) -> None:
    """Remove read-model and tracking tables (a reused SQLite store may hold a previous run's)."""
    metadata = MetaData()
    metadata.reflect(engine)
    doomed = [table for name, table in metadata.tables.items() if READ_MODEL_TABLE.match(name)]
    if doomed:
        metadata.drop_all(engine, tables=doomed)


def read_loop(app: KampungBahagia, page: int, decode: bool, stop: int | None = None) -> tuple[float, int]:
    """Seconds to read the log (up to position ``stop``) in pages, decoding each event or not; and
    the events read."""
    select_notifications, to_domain_event = app.recorder.select_notifications, app.mapper.to_domain_event
    count, start = 0, 1
    started = time.perf_counter()
    while True:
        notifications = select_notifications(start, limit=page, stop=stop)
        if decode:
            for notification in notifications:
                to_domain_event(notification)
        count += len(notifications)
        if len(notifications) < page:
            return time.perf_counter() - started, count
        start = notifications[-1].id + 1


def topic_counts(app: KampungBahagia, engine: Engine, stop: int | None = None) -> dict[str, int]:
    table = app.recorder.events_table_name
    where = "" if stop is None else f" WHERE notification_id <= {int(stop)}"
    with engine.connect() as connection:
        return dict(connection.execute(text(f'SELECT topic, COUNT(*) FROM "{table}"{where} GROUP BY topic')).all())


def subscribed(model: ReadModel, topics: dict[str, int]) -> int:
    """Events of the log the model subscribes to."""
    return sum(topics.get(topic, 0) for topic in model.topics)


def row_counts(runner: ProjectionRunner, name: str) -> dict[str, int]:
    with runner.reading(name) as (connection, tables):
        return {key: connection.execute(select(func.count()).select_from(table)).scalar_one()
                for key, table in tables.items()}


def analyze_events(app: KampungBahagia, engine: Engine) -> float:
    """PostgreSQL: gather the events table's statistics, as autovacuum does on a live server (it is
    off on some; without statistics the log's topic-filtered paging plans a scan of the rest of the
    table for every page). Returns the seconds it took."""
    started = time.perf_counter()
    with engine.begin() as connection:
        connection.exec_driver_sql(f'ANALYZE "{app.recorder.events_table_name}"')
    return time.perf_counter() - started


def _postgres_cpu() -> dict[int, float]:
    """CPU seconds used so far by each process of the PostgreSQL server on this machine."""
    ticks, found = os.sysconf("SC_CLK_TCK"), {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        name, rest = stat[stat.index("(") + 1:stat.rindex(")")], stat[stat.rindex(")") + 2:].split()
        if name.startswith("postgres"):
            found[int(entry.name)] = (int(rest[11]) + int(rest[12])) / ticks  # utime, stime
    return found


class PostgresCPU:
    """The CPU seconds the PostgreSQL server's processes use while the block runs, sampled twice a
    second so that a backend ending meanwhile counts up to its last sample. Other sessions' queries
    count too: a rough figure, to tell a loaded machine from a slow rebuild."""

    def __enter__(self) -> "PostgresCPU":
        self.start, self.last = _postgres_cpu(), {}
        self.seconds = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()
        return self

    def _sample(self) -> None:
        while not self._stop.wait(0.5):
            self.last.update(_postgres_cpu())

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.last.update(_postgres_cpu())
        self.seconds = sum(used - self.start.get(pid, 0.0) for pid, used in self.last.items())


@dataclass
class Measurement:
    """One figure over rounds: seconds of each round, and its rate's ratio to the baseline around it."""

    label: str
    events: int  # log events the figure covers (its rate is events / seconds)
    seconds: list[float] = field(default_factory=list)
    ratios: list[float] = field(default_factory=list)
    cpu_seconds: list[float] = field(default_factory=list)  # this process's, per round

    @property
    def median_seconds(self) -> float:
        return statistics.median(self.seconds)

    @property
    def rate(self) -> float:
        return self.events / self.median_seconds

    @property
    def ratio(self) -> float:
        return statistics.median(self.ratios)


@dataclass
class Rounds:
    """The baseline's runs (seconds) and the measurements interleaved with them."""

    baseline: Measurement
    measurements: list[Measurement]
    load: tuple[float, float]  # 1-minute load average when measuring began and ended


def interleaved(
    baseline: Callable[[], float], events: int, measurements: dict[str, tuple[int, Callable[[], float]]],
    rounds: int, progress: Callable[[str], None] = print,
) -> Rounds:
    """Run ``baseline`` (over ``events`` log events) and each measurement (label: (log events, run)) in
    turn, ``rounds`` times, a baseline between every two; each run returns its seconds."""
    load_before = os.getloadavg()[0]
    base = Measurement("bare read + decode", events)
    results = {label: Measurement(label, count) for label, (count, _) in measurements.items()}

    def run_baseline() -> float:
        seconds = baseline()
        base.seconds.append(seconds)
        progress(f"  baseline: {seconds:.1f} s")
        return events / seconds

    before = run_baseline()
    for round_ in range(1, rounds + 1):
        for label, (count, run) in measurements.items():
            cpu = time.process_time()
            seconds = run()
            result = results[label]
            result.seconds.append(seconds)
            result.cpu_seconds.append(time.process_time() - cpu)
            after = run_baseline()
            result.ratios.append((count / seconds) / ((before + after) / 2))
            progress(f"  round {round_}: {label}: {seconds:.1f} s = {result.ratios[-1]:.2f} × read+decode")
            before = after
    base.ratios = [1.0] * len(base.seconds)
    return Rounds(base, list(results.values()), (load_before, os.getloadavg()[0]))


def table(rounds: Rounds) -> list[str]:
    """Markdown rows: measurement, median seconds, log events/s, vs bare read+decode (median, range)."""
    lines = ["| measurement | events | seconds (median) | events/s | vs bare read + decode |",
             "| --- | ---: | ---: | ---: | ---: |"]
    for measurement in (rounds.baseline, *rounds.measurements):
        spread = (f" ({min(measurement.ratios):.2f}–{max(measurement.ratios):.2f})"
                  if len(measurement.ratios) > 1 and measurement is not rounds.baseline else "")
        lines.append(f"| {measurement.label} | {measurement.events:,} | {measurement.median_seconds:.2f} | "
                     f"{measurement.rate:,.0f} | {measurement.ratio:.2f}{spread} |")
    return lines


def catch_up_run(app: KampungBahagia, engine: Engine, model_class: type[ReadModel], page_size: int,
                 stop: int | None = None) -> Callable[[], float]:
    """A measurement: the model's catch-up from position 0 (to ``stop``) into fresh tables, as the live
    runner does it (pages of ``page_size``, one transaction each)."""

    def run() -> float:
        drop_read_models(engine)
        model = model_class()
        runner = ProjectionRunner(engine, app.recorder, app.mapper, [model], page_size=page_size)
        runner.setup()
        started = time.perf_counter()
        runner.catch_up([model.name], stop=stop)
        return time.perf_counter() - started

    return run
