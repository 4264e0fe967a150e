"""The production server: gunicorn with threaded workers (``gthread``), run from ``kampung serve``.

Each worker process builds its own app with ``create_app`` after the fork (nothing is preloaded), so
each has its own store connections and its own read-model follower thread. A thread serves one
request at a time; an open event stream holds its thread, so ``workers × threads`` bounds the open
streams plus the requests being served at once.

How many of each depends on the store (``sizing``). PostgreSQL takes writers in parallel, so
several worker processes add throughput. An SQLite file has one writer at a time whatever the
number of processes; a second process only adds a second writer pool, a second read-model follower
and a second read-your-writes catch-up contending for that one lock through SQLite's busy handler,
which backs off and times out ("database is locked"). So SQLite is served by ONE process whose
threads queue in memory (the event recorder's writer lock, the read models' catch-up lock).

When a worker is asked to stop (SIGTERM, a restart), its open event streams and its follower are
told to stop too, so the worker exits at once instead of waiting out the graceful timeout.
"""

import errno
import socket
import threading
from collections.abc import Mapping
from typing import Any

from flask import Flask
from gunicorn.app.base import BaseApplication

# (workers, threads) by store: the same 16 requests or open event streams at once on either.
SIZING = {"sqlite": (1, 16), "postgres": (2, 8)}
DEFAULTS: dict[str, Any] = {
    "worker_class": "gthread",
    "timeout": 60,
    "graceful_timeout": 10,
    "keepalive": 5,
    "accesslog": "-",
    # gunicorn's own format, and the worker's pid: which process served a request.
    "access_log_format": '%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" %(p)s',
    "errorlog": "-",
    "proc_name": "kampung",
    # No control socket: its default path is one per user, which two servers (a test's and `make run`) share.
    "control_socket_disable": True,
}


def sizing(env: Mapping[str, str], workers: int | None = None, threads: int | None = None) -> tuple[int, int]:
    """Worker processes and threads for the store of ``env``; explicit values win."""
    store = "postgres" if env["PERSISTENCE_MODULE"] == "eventsourcing.postgres" else "sqlite"
    default_workers, default_threads = SIZING[store]
    return workers or default_workers, threads or default_threads


def port_in_use(host: str, port: int) -> bool:
    """Whether another program listens on ``host:port``; asked before gunicorn binds, which would
    retry for several seconds, logging an error each time, before giving up."""
    try:
        family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
    except socket.gaierror:
        return False  # gunicorn says what is wrong with the host
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as gunicorn binds
        try:
            probe.bind(address)
        except OSError as error:
            return error.errno == errno.EADDRINUSE
    return False


def _watch_worker(worker: Any) -> None:
    """In each worker, once it runs: a thread that stops the app's streams and follower as soon as
    the worker is told to stop (its ``alive`` flag drops)."""
    app: Flask = worker.wsgi

    def watch() -> None:
        while worker.alive:
            threading.Event().wait(0.2)
        for key in ("kampung.feed.stop", "kampung.stop"):  # the event streams; the read-model follower
            stop = app.extensions.get(key)
            if stop is not None:
                stop.set()

    threading.Thread(target=watch, name="stop-watch", daemon=True).start()


class KampungServer(BaseApplication):
    """gunicorn running ``create_app(app_config)`` in each worker."""

    def __init__(self, options: Mapping[str, Any], app_config: Mapping[str, Any] | None = None):
        self.options = {**DEFAULTS, "post_worker_init": _watch_worker, **options}
        self.app_config = dict(app_config or {})
        super().__init__()

    def load_config(self) -> None:
        assert self.cfg is not None
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> Flask:
        from interfaces.app import create_app

        return create_app(self.app_config)
