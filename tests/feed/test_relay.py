"""The relay to NATS JetStream, in this process, against the machine's NATS server, on both stores:
every event of the demo arrives once, in log order, as the feed's CloudEvent (NIKs masked), on a
subject per aggregate and event type; a relay that dies between JetStream's acknowledgement and its
commit, or sends a batch again, publishes nothing twice; a stream of another store is refused."""

import asyncio
from datetime import date

import nats
import pytest
from cloudevents.core.formats.json import JSONFormat
from cloudevents.v1.http import from_json

from application.clock import FixedClock
from application.demo.loader import DemoLoad
from application.service import KampungBahagia
from projections.relay.publisher import Cursor
from projections.relay.stream import RelayRefused, publish
from domain.masking import NIK_IN_TEXT
from interfaces.app import create_app
from tests.feed.feed_support import full_history
from tests.feed.relay_support import (  # noqa: F401 - channel, proxy and _dispose_engines are fixtures
    Channel, NATS_URL, _dispose_engines, caught_up, channel, consume, expected_events, proxy, relay_of, run_relay,
    status, stream_state,
)
from tests.feed.webhook_support import launched_rts
from tests.integration.conftest import ADMIN
from tests.web.conftest import sign_in

TYPE_PREFIX = "id.go.jambikota.kampungbahagia."
DEMO_DAY = date(2026, 11, 20)  # the demo up to this day, as tests/e2e/test_demo.py loads it


def subject_of(channel: Channel, cloudevent_type: str) -> str:
    aggregate, name, _version = cloudevent_type.removeprefix(TYPE_PREFIX).split(".")
    return f"{channel.prefix}.{aggregate}.{name}"


@pytest.fixture(autouse=True)
def _relay_stream_for_health(monkeypatch, request):
    # /healthz reports the relay of $KAMPUNG_RELAY_STREAM: the test's own stream.
    if "channel" in request.fixturenames:
        monkeypatch.setenv("KAMPUNG_RELAY_STREAM", request.getfixturevalue("channel").stream)


@pytest.fixture
def demo(store_env) -> KampungBahagia:
    clock = FixedClock()
    service = KampungBahagia(env=store_env, clock=clock)
    DemoLoad(service, clock, DEMO_DAY).run()
    yield service
    service.close()


def test_every_event_of_the_demo_arrives_once_in_log_order_as_the_feeds_cloudevent(demo, channel):
    run_relay(relay_of(demo, channel), caught_up(demo, channel), what="the demo relayed")

    expected = expected_events(demo)
    received = consume(channel)
    assert len(expected) > 3000
    assert [message.event for message in received] == expected  # the feed's CloudEvents, in order, none twice
    assert [message.stream_seq for message in received] == list(range(1, len(expected) + 1))
    assert all(message.delivered == 1 for message in received)
    assert stream_state(channel).messages == len(expected)
    for message in received:
        assert message.headers["Nats-Msg-Id"] == message.id
        assert message.headers["Content-Type"] == "application/cloudevents+json; charset=utf-8"
        assert message.subject == subject_of(channel, message.event["type"])
        assert not NIK_IN_TEXT.search(message.data.decode())  # masked, as for integrators
        parsed = JSONFormat().read(None, message.data)
        assert parsed.get_id() == message.id and parsed.get_extension("position") == message.event["position"]
        assert parsed.get_data() == message.event["data"]
        assert from_json(message.data)["type"] == message.event["type"]  # the SDK's v1 API as well
    assert "AccountOpened" not in {message.subject.rsplit(".", 1)[1] for message in received}


def test_a_consumer_takes_what_it_needs_with_subject_wildcards(app, channel):
    full_history(app, app.clock)
    run_relay(relay_of(app, channel), caught_up(app, channel))

    claims = consume(channel, "claims", subject=f"{channel.prefix}.claim.>")
    paid = consume(channel, "paid", subject=f"{channel.prefix}.*.SantunanPaid")
    expected = expected_events(app)
    assert [m.event for m in claims] == [e for e in expected if e["type"].startswith(TYPE_PREFIX + "claim.")]
    assert [m.event for m in paid] == [e for e in expected if ".SantunanPaid." in e["type"]]
    assert paid and claims


class Killed(BaseException):
    """The process dies here (nothing catches it, as nothing survives a SIGKILL)."""


