"""The event log as a stream of Server-Sent Events (``text/event-stream``).

Each event is one message::

    id: 1234                                   <- its position: a reconnecting client sends it back
    event: id.go.jambikota.kampungbahagia.claim.SantunanPaid.v2
    data: {"specversion":"1.0", ...}           <- the CloudEvent, on one line

The stream polls the notification log (the library's live subscription does not work on SQLite),
so a new event arrives within one poll interval. While nothing happens a comment line
``: keep-alive`` is sent every ``heartbeat`` seconds: it keeps proxies from closing the connection
and lets the server notice a client that has gone (the write fails and the stream ends). The
stream ends by itself when ``stop`` is set (the server is shutting down); clients reconnect.
"""

import json
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from application.service import KampungBahagia
from projections.cloudevents import POSITION, feed_page

MIMETYPE = "text/event-stream"
HEARTBEAT = ": keep-alive\n\n"
RETRY_MS = 3000  # how long an EventSource waits before reconnecting
DEFAULT_HEARTBEAT = 15.0
DEFAULT_POLL = 0.5
PAGE = 200


def message(cloudevent: dict[str, Any]) -> str:
    """One SSE message carrying ``cloudevent``."""
    data = json.dumps(cloudevent, ensure_ascii=False, separators=(",", ":"))
    return f"id: {cloudevent[POSITION]}\nevent: {cloudevent['type']}\ndata: {data}\n\n"


def event_stream(
    service: KampungBahagia,
    after: int,
    types: Sequence[str] = (),
    *,
    heartbeat: float = DEFAULT_HEARTBEAT,
    poll: float = DEFAULT_POLL,
    stop: threading.Event | None = None,
    clock: Callable[[], float] = time.monotonic,
) -> Iterator[str]:
    """The messages of the events after position ``after`` (of ``types``, or all), then of each new
    event as it is recorded, with heartbeats in between, until ``stop`` is set or the client goes."""
    stop = stop or threading.Event()
    # Sent at once, so that the client sees the stream open before the first event.
    yield f"retry: {RETRY_MS}\n: stream after position {after}\n\n"
    last_sent = clock()
    while not stop.is_set():
        events, after = feed_page(service, after, PAGE, types)
        if events:
            yield "".join(message(event) for event in events)
            last_sent = clock()
            if len(events) == PAGE:
                continue  # catching up: read on without waiting
        idle = clock() - last_sent
        if idle >= heartbeat:
            yield HEARTBEAT
            last_sent, idle = clock(), 0.0
        stop.wait(max(0.0, min(poll, heartbeat - idle)))
