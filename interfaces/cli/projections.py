"""``kampung projections``: the read models' status, rebuilds, parked events and the worker."""

import sys
from datetime import datetime

import click

from domain.period import JAKARTA
from interfaces.cli.context import open_runner, open_service, stop_on_signals
from interfaces.consumers import build_runner, rebuild
from projections.runner import ProjectionRunner


@click.group()
def projections() -> None:
    """Read models: status, rebuild, parked events, and the worker that keeps them current."""


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
    for status in open_runner().status():
        click.echo(f"{status.name:<12} {status.generation:>10} {status.position:>10} {status.head:>10} "
                   f"{status.lag:>8} {status.parked:>8}")


@projections.command("rebuild")
@click.argument("names", nargs=-1, metavar="[NAME]...")
def projections_rebuild(names: tuple[str, ...]) -> None:
    """Rebuild read models (all, or those NAMEd) from position 0 into fresh tables, swapped in when all are
    caught up (on PostgreSQL, a large log is rebuilt by one process per read model); exit 1 if one was not."""
    service = open_service()
    runner = build_runner(service)
    chosen = _named(runner, names)
    head = runner.log.max_notification_id() or 0
    with click.progressbar(length=head * len(chosen), label=f"Rebuilding {', '.join(chosen)}", file=sys.stderr) as bar:
        outcomes = rebuild(runner, service, chosen, lambda positions, _: bar.update(sum(positions.values()) - bar.pos))
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
    runner = open_runner()
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
    runner = open_runner()
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
    runner = open_runner()
    stop = stop_on_signals()
    click.echo(f"Following the event log (poll every {poll}s); stop with Ctrl-C.")
    runner.run_forever(stop, poll_interval=poll)
    click.echo("Stopped; positions are saved.")
