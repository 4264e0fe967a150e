"""Wiring of the log's consumers to the application's event log, the one place both meet: the read
models, the webhook deliveries (``kampung webhooks run``) and the relay to NATS (``kampung relay run``).

Settings (environment): ``KAMPUNG_PROJECTION_ATTEMPTS`` — attempts at an event a read model fails to
apply before it is parked (default 3); ``KAMPUNG_PROJECTION_BACKOFF`` — seconds before the first
retry, doubled for each further one (default 0.2; see docs/operations.md).
"""

import os
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import replace
from functools import partial
from typing import Any

from application.config import SecretBox, read_model_url
from application.service import KampungBahagia
from domain.errors import InvalidValue
from projections.audit import AuditTrail
from projections.claims import ClaimsBoard
from projections.coverage import Coverage
from projections.engine import make_engine
from projections.parking import POLICY
from projections.retry import RetryPolicy
from projections.parallel import Outcome, Progress, rebuild_all
from projections.relay.publisher import Relay
from projections.relay.settings import RelaySettings
from projections.relay.store import RelayStore
from projections.eventlog import EventLog, EventMapper
from projections.runner import ProjectionRunner
from projections.webhooks.retention import retention
from projections.webhooks.store import WebhookStore
from projections.webhooks.targets import TargetPolicy
from projections.webhooks.worker import WebhookWorker

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


def build_worker(service: KampungBahagia, **options: Any) -> WebhookWorker:
    """A worker delivering the events of ``service``'s log, to the targets ``$KAMPUNG_WEBHOOK_ALLOW``
    allows, purging records older than ``$KAMPUNG_WEBHOOK_RETENTION_DAYS``; ``options`` as
    ``WebhookWorker``'s."""
    store = WebhookStore(make_engine(read_model_url(service.env)), SecretBox(service.env)).setup()
    options.setdefault("targets", TargetPolicy.from_environment(os.environ))
    options.setdefault("retention", retention(os.environ))
    return WebhookWorker(store, service.recorder, service.mapper, **options)


def build_relay(service: KampungBahagia, settings: RelaySettings, **options: Any) -> Relay:
    """A relay of ``service``'s log, its position in the read-model database; ``options`` as ``Relay``'s."""
    store = RelayStore(make_engine(read_model_url(service.env))).setup()
    return Relay(settings, store, service.recorder, service.mapper, **options)
