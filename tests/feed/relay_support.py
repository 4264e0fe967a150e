"""Helpers of the relay tests: a stream and subjects of the test's own on the machine's NATS server
(127.0.0.1:4222, JetStream; deleted after the test), a durable pull consumer reading it, a TCP proxy
the test can cut and restore, and ``kampung relay run`` as a subprocess.

NATS is never optional: if the server is down, the fixture fails the test (``.ci/run`` starts it).
"""

import asyncio
import json
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import nats
import pytest

from application.config import read_model_url
from application.service import KampungBahagia
from projections.cloudevents import feed_page
from projections.relay.publisher import Backoff, Relay
from projections.relay.settings import RelaySettings
from projections.relay.store import RelayStatus, RelayStore
from domain.masking import masked
from projections.engine import make_engine
from tests.e2e.test_cli import KAMPUNG
from tests.integration.conftest import launched_rt

NATS_URL = os.environ.get("KAMPUNG_TEST_NATS_URL", "nats://127.0.0.1:4222")


@dataclass(frozen=True)
class Channel:
    """A stream and subject prefix of one test: the relay's settings as environment variables."""

    stream: str
    prefix: str
    url: str = NATS_URL

    def env(self, url: str | None = None, **settings: str) -> dict[str, str]:
        return {"KAMPUNG_NATS_URL": url or self.url, "KAMPUNG_RELAY_STREAM": self.stream,
                "KAMPUNG_RELAY_SUBJECT_PREFIX": self.prefix, "KAMPUNG_RELAY_MAX_BYTES": "64M", **settings}


async def _connect(url: str = NATS_URL) -> nats.NATS:
    return await nats.connect(url, allow_reconnect=False, connect_timeout=5)


@pytest.fixture
def channel() -> Iterator[Channel]:
    """A stream name and subject prefix no other test uses; the stream is deleted afterwards."""
    token = uuid.uuid4().hex[:12]
    found = Channel(stream=f"TEST_{token}", prefix=f"test.{token}")

    async def check() -> None:
        connection = await _connect()  # fails the test when NATS is down: it is never skipped
        await connection.close()

    asyncio.run(check())
    yield found

    async def delete() -> None:
        connection = await _connect()
        try:
            await connection.jetstream().delete_stream(found.stream)
        except nats.js.errors.NotFoundError:
            pass
        await connection.close()

    asyncio.run(delete())


@dataclass(frozen=True)
class Received:
    subject: str
    headers: dict[str, str]
    data: bytes
    event: dict[str, Any]
    stream_seq: int
    delivered: int  # times the consumer was given this message

    @property
    def id(self) -> str:
        return self.event["id"]


def consume(channel: Channel, durable: str = "reader", subject: str | None = None, idle: float = 1.0) -> list[Received]:
    """What a durable pull consumer of ``subject`` (default: every subject of the channel) is given
    now, each message acked: it stops when a fetch waits ``idle`` seconds for nothing."""
    async def read() -> list[Received]:
        connection = await _connect()
        try:
            stream = connection.jetstream()
            subscription = await stream.pull_subscribe(subject or f"{channel.prefix}.>", durable=durable,
                                                       stream=channel.stream)
            received: list[Received] = []
            while True:
                try:
                    messages = await subscription.fetch(200, timeout=idle)
                except asyncio.TimeoutError:  # the client's, or nats.errors.TimeoutError (a subclass)
                    return received
                for message in messages:
                    received.append(Received(
                        message.subject, dict(message.headers or {}), message.data, json.loads(message.data),
                        message.metadata.sequence.stream, message.metadata.num_delivered,
                    ))
                    await message.ack_sync()
        finally:
            await connection.close()

    return asyncio.run(read())


def stream_state(channel: Channel) -> Any:
    async def info() -> Any:
        connection = await _connect()
        try:
            return (await connection.jetstream().stream_info(channel.stream)).state
        finally:
            await connection.close()

    return asyncio.run(info())


def expected_events(service: KampungBahagia) -> list[dict[str, Any]]:
    """Every event of the feed, masked as for integrators: what the stream must hold, in order."""
    events, after = [], 0
    while True:
        page, after = feed_page(service, after, 1000)
        events.extend(masked(event) for event in page)
        if not page:
            return events


_stores: dict[int, RelayStore] = {}
_folders: list[Path] = []


@pytest.fixture(autouse=True)
def _dispose_engines() -> Iterator[None]:
    """The engines and relays' folders the test made are removed after it (import this fixture into
    the test module)."""
    yield
    while _stores:
        _stores.popitem()[1].engine.dispose()
    while _folders:
        shutil.rmtree(_folders.pop(), ignore_errors=True)


def relay_store(service: KampungBahagia) -> RelayStore:
    """A relay store over ``service``'s read-model database: one engine per service in a test, as a
    process has (a test polls the store often)."""
    if id(service) not in _stores:
        _stores[id(service)] = RelayStore(make_engine(read_model_url(service.env))).setup()
    return _stores[id(service)]


def status(service: KampungBahagia, channel: Channel) -> RelayStatus | None:
    return relay_store(service).status(channel.stream, service.recorder.max_notification_id() or 0)


def wait_for(condition: Callable[[], bool], timeout: float = 60.0, what: str = "") -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"not within {timeout} s: {what}")
        time.sleep(0.05)


