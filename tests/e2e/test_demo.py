"""The demo data set, loaded through the service into fresh SQLite stores up to a fixed today.

The history is the same for a given today whatever the hour: these tests fix it, so they read the
same data set on any day they run."""

import os
import re
import subprocess
import sys
from collections import Counter
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from application.clock import FixedClock
from application.demo.accounts import DEMO_ACCOUNTS
from application.demo.loader import DemoLoad
from application.demo.timeline import EARLIEST_TODAY, at
from application.service import KampungBahagia
from domain.activity import Activity
from domain.actor import Actor
from domain.claim import STATUSES, Claim
from domain.rt import RT, rt_code
from domain.user import ACCOUNT_ROLES
from interfaces.cli.demo import demo_summary
from interfaces.app import create_app
from tests.web.conftest import sign_in
from tests.web.test_dashboard import figure

TODAY = date(2026, 11, 20)
LETTER_NUMBER = re.compile(r"^ST/\d{3}/RT-\d{3}/\d{2}\.\d{4}/(I|II|III|IV|V|VI|VII|VIII|IX|X|XI|XII)/20\d\d$")
KAMPUNG = Path(sys.executable).with_name("kampung")


def sqlite_service(path: Path) -> tuple[KampungBahagia, FixedClock]:
    clock = FixedClock()
    env = {"PERSISTENCE_MODULE": "eventsourcing.sqlite", "SQLITE_DBNAME": str(path)}
    return KampungBahagia(env=env, clock=clock), clock


def load(service: KampungBahagia, clock: FixedClock, today: date = TODAY) -> int:
    return DemoLoad(service, clock, today).run()


def events(service: KampungBahagia) -> list[tuple]:
    """Every event of the store as (position, aggregate, version, type, recorded at), in log order."""
    found, start = [], 1
    while page := service.recorder.select_notifications(start=start, limit=1000):
        for notification in page:
            event = service.mapper.to_domain_event(notification)
            found.append((notification.id, event.originator_id, event.originator_version, notification.topic,
                          event.timestamp))
        start = page[-1].id + 1
    return found


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory) -> tuple[KampungBahagia, FixedClock, int]:
    service, clock = sqlite_service(tmp_path_factory.mktemp("demo") / "demo.sqlite")
    added = load(service, clock)
    yield service, clock, added
    service.close()


@pytest.fixture(scope="module")
def activities(loaded) -> list[Activity]:
    service = loaded[0]
    return [service.get_activity(activity_id) for activity_id in service.aggregate_ids(Activity.ActivityPlanned)]


@pytest.fixture(scope="module")
def claims(loaded) -> list[Claim]:
    service = loaded[0]
    return [service.get_claim(claim_id) for claim_id in service.aggregate_ids(Claim.AccidentReported)]


def test_the_load_adds_every_event_of_the_store(loaded):
    service, _, added = loaded
    assert added == service.recorder.max_notification_id() > 3000


def test_nothing_is_recorded_on_or_after_today(loaded):
    service = loaded[0]
    recorded = [moment for *_, moment in events(service)]
    assert max(recorded) < at(TODAY, 0)
    assert max(recorded) > at(TODAY - timedelta(days=3), 0), "the history runs up to today"


def test_67_pilot_rts_all_launched_first_rt_014_kenali_asam(loaded):
    service = loaded[0]
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
    service = loaded[0]
    replaced = [rt_id for rt_id in service.rt_ids() if service.get_rt(rt_id).ketua.appointed_on.year == 2026]
    assert replaced
    for rt_id in replaced:
        rt = service.get_rt(rt_id)
        first = service.get_rt(rt_id, version=2).ketua  # registered, then the first Ketua RT
        assert first is not None and first.nik != rt.ketua.nik


