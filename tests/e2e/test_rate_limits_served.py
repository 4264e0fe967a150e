"""The sign-in and token limits hold across the worker processes of ``kampung serve`` on PostgreSQL
(gunicorn, 2 workers): both workers answer the attempts, and the limit counts them together."""

import re
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from application.config import postgres_env
from application.service import KampungBahagia
from tests.accounts import account, api_token, bearer
from tests.feed.feed_support import Served, serve

CSRF_FIELD = re.compile(r'name="csrf_token" value="([^"]+)"')
SIGN_IN_LINE = re.compile(r'"POST /sign-in HTTP/1\.1" (\d{3}) .* <(\d+)>$')
API_LINE = re.compile(r'"GET /api/v1/events HTTP/1\.1" (\d{3}) .* <(\d+)>$')
HEALTH_LINE = re.compile(r'"GET /healthz HTTP/1\.1" (\d{3}) .* <(\d+)>$')
ATTEMPTS = 10  # twice the per-user-name limit (5 a minute)
REFUSED_TOKENS = 40  # more than the per-address limit (30 a minute)


@pytest.fixture
def served(postgres_url, tmp_path, clock, monkeypatch) -> Iterator[tuple[Served, str]]:
    service = KampungBahagia(env={**postgres_env(postgres_url), "CREATE_TABLE": "y"}, clock=clock)
    account(service, "budi.admin", "admin")
    token = api_token(service, "sistem.bpjs", "integrator")
    monkeypatch.delenv("KAMPUNG_RATELIMIT_STORAGE", raising=False)  # the default: the database
    server = serve(tmp_path, token, workers=2, threads=4,
                   variables={"DATABASE_URL": postgres_url, "KAMPUNG_INSECURE_COOKIES": "1"})
    try:
        yield server, token
    finally:
        server.stop()
        service.close()


def log_lines(served: Served, pattern: re.Pattern[str]) -> list[tuple[int, str]]:
    """(status, worker pid) of the access log's lines matching ``pattern``."""
    found = (pattern.search(line) for line in served.log.read_text().splitlines())
    return [(int(match.group(1)), match.group(2)) for match in found if match]


def wait_for_both_workers(served: Served) -> None:
    """``serve`` returns when one worker answers; the other may still be starting its app."""
    deadline = time.monotonic() + 60
    while len({pid for _, pid in log_lines(served, HEALTH_LINE)}) < 2:
        assert time.monotonic() < deadline, "the second worker never answered"
        with ThreadPoolExecutor(4) as pool:
            list(pool.map(lambda _: served.get("/healthz", headers={"Connection": "close"}), range(4)))


@pytest.mark.postgres
def test_sign_in_and_token_limits_hold_across_two_workers(served):
    server, token = served
    wait_for_both_workers(server)
    with requests.Session() as browser:
        form = browser.get(server.base + "/sign-in", timeout=30)
        csrf_token, cookies = CSRF_FIELD.search(form.text).group(1), browser.cookies.get_dict()

    def wrong_password(_: int) -> int:
        # A new connection each time (no keep-alive), so both workers take some of them.
        return requests.post(server.base + "/sign-in", timeout=60, allow_redirects=False, cookies=cookies,
                             headers={"Connection": "close"},
                             data={"csrf_token": csrf_token, "username": "budi.admin", "password": "salah-123456"},
                             ).status_code

    with ThreadPoolExecutor(ATTEMPTS) as pool:
        statuses = sorted(pool.map(wrong_password, range(ATTEMPTS)))
    # Counted per process, each worker would have let up to 5 through: 6 to 10 refusals of the password.
    assert statuses == [401] * 5 + [429] * 5
    assert len({pid for _, pid in log_lines(server, SIGN_IN_LINE)}) == 2, "both workers answered"

    def refused_token(_: int) -> int:
        return requests.get(server.base + "/api/v1/events", timeout=60, headers={
            **bearer("kb_00000000000000000000000000000000_0123456789abcdef_tebakan"), "Connection": "close"}
        ).status_code

    with ThreadPoolExecutor(8) as pool:
        assert set(pool.map(refused_token, range(REFUSED_TOKENS))) <= {401, 429}
    # Past 30 refused tokens from this address, whichever worker they reached, even the right token waits.
    for _ in range(4):
        response = requests.get(server.base + "/api/v1/events", timeout=30, headers={
            **bearer(token), "Connection": "close"})
        assert response.status_code == 429 and int(response.headers["Retry-After"]) > 0
    assert len({pid for _, pid in log_lines(server, API_LINE)}) == 2, "both workers answered"
