"""Interleaved measurement: a figure and its baselines in alternating rounds, so that a change in the
machine's load between them cannot swing their ratio (this machine is shared).

Each contestant keeps its own store for the whole run. Two ways to alternate:

- ``alternate_steps`` (one client each): within a round, every step (a command) is run by each
  contestant in turn, each step timed, so the load of any moment falls on all of them alike;
- ``alternate_chunks`` (many client threads): each contestant runs the round's whole chunk, one
  after the other.

Either way the order is rotated each round (nobody always goes first), a warm-up run by each
before the first round is not counted, and garbage is collected between rounds, untimed. A ratio is
taken within each round (the contestant's rate over the baseline's) and the median of the rounds
is reported with its range (the lowest and the highest round). CPU time is ``time.process_time``:
this process only, so PostgreSQL's own work is not in it.
"""

from __future__ import annotations

import gc
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

C = TypeVar("C")


@dataclass(frozen=True)
class Work:
    """What one contestant did in one round."""

    events: int
    commands: int
    latencies: Sequence[float] = ()


@dataclass(frozen=True)
class Segment:
    work: Work
    seconds: float
    cpu: float

    @property
    def events_per_second(self) -> float:
        return self.work.events / self.seconds

    @property
    def commands_per_second(self) -> float:
        return self.work.commands / self.seconds


@dataclass(frozen=True)
class Spread:
    median: float
    low: float
    high: float

    @classmethod
    def of(cls, values: Sequence[float]) -> Spread:
        return cls(statistics.median(values), min(values), max(values))

    def __str__(self) -> str:
        return f"{self.median:.2f} ({self.low:.2f}–{self.high:.2f})"


@dataclass
class Series:
    """A contestant's rounds."""

    name: str
    segments: list[Segment]

    @property
    def events_per_second(self) -> Spread:
        return Spread.of([segment.events_per_second for segment in self.segments])

    @property
    def commands_per_second(self) -> Spread:
        return Spread.of([segment.commands_per_second for segment in self.segments])

    @property
    def cpu_ms_per_command(self) -> float:
        return 1000 * sum(s.cpu for s in self.segments) / sum(s.work.commands for s in self.segments)

    @property
    def latencies(self) -> list[float]:
        return [latency for segment in self.segments for latency in segment.work.latencies]

    @property
    def events(self) -> int:
        return sum(segment.work.events for segment in self.segments)

    def ratio(self, baseline: Series, rate: Callable[[Segment], float] = lambda s: s.events_per_second) -> Spread:
        """Round by round, this contestant's rate over ``baseline``'s: median and range."""
        return Spread.of([rate(mine) / rate(theirs) for mine, theirs in zip(self.segments, baseline.segments,
                                                                          strict=True)])

    def cpu_ratio(self, baseline: Series) -> Spread:
        """Round by round, CPU seconds per command over ``baseline``'s."""
        return self.ratio(baseline, lambda s: s.cpu / s.work.commands)


def _rotated(names: list[str], number: int) -> list[str]:
    shift = number % len(names)
    return names[shift:] + names[:shift]


def alternate_steps(contestants: dict[str, Callable[[C], int]], warm_up: Sequence[C], rounds: Sequence[Sequence[C]],
                    progress: Callable[[str], Any] = lambda line: None) -> dict[str, Series]:
    """Each contestant runs each step of each round (a step returns the events it wrote), in turn."""
    names = list(contestants)
    for step in warm_up:
        for name in names:
            contestants[name](step)
    series = {name: Series(name, []) for name in names}
    clock, cpu_clock = time.perf_counter, time.process_time
    for number, steps in enumerate(rounds):
        gc.collect()
        order = _rotated(names, number)
        seconds = dict.fromkeys(names, 0.0)
        cpu = dict.fromkeys(names, 0.0)
        events = dict.fromkeys(names, 0)
        latencies: dict[str, list[float]] = {name: [] for name in names}
        for step in steps:
            for name in order:
                wall, started_cpu = clock(), cpu_clock()
                events[name] += contestants[name](step)
                cpu[name] += cpu_clock() - started_cpu
                latencies[name].append(took := clock() - wall)
                seconds[name] += took
        for name in names:
            series[name].segments.append(
                Segment(Work(events[name], len(steps), latencies[name]), seconds[name], cpu[name]))
        progress(f"round {number + 1}/{len(rounds)}")
    return series


def alternate_chunks(contestants: dict[str, Callable[[C], Work]], warm_up: C, chunks: Sequence[C],
                     progress: Callable[[str], Any] = lambda line: None) -> dict[str, Series]:
    """Each contestant runs each chunk as a whole, one after the other, timed as a whole."""
    names = list(contestants)
    for name in names:
        contestants[name](warm_up)
    series = {name: Series(name, []) for name in names}
    for number, chunk in enumerate(chunks):
        for name in _rotated(names, number):
            gc.collect()
            wall, cpu = time.perf_counter(), time.process_time()
            work = contestants[name](chunk)
            series[name].segments.append(Segment(work, time.perf_counter() - wall, time.process_time() - cpu))
        progress(f"round {number + 1}/{len(chunks)}")
    return series


def percentile(values: Sequence[float], p: float) -> float:
    """Nearest-rank percentile; values need not be sorted."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(p / 100 * len(ordered) + 0.5)))
    return ordered[rank - 1]
