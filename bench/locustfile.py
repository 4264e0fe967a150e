"""The load-test users of ``bench/serving.py`` (run by locust in a subprocess, one class per run).

Each user sends its request again as soon as the answer arrives (no think time), so N users are N
requests in flight. The driver passes the session, the seeded ids and where NIK serials start in
``$BENCH_HTTP_SETUP`` (JSON).
"""

import itertools
import json
import os
import sys
from pathlib import Path

from locust import HttpUser, constant, task

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.workload import person, synthetic_nik  # noqa: E402

SETUP = json.loads(os.environ.get("BENCH_HTTP_SETUP", "{}"))
_users = itertools.count()
_serials = itertools.count(SETUP.get("first_serial", 1))


class StaticFile(HttpUser):
    """The baseline: a static file from the same server, no session, no store."""

    wait_time = constant(0)

    @task
    def fetch(self) -> None:
        self.client.get("/static/style.css", name="static")


class SignedIn(HttpUser):
    abstract = True
    wait_time = constant(0)

    def on_start(self) -> None:
        self.client.cookies.update(SETUP["cookies"])


class CoverageLookup(SignedIn):
    """``GET /coverage``: is this NIK covered now, and by which task letter (the coverage read model)."""

    @task
    def look_up(self) -> None:
        self.client.get("/coverage", params={"nik": SETUP["nik"], "at": SETUP["at"]}, name="coverage")


class JoinForm(SignedIn):
    """``POST`` of the "Tambah peserta" form, each user on an activity of its own (so users do not
    refuse each other's stale versions); a success is the redirect after the event is recorded."""

    def on_start(self) -> None:
        super().on_start()
        activities = SETUP["activities"]
        self.path = f"/activities/{activities[next(_users) % len(activities)]}/participants/new"

    @task
    def join(self) -> None:
        serial = next(_serials)
        form = {"csrf_token": SETUP["csrf_token"], "nik": synthetic_nik(serial), "name": person(serial),
                "role": "resident"}
        with self.client.post(self.path, data=form, name="join", allow_redirects=False,
                              catch_response=True) as response:
            if response.status_code in (302, 303):
                response.success()
            else:
                response.failure(f"HTTP {response.status_code}")
