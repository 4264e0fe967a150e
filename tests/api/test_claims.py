"""Claims through the API: report, coverage, documents, assessment, decision, santunan, closure."""

from datetime import datetime, timedelta

import pytest

from domain.claim import DOCUMENTS
from domain.period import JAKARTA
from tests.api.conftest import LETTER, OFFICER_ACTOR, assert_problem, follow
from tests.integration.conftest import AHMAD, OFFICER, SITI

REQUIRED = [document for document, required in DOCUMENTS["work_accident"].items() if required]
INCIDENT = datetime(2025, 9, 2, 9, 0, tzinfo=JAKARTA)


@pytest.fixture
def officer(api):
    api.actor = OFFICER_ACTOR
    return api


def report(api, world, clock, nik=SITI, incident=INCIDENT, **changes):
    clock.set(incident + timedelta(hours=3))
    response = api.post("/claims", {
        "activity_id": str(world.activity_id), "nik": nik, "incident_at": incident.isoformat(),
        "kind": "work_accident", "chronology": "Kaki terkilir saat mengangkat batu.", "reporter": "Budi", **changes,
    })
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def test_reporting_answers_201_with_the_claim(officer, world, clock):
    clock.set(INCIDENT + timedelta(hours=3))
    response = officer.post("/claims", {
        "activity_id": str(world.activity_id), "nik": SITI, "incident_at": "2025-09-02T09:00",  # no offset: WIB
        "kind": "work_accident", "chronology": "Kaki terkilir.", "reporter": "Budi",
    })
    assert response.status_code == 201
    claim = response.get_json()
    assert response.headers["Location"].endswith(f"/api/v1/claims/{claim['id']}")
    assert claim["status"] == "reported" and claim["participant_name"] == "Siti Aminah" and claim["late"] is False
    assert datetime.fromisoformat(claim["incident_at"]) == INCIDENT and claim["cover"] is None
    assert claim["missing_documents"] == REQUIRED
    assert {item["document"] for item in claim["checklist"]} == set(DOCUMENTS["work_accident"])
    assert officer.get(f"/claims/{claim['id']}").get_json() == claim


def test_reporting_validates_and_refuses_a_second_report(officer, world, clock):
    report(officer, world, clock)
    assert_problem(officer.post("/claims", {
        "activity_id": str(world.activity_id), "nik": SITI, "incident_at": INCIDENT.isoformat(),
        "kind": "work_accident", "chronology": "Lagi.", "reporter": "Budi",
    }), 409)
    assert_problem(officer.post("/claims", {"activity_id": "x", "nik": "1", "incident_at": "kemarin", "kind": "flu"}),
                   422, "activity_id", "nik", "incident_at", "kind", "chronology", "reporter")
    assert_problem(officer.post("/claims", {
        "activity_id": str(world.activity_id), "nik": SITI, "incident_at": "2030-01-01T00:00:00+07:00",
        "kind": "work_accident", "chronology": "x", "reporter": "y",
    }), 422, "incident_at")


def test_a_covered_work_accident_goes_all_the_way_to_closure(officer, world, clock):
    claim = report(officer, world, clock)
    path = f"/claims/{claim['id']}"
    response = officer.post(f"{path}/coverage-confirmation", {"expected_version": 1})
    assert response.status_code == 200
    assert response.get_json()["cover"] == {"task_letter_number": LETTER, "cover_start": "2025-09-01",
                                            "cover_end": "2025-09-30"}
    claim = officer.post(f"{path}/documents", {"documents": REQUIRED}).get_json()
    assert claim["missing_documents"] == [] and claim["version"] == 2 + len(REQUIRED)
    inputs = {"medical_costs": 900_000, "transport_costs": 100_000}
    preview = officer.post(f"{path}/assessment-preview", inputs)
    assert preview.status_code == 200, preview.get_json()
    assert preview.get_json()["total"] == 1_000_000 and preview.get_json()["rule_ids"] == [
        "PP82-2019-JKK-MEDICAL", "PP82-2019-JKK-TRANSPORT"]
    assert officer.get(path).get_json() == claim  # the preview recorded nothing
    claim = officer.post(f"{path}/assessment", inputs).get_json()
    assert claim["status"] == "assessed" and claim["assessed_amount"] == 1_000_000
    assert claim["benefit_lines"] == preview.get_json()["lines"]
    assert claim["assessment_basis"]["inputs"]["medical_costs"] == 900_000
    assert claim["assessment_basis"]["table_version"] == preview.get_json()["table_version"]
    claim = officer.post(f"{path}/approval").get_json()
    assert claim["status"] == "approved" and claim["approved_amount"] == 1_000_000
    pay = {"benefit": "medical_care", "amount": 400_000, "beneficiary": "Siti Aminah", "reference": "TRF-1",
           "paid_on": "2025-09-02"}
    claim = officer.post(f"{path}/santunan-payments", pay).get_json()
    assert claim["status"] == "partially_paid" and claim["outstanding_amount"] == 600_000
    assert [(line["benefit"], line["paid"], line["outstanding"]) for line in claim["lines"]] == [
        ("medical_care", 400_000, 500_000), ("transport", 0, 100_000)]
    assert_problem(officer.post(f"{path}/santunan-payments", {**pay, "reference": "TRF-2", "amount": 500_001}),
                   409, "amount")
    claim = officer.post(f"{path}/santunan-payments", {**pay, "reference": "TRF-2", "amount": 500_000}).get_json()
    claim = officer.post(f"{path}/santunan-payments", {**pay, "benefit": "transport", "reference": "TRF-3",
                                                       "amount": 100_000}).get_json()
    assert claim["status"] == "paid" and claim["payments"][2] == {
        "benefit": "transport", "amount": 100_000, "beneficiary": "Siti Aminah", "reference": "TRF-3",
        "paid_on": "2025-09-02"}
    response = officer.post(f"{path}/closure", {"expected_version": claim["version"]})
    assert response.status_code == 200 and response.get_json()["status"] == "closed"
    assert response.get_json()["closed"] is True


