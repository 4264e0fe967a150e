"""``kampung relay run`` as an operator runs it, against the machine's NATS server: killed with SIGKILL
at random moments and started again, its connection to NATS cut and restored mid-run, two of them on
one PostgreSQL database; a durable consumer still gets every event exactly once, in log order, while
events keep being recorded."""

import random
import signal
import socket
import subprocess
import time

import pytest

from application.config import postgres_env
from application.service import KampungBahagia
from tests.e2e.test_cli import KAMPUNG
from tests.feed.relay_support import (  # noqa: F401 - channel, proxy and _dispose_engines are fixtures
    Writer, _dispose_engines, caught_up, channel, consume, expected_events, proxy, start_relay, status, stop_relay,
    stream_state, wait_for,
)
from tests.feed.webhook_support import launched_rts

# What a relay logs when it meets an event already in the stream: never expected in these runs.
PUBLISHED_TWICE = ("already held the event", "did not end at sequence")


def assert_each_event_once_in_order(service, channel, received) -> None:
    expected = expected_events(service)
    assert [message.event for message in received] == expected
    assert all(message.delivered == 1 for message in received)  # acked the first time: never redelivered
    assert stream_state(channel).messages == len(expected)


def position(service, channel) -> int:
    found = status(service, channel)
    return 0 if found is None else found.position


def test_a_relay_killed_at_random_moments_gives_each_event_once_to_a_durable_consumer(store, channel):
    variables, service = store
    seed = random.randrange(2**32)
    chance = random.Random(seed)
    launched_rts(service, 10)
    writer = Writer(service, first=11, count=50, pause=0.15)  # 250 more events while relays come and go
    writer.start()
    relay, read_early, kills = None, [], 0
    try:
        while kills < 5:
            relay = start_relay(variables, channel, KAMPUNG_RELAY_BATCH="7")
            reached = position(service, channel)
            wait_for(lambda: position(service, channel) > reached or caught_up(service, channel)()
                     or relay.poll() is not None, 60, f"the relay moves on (seed {seed})")
            assert relay.poll() is None, relay.said()
            # At once, or a little later: while it publishes, waits for an ack, commits or polls.
            time.sleep(chance.choice((0.0, chance.uniform(0.0, 0.4))))
            relay.kill()
            relay.wait(timeout=30)
            err = relay.said()
            assert relay.returncode == -signal.SIGKILL and not any(said in err for said in PUBLISHED_TWICE), err
            kills += 1
            if kills == 2:
                read_early = consume(channel)  # the durable consumer reads part of the way
        writer.finish()
        relay = start_relay(variables, channel, KAMPUNG_RELAY_BATCH="7")
        wait_for(lambda: status(service, channel).leader == f"{socket.gethostname()}:{relay.pid}", 60, "it leads")
        wait_for(caught_up(service, channel), 90, f"the last relay catches up (seed {seed})")
        out, err = stop_relay(relay)
        assert relay.returncode == 0, err
        assert "Stopped; the position is saved" in out and not any(said in err for said in PUBLISHED_TWICE)
    finally:
        if relay is not None and relay.poll() is None:
            relay.kill()
            relay.wait()
        writer.join(timeout=120)
    assert read_early, f"seed {seed}"
    assert_each_event_once_in_order(service, channel, read_early + consume(channel))


def test_the_connection_to_nats_cut_and_restored_mid_run_loses_nothing(store, channel, proxy):
    variables, service = store
    launched_rts(service, 10)
    relay = start_relay(variables, channel, proxy.url(), KAMPUNG_RELAY_BATCH="5", KAMPUNG_RELAY_ACK_TIMEOUT="2")
    writer = Writer(service, first=11, count=40, pause=0.05)
    try:
        wait_for(caught_up(service, channel), 60, "the relay catches up through the proxy")
        writer.start()
        wait_for(lambda: position(service, channel) > 75, 60, "the relay publishes the writer's events")
        proxy.cut()
        wait_for(lambda: status(service, channel).failing, 60, "the relay reports the lost connection")
        assert "NATS at" in status(service, channel).last_error
        cut_at = position(service, channel)
        wait_for(lambda: service.recorder.max_notification_id() > cut_at + 20, 60, "events recorded while cut")
        assert position(service, channel) == cut_at  # nothing is relayed while NATS is out of reach
        proxy.restore()
        writer.finish()
        wait_for(caught_up(service, channel), 60, "the relay catches up once NATS answers again")
        assert not status(service, channel).failing
        out, err = stop_relay(relay)
        assert relay.returncode == 0, err
    finally:
        if relay.poll() is None:
            relay.kill()
            relay.wait()
        writer.join(timeout=120)
    assert "retrying in" in err and f"NATS at {proxy.url()}" in err
    assert not any(said in err for said in PUBLISHED_TWICE), err
    assert_each_event_once_in_order(service, channel, consume(channel))
    assert proxy.connections >= 2  # the relay connected again after the cut