def test_activities_run_from_october_2025_to_today_and_on(activities):
    per_rt = Counter(activity.rt_id for activity in activities)
    assert len(per_rt) == 67 and min(per_rt.values()) >= 2
    statuses = Counter(activity.status for activity in activities)
    assert statuses["completed"] and statuses["active"] and statuses["planned"] and statuses["cancelled"]
    numbers = [letter.number for activity in activities for letter in activity.task_letters]
    assert len(numbers) == len({number.casefold() for number in numbers})
    assert all(LETTER_NUMBER.match(number) for number in numbers), numbers[:5]
    for activity in activities:
        assert 20_000_000 <= activity.total_value <= 100_000_000
        assert date(2025, 10, 1) <= activity.planned_period.start <= TODAY + timedelta(days=45)
        assert activity.premium is not None and activity.premium.value == activity.total_value
        for letter in activity.task_letters:
            assert letter.issued_on <= letter.cover_period.start and letter.issued_on < TODAY
        if activity.task_letters and activity.status != "cancelled":
            assert 5 <= len(activity.participants) <= 17
    roles = Counter(p.role for activity in activities for p in activity.participants.values())
    assert roles["resident"] > roles["phl"] > 0 and roles["petugas_syara"] and roles["ketua_rt"]
    assert any(p.withdrawn_at for activity in activities for p in activity.participants.values())
    assert any(len(activity.task_letters) == 2 for activity in activities), "a cover was extended"


def test_no_activity_waits_for_its_task_letter_in_the_past(activities):
    planned = [activity for activity in activities if activity.status == "planned"]
    assert planned and all(activity.planned_period.start >= TODAY for activity in planned)


def test_activities_are_planned_for_the_weeks_after_today(activities):
    ahead = [activity for activity in activities if activity.planned_period.start > TODAY]
    assert any(not activity.task_letters for activity in ahead), "planned, no task letter yet"
    assert any(activity.task_letters for activity in ahead), "a letter issued before today for a later period"
    assert max(activity.planned_period.start for activity in ahead) > TODAY + timedelta(days=7)


def test_premiums_paid_in_full_in_part_or_not_and_one_value_revised(loaded, activities):
    service = loaded[0]
    paid = Counter(
        "none" if not a.payments else "full" if a.premium_outstanding == 0 else "partial"
        for a in activities if a.task_letters
    )
    assert paid["none"] and paid["full"] and paid["partial"]
    revised = [a for a in activities if a.premium.value != service.get_activity(a.id, version=2).premium.value]
    assert revised, "an activity had its value revised and its premium reassessed"
    assert all(a.premium_outstanding == 0 and len(a.payments) == 2 for a in revised)  # the top-up was paid


def test_claims_in_every_status_late_reports_and_all_three_kinds(claims):
    assert 25 <= len(claims) <= 80
    statuses = Counter(claim.status for claim in claims)
    assert set(STATUSES) <= set(statuses), statuses
    assert any(claim.late for claim in claims) and not all(claim.late for claim in claims)
    assert {claim.kind for claim in claims} == {"work_accident", "work_accident_death", "non_work_death"}
    closed = [claim for claim in claims if claim.closed]
    assert any(claim.paid_amount and claim.outstanding_amount == 0 for claim in closed)
    assert any(claim.rejection_reason for claim in closed)
    assert any(claim.denial_reason for claim in closed)
    assert all(claim.incident_at <= claim.reported_at < at(TODAY, 0) for claim in claims)
    for claim in claims:
        if claim.status in ("approved", "partially_paid", "paid") or (claim.closed and claim.payments):
            assert claim.missing_documents == []
    death = next(claim for claim in claims if claim.kind == "work_accident_death" and claim.approved_amount)
    assert death.approved_amount == 48 * 3_607_223 + 10_000_000 + 12_000_000
    assert death.assessment_basis.wage_base == 3_607_223  # the wage base is stated on the claim
    jkm = [claim for claim in claims if claim.kind == "non_work_death" and claim.approved_amount]
    assert jkm and all(claim.approved_amount == 42_000_000 for claim in jkm)
    assert any(claim.waived and claim.waiver_reason and claim.outstanding_amount == 0 for claim in closed)
    for claim in claims:  # a payment names its line and never exceeds it
        assert all(payment.benefit for payment in claim.payments)
        assert all(balance.outstanding >= 0 for balance in claim.line_balances)


def test_claims_are_under_way_near_today(claims):
    recent = [claim for claim in claims if claim.reported_at > at(TODAY - timedelta(days=60), 0)]
    assert recent and any(not claim.closed for claim in recent)


def test_the_dashboard_shows_people_covered_today_and_the_summarys_premium(loaded):
    service, clock, added = loaded
    clock.set(at(TODAY, 12))  # the dashboard on the demo's today
    try:
        summary = demo_summary(service, TODAY, added, 0)
        client = create_app({"TESTING": True, "WTF_CSRF_ENABLED": False, "KAMPUNG_APP": service,
                             "SECRET_KEY": "test"}).test_client()
        sign_in(client, "admin.dpmppa", "admin")
        html = client.get("/").get_data(as_text=True)
    finally:
        clock.set(datetime.now(timezone.utc))
    covered = int(figure(html, "angka-peserta").removesuffix(" orang"))
    assert covered > 0
    assert f"{covered} covered today" in summary
    assert f"premium assessed {figure(html, 'angka-iuran')} of which {figure(html, 'angka-iuran-dibayar')} paid" \
        in summary