def test_steps_out_of_order_are_refused(officer, world, clock):
    path = f"/claims/{report(officer, world, clock)['id']}"
    body = assert_problem(officer.post(f"{path}/approval"), 409)
    assert body["type"].endswith("ClaimStepRefused")
    assert_problem(officer.post(f"{path}/assessment", {"medical_costs": 1}), 409)
    assert_problem(officer.post(f"{path}/assessment-preview", {"medical_costs": 1}), 409)
    assert_problem(officer.post(f"{path}/waiver", {"reason": "Tidak dapat dihubungi"}), 409)
    assert_problem(officer.post(f"{path}/closure"), 409)
    assert_problem(officer.post(f"{path}/santunan-payments", {"benefit": "medical_care", "amount": 1,
                                                               "beneficiary": "x", "reference": "y",
                                                               "paid_on": "2025-09-02"}), 409)


def test_step_bodies_are_validated(officer, world, clock):
    path = f"/claims/{report(officer, world, clock)['id']}"
    assert_problem(officer.post(f"{path}/documents", {"documents": ["paspor"]}), 422, "documents")
    assert_problem(officer.post(f"{path}/documents", {"documents": []}), 422, "documents")
    assert_problem(officer.post(f"{path}/assessment", {"medical_costs": -1, "stmb_days": "lama",
                                                       "children": ["sd", "kuliah"], "contribution_years": -1}),
                   422, "medical_costs", "stmb_days", "children", "contribution_years")
    assert_problem(officer.post(f"{path}/assessment-preview", {"children": ["sd", "sd", "sd"]}), 422, "children")
    assert_problem(officer.post(f"{path}/waiver", {}), 422, "reason")
    assert_problem(officer.post(f"{path}/coverage-denial", {}), 422, "reason")
    assert_problem(officer.post(f"{path}/rejection", {"reason": ""}), 422, "reason")
    assert_problem(officer.post(f"{path}/santunan-payments", {}), 422, "benefit", "amount", "beneficiary",
                   "reference", "paid_on")


def test_coverage_is_confirmed_only_for_the_covered(officer, world, clock, app_sqlite, client):
    claim = report(officer, world, clock, nik=AHMAD, participant_name="Ahmad Fauzi")
    path = f"/claims/{claim['id']}"
    body = assert_problem(officer.post(f"{path}/coverage-confirmation"), 409)
    assert body["type"].endswith("NotCovered")
    response = officer.post(f"{path}/coverage-denial", {"reason": "Bukan peserta kegiatan"})
    assert response.get_json()["status"] == "coverage_denied"
    assert response.get_json()["denial_reason"] == "Bukan peserta kegiatan"
    assert officer.post(f"{path}/closure").get_json()["status"] == "closed"
    assert_problem(officer.post(f"{path}/documents", {"documents": ["ktp"]}), 409)


def test_rejecting_a_claim(officer, world, clock):
    path = f"/claims/{report(officer, world, clock)['id']}"
    response = officer.post(f"{path}/rejection", {"reason": "Bukan kecelakaan kerja", "expected_version": 1})
    assert response.status_code == 200 and response.get_json()["status"] == "rejected"
    assert_problem(officer.post(f"{path}/rejection", {"reason": "Lagi", "expected_version": 1}), 409)


