"""Builders for application tests: a launched RT with an activity covered by a task letter."""

from dataclasses import dataclass
from datetime import date
from uuid import UUID

import pytest

from interfaces.consumers import build_runner

from domain.actor import Actor
from domain.period import Period
from domain.rt import rt_code

ADMIN = Actor("admin.dpmppa", "admin")
KETUA = Actor("ketua.simpang-iv-sipin.005", "ketua_rt", "15.71.01.1001/RT-005")
OFFICER = Actor("petugas.klaim.1", "claim_officer")
KETUA_NIK = "1571010101750001"
SITI = "1571014507900002"
AHMAD = "1571011203880003"
COVER = Period(date(2025, 9, 1), date(2025, 9, 30))


@dataclass
class World:
    rt_id: UUID
    activity_id: UUID


def launched_rt(app, kelurahan_code: str = "15.71.01.1001", number: int = 5) -> UUID:
    rt_id = app.register_rt(kelurahan_code, number, ADMIN)
    app.appoint_ketua_rt(rt_id, KETUA_NIK, "Budi Santoso", "081234567890", date(2025, 7, 1), ADMIN)
    app.enrol_rt(rt_id, "pilot", date(2025, 8, 1), ADMIN)
    ketua = Actor(KETUA.user_id, "ketua_rt", rt_code(kelurahan_code, number))
    app.hold_musyawarah(rt_id, date(2025, 8, 10), ["Drainase lingkungan", "Jalan setapak"], ketua)
    app.launch_rt(rt_id, date(2025, 8, 24), ADMIN)
    return rt_id


@pytest.fixture
def world(app) -> World:
    """At 1 September 2025 08:00 WIB: RT 005 Simpang IV Sipin launched, a drainage activity
    with task letter ST/001 covering September, and Siti Aminah joined."""
    return covered_world(app)


def covered_world(app) -> World:
    """The ``world`` fixture's steps, for a fixture with a service of its own."""
    rt_id = launched_rt(app)
    activity_id = app.plan_activity(
        rt_id, "Gotong royong pembersihan drainase", "drainage", "Jl. Sipin Ujung", 50_000_000, COVER, ADMIN
    )
    app.issue_task_letter(activity_id, "ST/001/RT-005/IX/2025", date(2025, 9, 1), COVER, KETUA_NIK, KETUA)
    app.join_participant(activity_id, SITI, "Siti Aminah", "resident", KETUA)
    return World(rt_id=rt_id, activity_id=activity_id)


@pytest.fixture
def runner(app):
    projection_runner = build_runner(app, page_size=7)
    yield projection_runner
    projection_runner.engine.dispose()
