"""``kampung webhooks``: deliveries to webhook subscribers, and the purge of old delivery records."""

import os

import click

from application.config import SecretBox, describe_store, read_model_url
from domain.period import JAKARTA
from interfaces.cli.context import open_service, stop_on_signals


@click.group()
def webhooks() -> None:
    """Webhook deliveries to subscribers (subscriptions: /api/v1/webhooks or /admin/webhooks)."""


@webhooks.command("run")
@click.option("--poll", default=1.0, show_default=True, type=click.FloatRange(0.05, 60), help="Seconds between polls.")
@click.option("--timeout", default=10.0, show_default=True, type=click.FloatRange(0.1, 120),
              help="HTTP timeout of one delivery, in seconds.")
@click.option("--max-failures", default=8, show_default=True, type=click.IntRange(1, 100),
              help="Failed attempts in a row after which a subscription is dead.")
@click.option("--backoff", default=1.0, show_default=True, type=click.FloatRange(0.001, 3600),
              help="Seconds before the first retry; doubled after each further failure.")
@click.option("--backoff-cap", default=300.0, show_default=True, type=click.FloatRange(0.001, 86400),
              help="Longest wait between retries, in seconds.")
@click.option("--batch", default=100, show_default=True, type=click.IntRange(1, 10000),
              help="Events delivered to one subscription before turning to the next.")
def webhooks_run(poll: float, timeout: float, max_failures: int, backoff: float, backoff_cap: float,
                 batch: int) -> None:
    """Deliver events to the webhook subscriptions until interrupted (Ctrl-C, SIGTERM)."""
    from projections.retry import RetryPolicy
    from interfaces.consumers import build_worker

    service = open_service()
    worker = build_worker(service, timeout=timeout, batch=batch,
                          policy=RetryPolicy(base=backoff, cap=backoff_cap, max_failures=max_failures))
    stop = stop_on_signals()
    click.echo(f"Delivering webhooks from {describe_store(service.env)} (poll every {poll}s); stop with Ctrl-C.")
    worker.run_forever(stop, poll_interval=poll)
    click.echo("Stopped; checkpoints are saved.")


@webhooks.command("purge")
@click.option("--older-than", "days", type=click.IntRange(1, 36500), metavar="DAYS",
              help="Delete delivery records attempted more than DAYS ago (default $KAMPUNG_WEBHOOK_RETENTION_DAYS "
                   "or 30).")
def webhooks_purge(days: int | None) -> None:
    """Delete old webhook delivery records; those of events a subscription is still trying to deliver stay."""
    from datetime import timedelta

    from projections.webhooks.retention import purge, purgeable, retention_days
    from projections.webhooks.store import WebhookStore, utcnow
    from projections.engine import make_engine

    service = open_service()
    engine = WebhookStore(make_engine(read_model_url(service.env)), SecretBox(service.env)).setup().engine
    days = days or retention_days(os.environ)
    cutoff = utcnow() - timedelta(days=days)
    plan, total = purgeable(engine, cutoff), 0
    with click.progressbar(length=plan.deleted, label=f"Deleting delivery records older than {days} day{'s' if days > 1 else ''}") as bar:
        for deleted in purge(engine, cutoff):
            total += deleted
            bar.update(deleted)
    click.echo(f"Deleted {total} delivery records attempted before {cutoff.astimezone(JAKARTA):%Y-%m-%d %H:%M} WIB; "
               f"kept {plan.kept} older ones of events still waiting for delivery.")
