"""What every command shares: the application service of the configured store, open for the command."""

import signal
import threading
from contextlib import closing

import click

from application.service import KampungBahagia
from interfaces.consumers import build_runner
from projections.runner import ProjectionRunner


def open_service(**options: object) -> KampungBahagia:
    """A service over the configured store, closed when the command ends (``options`` as the service's)."""
    return click.get_current_context().with_resource(closing(KampungBahagia(**options)))  # type: ignore[arg-type]


def open_runner() -> ProjectionRunner:
    """The read models' runner over the configured store's log (the service stays open for the command)."""
    return build_runner(open_service())


def stop_on_signals() -> threading.Event:
    """An event set when the process is asked to stop (Ctrl-C, SIGTERM): a long-running worker's end."""
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    return stop
