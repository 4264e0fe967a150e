"""The ``kampung`` group: every command of the command line, by area (a module each beside this one)."""

import click

from interfaces.cli.audit import audit
from interfaces.cli.demo import demo
from interfaces.cli.operations import export, import_, keys
from interfaces.cli.premium import premium
from interfaces.cli.projections import projections
from interfaces.cli.relay import relay
from interfaces.cli.serve import serve
from interfaces.cli.users import users
from interfaces.cli.webhooks import webhooks
from interfaces.errors import TranslatingGroup


@click.group(cls=TranslatingGroup)
def cli() -> None:
    """Kampung Bahagia case manager (store: $DATABASE_URL, or an SQLite file in $KAMPUNG_DATA_DIR or var/)."""


for command in (premium, demo, serve, projections, audit, webhooks, keys, export, import_, users, relay):
    cli.add_command(command)


def main() -> None:
    cli(prog_name="kampung")
