"""The ``kampung`` command line."""

import json
from datetime import date
from decimal import Decimal

import click

from application.clock import FixedClock, SystemClock
from application.config import describe_store, store_env
from application.rules import premium_table
from application.service import KampungBahagia
from domain.errors import InvalidValue
from domain.money import rupiah
from interfaces.errors import TranslatingGroup


def parse_day(value: str | None, field: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InvalidValue(f"{value!r} is not a date (YYYY-MM-DD)", field) from None


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
def serve(host: str, port: int) -> None:
    """Serve the web app."""
    from interfaces.web import create_app

    app = create_app()
    click.echo(f"Serving Kampung Bahagia on http://{host}:{port}/ ({describe_store(store_env())})")
    app.run(host=host, port=port, threaded=True, use_reloader=False)


def main() -> None:
    cli(prog_name="kampung")
