"""The webhook worker delivering to a receiver on 127.0.0.1: Standard Webhooks signatures, order,
retries with backoff, the dead letter and redelivery, filters, pause and resume, timeouts, and one
worker at a time per subscription (on SQLite and PostgreSQL)."""

import base64
import json
import threading
import time
from datetime import datetime, timedelta, timezone

import pytest
from standardwebhooks import Webhook
from standardwebhooks.webhooks import WebhookVerificationError

from domain.errors import ConcurrencyConflict, InvalidValue, NotFound
from projections.cloudevents import to_cloudevent
from domain.masking import masked
from projections.webhooks.signing import new_secret, signed_headers
from projections.webhooks.store import (
    ACTIVE, DEAD, DELIVERED, FAILED, PAUSED, Attempt, Outcome, RetryPolicy,
)
from projections.webhooks.worker import Round, locks_for
from tests.feed.webhook_support import (  # noqa: F401 - receiver and _dispose_engines are fixtures
    ADMIN, _dispose_engines, Receiver, first_seen, head, launched_rts, receiver, store_of, worker_of,
)


def utc(seconds: float = 0.0) -> datetime:
    return datetime.now(timezone.utc) + timedelta(seconds=seconds)


def cloudevents_of(service, start: int = 1, limit: int = 1000) -> list[dict]:
    """The CloudEvents a receiver gets: NIKs masked."""
    return [masked(json.loads(json.dumps(to_cloudevent(service.mapper.to_domain_event(n), n.id))))
            for n in service.recorder.select_notifications(start, limit)]


# --- signatures -------------------------------------------------------------------------


def test_each_delivery_is_the_cloudevent_signed_so_a_standard_webhooks_library_verifies_it(app_sqlite, receiver):
    store = store_of(app_sqlite)
    subscription, secret = store.create(receiver.url(), [], ADMIN, head=head(app_sqlite))
    launched_rts(app_sqlite, 1)

    done = worker_of(app_sqlite, store).deliver_due()

    assert done == Round(subscriptions=1, delivered=5, failed=0)
    expected = cloudevents_of(app_sqlite)
    received = receiver.on()
    assert len(received) == 5
    for request, cloudevent in zip(received, expected):
        assert Webhook(secret).verify(request.body, request.headers) == cloudevent
        assert request.webhook_id == cloudevent["id"]
        assert request.headers["content-type"].startswith("application/cloudevents+json")
        assert abs(int(request.headers["webhook-timestamp"]) - time.time()) < 60
    # Another secret, or a body changed on the way, does not verify.
    with pytest.raises(WebhookVerificationError):
        Webhook(new_secret()).verify(received[0].body, received[0].headers)
    with pytest.raises(WebhookVerificationError):
        Webhook(secret).verify(received[0].body.replace(b"RT", b"rt"), received[0].headers)
    assert store.get(subscription["id"])["position"] == head(app_sqlite)


def test_the_secret_is_whsec_base64_of_24_or_more_random_bytes_and_is_never_shown_again(app_sqlite):
    store = store_of(app_sqlite)
    subscription, secret = store.create("https://example.org/hook", [], ADMIN, head=0)
    assert secret.startswith("whsec_") and len(base64.b64decode(secret.removeprefix("whsec_"))) >= 24
    assert secret != store.create("https://example.org/hook", [], ADMIN, head=0)[1]
    assert "secret" not in subscription and "secret" not in store.get(subscription["id"])
    assert all("secret" not in row for row in store.subscriptions().rows)


def test_the_signature_follows_the_spec_byte_for_byte():
    # The example of the Standard Webhooks specification.
    secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
    body = b'{"test": 2432232314}'
    headers = signed_headers(secret, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, body)
    assert headers["webhook-signature"] == "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="


# --- order, retries, dead letter ---------------------------------------------------------


