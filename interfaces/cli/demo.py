"""``kampung demo``: the demo data set, up to a chosen today, and what it says when it has loaded: the
programme's figures on the demo's today, read from the read models with the dashboard's own queries,
so the two never disagree."""

import sys
from datetime import date

import click

from application.clock import FixedClock, SystemClock
from application.config import describe_store
from application.demo.timeline import EARLIEST_TODAY
from interfaces.cli.context import open_service
from application.service import KampungBahagia
from domain.claim import STATUSES
from domain.money import format_rupiah
from interfaces.consumers import build_runner
from interfaces.parsing import parse_day
from projections.claims import by_month, by_status
from projections.figures import programme


@click.command()
@click.option("--today", metavar="YYYY-MM-DD",
              help=f"The day the history runs up to, from {EARLIEST_TODAY} (default: today in WIB).")
def demo(today: str | None) -> None:
    """Load the demo data set (67 pilot RTs, their activities and claims up to TODAY, activities planned
    for the weeks after) into the configured store; safe to run again, and a later --today extends it."""
    from application.demo.loader import DemoLoad

    # The demo places its history in time (2025 to today) by moving the service's clock.
    clock = FixedClock()
    service = open_service(clock=clock)
    day = parse_day(today, "today") or SystemClock().today()
    load = DemoLoad(service, clock, day)
    click.echo(f"Loading demo data up to {day.isoformat()} into {describe_store(service.env)} …")
    with click.progressbar(length=load.total, label="Loading the demo", file=sys.stderr) as bar:
        added = load.run(bar.update)
    click.echo(demo_summary(service, day, added, load.later))


def _day(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def demo_summary(service: KampungBahagia, today: date, added: int, later: int) -> str:
    runner = build_runner(service)
    runner.catch_up()
    with runner.reading("coverage") as (connection, tables):
        figures = programme(connection, tables, today)
    with runner.reading("claims") as (connection, tables):
        claims = {row["status"]: row for row in by_status(connection, tables)}
        late = sum(int(row["late"] or 0) for row in by_month(connection, tables))
    first = figures["first_launch"]
    first_text = f", the first {first[0]} on {_day(first[1])}" if first else ""
    activities = ", ".join(f"{count} {status}" for status, count in figures["activity_statuses"].items())
    statuses = ", ".join(
        f"{status.replace('_', ' ')} {claims[status]['claims']}" for status in STATUSES if status in claims
    )
    santunan = sum(int(row["paid"] or 0) for row in claims.values())
    return (
        f"Demo data (Program Kampung Bahagia, Kota Jambi) on {_day(today)}: {figures['rts']} RTs in "
        f"{figures['kelurahan']} kelurahan of {figures['kecamatan']} kecamatan, {figures['launched']} launched"
        f"{first_text}; {figures['activities']} activities ({activities}) with {figures['task_letters']} task "
        f"letters and {figures['participants']} participants ({figures['people']} distinct NIKs), "
        f"{figures['covered']} covered today; premium assessed {format_rupiah(figures['premium_assessed'])} of which "
        f"{format_rupiah(figures['premium_paid'])} paid (cancelled activities owe none); "
        f"{sum(int(row['claims']) for row in claims.values())} claims ({statuses}; {late} reported late), "
        f"santunan paid {format_rupiah(santunan)}. This run added {added} events; {later} steps of the weeks "
        f"after {_day(today)} wait for a later --today."
    )