def test_unknown_claims_are_404(officer):
    missing = "/claims/00000000-0000-0000-0000-000000000000"
    assert_problem(officer.get(missing), 404)
    assert_problem(officer.post(f"{missing}/approval"), 404)
    assert_problem(officer.post("/claims", {"activity_id": "00000000-0000-0000-0000-000000000000", "nik": SITI,
                                            "incident_at": "2025-09-01T09:00:00+07:00", "kind": "non_work_death",
                                            "chronology": "x", "reporter": "y"}), 404)


def test_the_list_filters_by_status_and_pages_most_recent_first(officer, world, clock, app_sqlite, client):
    ids = []
    # Two incidents at the same moment (Siti's and Ahmad's): ties go by id.
    for nik, hours in ((SITI, 0), (SITI, 5), (AHMAD, 5), (SITI, 30), (SITI, 50)):
        incident = INCIDENT + timedelta(hours=hours)
        clock.set(incident + timedelta(hours=1))
        ids.append(app_sqlite.report_accident(world.activity_id, nik, incident, "work_accident", "x", "y", OFFICER,
                                              participant_name="Ahmad Fauzi" if nik == AHMAD else None))
    app_sqlite.deny_coverage(ids[0], "Tidak tercakup", OFFICER)
    follow(client)
    everything = officer.get("/claims").get_json()["items"]
    keys = [(datetime.fromisoformat(c["incident_at"]), c["id"]) for c in everything]
    assert len(keys) == 5 and keys == sorted(keys, key=lambda key: (-key[0].timestamp(), key[1]))
    assert everything[0]["days_open"] == 0 and everything[0]["rt_code"] == "15.71.01.1001/RT-005"
    seen, cursor = [], None
    while True:
        page = officer.get("/claims", {"limit": 2, **({"cursor": cursor} if cursor else {})}).get_json()
        seen += [c["id"] for c in page["items"]]
        cursor = page["next"]
        if cursor is None:
            break
    assert seen == [c["id"] for c in everything]
    denied = officer.get("/claims", {"status": "coverage_denied"}).get_json()
    assert [c["id"] for c in denied["items"]] == [str(ids[0])] and denied["next"] is None
    assert_problem(officer.get("/claims", {"status": "lost"}), 422, "status")


def _approved_death(officer, world, clock, kind):
    claim = report(officer, world, clock, kind=kind)
    path = f"/claims/{claim['id']}"
    officer.post(f"{path}/coverage-confirmation")
    checklist = [document for document, required in DOCUMENTS[kind].items() if required]
    officer.post(f"{path}/documents", {"documents": checklist})
    return path


def test_a_jkm_death_is_assessed_at_the_fixed_amounts_and_its_rest_can_be_waived(officer, world, clock):
    path = _approved_death(officer, world, clock, "non_work_death")
    claim = officer.post(f"{path}/assessment", {}).get_json()
    assert [(line["benefit"], line["amount"]) for line in claim["benefit_lines"]] == [
        ("death_benefit", 20_000_000), ("periodic_santunan", 12_000_000), ("funeral", 10_000_000)]
    assert claim["assessment_basis"]["wage_base"] is None
    officer.post(f"{path}/approval")
    officer.post(f"{path}/santunan-payments", {"benefit": "funeral", "amount": 10_000_000, "beneficiary": "Keluarga",
                                               "reference": "TRF-9", "paid_on": "2025-09-02"})
    claim = officer.post(f"{path}/waiver", {"reason": "Ahli waris menolak santunan"}).get_json()
    assert claim["status"] == "waived" and claim["outstanding_amount"] == 0 and claim["waived_amount"] == 32_000_000
    assert claim["waiver_reason"] == "Ahli waris menolak santunan"
    assert [line["waived"] for line in claim["lines"]] == [20_000_000, 12_000_000, 0]
    assert officer.post(f"{path}/closure").get_json()["status"] == "closed"


def test_a_death_from_a_work_accident_is_reckoned_on_the_wage_base(officer, world, clock):
    path = _approved_death(officer, world, clock, "work_accident_death")
    preview = officer.post(f"{path}/assessment-preview", {"children": ["sd", "sma"]}).get_json()
    assert preview["wage_base"] == 3_607_223
    assert [(line["benefit"], line["amount"]) for line in preview["lines"]] == [
        ("death_benefit", 173_146_704), ("periodic_santunan", 12_000_000), ("funeral", 10_000_000),
        ("scholarship", 4_500_000)]
    assert_problem(officer.post(f"{path}/assessment", {"stmb_days": 10}), 422, "stmb_days")