def test_a_failing_receiver_gets_retries_with_backoff_then_everything_in_order(app):
    receiver = Receiver(decide=lambda n, request: 500 if n < 2 else 200).start()
    try:
        store = store_of(app)
        subscription, _ = store.create(receiver.url(), [], ADMIN, head=head(app))
        last = launched_rts(app, 2)
        worker = worker_of(app, store, policy=RetryPolicy(base=1.0, cap=60.0, max_failures=8))
        start = utc()

        assert worker.deliver_due(start) == Round(1, 0, 1)
        state = store.get(subscription["id"])
        assert (state["position"], state["failures"], state["status"]) == (0, 1, ACTIVE)
        assert state["last_error"].startswith("HTTP 500")
        assert timedelta(seconds=0.9) < state["next_attempt_at"] - start < timedelta(seconds=1.5)

        assert worker.deliver_due(start + timedelta(seconds=0.5)) == Round()  # not due yet
        assert worker.deliver_due(start + timedelta(seconds=1.2)) == Round(1, 0, 1)
        state = store.get(subscription["id"])
        assert state["failures"] == 2
        assert timedelta(seconds=3) < state["next_attempt_at"] - start < timedelta(seconds=3.6)  # 2 s after

        assert worker.deliver_due(start + timedelta(seconds=2.5)) == Round()
        assert worker.deliver_due(start + timedelta(seconds=4)) == Round(1, last, 0)
    finally:
        receiver.stop()

    assert receiver.positions() == [1, 1, *range(1, last + 1)]
    assert len({request.webhook_id for request in receiver.on()[:3]}) == 1  # the same id on every retry
    state = store.get(subscription["id"])
    assert (state["position"], state["failures"], state["last_error"], state["next_attempt_at"]) == (last, 0, None, None)
    rows = store.deliveries(subscription["id"], limit=None).rows  # newest first
    assert [(r["position"], r["attempt"], r["status"], r["http_status"]) for r in rows[-3:]] == [
        (1, 3, DELIVERED, 200), (1, 2, FAILED, 500), (1, 1, FAILED, 500)]
    assert [r["position"] for r in rows] == list(range(last, 0, -1)) + [1, 1]
    assert rows[-1]["event_id"] == rows[-2]["event_id"] == rows[-3]["event_id"] == receiver.on()[0].webhook_id


def test_after_max_failures_the_subscription_is_dead_until_an_operator_redelivers(app):
    answers = {"status": 503}
    receiver = Receiver(decide=lambda n, request: answers["status"]).start()
    try:
        store = store_of(app)
        subscription, secret = store.create(receiver.url(), [], ADMIN, head=head(app))
        last = launched_rts(app, 1)
        worker = worker_of(app, store, policy=RetryPolicy(base=0.01, cap=0.05, max_failures=3))
        for attempt in range(3):
            assert worker.deliver_due(utc(attempt + 1)).failed == 1
        state = store.get(subscription["id"])
        assert (state["status"], state["failures"], state["position"], state["next_attempt_at"]) == (DEAD, 3, 0, None)
        assert worker.deliver_due(utc(3600)) == Round()  # dead: nothing more, however long we wait
        assert len(receiver.on()) == 3

        answers["status"] = 204
        with pytest.raises(InvalidValue):
            store.redeliver(subscription["id"], last + 2, head(app))
        state = store.redeliver(subscription["id"], 3, head(app))  # the operator skips events 1 and 2
        assert (state["status"], state["position"], state["failures"]) == (ACTIVE, 2, 0)
        assert worker.deliver_due().delivered == last - 2
        assert receiver.positions(ok_only=True) == list(range(3, last + 1))

        store.redeliver(subscription["id"], 1, head(app))  # and then wants everything again
        assert worker.deliver_due().delivered == last
    finally:
        receiver.stop()
    ok = receiver.on(ok_only=True)
    assert [json.loads(r.body)["position"] for r in ok] == [*range(3, last + 1), *range(1, last + 1)]
    again = ok[-last:]
    assert [r.webhook_id for r in again[2:]] == [r.webhook_id for r in ok[:last - 2]]  # the same ids
    for request in again:
        Webhook(secret).verify(request.body, request.headers)


def test_a_receiver_slower_than_the_timeout_or_not_listening_is_a_failure(app_sqlite):
    slow = Receiver(delay=1.5).start()
    try:
        store = store_of(app_sqlite)
        timing_out, _ = store.create(slow.url(), [], ADMIN, head=0)
        refused, _ = store.create("http://127.0.0.1:9/nobody-listens", [], ADMIN, head=0)
        launched_rts(app_sqlite, 1)
        began = time.monotonic()
        assert worker_of(app_sqlite, store, timeout=0.3).deliver_due() == Round(2, 0, 2)
        assert time.monotonic() - began < 1.4
    finally:
        slow.stop()
    assert store.get(timing_out["id"])["last_error"] == "timeout"
    assert store.get(refused["id"])["last_error"] == "connection refused"
    [attempt] = store.deliveries(timing_out["id"]).rows
    assert (attempt["status"], attempt["http_status"], attempt["position"]) == (FAILED, None, 1)