def test_a_relay_that_dies_after_the_ack_and_before_its_commit_publishes_nothing_twice(app, channel):
    head = launched_rts(app, 10)  # 50 events
    dying = relay_of(app, channel, KAMPUNG_RELAY_BATCH="20")

    def die(*_):
        raise Killed

    dying.store.advance = die  # the first batch is acknowledged; its commit never happens
    with pytest.raises(Killed):
        run_relay(dying, lambda: False)
    assert stream_state(channel).messages == 20
    assert status(app, channel).position == 0

    run_relay(relay_of(app, channel, KAMPUNG_RELAY_BATCH="20"), caught_up(app, channel))
    received = consume(channel)
    assert [m.event for m in received] == expected_events(app)
    assert len({m.id for m in received}) == len(received) == stream_state(channel).messages == head
    assert status(app, channel).position == head


def test_jetstream_drops_a_batch_sent_again_by_its_message_ids(app, channel):
    launched_rts(app, 4)
    relay = relay_of(app, channel)
    run_relay(relay, caught_up(app, channel))
    before = stream_state(channel)

    async def send_again() -> bool:
        connection = await nats.connect(NATS_URL)
        try:
            notifications = app.recorder.select_notifications(1, 20, topics=relay.topics)
            messages = [relay.message(notification) for notification in notifications]
            # Sent as after a crash: from the start, each with the id it had the first time.
            ack = await publish(connection, connection.jetstream(), relay.settings, messages, 0)
            return bool(ack.duplicate)
        finally:
            await connection.close()

    assert asyncio.run(send_again())
    assert stream_state(channel).messages == before.messages == 20
    assert [m.event for m in consume(channel)] == expected_events(app)


def test_a_stream_filled_from_another_store_is_refused_and_left_as_it_is(tmp_path, clock, channel):
    ours, theirs = (KampungBahagia(env={"PERSISTENCE_MODULE": "eventsourcing.sqlite", "CREATE_TABLE": "y",
                                        "SQLITE_DBNAME": str(tmp_path / f"{name}.sqlite")}, clock=clock)
                    for name in ("ours", "theirs"))
    try:
        launched_rts(theirs, 2)
        run_relay(relay_of(theirs, channel), caught_up(theirs, channel))
        launched_rts(ours, 3, first=5)  # other RTs: other ids (an RT's id follows from its number)

        def refused() -> bool:
            found = status(ours, channel)
            return found is not None and found.failing

        run_relay(relay_of(ours, channel), refused, what="the relay of another store refused")
        found = status(ours, channel)
        assert "which is not this event log's: it was filled from another store" in found.last_error
        assert found.position == 0
        assert [m.event for m in consume(channel)] == expected_events(theirs)
    finally:
        ours.close()
        theirs.close()


def test_a_refused_stream_sequence_is_an_error_and_nothing_moves(app, channel):
    launched_rts(app, 2)
    relay = relay_of(app, channel)
    run_relay(relay, caught_up(app, channel))
    launched_rts(app, 1, first=3)

    async def publish_after_a_wrong_sequence() -> None:
        connection = await nats.connect(NATS_URL)
        try:
            await relay.relay_batch(connection, connection.jetstream(), Cursor(status(app, channel).position, 3))
        finally:
            await connection.close()

    with pytest.raises(RelayRefused, match="did not end at sequence 3 as the relay expected"):
        asyncio.run(publish_after_a_wrong_sequence())
    assert stream_state(channel).messages == 10
    assert status(app, channel).position == 10


def test_the_relay_creates_its_stream_and_brings_changed_settings_to_it(app, channel):
    launched_rts(app, 1)
    run_relay(relay_of(app, channel, KAMPUNG_RELAY_MAX_AGE="1d", KAMPUNG_RELAY_DUPLICATE_WINDOW="30s"),
              caught_up(app, channel))

    async def config():
        connection = await nats.connect(NATS_URL)
        try:
            return (await connection.jetstream().stream_info(channel.stream)).config
        finally:
            await connection.close()

    created = asyncio.run(config())
    assert created.subjects == [f"{channel.prefix}.>"] and created.num_replicas == 1
    assert created.max_age == 86400 and created.duplicate_window == 30 and created.max_bytes == 64 * 1024**2
    assert created.retention == "limits" and created.discard == "old" and created.storage == "file"

    launched_rts(app, 1, first=2)
    run_relay(relay_of(app, channel, KAMPUNG_RELAY_MAX_AGE="2d"), caught_up(app, channel))
    updated = asyncio.run(config())
    assert updated.max_age == 2 * 86400 and updated.duplicate_window == 120
    assert [m.event for m in consume(channel)] == expected_events(app)  # the messages stay


