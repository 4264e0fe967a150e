"""Amounts of rupiah in the web forms may be written as on paper: "50.000.000" or "Rp 50.000.000".
Only the web forms read them so; in the JSON API "1.500" keeps meaning one and a half."""

from datetime import date
from decimal import Decimal
from uuid import UUID

import pytest

from domain.claim import DOCUMENTS
from interfaces.web.forms import plain_rupiah
from tests.integration.conftest import OFFICER, SITI
from tests.accounts import api_token, bearer
from tests.web.conftest import follow, head, sign_in
from tests.web.pages import error_beside, flash_after, html_of, value_of


@pytest.mark.parametrize(("written", "read"), [
    ("50000000", "50000000"),
    ("50.000.000", "50000000"),
    ("Rp 50.000.000", "50000000"),
    ("Rp50.000.000", "50000000"),
    ("rp 50.000.000", "50000000"),
    ("Rp. 50.000.000", "50000000"),
    (" 120.000 ", "120000"),
    ("Rp 2 500 000", "2500000"),
    ("1.500", "1500"),
    ("999", "999"),
])
def test_rupiah_as_written_on_paper_become_digits(written, read):
    assert plain_rupiah(written) == read


@pytest.mark.parametrize(("written", "left"), [
    ("1.5", "1.5"),  # not a thousands group: the schema refuses it as not whole rupiah
    ("1.50.000", "1.50.000"),
    ("50.000.00", "50.000.00"),
    (".500", ".500"),
    ("1,5", "1,5"),
    ("12.500,00", "12.500,00"),
    ("-5", "-5"),
    ("lima", "lima"),
])
def test_anything_else_is_left_for_the_schema_to_judge(written, left):
    assert plain_rupiah(written) == left


def version(app, activity_id) -> str:
    return str(app.get_activity(activity_id).version)


def test_plan_an_activity_worth_rp_50_000_000(signed_in, app_sqlite, web_world):
    html = signed_in.get(f"/activities/new?rt_id={web_world.rt_id}").get_data(as_text=True)
    assert "boleh ditulis 50.000.000" in html
    response = signed_in.post("/activities/new", data={
        "rt_id": str(web_world.rt_id), "title": "Kerja bakti jalan", "kind": "road_repair", "location": "Gang Mawar",
        "total_value": "Rp 50.000.000", "planned_start": "2025-09-06", "planned_end": "2025-09-07",
    })
    activity_id = UUID(response.headers["Location"].rsplit("/", 1)[1])
    assert "Rp 50.000.000" in flash_after(signed_in, response)
    assert app_sqlite.get_activity(activity_id).total_value == Decimal(50_000_000)


def test_record_a_premium_payment_of_120_000(signed_in, app_sqlite, web_world):
    url = f"/activities/{web_world.activity_id}/premium-payments/new"
    assert "boleh ditulis 120.000" in signed_in.get(url).get_data(as_text=True)
    response = signed_in.post(url, data={"amount": "120.000", "reference": "BJ-1", "paid_on": "2025-09-01",
                                         "expected_version": version(app_sqlite, web_world.activity_id)})
    assert "Pembayaran premi Rp 120.000 (BJ-1) tercatat." in flash_after(signed_in, response)
    assert app_sqlite.get_activity(web_world.activity_id).premium_paid == 120_000


def test_revise_the_value_to_rp_75_000_000(signed_in, app_sqlite, web_world):
    url = f"/activities/{web_world.activity_id}/value"
    response = signed_in.post(url, data={"total_value": "Rp 75.000.000", "reason": "Tambah material",
                                         "expected_version": version(app_sqlite, web_world.activity_id)})
    assert "Nilai kegiatan diubah menjadi Rp 75.000.000" in flash_after(signed_in, response)
    assert app_sqlite.get_activity(web_world.activity_id).total_value == 75_000_000


def test_a_dot_that_groups_no_thousands_is_refused_with_the_input_kept(signed_in, app_sqlite, web_world):
    before = head(app_sqlite)
    response = signed_in.post(f"/activities/{web_world.activity_id}/value", data={
        "total_value": "75.000.00", "reason": "Tambah material",
        "expected_version": version(app_sqlite, web_world.activity_id)})
    assert response.status_code == 422
    html = html_of(response)
    assert error_beside(html, "total_value") and value_of(html, "total_value") == "75.000.00"
    assert head(app_sqlite) == before


def test_assess_and_pay_a_claim_in_rupiah_as_written(client, app_sqlite, web_world):
    sign_in(client)
    app_sqlite.clock.set(app_sqlite.clock.now().replace(day=2, hour=10))
    claim_id = app_sqlite.report_accident(web_world.activity_id, SITI, app_sqlite.clock.now().replace(hour=9),
                                          "work_accident", "Terpeleset.", "Budi", OFFICER)
    app_sqlite.confirm_coverage(claim_id, OFFICER)
    follow(client)
    page = html_of(client.get(f"/claims/{claim_id}"))
    assert "boleh ditulis 7.500.000" in page
    response = client.post(f"/claims/{claim_id}/assess", data={
        "expected_version": str(app_sqlite.get_claim(claim_id).version),
        "medical_costs": "Rp 7.500.000", "transport_costs": "250.000",
    })
    assert response.status_code == 302, html_of(response)
    assert [line.amount for line in app_sqlite.get_claim(claim_id).benefit_lines] == [7_500_000, 250_000]
    app_sqlite.receive_documents(claim_id, [d for d, required in DOCUMENTS["work_accident"].items() if required],
                                 OFFICER)
    app_sqlite.approve_claim(claim_id, OFFICER)
    assert "boleh ditulis 2.500.000" in html_of(client.get(f"/claims/{claim_id}"))
    response = client.post(f"/claims/{claim_id}/pay", data={
        "expected_version": str(app_sqlite.get_claim(claim_id).version), "benefit": "medical_care",
        "amount": "Rp 2.500.000",
        "beneficiary": "Siti Aminah", "reference": "TRF-1", "paid_on": "2025-09-02",
    })
    flashed = flash_after(client, response)
    assert "Pembayaran santunan Rp 2.500.000 untuk Biaya perawatan dan pengobatan dicatat." in flashed
    assert app_sqlite.get_claim(claim_id).paid_amount == 2_500_000


def test_the_json_api_takes_amounts_as_json_integers_only(client, app_sqlite, web_world):
    """Only forms read "1.500" as fifteen hundred; in JSON an amount is a number, never a text: refused,
    nothing written."""
    token = api_token(app_sqlite, "admin.dpmppa", "admin")
    before = head(app_sqlite)
    response = client.post(f"/api/v1/activities/{web_world.activity_id}/premium-payments",
                           json={"amount": "1.500", "reference": "BJ-1", "paid_on": str(date(2025, 9, 1))},
                           headers=bearer(token))
    assert response.status_code == 422 and response.get_json()["errors"]["amount"] == ["Not a valid integer."]
    assert head(app_sqlite) == before and app_sqlite.get_activity(web_world.activity_id).premium_paid == 0
