"""The rate-limit storage in the read models' database (``readmodels://``, the default): fixed windows
as flask-limiter counts them, shared by every process that opens the store, exact under concurrent
attempts, restarting when a window ends (on SQLite and PostgreSQL)."""

import threading
import time
from collections.abc import Iterator

import pytest
from limits import parse
from limits.storage import storage_from_string
from limits.strategies import FixedWindowRateLimiter
from sqlalchemy import Engine, func, select, update

from application.config import read_model_url
from interfaces.rate_limits import URI, counters
from projections.engine import make_engine

THREE_A_MINUTE = parse("3/minute")


@pytest.fixture
def engines(app) -> Iterator[list[Engine]]:
    """Two engines on the application's read-model database: two server processes' worth."""
    made = [make_engine(read_model_url(app.env)) for _ in range(2)]
    yield made
    for engine in made:
        engine.dispose()


def limiter(engine: Engine) -> FixedWindowRateLimiter:
    return FixedWindowRateLimiter(storage_from_string(URI, engine=engine))


def test_a_fixed_window_refuses_past_its_limit_and_says_when_it_ends(engines):
    window = limiter(engines[0])
    assert [window.hit(THREE_A_MINUTE, "username:budi") for _ in range(4)] == [True, True, True, False]
    assert not window.test(THREE_A_MINUTE, "username:budi")
    stats = window.get_window_stats(THREE_A_MINUTE, "username:budi")
    assert stats.remaining == 0 and 55 < stats.reset_time - time.time() <= 60
    assert window.test(THREE_A_MINUTE, "username:siti")  # every key has its own window


def test_every_process_counts_in_the_same_windows(engines):
    first, second = (limiter(engine) for engine in engines)
    assert first.hit(THREE_A_MINUTE, "address:10.0.0.1") and second.hit(THREE_A_MINUTE, "address:10.0.0.1")
    assert first.hit(THREE_A_MINUTE, "address:10.0.0.1")
    assert not second.hit(THREE_A_MINUTE, "address:10.0.0.1")
    assert second.get_window_stats(THREE_A_MINUTE, "address:10.0.0.1").remaining == 0


def test_concurrent_attempts_are_each_counted(engines):
    storages = [storage_from_string(URI, engine=engine) for engine in engines]
    barrier = threading.Barrier(8)

    def attempts(number: int) -> None:
        barrier.wait()
        for _ in range(25):
            storages[number % 2].incr("address:10.9.9.9", 60)

    threads = [threading.Thread(target=attempts, args=(number,)) for number in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert storages[0].get("address:10.9.9.9") == 200


def test_an_ended_window_starts_again_and_is_swept_away(engines):
    storage = storage_from_string(URI, engine=engines[0])
    for key in ("username:budi", "username:tebakan"):
        storage.incr(key, 60)
        storage.incr(key, 60)
    with engines[0].begin() as connection:
        connection.execute(update(counters).values(expires_at=time.time() - 1))  # as if a minute passed
    assert storage.get("username:budi") == 0
    storage._next_sweep = 0.0  # due now (else once a minute per process)
    assert storage.incr("username:budi", 60) == 1
    with engines[0].connect() as connection:
        assert connection.execute(select(counters.c.limit_key)).scalars().all() == ["username:budi"]


def test_clear_and_reset(engines):
    storage = storage_from_string(URI, engine=engines[0])
    storage.incr("a", 60)
    storage.incr("b", 60)
    storage.clear("a")
    assert (storage.get("a"), storage.get("b")) == (0, 1)
    assert storage.reset() == 1 and storage.check()
    with engines[0].connect() as connection:
        assert connection.execute(select(func.count()).select_from(counters)).scalar_one() == 0


def test_the_storage_needs_the_engine():
    with pytest.raises(ValueError, match="engine"):
        storage_from_string(URI)