def test_a_standby_waits_while_another_relay_leads(app, channel):
    launched_rts(app, 2)
    leader, standby = relay_of(app, channel), relay_of(app, channel)
    with leader.locks.hold(channel.stream) as held:
        assert held
        with standby.locks.hold(channel.stream) as also:
            assert not also
    run_relay(standby, caught_up(app, channel))  # free now: it leads
    assert status(app, channel).leader == standby.leader
    assert stream_state(channel).messages == 10


def test_nothing_is_lost_when_nats_is_unreachable_at_the_start(app, channel, proxy):
    launched_rts(app, 3)
    proxy.cut()
    relay = relay_of(app, channel, proxy.url())
    health = create_app({"TESTING": True, "KAMPUNG_APP": app, "SECRET_KEY": "test"}).test_client()
    assert health.get("/healthz").get_json()["relay"] is None  # no relay ever ran

    def failing() -> bool:
        found = status(app, channel)
        return found is not None and found.failing

    run_relay(relay, failing, what="the relay reports NATS unreachable")
    shown = health.get("/healthz").get_json()["relay"]
    assert shown["failing"] and shown["lag"] == 15 and shown["position"] == 0
    assert shown["last_error"].startswith(f"cannot connect to NATS at {proxy.url()}")

    proxy.restore()
    run_relay(relay, caught_up(app, channel), what="the relay catches up once NATS answers")
    shown = health.get("/healthz").get_json()["relay"]
    assert not shown["failing"] and shown["lag"] == 0 and shown["position"] == 15
    assert shown["stream"] == channel.stream
    assert [m.event for m in consume(channel)] == expected_events(app)


def test_the_subject_names_the_aggregate_and_the_event(app, channel):
    app.register_rt("15.71.01.1001", 7, ADMIN)
    run_relay(relay_of(app, channel), caught_up(app, channel))
    (message,) = consume(channel)
    assert message.subject == f"{channel.prefix}.rt.RTRegistered"
    assert message.event["type"] == TYPE_PREFIX + "rt.RTRegistered.v1"


def test_an_idle_relay_notices_that_nats_went_away_and_comes_back_when_it_returns(app, channel, proxy):
    launched_rts(app, 1)
    relay = relay_of(app, channel, proxy.url())
    run_relay(relay, caught_up(app, channel))

    def failing() -> bool:
        return status(app, channel).failing

    def cut_while_idle() -> bool:
        if proxy.connections and not failing():
            proxy.cut()  # nothing to send: only the connection's own end tells the relay
        return failing()

    run_relay(relay, cut_while_idle, what="the idle relay reports the lost connection")
    proxy.restore()
    launched_rts(app, 1, first=2)
    run_relay(relay, caught_up(app, channel), what="the relay goes on once NATS answers again")
    assert not failing()
    assert [m.event for m in consume(channel)] == expected_events(app)


def test_the_read_models_page_shows_the_relay_its_lag_and_its_failure(app, channel, proxy):
    client = create_app({"TESTING": True, "KAMPUNG_APP": app, "SECRET_KEY": "test"}).test_client()
    sign_in(client, "admin.dpmppa", "admin")
    assert "Relay belum pernah dijalankan untuk stream" in client.get("/admin/read-models").get_data(as_text=True)

    launched_rts(app, 2)
    relay = relay_of(app, channel, proxy.url())
    run_relay(relay, caught_up(app, channel))
    page = client.get("/admin/read-models").get_data(as_text=True).split('id="relay"')[1]
    assert f"<code>{channel.stream}</code>" in page and "Terkini" in page and "Tidak ada" in page
    assert "Relay sedang gagal" not in page

    proxy.cut()
    launched_rts(app, 1, first=3)
    run_relay(relay, lambda: status(app, channel).failing)
    page = client.get("/admin/read-models").get_data(as_text=True).split('id="relay"')[1]
    assert "Relay sedang gagal mengirim ke NATS" in page and "5 peristiwa" in page
    assert "NATS at" in page or "cannot connect to NATS" in page