def test_a_redirect_is_not_followed_and_counts_as_a_failure(app_sqlite):
    receiver = Receiver(decide=lambda n, request: 302).start()
    try:
        store = store_of(app_sqlite)
        subscription, _ = store.create(receiver.url(), [], ADMIN, head=0)
        launched_rts(app_sqlite, 1)
        assert worker_of(app_sqlite, store).deliver_due().failed == 1
    finally:
        receiver.stop()
    assert store.get(subscription["id"])["last_error"] == "HTTP 302"


def test_batches_continue_in_order_across_rounds(app_sqlite, receiver):
    store = store_of(app_sqlite)
    store.create(receiver.url(), [], ADMIN, head=0)
    last = launched_rts(app_sqlite, 3)
    worker = worker_of(app_sqlite, store, batch=4)
    rounds = []
    while (done := worker.deliver_due()).delivered:
        rounds.append(done.delivered)
    assert rounds == [4, 4, 4, 3]
    assert receiver.positions() == list(range(1, last + 1))


# --- what a subscription receives --------------------------------------------------------


def test_only_the_event_types_asked_for_are_delivered_and_the_checkpoint_passes_the_others(app, receiver):
    store = store_of(app)
    subscription, _ = store.create(receiver.url(), ["RTLaunched", "KetuaRTAppointed", "RTLaunched"], ADMIN,
                                   head=head(app))
    assert subscription["event_types"] == ["KetuaRTAppointed", "RTLaunched"]
    last = launched_rts(app, 3)
    worker = worker_of(app, store)
    assert worker.deliver_due().delivered == 6
    types = [json.loads(r.body)["type"].split(".")[-2] for r in receiver.on()]
    assert types == ["KetuaRTAppointed", "RTLaunched"] * 3
    assert receiver.positions() == [2, 5, 7, 10, 12, 15]
    assert store.get(subscription["id"])["position"] == last
    assert worker.deliver_due() == Round()  # caught up: the checkpoint is at the head, not at 15's filter

    nothing_wanted, _ = store.create(receiver.url("/claims"), ["SantunanPaid"], ADMIN, head=0)
    worker.deliver_due()
    assert store.get(nothing_wanted["id"])["position"] == last and receiver.on("/claims") == []
    with pytest.raises(InvalidValue):
        store.create(receiver.url(), ["SantunanDibayar"], ADMIN, head=0)


def test_a_new_subscription_gets_new_events_only_unless_it_starts_at_a_position(app_sqlite, receiver):
    store = store_of(app_sqlite)
    launched_rts(app_sqlite, 1)
    store.create(receiver.url("/new"), [], ADMIN, head=head(app_sqlite))
    store.create(receiver.url("/all"), [], ADMIN, head=head(app_sqlite), from_position=1)
    store.create(receiver.url("/from-4"), [], ADMIN, head=head(app_sqlite), from_position=4)
    with pytest.raises(InvalidValue):
        store.create(receiver.url(), [], ADMIN, head=head(app_sqlite), from_position=head(app_sqlite) + 2)
    launched_rts(app_sqlite, 1, first=2)
    worker_of(app_sqlite, store).deliver_due()
    assert receiver.positions("/new") == list(range(6, 11))
    assert receiver.positions("/all") == list(range(1, 11))
    assert receiver.positions("/from-4") == list(range(4, 11))


def test_a_paused_subscription_waits_and_resumes_from_its_checkpoint(app, receiver):
    store = store_of(app)
    subscription, _ = store.create(receiver.url(), [], ADMIN, head=head(app))
    launched_rts(app, 1)
    worker = worker_of(app, store)
    assert store.pause(subscription["id"], expected_status=ACTIVE)["status"] == PAUSED
    assert worker.deliver_due() == Round() and receiver.on() == []
    with pytest.raises(ConcurrencyConflict):
        store.pause(subscription["id"], expected_status=ACTIVE)  # somebody paused it already
    state = store.redeliver(subscription["id"], 1, head(app))
    assert (state["status"], state["position"]) == (PAUSED, 0)  # redelivery keeps a pause
    assert store.resume(subscription["id"], expected_status=PAUSED)["status"] == ACTIVE
    assert worker.deliver_due().delivered == 5
    assert receiver.positions() == [1, 2, 3, 4, 5]


