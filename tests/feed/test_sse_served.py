"""The event stream as production serves it: ``kampung serve`` (gunicorn, 2 workers × 4 threads) in a
subprocess on a free 127.0.0.1 port, over a fresh SQLite store, read with ``requests``."""

import time
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from cloudevents.core.formats.json import JSONFormat

from application.config import store_env
from application.service import KampungBahagia
from tests.accounts import api_token
from tests.feed.feed_support import EventStream, Served, full_history, serve
from tests.integration.conftest import ADMIN

HEAD = 57  # events in full_history: the feed's head
# Then the integrator's account and API token are made: two events in the log that the feed never
# shows, so the log's head is two further on and new events take the positions after it.
LOG_HEAD = HEAD + 2
PREFIX = "id.go.jambikota.kampungbahagia."


@pytest.fixture
def store(tmp_path, clock) -> Iterator[KampungBahagia]:
    """The store the server uses, with a full history, for the test to write more events to."""
    service = KampungBahagia(env=store_env({"KAMPUNG_DATA_DIR": str(tmp_path)}), clock=clock)
    full_history(service, clock)
    yield service
    service.close()


@pytest.fixture
def served(store, tmp_path) -> Iterator[Served]:
    server = serve(tmp_path, api_token(store, "sistem.bpjs", "integrator", scopes=("read",)), heartbeat=0.3)
    yield server
    server.stop()


def record_event(service: KampungBahagia, number: int) -> None:
    """One new event: an RT registered."""
    service.register_rt("15.71.02.1003", number, ADMIN)


def positions(messages: list[Any]) -> list[int]:
    return [int(message.id) for message in messages]


def test_a_stream_sends_the_log_then_new_events_resumes_after_last_event_id_and_keeps_alive(served, store):
    with EventStream(served) as stream:
        events, _ = stream.events(HEAD)
        assert positions(events) == list(range(1, HEAD + 1))
        for message in events:
            cloudevent = JSONFormat().read(None, message.data)  # a valid CloudEvent
            assert cloudevent.get_extension("position") == int(message.id)
            assert cloudevent.get_type() == message.event and message.event.startswith(PREFIX)

        # While this stream is open, other requests are answered, a second stream included.
        with EventStream(served, headers={"Last-Event-ID": "40"}) as second:
            assert positions(second.events(HEAD - 40)[0]) == list(range(41, HEAD + 1))
            assert served.get("/healthz").json()["status"] == "ok"
            page = served.get("/api/v1/events", params={"after": HEAD - 1}).json()
            assert [event["position"] for event in page["items"]] == [HEAD]

        # Nothing new: heartbeats (every 0.3 s here) keep the connection alive.
        started, heartbeats = time.monotonic(), 0
        for message in stream.messages():
            assert message.data is None, "no event was recorded"
            heartbeats += "keep-alive" in message.comments
            if heartbeats == 3:
                break
        assert time.monotonic() - started < 3

        # A new event arrives on the open stream within a poll or two.
        record_event(store, 11)
        started = time.monotonic()
        (new,), _ = stream.events(1)
        assert int(new.id) == LOG_HEAD + 1 and new.event == PREFIX + "rt.RTRegistered.v1"
        assert time.monotonic() - started < 3

    # Disconnected; more happens meanwhile; a reconnect with Last-Event-ID gets only what came later.
    record_event(store, 12)
    record_event(store, 13)
    with EventStream(served, headers={"Last-Event-ID": str(LOG_HEAD + 1)}) as again:
        events, _ = again.events(2)
        assert positions(events) == [LOG_HEAD + 2, LOG_HEAD + 3]
        record_event(store, 14)
        assert positions(again.events(1)[0]) == [LOG_HEAD + 4]


def test_a_filtered_stream_and_the_paged_feed_over_http(served, store):
    with EventStream(served, path="/api/v1/events/stream?type=SantunanPaid,RTRegistered") as stream:
        events, _ = stream.events(4)
        assert [message.event.split(".")[-2] for message in events] == ["RTRegistered"] * 2 + ["SantunanPaid"] * 2
        store.hold_musyawarah(store.rt_ids()[0], date(2025, 8, 11), ["Posyandu"], ADMIN)  # not streamed
        record_event(store, 21)
        (new,), _ = stream.events(1)
        assert int(new.id) == LOG_HEAD + 2 and new.event == PREFIX + "rt.RTRegistered.v1"
    body = served.get("/api/v1/events", params={"type": "RTRegistered", "limit": 2}).json()
    assert len(body["items"]) == 2 and body["next_after"] == body["items"][1]["position"]
    body = served.get("/api/v1/events", params={"type": "RTRegistered", "after": body["next_after"]}).json()
    assert [event["position"] for event in body["items"]] == [LOG_HEAD + 2] and body["next_after"] == LOG_HEAD + 2


def test_closed_streams_free_their_threads(served):
    # 6 streams opened and dropped one after another: more than a worker's 4 threads. The server
    # notices each dropped client at its next heartbeat, so the threads come back.
    for _ in range(6):
        with EventStream(served, headers={"Last-Event-ID": str(HEAD - 1)}) as stream:
            assert positions(stream.events(1)[0]) == [HEAD]
    assert served.get("/healthz", timeout=10).status_code == 200
    with EventStream(served, headers={"Last-Event-ID": str(HEAD - 1)}) as stream:
        assert positions(stream.events(1)[0]) == [HEAD]


def test_the_read_models_follow_writes_made_elsewhere(served, store):
    record_event(store, 31)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        models = served.get("/healthz").json()["read_models"]
        if all(model["position"] == LOG_HEAD + 1 and model["lag"] == 0 for model in models.values()):
            break
        time.sleep(0.2)
    else:
        pytest.fail(f"the read models did not follow: {models}")


def test_the_server_stops_promptly_with_streams_open(served):
    streams = [EventStream(served, headers={"Last-Event-ID": str(HEAD)}) for _ in range(2)]
    try:
        for stream in streams:
            next(stream.messages())  # the stream is open (its first block, "retry")
        seconds = served.stop()
    finally:
        for stream in streams:
            stream.close()
    assert served.process.returncode == 0
    assert seconds < 5, f"stopping took {seconds:.1f} s (graceful timeout 10 s)"
    log = served.log.read_text()
    assert "Worker exiting" in log and "Traceback" not in log
