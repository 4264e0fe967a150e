"""The ``kampung`` command line."""

import json
import os
import signal
import sys
import threading
from contextlib import closing
from datetime import datetime
from decimal import Decimal
from uuid import UUID

import click

from application.clock import FixedClock, SystemClock
from application.config import SecretBox, describe_store, read_model_url, store_env
from application.demo.timeline import EARLIEST_TODAY
from application.rules import premium_table
from application.service import KampungBahagia
from domain.money import rupiah
from domain.period import JAKARTA
from interfaces.errors import TranslatingGroup
from interfaces.cli.relay import relay
from interfaces.operations_cli import register as register_operations
from interfaces.parsing import parse_day, parse_moment
from interfaces.consumers import build_runner
from interfaces.users_cli import users
from projections.audit import EVENT_TYPES, AuditFilter, event_positions
from projections.export import FORMATS, export_audit
from projections.runner import ProjectionRunner


def _json_default(value: object) -> object:
    if isinstance(value, Decimal):
        return int(value)
    raise TypeError(type(value).__name__)


@click.group(cls=TranslatingGroup)
def cli() -> None:
    """Kampung Bahagia case manager (store: $DATABASE_URL, or an SQLite file in $KAMPUNG_DATA_DIR or var/)."""


@cli.command()
@click.argument("value")
@click.option("--on", "on", metavar="YYYY-MM-DD", help="Use the rates in force on this day (default: today).")
def premium(value: str, on: str | None) -> None:
    """Print the JKK + JKM premium for an activity VALUE in rupiah, as JSON."""
    day = parse_day(on, "on") or SystemClock().today()
    breakdown = premium_table().rule_on(day).assess(rupiah(value, "value"))
    click.echo(json.dumps(breakdown.as_dict(), default=_json_default))


@cli.command()
@click.option("--today", metavar="YYYY-MM-DD",
              help=f"The day the history runs up to, from {EARLIEST_TODAY} (default: today in WIB).")
def demo(today: str | None) -> None:
    """Load the demo data set (67 pilot RTs, their activities and claims up to TODAY, activities planned
    for the weeks after) into the configured store; safe to run again, and a later --today extends it."""
    from application.demo.loader import DemoLoad
    from interfaces.demo_summary import demo_summary

    # The demo places its history in time (2025 to today) by moving the service's clock.
    clock = FixedClock()
    service = click.get_current_context().with_resource(closing(KampungBahagia(clock=clock)))
    day = parse_day(today, "today") or SystemClock().today()
    load = DemoLoad(service, clock, day)
    click.echo(f"Loading demo data up to {day.isoformat()} into {describe_store(service.env)} …")
    with click.progressbar(length=load.total, label="Loading the demo", file=sys.stderr) as bar:
        added = load.run(bar.update)
    click.echo(demo_summary(service, day, added, load.later))


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=click.IntRange(1, 65535))
@click.option("--workers", type=click.IntRange(1, 64),
              help="Worker processes (default 1 on SQLite, one writer at a time anyway; 2 on PostgreSQL).")
@click.option("--threads", type=click.IntRange(1, 256),
              help="Threads per worker: requests (and open event streams) served at once by each "
                   "(default 16 on SQLite, 8 on PostgreSQL).")
@click.option("--heartbeat", type=click.FloatRange(0.1, 3600), metavar="SECONDS",
              help="Keep-alive comment interval of event streams (default $KAMPUNG_FEED_HEARTBEAT or 15).")
def serve(host: str, port: int, workers: int | None, threads: int | None, heartbeat: float | None) -> None:
    """Serve the web app, the API and the event feed under gunicorn (threaded workers)."""
    from interfaces.server import KampungServer, port_in_use, sizing

    if port_in_use(host, port):
        raise click.ClickException(f"port {port} on {host} is in use (another server?): stop it, or choose "
                                   "another port with --port (make run PORT=…)")
    workers, threads = sizing(store_env(), workers, threads)

    app_config: dict[str, object] = {"KAMPUNG_FOLLOW_LOG": True}
    if heartbeat is not None:
        app_config["KAMPUNG_FEED_HEARTBEAT"] = heartbeat
    click.echo(f"Serving Kampung Bahagia on http://{host}:{port}/ ({describe_store(store_env())}; "
               f"{workers} workers × {threads} threads)")
    KampungServer({"bind": f"{host}:{port}", "workers": workers, "threads": threads}, app_config).run()


@cli.group()
def projections() -> None:
    """Read models: status, rebuild, parked events, and the worker that keeps them current."""


def _runner() -> ProjectionRunner:
    # The runner reads the service's event log: the command's context keeps the service open.
    service = click.get_current_context().with_resource(closing(KampungBahagia()))
    return build_runner(service)


def _named(runner: ProjectionRunner, names: tuple[str, ...]) -> list[str]:
    """The read models NAMEd (all when none is), each checked."""
    unknown = sorted(set(names) - set(runner.models))
    if unknown:
        raise click.UsageError(f"unknown read model {', '.join(unknown)}; one of {', '.join(runner.models)}")
    return list(names or runner.models)


def _wib(moment: datetime) -> str:
    return f"{moment.astimezone(JAKARTA):%Y-%m-%d %H:%M} WIB"


