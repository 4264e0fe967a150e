"""``kampung webhooks run`` as an operator runs it: killed with SIGKILL in the middle of a run and
started again, the receiver still gets every event, in order, none skipped (the one in flight may
come twice, with the same webhook-id); two worker processes on one PostgreSQL database share the
subscriptions without ever delivering one subscription's events at once or twice."""

import os
import signal
import subprocess
import time

import pytest
from standardwebhooks import Webhook

from application.clock import FixedClock
from application.config import postgres_env
from application.service import KampungBahagia
from tests.e2e.test_cli import KAMPUNG
from tests.feed.webhook_support import (  # noqa: F401 - _dispose_engines is a fixture
    ADMIN, ALLOWED, Receiver, _dispose_engines, first_seen, launched_rts, store_of,
)


def start_worker(variables: dict[str, str]) -> subprocess.Popen:
    return subprocess.Popen(
        [str(KAMPUNG), "webhooks", "run", "--poll", "0.05", "--timeout", "5", "--batch", "20"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={"PATH": "/usr/bin:/bin", "KAMPUNG_WEBHOOK_ALLOW": ALLOWED, **variables},
    )


def stop(worker: subprocess.Popen) -> tuple[str, str]:
    if worker.poll() is None:
        worker.send_signal(signal.SIGTERM)
    return worker.communicate(timeout=30)


def test_a_worker_killed_mid_run_loses_nothing_and_skips_nothing(store):
    variables, service = store
    victim: dict[str, int] = {}

    def decide(n: int, request) -> int:
        # The 15th event reaches the receiver, and the worker dies before it hears the answer:
        # the crash between a POST and the commit of its checkpoint.
        if n == 14 and "pid" in victim:
            os.kill(victim.pop("pid"), signal.SIGKILL)
            time.sleep(0.2)
        return 200

    receiver = Receiver(decide=decide).start()
    worker = None
    try:
        webhooks = store_of(service)
        subscription, secret = webhooks.create(receiver.url(), [], ADMIN, head=0)
        last = launched_rts(service, 12)  # 60 events
        worker = start_worker(variables)
        victim["pid"] = worker.pid
        worker.wait(timeout=60)
        assert worker.returncode == -signal.SIGKILL
        assert receiver.wait_for(lambda: len(receiver.on()) == 15, timeout=10)
        assert receiver.positions() == list(range(1, 16))
        assert webhooks.get(subscription["id"])["position"] == 14  # the 15th was sent, not recorded

        last = launched_rts(service, 2, first=13)  # events recorded while no worker runs
        worker = start_worker(variables)
        assert receiver.wait_for(lambda: webhooks.get(subscription["id"])["position"] == last, timeout=90), stop(worker)
        out, err = stop(worker)
        assert worker.returncode == 0, err
        assert "Stopped; checkpoints are saved." in out
    finally:
        if worker is not None and worker.poll() is None:
            worker.kill()
            worker.wait()
        receiver.stop()

    positions = receiver.positions()
    assert positions == [*range(1, 16), *range(15, last + 1)]  # all, in order; the 15th twice
    assert first_seen(positions) == list(range(1, last + 1))
    ids_by_position: dict[int, set[str]] = {}
    for request, position in zip(receiver.on(), positions):
        Webhook(secret).verify(request.body, request.headers)
        ids_by_position.setdefault(position, set()).add(request.webhook_id)
    assert all(len(ids) == 1 for ids in ids_by_position.values())  # the duplicate has the same webhook-id


def test_a_worker_killed_at_any_moment_still_delivers_everything_in_order(store):
    variables, service = store
    receiver = Receiver(delay=0.01).start()
    worker = None
    try:
        webhooks = store_of(service)
        subscription, _ = webhooks.create(receiver.url(), [], ADMIN, head=0)
        last = launched_rts(service, 10)
        for kill_after in (10, 25, 40):  # three crashes at whatever the worker was doing then
            worker = start_worker(variables)
            assert receiver.wait_for(lambda: len(receiver.on()) >= kill_after, timeout=60), stop(worker)
            worker.kill()
            worker.wait(timeout=30)
        worker = start_worker(variables)
        assert receiver.wait_for(lambda: webhooks.get(subscription["id"])["position"] == last, timeout=90), stop(worker)
        stop(worker)
    finally:
        if worker is not None and worker.poll() is None:
            worker.kill()
            worker.wait()
        receiver.stop()
    positions = receiver.positions()
    assert first_seen(positions) == list(range(1, last + 1))
    assert len(positions) - last <= 3  # at most one duplicate per crash
    for before, after in zip(positions, positions[1:]):
        assert after in (before, before + 1), positions  # the next event, or the same again after a crash


@pytest.mark.postgres
def test_two_worker_processes_on_postgres_never_deliver_one_subscription_at_once_nor_twice(postgres_url, clock):
    service = KampungBahagia(env={**postgres_env(postgres_url), "CREATE_TABLE": "y"}, clock=FixedClock(clock.now()))
    receiver = Receiver(delay=0.01).start()
    workers: list[subprocess.Popen] = []
    paths = ["/one", "/two", "/three"]
    try:
        webhooks = store_of(service)
        for path in paths:
            webhooks.create(receiver.url(path), [], ADMIN, head=0)
        last = launched_rts(service, 8)  # 40 events for each of 3 subscriptions
        workers = [start_worker({"DATABASE_URL": postgres_url}) for _ in range(2)]
        assert receiver.wait_for(lambda: all(len(receiver.on(p)) >= last for p in paths), timeout=120)
        assert receiver.wait_for(
            lambda: all(row["position"] == last for row in webhooks.subscriptions().rows), timeout=30)
        for worker in workers:
            out, err = stop(worker)
            assert worker.returncode == 0, err
    finally:
        for worker in workers:
            if worker.poll() is None:
                worker.kill()
                worker.wait()
        receiver.stop()
        service.close()
    for path in paths:
        assert receiver.positions(path) == list(range(1, last + 1)), path  # in order, none twice
        assert receiver.max_in_flight[path] == 1, path
