"""``kampung relay run`` and ``kampung relay status``: the event log relayed to NATS JetStream
(settings: ``projections/relay/settings.py``; for integrators: docs/integrators.md)."""

import asyncio
import logging
import signal
import sys

import click

from application.config import describe_store
from interfaces.cli.context import open_service


@click.group()
def relay() -> None:
    """The relay to NATS JetStream: every event once, in order, on a subject per aggregate and event type."""


@relay.command("run")
@click.option("--poll", default=0.5, show_default=True, type=click.FloatRange(0.01, 60),
              help="Seconds between looks at the event log once it is relayed (and a standby's looks at the lock).")
@click.option("--backoff", default=0.5, show_default=True, type=click.FloatRange(0.01, 3600),
              help="Seconds before the first retry after a failure (NATS down, …); doubled after each further one.")
@click.option("--backoff-cap", default=30.0, show_default=True, type=click.FloatRange(0.01, 3600),
              help="Longest wait between retries, in seconds.")
def relay_run(poll: float, backoff: float, backoff_cap: float) -> None:
    """Publish every event to the JetStream stream until interrupted (Ctrl-C, SIGTERM); one relay leads, others stand by."""
    from interfaces.consumers import build_relay
    from projections.relay.publisher import Backoff
    from projections.relay.settings import RelaySettings

    settings = RelaySettings.from_env()
    service = open_service()
    relay = build_relay(service, settings, poll=poll, backoff=Backoff(base=backoff, cap=backoff_cap))
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
    relay_log = logging.getLogger("projections.relay.publisher")
    relay_log.addHandler(handler)
    relay_log.setLevel(logging.INFO)
    click.echo(f"Relaying {describe_store(service.env)} to NATS {', '.join(settings.servers)}: stream "
               f"{settings.stream}, subjects {settings.subject_prefix}.<aggregate>.<Event>; stop with Ctrl-C.")

    async def main() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(signum, stop.set)
        await relay.run(stop)

    asyncio.run(main())
    click.echo(f"Stopped; the position is saved ({relay.published} events published since start).")


@relay.command("status")
def relay_status() -> None:
    """The relay's position in the event log, its lag, its leader and its last error."""
    from application.config import read_model_url
    from projections.relay.settings import configured_stream
    from projections.relay.store import RelayStore
    from projections.engine import make_engine

    service = open_service()
    stream = configured_stream()
    status = RelayStore(make_engine(read_model_url(service.env))).status(stream, service.recorder.max_notification_id() or 0)
    if status is None:
        click.echo(f"No relay has led stream {stream} yet (kampung relay run).")
        return
    click.echo(f"stream {status.stream}: position {status.position} of {status.head}, lag {status.lag}")
    click.echo(f"leader {status.leader or '-'} since {status.leading_since or '-'}; last published {status.published_at or '-'}")
    if status.last_error:
        click.echo(f"{'failing' if status.failing else 'last error'} ({status.last_error_at}): {status.last_error}")