def test_unknown_subscriptions_are_not_found(app_sqlite):
    store = store_of(app_sqlite)
    for change in (store.get, store.pause, store.resume, store.delete, store.deliveries):
        with pytest.raises(NotFound):
            change("0b7e1f3c-5a2d-4c1e-9f3a-2d6b8e4c7a10")


def test_an_attempt_never_moves_a_checkpoint_somebody_moved_meanwhile(app_sqlite):
    store = store_of(app_sqlite)
    subscription, _ = store.create("http://127.0.0.1:9/", [], ADMIN, head=0)
    launched_rts(app_sqlite, 1)
    store.redeliver(subscription["id"], 4, head(app_sqlite))  # while a worker was delivering event 1
    attempt = Attempt(1, "x/1", "RTRegistered", 1, True, 204, None, 3, utc())
    assert store.record(subscription["id"], 0, attempt, RetryPolicy(), utc()) is Outcome.STOP
    assert store.get(subscription["id"])["position"] == 3
    assert len(store.deliveries(subscription["id"]).rows) == 1  # but the attempt is on record
    store.delete(subscription["id"])
    assert store.record(subscription["id"], 3, attempt, RetryPolicy(), utc()) is Outcome.STOP


# --- one worker at a time per subscription ------------------------------------------------


def test_a_subscription_is_held_by_one_worker_at_a_time(app):
    first, second = store_of(app), store_of(app)  # two engines: two processes' worth of connections
    mine, theirs = locks_for(first.engine), locks_for(second.engine)
    with mine.hold("a") as held:
        assert held
        with theirs.hold("a") as also:
            assert not also
        with theirs.hold("b") as other:
            assert other
    with theirs.hold("a") as now_free:
        assert now_free


def test_two_workers_never_deliver_one_subscription_at_once_nor_twice(app):
    receiver = Receiver(delay=0.005).start()
    try:
        store = store_of(app)
        paths = ["/one", "/two", "/three"]
        for path in paths:
            store.create(receiver.url(path), [], ADMIN, head=0)
        last = launched_rts(app, 6)
        # A generous timeout: on a loaded machine a timed-out POST is legitimately sent again, which
        # is at-least-once delivery, not the overlap this test looks for.
        workers = [worker_of(app, store_of(app), batch=5, timeout=60.0) for _ in range(2)]
        stop = threading.Event()
        threads = [threading.Thread(target=w.run_forever, args=(stop, 0.02)) for w in workers]
        for thread in threads:
            thread.start()
        try:
            assert receiver.wait_for(lambda: all(len(receiver.on(p)) >= last for p in paths), timeout=60)
            time.sleep(0.3)  # anything sent twice would arrive by now
        finally:
            stop.set()
            for thread in threads:
                thread.join(10)
    finally:
        receiver.stop()
    for path in paths:
        assert receiver.positions(path) == list(range(1, last + 1)), path  # in order, none twice
        assert receiver.max_in_flight[path] == 1, path


def test_an_event_that_cannot_be_encoded_is_a_failed_attempt_and_others_still_get_theirs(app_sqlite, receiver):
    store = store_of(app_sqlite)
    stuck, _ = store.create(receiver.url("/stuck"), [], ADMIN, head=0)
    fine, _ = store.create(receiver.url("/fine"), ["RTLaunched"], ADMIN, head=0)
    launched_rts(app_sqlite, 1)

    def cloudevent(event, position):
        if type(event).__name__ == "RTRegistered":
            raise KeyError("no such event type in the catalogue")
        return to_cloudevent(event, position)

    worker = worker_of(app_sqlite, store, cloudevent=cloudevent, policy=RetryPolicy(base=0.001, max_failures=2))
    assert worker.deliver_due() == Round(2, 1, 1)
    assert receiver.on("/stuck") == [] and receiver.positions("/fine") == [5]
    [attempt] = store.deliveries(stuck["id"]).rows
    assert (attempt["position"], attempt["status"], attempt["event_type"]) == (1, FAILED, "RTRegistered")
    assert attempt["error"] == "cannot encode the event: KeyError"  # not the exception's text
    worker.deliver_due(utc(1))
    assert store.get(stuck["id"])["status"] == DEAD  # and an operator can redeliver past it
    store.redeliver(stuck["id"], 2, head(app_sqlite))
    assert worker.deliver_due().delivered == 4 and receiver.positions("/stuck") == [2, 3, 4, 5]
