"""Helpers of the webhook tests: a receiver on 127.0.0.1 (http.server in a thread, a free port)
that records what arrives and answers as the test says, and a store and worker over a service.

The receiver is on a loopback address, which deployments refuse by default: the tests allow it as an
administrator allows an on-premise receiver (``KAMPUNG_WEBHOOK_ALLOW=127.0.0.1``), and look the names
reserved for examples (``mitra.example``, ``bpjs.example.org``) up as a public host."""

import re
import threading
import time
from ipaddress import ip_address
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from application.config import SecretBox, read_model_url
from application.service import KampungBahagia
from projections.retry import RetryPolicy
from projections.webhooks.store import WebhookStore
from projections.webhooks.targets import Address, TargetPolicy, resolve_host
from projections.webhooks.worker import WebhookWorker
from projections.engine import make_engine
from tests.integration.conftest import ADMIN, launched_rt

ALLOWED = "127.0.0.1"
PUBLIC_ADDRESS = ip_address("93.184.215.14")


EXAMPLE_NAMES = re.compile(r"(^|\.)example(\.(com|net|org))?$")  # RFC 2606: never a real host


def public_example(host: str, port: int) -> list[Address]:
    """The tests' name lookup: ``*.example`` and ``*.example.org`` (the integrators of the tests) are a
    public host; other names as the system resolves them."""
    return [PUBLIC_ADDRESS] if EXAMPLE_NAMES.search(host) else resolve_host(host, port)


TARGETS = TargetPolicy.from_setting(ALLOWED, resolve=public_example)


def webhook_app_config(service: KampungBahagia, **config: Any) -> dict[str, Any]:
    """``create_app`` config of the webhook tests: the receiver's address allowed."""
    return {"TESTING": True, "KAMPUNG_APP": service, "SECRET_KEY": "test", "KAMPUNG_WEBHOOK_TARGETS": TARGETS, **config}


# The answer to the n-th request (0-based) that arrived on a path: an HTTP status.
Decide = Callable[[int, "Received"], int]


@dataclass(frozen=True)
class Received:
    path: str
    headers: dict[str, str]
    body: bytes
    status: int = 0

    @property
    def webhook_id(self) -> str:
        return self.headers["webhook-id"]


class Receiver:
    """An HTTP server on 127.0.0.1 that records each POST (in order of arrival) and answers with
    ``decide(n, request)`` and the body ``reply``, after ``delay`` seconds; it also tracks how many
    requests per path were being answered at once."""

    def __init__(self, decide: Decide | None = None, delay: float = 0.0, reply: bytes = b"ok"):
        self.decide: Decide = decide or (lambda n, request: 204)
        self.delay = delay
        self.reply = reply
        self.received: list[Received] = []
        self.lock = threading.Lock()
        self.in_flight: dict[str, int] = {}
        self.max_in_flight: dict[str, int] = {}
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's name
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                request = Received(self.path, {k.lower(): v for k, v in self.headers.items()}, body)
                with receiver.lock:
                    n = sum(1 for r in receiver.received if r.path == self.path)
                    busy = receiver.in_flight[self.path] = receiver.in_flight.get(self.path, 0) + 1
                    receiver.max_in_flight[self.path] = max(receiver.max_in_flight.get(self.path, 0), busy)
                status = 500
                try:
                    if receiver.delay:
                        time.sleep(receiver.delay)
                    status = receiver.decide(n, request)
                finally:
                    # Done before the answer goes out: the sender may send the next one as soon as it has it.
                    with receiver.lock:
                        receiver.received.append(Received(request.path, request.headers, body, status))
                        receiver.in_flight[self.path] -= 1
                try:
                    self.send_response(status)
                    self.send_header("Content-Length", str(len(receiver.reply)))
                    self.end_headers()
                    self.wfile.write(receiver.reply)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the worker is gone (killed, or timed out)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def start(self) -> "Receiver":
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def url(self, path: str = "/hook") -> str:
        return f"http://127.0.0.1:{self.server.server_port}{path}"

    def on(self, path: str = "/hook", ok_only: bool = False) -> list[Received]:
        with self.lock:
            return [r for r in self.received if r.path == path and (not ok_only or 200 <= r.status < 300)]

    def positions(self, path: str = "/hook", ok_only: bool = False) -> list[int]:
        import json

        return [json.loads(r.body)["position"] for r in self.on(path, ok_only)]

    def wait_for(self, condition: Callable[[], bool], timeout: float = 60.0) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if condition():
                return True
            time.sleep(0.05)
        return condition()


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    server = Receiver().start()
    yield server
    server.stop()


_engines: list[Any] = []


@pytest.fixture(autouse=True)
def _dispose_engines() -> Iterator[None]:
    """The engines the test made are closed after it (import this fixture into the test module)."""
    yield
    while _engines:
        _engines.pop().dispose()


def store_of(service: KampungBahagia) -> WebhookStore:
    engine = make_engine(read_model_url(service.env))
    _engines.append(engine)
    return WebhookStore(engine, SecretBox(service.env)).setup()


def worker_of(service: KampungBahagia, store: WebhookStore | None = None, **options: Any) -> WebhookWorker:
    options.setdefault("policy", RetryPolicy(base=1.0, cap=8.0, max_failures=8))
    options.setdefault("timeout", 5.0)
    options.setdefault("targets", TARGETS)
    return WebhookWorker(store or store_of(service), service.recorder, service.mapper, **options)


def launched_rts(service: KampungBahagia, count: int, first: int = 1) -> int:
    """``count`` launched RTs (5 events each); returns the log's head."""
    for number in range(first, first + count):
        launched_rt(service, number=number)
    return service.recorder.max_notification_id() or 0


def head(service: KampungBahagia) -> int:
    return service.recorder.max_notification_id() or 0


def first_seen(ids: list[Any]) -> list[Any]:
    """The ids in order of their first arrival (duplicates dropped)."""
    return list(dict.fromkeys(ids))


__all__ = ["ADMIN", "ALLOWED", "TARGETS", "_dispose_engines", "Receiver", "Received", "first_seen", "head",
           "launched_rts", "receiver", "store_of", "webhook_app_config", "worker_of"]
