"""The ``kampung`` command line."""

import json
import signal
import threading
from contextlib import closing
from datetime import datetime
from decimal import Decimal

import click

from application.clock import FixedClock, SystemClock
from application.config import describe_store, store_env
from application.rules import premium_table
from application.service import KampungBahagia
from domain.money import rupiah
from domain.period import JAKARTA
from interfaces.errors import TranslatingGroup
from interfaces.operations_cli import register as register_operations
from interfaces.parsing import parse_day, parse_moment
from interfaces.readmodels import build_runner, rebuild
from interfaces.users_cli import users
from projections.audit import AuditFilter
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
def demo() -> None:
    """Load the demo data set (67 pilot RTs) into the configured store; safe to run again."""
    from interfaces.demo import load_demo

    # The demo places its history in time (2025–2026) by moving the service's clock.
    clock = FixedClock()
    service = KampungBahagia(clock=clock)
    click.echo(f"Loading demo data into {describe_store(service.env)} …")
    summary = load_demo(service, clock)
    click.echo(summary)


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
    from interfaces.server import KampungServer, sizing

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


def _service() -> KampungBahagia:
    # The command's context keeps the service (and its event log) open while the command runs.
    return click.get_current_context().with_resource(closing(KampungBahagia()))


def _runner(service: KampungBahagia | None = None) -> ProjectionRunner:
    return build_runner(service or _service())


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
    """Rebuild read models (all, or those NAMEd) from position 0 into fresh tables, swapped in when all are
    caught up (on PostgreSQL, a large log is rebuilt by one process per read model); exit 1 if one was not."""
    service = _service()
    runner = _runner(service)

    def progress(positions: dict[str, int], head: int) -> None:
        done = ", ".join(f"{name} {position:,}" for name, position in positions.items())
        click.echo(f"rebuilding: {done} of {head:,} events", err=True)

    outcomes = rebuild(runner, service, _named(runner, names), progress)
    for outcome in outcomes:
        if (status := outcome.status) is not None:
            click.echo(f"{status.name}: generation {status.generation}, position {status.position}, "
                       f"lag {status.lag}, parked {status.parked}")
    failed = [outcome.error for outcome in outcomes if outcome.error is not None]
    for error in failed[1:]:  # the first is raised, as the command's error
        click.echo(f"Error: {error}", err=True)
    if failed:
        raise failed[0]


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
@click.option("--aggregate", help="Only this aggregate id.")
@click.option("--actor", help="Only events by this user id.")
@click.option("--type", "event_type", help="Only this event type, e.g. SantunanPaid.")
@click.option("--since", help="Recorded at or after (ISO date-time; WIB if no offset).")
@click.option("--until", help="Recorded at or before (ISO date-time; WIB if no offset).")
@click.option("--output", type=click.File("w", encoding="utf-8"), default="-", help="File to write (default stdout).")
def audit_export(fmt: str, aggregate: str | None, actor: str | None, event_type: str | None,
                 since: str | None, until: str | None, output) -> None:  # type: ignore[no-untyped-def]
    """Export the audit trail for a filter as CSV or JSON lines."""
    where = AuditFilter(aggregate_id=aggregate, actor_id=actor, event_type=event_type,
                        since=parse_moment(since, "since"), until=parse_moment(until, "until"))
    runner = _runner()
    runner.catch_up(["audit"])
    with runner.reading("audit") as (connection, tables):
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
    from interfaces.feed.webhooks import build_worker

    service = click.get_current_context().with_resource(closing(KampungBahagia()))
    worker = build_worker(service, timeout=timeout, batch=batch,
                          policy=RetryPolicy(base=backoff, cap=backoff_cap, max_failures=max_failures))
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    click.echo(f"Delivering webhooks from {describe_store(service.env)} (poll every {poll}s); stop with Ctrl-C.")
    worker.run_forever(stop, poll_interval=poll)
    click.echo("Stopped; checkpoints are saved.")


register_operations(cli)


cli.add_command(users)


def main() -> None:
    cli(prog_name="kampung")
