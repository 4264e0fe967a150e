"""Rebuilding several read models at once: on PostgreSQL one process per model, each building its
model's new generation (``Rebuilding.build``: read, decode and apply the log, then index), while
this process, the coordinator, reports their progress. When every one is built, the coordinator
applies to each the events recorded meanwhile and swaps it in (``Rebuilding.swap_in``), model by
model; the live generations serve readers until then. A model whose build fails, or whose swap is
refused, keeps its live generation; the others are swapped all the same.

Workers are started fresh ("spawn": they inherit no connection or thread of this process) and open
the event log with the caller's ``LogOpener`` (the projections know no application). SQLite has
one writer at a time, and a small log is rebuilt sooner than processes start: then the models are
rebuilt one after another in this process.
"""

import gc
import multiprocessing
import queue
import time
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Any

from domain.errors import DomainError
from projections import parking, tracking
from projections.engine import make_engine
from projections.readmodel import ReadModel
from projections.retry import RetryPolicy
from projections.eventlog import EventLog, EventMapper
from projections.runner import ProjectionRunner

# Events in the log from which a rebuild of several models on PostgreSQL starts processes (each
# takes a second or two to import the application before it reads anything).
PROCESSES_FROM = 50_000
PROGRESS_EVERY = 5.0  # seconds between progress reports

LogOpener = Callable[[], AbstractContextManager[tuple[EventLog, EventMapper]]]
Progress = Callable[[dict[str, int], int], None]  # (position of each model's new generation, head)


class RebuildFailed(DomainError):
    """A read model's new generation could not be built; its live generation stays."""


@dataclass(frozen=True)
class Built:
    """How long a model's build took, in wall and CPU seconds (of its process), or why it failed."""

    name: str
    seconds: float = 0.0
    cpu_seconds: float = 0.0
    error: str | None = None


@dataclass(frozen=True)
class Outcome:
    name: str
    built: Built
    status: tracking.Status | None = None  # swapped in: where the model is now
    error: Exception | None = None  # not swapped in: why


@dataclass(frozen=True)
class _Job:
    url: str  # of the read models' database
    model: type[ReadModel]
    generation: int
    open_log: LogOpener
    retry: RetryPolicy
    rebuild_page_size: int


def rebuild_all(
    runner: ProjectionRunner, names: Sequence[str], open_log: LogOpener, progress: Progress | None = None,
    processes_from: int = PROCESSES_FROM,
) -> list[Outcome]:
    """Rebuild the models ``names``; their outcomes, in that order."""
    head = runner.log.max_notification_id() or 0
    if runner.engine.dialect.name != "postgresql" or len(names) < 2 or head < processes_from:
        done: dict[str, int] = {}

        def told(name: str) -> Callable[[int], None] | None:
            """What tells ``progress`` of the model ``name``'s position, with the others' so far."""
            if progress is None:
                return None

            def tell(position: int) -> None:
                done[name] = position
                progress(dict(done), head)

            return tell

        return [_rebuild_here(runner, name, told(name)) for name in names]
    generations = {name: runner.prepare_rebuild(name) for name in names}
    context = multiprocessing.get_context("spawn")
    results: Any = context.Queue()
    url = runner.engine.url.render_as_string(hide_password=False)
    workers = {
        name: context.Process(
            target=_build, name=f"rebuild-{name}", daemon=True,
            args=(_Job(url, type(runner.models[name]), generations[name][1], open_log, runner.retry,
                       runner.rebuild_page_size), results),
        )
        for name in names
    }
    for worker in workers.values():
        worker.start()
    try:
        built = _collect(runner, workers, results, {name: new for name, (_, new) in generations.items()},
                         head, progress)
    finally:
        for worker in workers.values():
            worker.join(timeout=5)
            if worker.is_alive():  # the coordinator was interrupted: so are its workers
                worker.terminate()
    return [_swap(runner, name, *generations[name], built[name]) for name in names]


def _rebuild_here(runner: ProjectionRunner, name: str, progress: Callable[[int], None] | None) -> Outcome:
    started, cpu = time.perf_counter(), time.process_time()
    try:
        status = runner.rebuild(name, progress)
    except Exception as error:
        return Outcome(name, Built(name, error=parking.describe(error)), error=error)
    return Outcome(name, Built(name, time.perf_counter() - started, time.process_time() - cpu), status=status)


def _collect(
    runner: ProjectionRunner, workers: dict[str, Any], results: Any, generations: dict[str, int], head: int,
    progress: Progress | None,
) -> dict[str, Built]:
    """Wait for every worker's report, reporting progress meanwhile; a worker that died without one
    (killed) is reported failed."""
    built: dict[str, Built] = {}
    reported = time.monotonic()
    while len(built) < len(workers):
        try:
            result = results.get(timeout=0.5)
            built[result.name] = result
            continue
        except queue.Empty:
            pass
        for name, worker in workers.items():
            if name not in built and not worker.is_alive() and results.empty():
                built[name] = Built(name, error=f"the worker process ended with exit code {worker.exitcode}")
        if progress is not None and time.monotonic() - reported >= PROGRESS_EVERY:
            reported = time.monotonic()
            with runner.engine.connect() as connection:
                progress({name: tracking.position(connection, name, new) for name, new in generations.items()},
                         head)
    return built


def _swap(runner: ProjectionRunner, name: str, old: int, new: int, built: Built) -> Outcome:
    if built.error is not None:
        runner.discard(name, new)
        return Outcome(name, built, error=RebuildFailed(f"the rebuild of read model {name} failed: {built.error}"))
    try:
        runner.catch_up_generation(name, new)  # what was recorded while the others were built
        return Outcome(name, built, status=runner.swap_in(name, old, new))
    except Exception as error:
        return Outcome(name, built, error=error)


def _build(job: _Job, results: Any) -> None:
    """A worker process: build one model's new generation and report."""
    started, cpu = time.perf_counter(), time.process_time()
    gc.freeze()  # what importing the application made lives on: the cycle collector need not scan it
    model = job.model()
    engine = make_engine(job.url)
    try:
        with job.open_log() as (log, mapper):
            runner = ProjectionRunner(engine, log, mapper, [model], retry=job.retry,
                                      rebuild_page_size=job.rebuild_page_size)
            runner.build(model.name, job.generation)
        results.put(Built(model.name, time.perf_counter() - started, time.process_time() - cpu))
    except Exception as error:
        results.put(Built(model.name, error=parking.describe(error)))
    finally:
        engine.dispose()
