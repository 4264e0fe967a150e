"""The feed's HTTP endpoints in the Flask test client: /api/v1/events and its parameters,
/api/v1/events/stream as a generator (the served stream is tested under gunicorn in test_sse_served.py),
and their OpenAPI description."""

import json
import threading

import pytest

from interfaces.feed.sse import HEARTBEAT, event_stream, message
from domain.masking import masked
from tests.feed.feed_support import feed_api, full_history, parse_block, read_all  # noqa: F401 (feed_api: a fixture)

PREFIX = "id.go.jambikota.kampungbahagia."
HEAD = 57  # the last event of full_history
# The integrator's account and API token, made at the feed client's first request: two events after
# the history, in the log but never in the feed, so pages that read to the end continue after them.
LOG_HEAD = HEAD + 2


@pytest.fixture
def history(app_sqlite, clock):
    return full_history(app_sqlite, clock)


def test_a_page_of_events_names_the_next_position_and_the_head(feed_api, history, app_sqlite):
    response = feed_api.get("/events", {"limit": 10})
    assert response.status_code == 200 and response.mimetype == "application/json"
    body = response.get_json()
    assert [event["position"] for event in body["items"]] == list(range(1, 11))
    assert body["next_after"] == 10 and body["head"] == LOG_HEAD
    last = feed_api.get("/events", {"after": 52, "limit": 10}).get_json()
    assert [event["position"] for event in last["items"]] == [53, 54, 55, 56, 57] and last["next_after"] == LOG_HEAD
    assert feed_api.get("/events", {"after": HEAD}).get_json() == {"items": [], "next_after": LOG_HEAD,
                                                                   "head": LOG_HEAD}
    assert body["items"] == masked(read_all(app_sqlite)[:10])  # an integrator sees NIKs masked


def test_the_type_parameter_may_be_repeated_or_comma_separated(feed_api, history):
    repeated = feed_api.client.get("/api/v1/events?type=SantunanPaid&type=ClaimClosed",
                                   headers=feed_api.headers(feed_api.actor)).get_json()
    commas = feed_api.get("/events", {"type": f"SantunanPaid, {PREFIX}claim.ClaimClosed.v1"}).get_json()
    assert repeated == commas
    assert [event["type"].split(".")[-2] for event in commas["items"]] == ["SantunanPaid", "SantunanPaid",
                                                                           "ClaimClosed"]
    assert commas["next_after"] == LOG_HEAD


def test_the_aggregate_parameter(feed_api, history):
    claim = str(history["rejected"])
    body = feed_api.get("/events", {"aggregate": claim}).get_json()
    assert [event["id"] for event in body["items"]] == [f"{claim}/1", f"{claim}/2"]
    assert body["next_after"] == LOG_HEAD


@pytest.mark.parametrize("params, field", [
    ({"type": "Nope"}, "type"),
    ({"type": "SantunanPaid,Paid"}, "type"),
    ({"limit": 0}, "limit"),
    ({"limit": 1001}, "limit"),
    ({"after": -1}, "after"),
    ({"aggregate": "not-a-uuid"}, "aggregate"),
])
def test_bad_parameters_are_problems_naming_the_field(feed_api, history, params, field):
    response = feed_api.get("/events", params)
    assert response.status_code == 422 and response.mimetype == "application/problem+json"
    assert field in response.get_json()["errors"]


def test_the_feed_needs_an_actor(feed_api, history):
    for path in ("/events", "/events/stream", "/event-types"):
        response = feed_api.get(path, actor=None)
        assert response.status_code == 401 and response.mimetype == "application/problem+json"


