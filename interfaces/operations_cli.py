"""Operators' commands: ``kampung keys generate``, ``kampung audit verify``, ``kampung export`` and
``kampung import`` (docs/operations.md)."""

import os
import sys
from collections.abc import Callable, Iterator
from contextlib import closing
from typing import IO, Any

import click

from application.backup import export_lines, import_lines, stored_events
from application.config import describe_store, new_key
from application.service import KampungBahagia
from domain.eventchain import verify
from interfaces.consumers import build_runner
from projections.audit import chain_rows
from projections.runner import ProjectionRunner


def _service() -> KampungBahagia:
    return click.get_current_context().with_resource(closing(KampungBahagia()))


@click.group()
def keys() -> None:
    """Encryption keys of the event store ($KAMPUNG_ENCRYPTION_KEY)."""


@keys.command("generate")
def keys_generate() -> None:
    """Print a new random AES-256 key (base64) for KAMPUNG_ENCRYPTION_KEY."""
    click.echo(new_key())


def _audited(runner: ProjectionRunner) -> Iterator[tuple[int, str, str]]:
    with runner.reading("audit") as (connection, tables):
        after = 0
        while rows := chain_rows(connection, tables, after):
            yield from ((row.position, row.event_hash, row.chain_hash) for row in rows)
            after = rows[-1].position


def _chain_hash_at(runner: ProjectionRunner, position: int) -> str | None:
    with runner.reading("audit") as (connection, tables):
        rows = chain_rows(connection, tables, after=position - 1, limit=1)
    return rows[0].chain_hash if rows and rows[0].position == position else None


@click.command("verify")
@click.option("--expect", metavar="POSITION:HASH",
              help="Also check the chain hash at POSITION against one kept off-site (a head hash printed earlier).")
def audit_verify(expect: str | None) -> None:
    """Check the event log against the audit trail's hash chain: report the first event changed, removed
    or inserted since it was audited (exit 1), or the position and head hash the chain is intact up to;
    then the events the audit trail parked (exit 1), which the chain holds but the trail does not record."""
    service = _service()
    runner = build_runner(service)
    # No catch-up first: an event slipped into the log after the audited head would be chained in.
    audited_up_to = next(status.position for status in runner.status() if status.name == "audit")
    # The chain covers the events the audit trail records (every type of the programme).
    topics = runner.models["audit"].topics
    stored = ((event.position, event.hash()) for event in stored_events(service, audited_up_to, topics))
    verdict = verify(stored, _audited(runner))
    if not verdict.intact:
        raise click.ClickException(
            f"position {verdict.position}: event {verdict.difference} (the chain is intact before it, "
            f"head hash {verdict.head})"
        )
    if expect is not None:
        position, colon, expected = expect.partition(":")
        if not (colon and position.isdigit()):
            raise click.BadParameter("give POSITION:HASH", param_hint="--expect")
        found = _chain_hash_at(runner, int(position))
        if found != expected.strip().lower():
            raise click.ClickException(
                f"position {position}: chain hash {found or 'missing'}, not the expected {expected} "
                "(the log was changed before it was audited, or the audit trail rebuilt from a changed log)"
            )
    click.echo(f"intact up to position {verdict.position}, head hash {verdict.head}")
    unaudited = (service.recorder.max_notification_id() or 0) - audited_up_to
    if unaudited > 0:
        # Said plainly: "intact" must not read as a verdict on events nobody has chained yet.
        click.echo(f"{unaudited} events after position {audited_up_to} are not audited yet "
                   "(kampung projections run, or the server, brings the audit trail up to date)")
    parked = runner.parked("audit")
    if parked:
        # Chained, so checked above, but not in the trail: who did what there is not on record.
        raise click.ClickException(
            f"parked, so chained but not recorded in the audit trail: the events at positions "
            f"{', '.join(str(event.position) for event in parked)} (kampung projections parked audit)"
        )


def _progress(length: int, label: str) -> Any:
    """A progress bar on stderr (click shows it only when stderr is a terminal), so stdout stays the data."""
    return click.progressbar(length=length, label=label, file=sys.stderr)


@click.command("export")
@click.argument("output", type=click.File("w", encoding="utf-8", lazy=True), metavar="FILE|-")
def export(output: IO[str]) -> None:
    """Write the whole event store as JSON lines (a header, then each stored event as stored) to FILE or stdout."""
    service = _service()
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
    service = _service()
    # The file is read twice: checked whole, then written.
    with _progress(2 * os.path.getsize(path), "Importing") as bar:
        header = import_lines(service, lambda: _lines(path, bar.update))
    build_runner(service).catch_up()
    click.echo(f"Imported {header.count} events into {describe_store(service.env)}; head hash {header.head}")


def register(cli: click.Group) -> None:
    """Add these commands to the ``kampung`` group (its ``audit`` group gets ``verify``)."""
    cli.add_command(keys)
    cli.add_command(export)
    cli.add_command(import_)
    audit = cli.commands["audit"]
    assert isinstance(audit, click.Group)
    audit.add_command(audit_verify)