@projections.command("status")
def projections_status() -> None:
    """Position, lag (events in the log not yet applied) and parked events of each read model."""
    click.echo(f"{'read model':<12} {'generation':>10} {'position':>10} {'head':>10} {'lag':>8} {'parked':>8}")
    for status in _runner().status():
        click.echo(f"{status.name:<12} {status.generation:>10} {status.position:>10} {status.head:>10} "
                   f"{status.lag:>8} {status.parked:>8}")


@projections.command("rebuild")
@click.argument("names", nargs=-1, metavar="[NAME]...")
def projections_rebuild(names: tuple[str, ...]) -> None:
    """Rebuild read models (all, or those NAMEd) from position 0 into fresh tables, swapped in when caught up."""
    runner = _runner()
    head = runner.log.max_notification_id() or 0
    for name in _named(runner, names):
        with click.progressbar(length=head, label=f"Rebuilding {name}", file=sys.stderr) as bar:
            status = runner.rebuild(name, lambda position: bar.update(position - bar.pos))
        click.echo(f"{name}: generation {status.generation}, position {status.position}, lag {status.lag}, "
                   f"parked {status.parked}")


@projections.command("parked")
@click.argument("names", nargs=-1, metavar="[NAME]...")
def projections_parked(names: tuple[str, ...]) -> None:
    """List the events read models (all, or those NAMEd) could not apply and parked, with their errors."""
    runner = _runner()
    parked = [event for name in _named(runner, names) for event in runner.parked(name)]
    if not parked:
        click.echo("No parked events.")
        return
    click.echo(f"{'read model':<12} {'position':>10}  {'event type':<26} {'aggregate id':<36} {'version':>7} "
               f"{'attempts':>8}  {'first failed':<20}  {'last failed':<20}")
    for event in parked:
        click.echo(f"{event.name:<12} {event.position:>10}  {event.event_type:<26} {event.aggregate_id:<36} "
                   f"{event.version:>7} {event.attempts:>8}  {_wib(event.first_failed_at):<20}  "
                   f"{_wib(event.last_failed_at):<20}")
        click.echo(f"{'':<12} {' '.join(event.error.split())}")


@projections.command("replay-parked")
@click.argument("names", nargs=-1, metavar="[NAME]...")
def projections_replay_parked(names: tuple[str, ...]) -> None:
    """Apply the parked events of read models (all, or those NAMEd) again, in order, after a fix; exit 1
    if some are still parked."""
    runner = _runner()
    still = 0
    for name in _named(runner, names):
        click.echo(f"{name}: replaying {len(runner.parked(name))} parked events …")
        replayed, left = runner.replay_parked(name)
        still += left
        click.echo(f"{name}: {replayed} replayed, {left} still parked")
    if still:
        raise click.ClickException(f"still parked: {still} events (kampung projections parked)")


@projections.command("run")
@click.option("--poll", default=0.5, show_default=True, type=click.FloatRange(0.05, 60), help="Seconds between polls.")
def projections_run(poll: float) -> None:
    """Follow the event log and keep every read model current, until interrupted (Ctrl-C, SIGTERM)."""
    runner = _runner()
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    click.echo(f"Following the event log (poll every {poll}s); stop with Ctrl-C.")
    runner.run_forever(stop, poll_interval=poll)
    click.echo("Stopped; positions are saved.")


@cli.group()
def audit() -> None:
    """The audit trail."""


@audit.command("export")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="csv", show_default=True)
@click.option("--aggregate", type=click.UUID, help="Only this aggregate id.")
@click.option("--actor", help="Only events by this user id.")
@click.option("--type", "event_type", type=click.Choice(list(EVENT_TYPES)), metavar="TYPE",
              help="Only this event type, e.g. SantunanPaid.")
@click.option("--since", help="Recorded at or after (ISO date-time; WIB if no offset).")
@click.option("--until", help="Recorded at or before (ISO date-time; WIB if no offset).")
@click.option("--output", type=click.File("w", encoding="utf-8", lazy=True), default="-",
              help="File to write (default stdout).")
def audit_export(fmt: str, aggregate: UUID | None, actor: str | None, event_type: str | None,
                 since: str | None, until: str | None, output) -> None:  # type: ignore[no-untyped-def]
    """Export the audit trail for a filter as CSV or JSON lines."""
    where = AuditFilter(aggregate_id=str(aggregate) if aggregate else None, actor_id=actor, event_type=event_type,
                        since=parse_moment(since, "since"), until=parse_moment(until, "until"))
    runner = _runner()
    runner.catch_up(["audit"])
    with runner.reading("audit") as (connection, tables):
        # An id the trail does not know is a mistake, not an empty export.
        if aggregate and not event_positions(connection, tables, str(aggregate)):
            raise click.BadParameter(f"no aggregate with id {aggregate} in the audit trail", param_hint="--aggregate")
        for chunk in export_audit(connection, tables, where, fmt):
            output.write(chunk)


@cli.group()
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

    service = click.get_current_context().with_resource(closing(KampungBahagia()))
    worker = build_worker(service, timeout=timeout, batch=batch,
                          policy=RetryPolicy(base=backoff, cap=backoff_cap, max_failures=max_failures))
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
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

    service = click.get_current_context().with_resource(closing(KampungBahagia()))
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


register_operations(cli)


cli.add_command(users)
cli.add_command(relay)


def main() -> None:
    cli(prog_name="kampung")
