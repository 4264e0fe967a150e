"""Several officers writing at once to the embedded SQLite store, as ``kampung serve`` runs it by
default: every form submission and API command either succeeds or is refused cleanly (409 when two
wrote to the same activity, 503 with Retry-After when the store stayed busy) — never a 500 — and
every success is recorded exactly once."""

import itertools
import re
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from uuid import UUID

import pytest
import requests

from application.config import store_env
from application.service import KampungBahagia
from interfaces.cli.server import sizing
from tests.accounts import PASSWORD, account, api_token
from tests.feed.feed_support import Served, serve
from tests.integration.conftest import ADMIN, COVER, KETUA, KETUA_NIK, launched_rt

WRITERS = 16
SUBMISSIONS_PER_WRITER = 6
ACTIVITIES = 4  # fewer than writers: some submissions race for the same activity's next version
CSRF_FIELD = re.compile(r'name="csrf_token" value="([^"]+)"')
CLEAN_REFUSALS = {409, 503}


@pytest.fixture
def store(tmp_path, clock) -> Iterator[KampungBahagia]:
    service = KampungBahagia(env=store_env({"KAMPUNG_DATA_DIR": str(tmp_path)}), clock=clock)
    yield service
    service.close()


@pytest.fixture
def activities(store) -> list[UUID]:
    rt_id = launched_rt(store)
    planned = []
    for number in range(ACTIVITIES):
        activity_id = store.plan_activity(rt_id, f"Kerja bakti {number + 1}", "cleaning", "Jl. Sipin", 10_000_000,
                                          COVER, ADMIN)
        store.issue_task_letter(activity_id, f"ST/{number + 1}/RT-005/IX/2025", date(2025, 9, 1), COVER, KETUA_NIK,
                                KETUA)
        planned.append(activity_id)
    return planned


@pytest.fixture
def served(store, tmp_path, monkeypatch) -> Iterator[Served]:
    """``kampung serve`` over the store, sized as it is by default for SQLite; plain http, so the
    session cookie may not be Secure."""
    monkeypatch.setenv("KAMPUNG_INSECURE_COOKIES", "1")
    workers, threads = sizing(store.env)
    server = serve(tmp_path, api_token(store, "sistem.desa", "admin"), workers=workers, threads=threads)
    yield server
    server.stop()


def web_session(store: KampungBahagia, served: Served, form_path: str) -> tuple[dict[str, str], str]:
    """An officer's session cookies, signed in through the form, and the CSRF token of a form page."""
    account(store, "petugas.dpmppa", "admin")
    with requests.Session() as http:
        page = http.get(served.base + "/sign-in", timeout=30)
        signed_in = http.post(served.base + "/sign-in", allow_redirects=False, timeout=30, data={
            "csrf_token": CSRF_FIELD.search(page.text).group(1), "username": "petugas.dpmppa", "password": PASSWORD})
        assert signed_in.status_code in (302, 303), signed_in.text
        form = http.get(served.base + form_path, timeout=30)
        return http.cookies.get_dict(), CSRF_FIELD.search(form.text).group(1)


def test_concurrent_form_submissions_and_api_commands_succeed_or_are_refused_cleanly(store, activities, served):
    cookies, csrf_token = web_session(store, served, f"/activities/{activities[0]}/participants/new")
    serials = itertools.count(1)

    def write(writer: int) -> list[tuple[UUID, str, int]]:
        """One officer's submissions, alternately the web form and the API: (activity, NIK, status)."""
        activity_id = activities[writer % ACTIVITIES]
        outcomes = []
        with requests.Session() as http:
            http.cookies.update(cookies)
            for _ in range(SUBMISSIONS_PER_WRITER):
                serial = next(serials)
                nik = f"1571014101{serial:06d}"
                joining = {"nik": nik, "name": f"Warga {serial}", "role": "resident"}
                if serial % 2:
                    response = http.post(f"{served.base}/activities/{activity_id}/participants/new",
                                         data={**joining, "csrf_token": csrf_token}, allow_redirects=False,
                                         timeout=60)
                    succeeded = response.status_code in (302, 303)
                else:
                    response = http.post(f"{served.base}/api/v1/activities/{activity_id}/participants",
                                         json=joining, headers=served.headers, timeout=60)
                    succeeded = response.status_code == 200
                if response.status_code == 503:
                    assert response.headers["Retry-After"].isdigit()
                outcomes.append((activity_id, nik, 200 if succeeded else response.status_code))
        return outcomes

    with ThreadPoolExecutor(WRITERS) as pool:
        outcomes = [outcome for writer in pool.map(write, range(WRITERS)) for outcome in writer]

    statuses = Counter(status for _, _, status in outcomes)
    assert set(statuses) <= {200} | CLEAN_REFUSALS, statuses
    assert statuses[200] > 0
    # Exactly the successes were recorded: nothing lost, nothing half-recorded by a refusal.
    joined = {(activity_id, nik) for activity_id in activities for nik in store.get_activity(activity_id).participants}
    assert joined == {(activity_id, nik) for activity_id, nik, status in outcomes if status == 200}
    assert "Traceback" not in served.log.read_text()