@pytest.fixture
def postgres_store(postgres_url, clock):
    service = KampungBahagia(env={**postgres_env(postgres_url), "CREATE_TABLE": "y"}, clock=clock)
    yield {"DATABASE_URL": postgres_url}, service
    service.close()


@pytest.mark.postgres
def test_two_relays_on_postgresql_never_publish_an_event_twice(postgres_store, channel):
    variables, service = postgres_store
    launched_rts(service, 10)
    writer = Writer(service, first=11, count=40, pause=0.05)
    relays = [start_relay(variables, channel, KAMPUNG_RELAY_BATCH="5") for _ in range(2)]
    host = socket.gethostname()
    try:
        wait_for(lambda: position(service, channel) > 0, 60, "one of the relays leads")
        writer.start()
        leader = next(relay for relay in relays if status(service, channel).leader == f"{host}:{relay.pid}")
        standby = next(relay for relay in relays if relay is not leader)
        wait_for(lambda: position(service, channel) > 75, 60, "the leader publishes the writer's events")
        leader.kill()  # SIGKILL, mid-run: the standby takes over when the server drops the leader's lock
        leader.wait(timeout=30)
        wait_for(lambda: status(service, channel).leader == f"{host}:{standby.pid}", 60, "the standby leads")
        relays.append(start_relay(variables, channel, KAMPUNG_RELAY_BATCH="5"))  # a new standby
        wait_for(lambda: "another relay leads stream" in relays[-1].said(), 60, "the new relay stands by")
        writer.finish()
        wait_for(caught_up(service, channel), 60, "every event relayed")
        # The standby first: stopped later, it would take over from the leader (as it should).
        said = {relay.pid: stop_relay(relay) for relay in reversed(relays)}
    finally:
        for relay in relays:
            if relay.poll() is None:
                relay.kill()
                relay.wait()
        writer.join(timeout=120)
    errors = {pid: err for pid, (_, err) in said.items()}
    assert all(not any(text in err for text in PUBLISHED_TWICE) for err in errors.values()), errors
    assert "another relay leads stream" in errors[standby.pid] and "leading stream" in errors[standby.pid]
    assert "another relay leads stream" in errors[relays[-1].pid] and "leading stream" not in errors[relays[-1].pid]
    assert_each_event_once_in_order(service, channel, consume(channel))


def kampung(*args: str, **variables: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(KAMPUNG), *args], capture_output=True, text=True, timeout=60,
                          env={"PATH": "/usr/bin:/bin", **variables})


def test_relay_status_tells_the_position_lag_and_last_error(store, channel):
    variables, service = store
    settings = channel.env()
    before = kampung("relay", "status", **variables, **settings)
    assert before.returncode == 0 and f"No relay has led stream {channel.stream} yet" in before.stdout
    launched_rts(service, 2)
    relay = start_relay(variables, channel)
    wait_for(caught_up(service, channel), 60, "relayed")
    stop_relay(relay)
    shown = kampung("relay", "status", **variables, **settings)
    assert shown.returncode == 0, shown.stderr
    assert f"stream {channel.stream}: position 10 of 10, lag 0" in shown.stdout


@pytest.mark.parametrize("variable, value, message", [
    ("KAMPUNG_RELAY_MAX_AGE", "a week", "KAMPUNG_RELAY_MAX_AGE must be a duration such as 90s, 15m, 12h or 30d"),
    ("KAMPUNG_RELAY_STREAM", "kampung.events", "KAMPUNG_RELAY_STREAM must be 1-64 letters, digits, '-' or '_'"),
    ("KAMPUNG_RELAY_DUPLICATE_WINDOW", "60d", "KAMPUNG_RELAY_DUPLICATE_WINDOW must be positive and at most"),
])
def test_a_bad_setting_is_refused_with_a_message_before_anything_is_published(tmp_path, variable, value, message):
    result = kampung("relay", "run", KAMPUNG_DATA_DIR=str(tmp_path), **{variable: value})
    assert result.returncode == 2
    assert message in result.stderr
