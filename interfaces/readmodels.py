"""Wiring of the read models to the application's event log: the one place both meet.

Settings (environment): ``KAMPUNG_PROJECTION_ATTEMPTS`` — attempts at an event a read model fails to
apply before it is parked (default 3); ``KAMPUNG_PROJECTION_BACKOFF`` — seconds before the first
retry, doubled for each further one (default 0.2; see docs/operations.md).
"""

import os
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import replace
from functools import partial

from application.config import read_model_url
from application.service import KampungBahagia
from domain.errors import InvalidValue
from projections.audit import AuditTrail
from projections.claims import ClaimsBoard
from projections.coverage import Coverage
from projections.engine import make_engine
from projections.parallel import Outcome, Progress, rebuild_all
from projections.parking import POLICY
from projections.retry import RetryPolicy
from projections.runner import EventLog, EventMapper, ProjectionRunner

MODELS = (Coverage, AuditTrail, ClaimsBoard)
ATTEMPTS, BACKOFF = "KAMPUNG_PROJECTION_ATTEMPTS", "KAMPUNG_PROJECTION_BACKOFF"


def retry_policy(environ: Mapping[str, str] = os.environ) -> RetryPolicy:
    """How the read models retry an event before parking it, from the environment."""
    policy = POLICY
    attempts = environ.get(ATTEMPTS, "").strip()
    if attempts:
        if not attempts.isdigit() or not 1 <= int(attempts) <= 100:
            raise InvalidValue(f"{ATTEMPTS} must be a whole number from 1 to 100", ATTEMPTS)
        policy = replace(policy, max_failures=int(attempts))
    backoff = environ.get(BACKOFF, "").strip()
    if backoff:
        try:
            seconds = float(backoff)
        except ValueError:
            seconds = -1.0
        if not 0 <= seconds <= 60:
            raise InvalidValue(f"{BACKOFF} must be a number of seconds from 0 to 60", BACKOFF)
        policy = replace(policy, base=seconds, cap=max(policy.cap, seconds))
    return policy


def build_runner(service: KampungBahagia, page_size: int = 2000) -> ProjectionRunner:
    runner = ProjectionRunner(
        engine=make_engine(read_model_url(service.env)),
        log=service.recorder,
        mapper=service.mapper,
        models=[model() for model in MODELS],
        page_size=page_size,
        retry=retry_policy(),
    )
    runner.setup()
    return runner


@contextmanager
def open_log(env: Mapping[str, str]) -> Iterator[tuple[EventLog, EventMapper]]:
    """The event log of the store ``env`` names, and its mapper: how a rebuild's worker process
    (``projections.parallel``) reads the log."""
    service = KampungBahagia(env=dict(env))
    try:
        yield service.recorder, service.mapper
    finally:
        service.close()


def rebuild(runner: ProjectionRunner, service: KampungBahagia, names: Sequence[str],
            progress: Progress | None = None) -> list[Outcome]:
    """Rebuild the read models ``names`` of ``service``'s store, in parallel where it pays."""
    return rebuild_all(runner, names, partial(open_log, dict(service.env)), progress)