def caught_up(service: KampungBahagia, channel: Channel) -> Callable[[], bool]:
    def check() -> bool:
        found = status(service, channel)
        return found is not None and found.lag == 0
    return check


# --- the relay in this process -------------------------------------------------------------------


def relay_of(service: KampungBahagia, channel: Channel, url: str | None = None, **settings: str) -> Relay:
    """A relay of ``service``'s log to the channel, polling and retrying quickly."""
    return Relay(RelaySettings.from_env(channel.env(url, **settings)), RelayStore(relay_store(service).engine),
                 service.recorder, service.mapper, poll=0.05, backoff=Backoff(base=0.05, cap=0.5))


def run_relay(relay: Relay, until: Callable[[], bool], timeout: float = 60.0, what: str = "") -> None:
    """Run ``relay`` until ``until()`` holds (then stop it as SIGTERM would); an error escaping the
    relay is raised here."""
    async def main() -> None:
        stop = asyncio.Event()
        running = asyncio.create_task(relay.run(stop))
        deadline = time.monotonic() + timeout
        try:
            while not until():
                if running.done():
                    running.result()
                if time.monotonic() > deadline:
                    raise AssertionError(f"not within {timeout} s: {what}")
                await asyncio.sleep(0.05)
        finally:
            stop.set()
            await running

    asyncio.run(main())


# --- the relay as an operator runs it ---------------------------------------------------------


class RelayProcess(subprocess.Popen):
    """``kampung relay run`` with its output in files of a folder of its own, readable while it runs."""

    def __init__(self, env: dict[str, str]):
        self.folder = Path(tempfile.mkdtemp(prefix="relay_"))
        _folders.append(self.folder)
        with (self.folder / "out").open("w") as out, (self.folder / "err").open("w") as err:
            super().__init__([str(KAMPUNG), "relay", "run", "--poll", "0.05", "--backoff", "0.1", "--backoff-cap", "1"],
                             stdout=out, stderr=err, env=env)

    def output(self) -> str:
        return (self.folder / "out").read_text()

    def said(self) -> str:
        """What it logged (stderr) so far."""
        return (self.folder / "err").read_text()


def start_relay(variables: dict[str, str], channel: Channel, url: str | None = None, **settings: str) -> RelayProcess:
    return RelayProcess({"PATH": "/usr/bin:/bin", **variables, **channel.env(url, **settings)})


def stop_relay(relay: RelayProcess) -> tuple[str, str]:
    """SIGTERM, as an operator stops it; its output and its log."""
    if relay.poll() is None:
        relay.send_signal(signal.SIGTERM)
    try:
        relay.wait(timeout=30)
    except subprocess.TimeoutExpired:
        relay.kill()
        relay.wait()
    return relay.output(), relay.said()


# --- a TCP proxy in front of NATS, to cut the relay's connection --------------------------------


class Proxy:
    """Forwards 127.0.0.1:<port> to NATS. ``cut()`` closes the listening socket and every
    connection through it (the relay meets refused connections); ``restore()`` listens again on
    the same port."""

    def __init__(self, upstream: tuple[str, int] = ("127.0.0.1", 4222)):
        self.upstream = upstream
        self.port = 0
        self._sockets: set[socket.socket] = set()
        self._lock = threading.Lock()
        self._listener: socket.socket | None = None
        self.connections = 0  # accepted since the start

    def url(self) -> str:
        return f"nats://127.0.0.1:{self.port}"

    def restore(self) -> "Proxy":
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(16)
        self.port = listener.getsockname()[1]
        self._listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()
        return self

    def cut(self) -> None:
        with self._lock:
            listener, self._listener = self._listener, None
            sockets, self._sockets = self._sockets, set()
        if listener is not None:
            _close(listener)
        for sock in sockets:
            _close(sock)

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return  # cut
            try:
                server = socket.create_connection(self.upstream, timeout=5)
            except OSError:
                client.close()
                continue
            server.settimeout(None)
            with self._lock:
                if self._listener is not listener:  # cut meanwhile
                    client.close()
                    server.close()
                    return
                self._sockets |= {client, server}
                self.connections += 1
            for source, target in ((client, server), (server, client)):
                threading.Thread(target=self._pump, args=(source, target), daemon=True).start()

    def _pump(self, source: socket.socket, target: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                target.sendall(data)
        except OSError:
            pass
        finally:
            _close(source)
            _close(target)


def _close(sock: socket.socket) -> None:
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass
    sock.close()


@pytest.fixture
def proxy() -> Iterator[Proxy]:
    found = Proxy().restore()
    yield found
    found.cut()


class Writer(threading.Thread):
    """Launches RTs (5 events each) one after another, ``pause`` seconds apart, while the test does
    its work; ``finish()`` waits for the last one and raises what went wrong."""

    def __init__(self, service: KampungBahagia, first: int, count: int, pause: float = 0.05):
        super().__init__(daemon=True)
        self.service, self.numbers, self.pause = service, range(first, first + count), pause
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            for number in self.numbers:
                launched_rt(self.service, number=number)
                time.sleep(self.pause)
        except BaseException as error:  # noqa: BLE001 - raised again in the test's thread
            self.error = error

    def finish(self) -> None:
        self.join(timeout=120)
        if self.error is not None:
            raise self.error
        assert not self.is_alive(), "the writer did not finish"
