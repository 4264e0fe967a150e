"""Who sees a NIK in full (interfaces/masking.py): the administrator, the claim officer and the Ketua
RT of the person's RT; the auditor and the integrator see ``1571********0002``. Checked on a page,
an API response, the audit export and the event feed; searching by a full NIK keeps working."""

import json

import pytest

from domain.masking import masked
from tests.integration.conftest import SITI
from tests.web.routes import Visitor

MASKED_SITI = "1571********0002"
FULL = ("admin", "claim_officer", "ketua_rt")
MASKED = ("auditor",)


def shows(text: str) -> str:
    """How a response shows Siti's NIK: in full, masked, or not at all."""
    if SITI in text:
        return "full"
    return "masked" if MASKED_SITI in text else "absent"


def test_masking_keeps_region_and_serial_in_text_and_in_nested_data():
    assert masked(f"Siti ({SITI}) bergabung") == f"Siti ({MASKED_SITI}) bergabung"
    assert masked({"nik": SITI, "rows": [{"ketua_nik": SITI}], "amount": 1234567890123, "phone": "081234567890"}) == {
        "nik": MASKED_SITI, "rows": [{"ketua_nik": MASKED_SITI}], "amount": 1234567890123, "phone": "081234567890"}


@pytest.mark.parametrize("role, expected", [*((role, "full") for role in FULL), *((role, "masked") for role in MASKED)])
def test_the_activity_page_shows_the_nik_as_the_role_may_see_it(flask_app, web_world, role, expected):
    page = Visitor(flask_app, role).web.get(f"/activities/{web_world.activity_id}")
    assert page.status_code == 200
    assert shows(page.get_data(as_text=True)) == expected


@pytest.mark.parametrize("role, expected", [*((role, "full") for role in FULL), *((role, "masked") for role in MASKED)])
def test_the_api_shows_the_nik_as_the_role_may_see_it(flask_app, web_world, role, expected):
    api = Visitor(flask_app, role).api
    participants = api.get(f"/activities/{web_world.activity_id}/participants").get_json()["items"]
    letters = api.get(f"/activities/{web_world.activity_id}").get_json()["task_letters"]
    assert [shows(person["nik"]) for person in participants] == [expected]
    assert {letter["ketua_nik"] == "1571010101750001" for letter in letters} == {expected == "full"}


@pytest.mark.parametrize("role, expected", [("admin", "full"), ("auditor", "masked")])
def test_the_audit_trail_and_its_exports_show_the_nik_as_the_role_may_see_it(flask_app, web_world, role, expected):
    visitor = Visitor(flask_app, role)
    for fmt in ("csv", "jsonl"):
        export = visitor.web.get(f"/audit/export?format={fmt}")
        assert export.status_code == 200
        assert shows(export.get_data(as_text=True)) == expected, fmt
    trail = visitor.api.get("/audit", {"limit": 100}).get_json()["items"]
    assert shows(json.dumps(trail)) == expected
    history = visitor.api.get(f"/aggregates/{web_world.activity_id}/history").get_json()["items"]
    assert shows(json.dumps(history)) == expected


@pytest.mark.parametrize("role, expected", [("admin", "full"), ("auditor", "masked"), ("integrator", "masked")])
def test_the_event_feed_shows_the_nik_as_the_role_may_see_it(flask_app, web_world, role, expected):
    events = Visitor(flask_app, role).api.get("/events", {"limit": 1000})
    assert events.status_code == 200
    joined = [item for item in events.get_json()["items"] if item["type"].endswith("ParticipantJoined.v1")]
    assert [shows(item["data"]["nik"]) for item in joined] == [expected]


@pytest.mark.parametrize("role, expected", [("claim_officer", "full"), ("auditor", "masked")])
def test_a_full_nik_still_finds_the_person(flask_app, web_world, role, expected):
    visitor = Visitor(flask_app, role)
    result = visitor.api.get("/coverage", {"nik": SITI, "at": "2025-09-02T09:00:00+07:00"}).get_json()
    assert result["covered"] is True and shows(result["nik"]) == expected
    page = visitor.web.get("/coverage", query_string={"nik": SITI, "at": "2025-09-02T09:00"})
    assert page.status_code == 200 and "Siti Aminah" in page.get_data(as_text=True)