def test_a_second_run_adds_nothing_and_leaves_the_clock_at_the_real_now(loaded):
    service, clock, _ = loaded
    before = service.recorder.max_notification_id()
    assert load(service, clock) == 0
    assert service.recorder.max_notification_id() == before
    assert abs((datetime.now(timezone.utc) - clock.now()).total_seconds()) < 600


def test_an_interrupted_load_completes_to_the_same_events_with_the_same_ids(loaded, tmp_path):
    full = loaded[0]
    service, clock = sqlite_service(tmp_path / "resumed.sqlite")
    interrupted = DemoLoad(service, clock, TODAY)
    done = []

    def advance(steps: int) -> None:
        done.append(steps)
        if len(done) == interrupted.total // 2:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        interrupted.run(advance)
    assert 0 < service.recorder.max_notification_id() < full.recorder.max_notification_id()
    load(service, clock)
    assert events(service) == events(full)
    service.close()


def test_the_earliest_today_has_claims_in_every_status_and_a_later_today_adds_the_days_in_between(loaded, tmp_path):
    full = loaded[0]
    service, clock = sqlite_service(tmp_path / "earlier.sqlite")
    load(service, clock, EARLIEST_TODAY)
    assert max(moment for *_, moment in events(service)) < at(EARLIEST_TODAY, 0)
    statuses = {service.get_claim(claim_id).status for claim_id in service.aggregate_ids(Claim.AccidentReported)}
    assert statuses == set(STATUSES)
    assert load(service, clock) > 0
    assert events(service) == events(full)
    assert load(service, clock, EARLIEST_TODAY) == 0, "an earlier today than the store's adds nothing"
    service.close()


def test_the_demo_needs_the_services_own_clock(tmp_path):
    service, _ = sqlite_service(tmp_path / "other.sqlite")
    with pytest.raises(ValueError):
        DemoLoad(service, FixedClock(), TODAY)
    service.close()


def test_one_account_per_role_signs_in_with_the_password_the_readme_gives(loaded):
    service = loaded[0]
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    assert sorted(role for _, role, _, _ in DEMO_ACCOUNTS) == sorted(ACCOUNT_ROLES)
    for username, role, rt, password in DEMO_ACCOUNTS:
        assert f"`{username}`" in readme and f"`{password}`" in readme
        assert service.authenticate(username, password) == Actor(username, role, rt)


def kampung_demo(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    env["KAMPUNG_DATA_DIR"] = str(tmp_path)
    return subprocess.run([str(KAMPUNG), "demo", *args], env=env, capture_output=True, text=True, timeout=300)


def test_the_cli_demo_command_prints_the_summary_and_is_idempotent(tmp_path):
    runs = [kampung_demo(tmp_path, "--today", TODAY.isoformat()) for _ in range(2)]
    for run in runs:
        assert run.returncode == 0, run.stderr
        assert "Demo data (Program Kampung Bahagia, Kota Jambi) on 20 November 2026: 67 RTs" in run.stdout
        assert "covered today" in run.stdout and "Traceback" not in run.stderr
    assert int(re.search(r"This run added (\d+) events", runs[0].stdout).group(1)) > 3000
    assert "This run added 0 events" in runs[1].stdout
    assert (tmp_path / "kampung.sqlite").exists()


@pytest.mark.parametrize("today", ["2031-01-01", "2025-09-01", "kemarin"])
def test_a_today_the_demo_cannot_have_is_refused_before_anything_is_written(store, today):
    variables, service = store
    result = subprocess.run([str(KAMPUNG), "demo", "--today", today], capture_output=True, text=True, timeout=60,
                            env={"PATH": "/usr/bin:/bin", **variables})
    assert result.returncode == 2, result.stderr
    assert ("the demo's today must be between 2026-03-01 and" in result.stderr
            or "is not a date (YYYY-MM-DD)" in result.stderr)
    assert "Traceback" not in result.stderr
    assert not service.recorder.max_notification_id()
