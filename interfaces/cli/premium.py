"""``kampung premium``: the JKK + JKM premium of an activity's value."""

import json
from decimal import Decimal

import click

from application.clock import SystemClock
from application.rules import premium_table
from domain.money import rupiah
from interfaces.parsing import parse_day


def _json_default(value: object) -> object:
    if isinstance(value, Decimal):
        return int(value)
    raise TypeError(type(value).__name__)


@click.command()
@click.argument("value")
@click.option("--on", "on", metavar="YYYY-MM-DD", help="Use the rates in force on this day (default: today).")
def premium(value: str, on: str | None) -> None:
    """Print the JKK + JKM premium for an activity VALUE in rupiah, as JSON."""
    day = parse_day(on, "on") or SystemClock().today()
    breakdown = premium_table().rule_on(day).assess(rupiah(value, "value"))
    click.echo(json.dumps(breakdown.as_dict(), default=_json_default))
