"""The demo data set, loaded through the service into a fresh SQLite store."""

import os
import re
import subprocess
import sys
import time
from collections import Counter
from datetime import date, datetime, timezone
from pathlib import Path

import pytest

from application.clock import FixedClock
from application.service import KampungBahagia
from domain.rt import RT, rt_code
from domain.actor import Actor
from domain.user import ACCOUNT_ROLES
from interfaces.demo import DEMO_ACCOUNTS, at, demo_activity_ids, demo_claim_ids, load_demo

CLAIM_STATUSES = (
    "reported", "coverage_confirmed", "coverage_denied", "assessed", "approved", "rejected",
    "partially_paid", "paid", "waived", "closed",
)
ADDED = re.compile(r"This run added (\d+) events")


def sqlite_service(path: Path) -> tuple[KampungBahagia, FixedClock]:
    clock = FixedClock()
    env = {"PERSISTENCE_MODULE": "eventsourcing.sqlite", "SQLITE_DBNAME": str(path)}
    return KampungBahagia(env=env, clock=clock), clock


def events_added(summary: str) -> int:
    match = ADDED.search(summary)
    assert match, summary
    return int(match.group(1))


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory) -> tuple[KampungBahagia, FixedClock, str, float]:
    service, clock = sqlite_service(tmp_path_factory.mktemp("demo") / "demo.sqlite")
    started = time.perf_counter()
    summary = load_demo(service, clock)
    return service, clock, summary, time.perf_counter() - started


def test_loads_quickly_and_adds_events(loaded):
    service, _, summary, seconds = loaded
    assert seconds < 30, f"the demo took {seconds:.1f}s"
    assert events_added(summary) == service.recorder.max_notification_id() > 1000


def test_67_pilot_rts_all_launched_first_rt_014_kenali_asam(loaded):
    service, _, _, _ = loaded
    rts = [service.get_rt(rt_id) for rt_id in service.rt_ids()]
    assert len(rts) == 67
    assert len({rt.code for rt in rts}) == 67
    assert all(rt.phase == "pilot" and rt.enrolled_from == date(2025, 8, 1) for rt in rts)
    assert all(rt.launched and rt.ketua is not None for rt in rts)
    assert all(date(2025, 9, 24) <= rt.launched_on <= date(2025, 10, 31) for rt in rts)
    assert all(any(held <= rt.launched_on for held, _ in rt.musyawarah) for rt in rts)
    assert len({rt.place.kecamatan_code for rt in rts}) == 11
    first = service.get_rt(RT.create_id(rt_code("15.71.07.1012", 14)))
    assert first.place.kelurahan == "Kenali Asam" and first.launched_on == date(2025, 9, 24)
    assert [rt for rt in rts if rt.launched_on == date(2025, 9, 24)] == [first]


def test_some_ketua_rt_were_replaced(loaded):
    service, _, _, _ = loaded
    replaced = [rt_id for rt_id in service.rt_ids() if service.get_rt(rt_id).ketua.appointed_on.year == 2026]
    assert replaced
    for rt_id in replaced:
        rt = service.get_rt(rt_id)
        first = service.get_rt(rt_id, version=2).ketua  # registered, then the first Ketua RT
        assert first is not None and first.nik != rt.ketua.nik


def test_activities_are_real_and_in_time(loaded):
    service, _, _, _ = loaded
    activities = [service.get_activity(activity_id) for activity_id in demo_activity_ids(service)]
    assert 67 <= len(activities) <= 4 * 67
    per_rt = Counter(activity.rt_id for activity in activities)
    assert len(per_rt) == 67 and max(per_rt.values()) <= 4
    statuses = Counter(activity.status for activity in activities)
    assert statuses["completed"] and statuses["active"] and statuses["planned"]
    assert statuses["cancelled"] in (1, 2)
    numbers = [letter.number for activity in activities for letter in activity.task_letters]
    assert len(numbers) == len({number.casefold() for number in numbers})
    for activity in activities:
        assert 20_000_000 <= activity.total_value <= 100_000_000
        assert date(2025, 10, 1) <= activity.planned_period.start <= date(2026, 10, 31)
        assert activity.premium is not None and activity.premium.value == activity.total_value
        for letter in activity.task_letters:
            assert letter.issued_on <= letter.cover_period.start
            assert letter.issued_on <= date(2026, 10, 31)
        if activity.task_letters and activity.status != "cancelled":
            assert 5 <= len(activity.participants) <= 17
    roles = Counter(p.role for activity in activities for p in activity.participants.values())
    assert roles["resident"] > roles["phl"] > 0 and roles["petugas_syara"] and roles["ketua_rt"]
    assert any(p.withdrawn_at for activity in activities for p in activity.participants.values())
    paid = Counter(
        "none" if not a.payments else "full" if a.premium_outstanding == 0 else "partial"
        for a in activities if a.task_letters
    )
    assert paid["none"] and paid["full"] and paid["partial"]
    revised = [a for a in activities if a.premium.value != service.get_activity(a.id, version=2).premium.value]
    assert len(revised) == 1, "one activity had its value revised and its premium reassessed"
    assert revised[0].premium_outstanding == 0 and len(revised[0].payments) == 2  # the top-up was paid


