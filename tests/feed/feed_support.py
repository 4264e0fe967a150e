"""Helpers of the event-feed tests: a history with every event type, the feed read to the end, the
app served by gunicorn (``kampung serve``) in a subprocess, and a Server-Sent Events reader."""

import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import requests

from application.service import KampungBahagia
from domain.benefits import AssessmentInputs
from domain.claim import DOCUMENTS
from domain.period import JAKARTA
from projections.cloudevents import feed_page
from interfaces.app import create_app
from tests.accounts import bearer
from tests.api.conftest import ApiClient
from tests.integration.conftest import ADMIN, OFFICER, SITI
from tests.integration.history import make_history

ACTOR = "sistem.bpjs:integrator"
LOCATION = "Parit Jl. Sipin Ujung, dekat jembatan"
KAMPUNG = Path(sys.executable).with_name("kampung")


def full_history(app: KampungBahagia, clock: Any) -> dict[str, Any]:
    """``tests.integration.history`` and the events it lacks (a rejected claim, reported with its location;
    a JKM claim whose santunan is waived; a completed activity): every event type of the catalogue, 57 events."""
    ids = make_history(app, clock)
    incident = datetime(2025, 9, 10, 9, 0, tzinfo=JAKARTA)
    clock.set(datetime(2025, 9, 15, 10, 0, tzinfo=JAKARTA))
    rejected = app.report_accident(ids["drainage"], SITI, incident, "work_accident", "Tergelincir.", "Budi",
                                   OFFICER, location=LOCATION)
    app.reject_claim(rejected, "Bukan kegiatan gotong royong", OFFICER)
    waived = app.report_accident(ids["drainage"], SITI, incident + timedelta(days=1), "non_work_death",
                                 "Meninggal karena serangan jantung di rumah.", "Keluarga", OFFICER)
    app.confirm_coverage(waived, OFFICER)
    app.receive_documents(waived, [document for document, required in DOCUMENTS["non_work_death"].items()
                                   if required], OFFICER)
    app.assess_claim(waived, AssessmentInputs(), OFFICER)
    app.approve_claim(waived, OFFICER)
    app.waive_outstanding(waived, "Ahli waris menolak santunan", OFFICER)
    clock.advance(timedelta(hours=1))
    app.complete_activity(ids["drainage"], ADMIN)
    return {**ids, "rejected": rejected, "waived": waived}


def read_all(app: KampungBahagia, limit: int = 1000, **filters: Any) -> list[dict[str, Any]]:
    events: list[dict[str, Any]] = []
    after = 0
    while True:
        page, next_after = feed_page(app, after, limit, **filters)
        events += page
        if next_after == after:
            return events
        after = next_after


@pytest.fixture
def feed_api(app_sqlite) -> ApiClient:
    """The JSON API over ``app_sqlite`` (a fixture: import it into a test module to use it)."""
    flask_app = create_app({"TESTING": True, "KAMPUNG_APP": app_sqlite, "SECRET_KEY": "test"})
    return ApiClient(flask_app.test_client(), actor=ACTOR)


# --- a served app ------------------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Served:
    base: str
    process: subprocess.Popen[bytes]
    log: Path
    headers: dict[str, str]  # the integrator's bearer token

    def get(self, path: str, **kwargs: Any) -> requests.Response:
        kwargs.setdefault("timeout", 10)
        return requests.get(self.base + path, headers={**self.headers, **kwargs.pop("headers", {})}, **kwargs)

    def stop(self, timeout: float = 20) -> float:
        """SIGTERM, as a process manager stops it; the seconds it took to exit."""
        started = time.monotonic()
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)
        return time.monotonic() - started


def serve(data_dir: Path, token: str, heartbeat: float = 0.3, workers: int = 2, threads: int = 4,
          variables: dict[str, str] | None = None) -> Served:
    """``kampung serve`` (gunicorn) on a free port of 127.0.0.1 over the SQLite store in ``data_dir``
    (or the store ``variables`` name: ``DATABASE_URL``), requested with the API ``token`` (of an
    account in that store); returns once it answers /healthz. Its log is ``data_dir/serve.log``."""
    port = free_port()
    env = {**os.environ, "KAMPUNG_DATA_DIR": str(data_dir), "KAMPUNG_FEED_POLL": "0.1",
           "KAMPUNG_SECRET_KEY": "feed-tests", "PYTHONUNBUFFERED": "1"}
    env.pop("DATABASE_URL", None)
    env.update(variables or {})
    log = data_dir / "serve.log"
    process = subprocess.Popen(
        [str(KAMPUNG), "serve", "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers),
         "--threads", str(threads), "--heartbeat", str(heartbeat)],
        env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT,
    )
    served = Served(f"http://127.0.0.1:{port}", process, log, bearer(token))
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"kampung serve exited with {process.returncode}:\n{log.read_text()}")
        try:
            if requests.get(served.base + "/healthz", timeout=2).status_code == 200:
                return served
        except (requests.ConnectionError, requests.Timeout):  # not listening yet, or a worker still booting
            pass
        time.sleep(0.1)
    served.stop()
    raise AssertionError(f"kampung serve did not answer within 30 s:\n{log.read_text()}")


# --- Server-Sent Events --------------------------------------------------------------------------------------------


@dataclass
class Message:
    id: str | None = None
    event: str | None = None
    data: str | None = None
    comments: list[str] = field(default_factory=list)
    retry: int | None = None

    @property
    def cloudevent(self) -> dict[str, Any]:
        assert self.data is not None
        return json.loads(self.data)


def parse_block(block: str) -> Message:
    """One SSE block (the lines up to a blank line), as the HTML standard reads them."""
    message = Message()
    data: list[str] = []
    for line in block.split("\n"):
        if line.startswith(":"):
            message.comments.append(line[1:].strip())
            continue
        name, _, value = line.partition(":")
        value = value[1:] if value.startswith(" ") else value
        if name == "id":
            message.id = value
        elif name == "event":
            message.event = value
        elif name == "data":
            data.append(value)
        elif name == "retry":
            message.retry = int(value)
    message.data = "\n".join(data) if data else None
    return message


class EventStream:
    """Reads a ``text/event-stream`` response block by block (``requests``, streamed)."""

    def __init__(self, served: Served, path: str = "/api/v1/events/stream", headers: dict[str, str] | None = None,
                 read_timeout: float = 10):
        self.response = requests.get(served.base + path, headers={**served.headers, **(headers or {})}, stream=True,
                                     timeout=(5, read_timeout))
        assert self.response.status_code == 200, self.response.text
        self.chunks = self.response.iter_content(chunk_size=None, decode_unicode=True)
        self.buffer = ""

    def __enter__(self) -> "EventStream":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def messages(self) -> Iterator[Message]:
        while True:
            while "\n\n" not in self.buffer:
                self.buffer += next(self.chunks)
            block, self.buffer = self.buffer.split("\n\n", 1)
            yield parse_block(block)

    def events(self, count: int) -> tuple[list[Message], int]:
        """The next ``count`` event messages, and how many heartbeats came in between."""
        events, heartbeats = [], 0
        for message in self.messages():
            if message.data is not None:
                events.append(message)
                if len(events) == count:
                    return events, heartbeats
            elif "keep-alive" in message.comments:
                heartbeats += 1
        raise AssertionError("unreachable")

    def close(self) -> None:
        self.response.close()
