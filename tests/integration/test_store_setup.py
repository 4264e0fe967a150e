"""Several processes starting at once on an empty PostgreSQL store all come up (server workers,
projection and webhook workers start together)."""

import multiprocessing

import pytest

from application.config import postgres_env


def _start(env: dict[str, str]) -> str:
    from application.service import KampungBahagia

    service = KampungBahagia(env=env)
    service.close()
    return "ok"


@pytest.mark.postgres
def test_processes_starting_together_set_up_the_store_one_at_a_time(postgres_url):
    env = {**postgres_env(postgres_url), "CREATE_TABLE": "y"}
    with multiprocessing.get_context("spawn").Pool(6) as pool:
        assert pool.map(_start, [env] * 6) == ["ok"] * 6