def test_the_openapi_document_describes_the_three_feed_operations(feed_api):
    spec = feed_api.client.get("/api/v1/openapi.json").get_json()
    feed = {path: item for path, item in spec["paths"].items() if path.startswith("/api/v1/event")}
    assert set(feed) == {"/api/v1/events", "/api/v1/events/stream", "/api/v1/event-types"}
    assert all(set(item) == {"get"} and item["get"]["tags"] == ["Events"] for item in feed.values())
    page = spec["components"]["schemas"]["EventPage"]["properties"]
    assert set(page) == {"items", "next_after", "head"}
    assert page["items"]["items"] == {"$ref": "#/components/schemas/CloudEvent"}
    stream = feed["/api/v1/events/stream"]["get"]
    assert "text/event-stream" in stream["responses"]["200"]["content"]
    assert {p["name"] for p in stream["parameters"]} == {"after", "type", "Last-Event-ID"}


# --- the stream, in process ---------------------------------------------------------------------------------------


def stream_chunks(feed_api, path: str, count: int, headers: dict[str, str] | None = None) -> list[str]:
    response = feed_api.client.get(f"/api/v1{path}", headers={**feed_api.headers(feed_api.actor), **(headers or {})},
                                   buffered=False)
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.mimetype == "text/event-stream" and response.headers["Cache-Control"] == "no-cache"
    chunks = []
    for chunk in response.response:
        chunks.append(chunk.decode())
        if len(chunks) == count:
            break
    response.close()
    return chunks


def blocks(chunks: list[str]):
    return [parse_block(block) for block in "".join(chunks).split("\n\n") if block]


def test_the_stream_starts_after_the_last_event_id_rather_than_after(feed_api, history):
    opening, events = stream_chunks(feed_api, "/events/stream?after=10", 2, {"Last-Event-ID": "52"})
    assert opening.startswith("retry: 3000\n")
    messages = blocks([events])
    assert [m.id for m in messages] == ["53", "54", "55", "56", "57"]
    assert [m.cloudevent["position"] for m in messages] == [53, 54, 55, 56, 57]
    assert all(m.event == m.cloudevent["type"] for m in messages)
    _, from_after = stream_chunks(feed_api, "/events/stream?after=55", 2)
    assert [m.id for m in blocks([from_after])] == ["56", "57"]


def test_the_stream_filters_by_type(feed_api, history):
    _, events = stream_chunks(feed_api, "/events/stream?type=SantunanPaid", 2)
    assert [m.event for m in blocks([events])] == [f"{PREFIX}claim.SantunanPaid.v2"] * 2


def test_a_bad_last_event_id_is_a_problem(feed_api, history):
    response = feed_api.client.get("/api/v1/events/stream",
                                   headers={**feed_api.headers(feed_api.actor), "Last-Event-ID": "abc"})
    assert response.status_code == 422 and "Last-Event-ID" in response.get_json()["errors"]


def test_the_stream_sends_heartbeats_while_idle_and_ends_when_stopped(app_sqlite, history):
    now = [0.0]
    stop = threading.Event()
    waits: list[float] = []

    def wait(seconds: float) -> bool:  # time passes only when the stream waits
        waits.append(seconds)
        now[0] += seconds
        if now[0] > 10:
            stop.set()
        return stop.is_set()

    stop.wait = wait  # type: ignore[method-assign]
    chunks = list(event_stream(app_sqlite, 56, heartbeat=3, poll=0.5, stop=stop, clock=lambda: now[0]))
    assert chunks[0].startswith("retry: ")
    assert [m.id for m in blocks(chunks[1:2])] == ["57"]
    assert chunks[2:] == [HEARTBEAT] * 3  # at 3, 6 and 9 seconds of quiet
    assert max(waits) <= 0.5


def test_a_message_is_one_event_with_its_cloudevent_on_one_data_line():
    text = message({"type": "t.v1", "position": 7, "data": {"chronology": "Baris satu\nbaris dua"}})
    lines = text.split("\n")
    assert lines[:2] == ["id: 7", "event: t.v1"] and lines[2].startswith("data: ") and lines[3:] == ["", ""]
    assert json.loads(lines[2][6:])["data"]["chronology"] == "Baris satu\nbaris dua"