def test_claims_in_every_status_late_reports_and_all_three_kinds(loaded):
    service, _, _, _ = loaded
    claims = [service.get_claim(claim_id) for claim_id in demo_claim_ids(service)]
    assert 20 <= len(claims) <= 30
    statuses = Counter(claim.status for claim in claims)
    assert set(CLAIM_STATUSES) <= set(statuses), statuses
    assert any(claim.late for claim in claims) and not all(claim.late for claim in claims)
    assert {claim.kind for claim in claims} == {"work_accident", "work_accident_death", "non_work_death"}
    closed = [claim for claim in claims if claim.closed]
    assert any(claim.paid_amount and claim.outstanding_amount == 0 for claim in closed)
    assert any(claim.rejection_reason for claim in closed)
    assert any(claim.denial_reason for claim in closed)
    for claim in claims:
        assert claim.incident_at <= claim.reported_at <= datetime(2026, 11, 1, tzinfo=timezone.utc)
        if claim.status in ("approved", "partially_paid", "paid") or (claim.closed and claim.payments):
            assert claim.missing_documents == []
    death = next(claim for claim in claims if claim.kind == "work_accident_death" and claim.approved_amount)
    assert death.approved_amount == 48 * 3_607_223 + 10_000_000 + 12_000_000
    assert death.assessment_basis.wage_base == 3_607_223  # the wage base is stated on the claim
    jkm = [claim for claim in claims if claim.kind == "non_work_death" and claim.approved_amount]
    assert jkm and all(claim.approved_amount == 42_000_000 for claim in jkm)
    waived = [claim for claim in closed if claim.waived]
    assert len(waived) == 1 and waived[0].waiver_reason and waived[0].outstanding_amount == 0
    for claim in claims:  # a payment names its line and never exceeds it
        assert all(payment.benefit for payment in claim.payments)
        assert all(balance.outstanding >= 0 for balance in claim.line_balances)


def test_a_second_run_adds_nothing(loaded):
    service, clock, _, _ = loaded
    before = service.recorder.max_notification_id()
    summary = load_demo(service, clock)
    assert events_added(summary) == 0
    assert service.recorder.max_notification_id() == before


def test_an_interrupted_load_completes_to_the_same_data_set(loaded, tmp_path):
    full, _, _, _ = loaded
    service, clock = sqlite_service(tmp_path / "resumed.sqlite")
    first = load_demo(service, clock, until=at(date(2026, 3, 1), 12))
    assert "later steps were left" in first
    assert 0 < events_added(first) < full.recorder.max_notification_id()
    second = load_demo(service, clock)
    assert events_added(first) + events_added(second) == full.recorder.max_notification_id()
    assert sorted(demo_claim_ids(service)) == sorted(demo_claim_ids(full))
    for claim_id in demo_claim_ids(full):
        assert service.get_claim(claim_id).status == full.get_claim(claim_id).status


def test_the_clock_is_left_at_the_real_now(loaded):
    _, clock, _, _ = loaded
    assert abs((datetime.now(timezone.utc) - clock.now()).total_seconds()) < 600


def test_load_demo_needs_the_services_own_clock(tmp_path):
    service, _ = sqlite_service(tmp_path / "other.sqlite")
    with pytest.raises(ValueError):
        load_demo(service, FixedClock())


def test_the_cli_demo_command_is_idempotent(tmp_path):
    kampung = Path(sys.executable).with_name("kampung")
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    env["KAMPUNG_DATA_DIR"] = str(tmp_path)
    runs = [
        subprocess.run([str(kampung), "demo"], env=env, capture_output=True, text=True, timeout=120)
        for _ in range(2)
    ]
    for run in runs:
        assert run.returncode == 0, run.stderr
    assert events_added(runs[0].stdout) > 1000
    assert events_added(runs[1].stdout) == 0
    assert (tmp_path / "kampung.sqlite").exists()


def test_one_account_per_role_signs_in_with_the_password_the_readme_gives(loaded):
    service = loaded[0]
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    assert sorted(role for _, role, _, _ in DEMO_ACCOUNTS) == sorted(ACCOUNT_ROLES)
    for username, role, rt, password in DEMO_ACCOUNTS:
        assert f"`{username}`" in readme and f"`{password}`" in readme
        assert service.authenticate(username, password) == Actor(username, role, rt)
