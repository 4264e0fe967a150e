"""Operators' commands: ``kampung keys generate``, ``kampung export`` and ``kampung import`` (docs/operations.md)."""

import os
import sys
from collections.abc import Callable, Iterator
from typing import IO, Any

import click

from application.backup import export_lines, import_lines
from application.config import describe_store, new_key
from interfaces.cli.context import open_service
from interfaces.consumers import build_runner


@click.group()
def keys() -> None:
    """Encryption keys of the event store ($KAMPUNG_ENCRYPTION_KEY)."""


@keys.command("generate")
def keys_generate() -> None:
    """Print a new random AES-256 key (base64) for KAMPUNG_ENCRYPTION_KEY."""
    click.echo(new_key())


def _progress(length: int, label: str) -> Any:
    """A progress bar on stderr (click shows it only when stderr is a terminal), so stdout stays the data."""
    return click.progressbar(length=length, label=label, file=sys.stderr)


@click.command("export")
@click.argument("output", type=click.File("w", encoding="utf-8", lazy=True), metavar="FILE|-")
def export(output: IO[str]) -> None:
    """Write the whole event store as JSON lines (a header, then each stored event as stored) to FILE or stdout."""
    service = open_service()
    # Each event is read twice (the header's count and hash, then the event): the head bounds both.
    with _progress(2 * (service.recorder.max_notification_id() or 0), "Exporting") as bar:
        for line in export_lines(service, bar.update):
            output.write(line)


def _lines(path: str, advance: Callable[[int], None]) -> Iterator[str]:
    with open(path, encoding="utf-8") as file:
        for line in file:
            advance(len(line))  # an export is ASCII (JSON with escapes, base64): characters are bytes
            yield line


@click.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, readable=True), metavar="FILE")
def import_(path: str) -> None:
    """Restore an export into an EMPTY event store (positions kept), then bring the read models up to date."""
    service = open_service()
    # The file is read twice: checked whole, then written.
    with _progress(2 * os.path.getsize(path), "Importing") as bar:
        header = import_lines(service, lambda: _lines(path, bar.update))
    build_runner(service).catch_up()
    click.echo(f"Imported {header.count} events into {describe_store(service.env)}; head hash {header.head}")
