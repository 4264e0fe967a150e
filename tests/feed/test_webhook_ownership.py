"""Subscriptions have an owner: an integrator sees and manages only their own (another's is a 404,
as an unknown one), administrators and auditors see all, administrators manage all; each change is
an event in the audit trail with its actor, never in the integrators' feed (on SQLite and PostgreSQL)."""

import json

import pytest

from domain.actor import Actor
from interfaces.app import create_app
from projections.audit import AuditFilter, audit_rows
from tests.api.conftest import ApiClient, assert_problem
from tests.feed.webhook_support import (  # noqa: F401 - _dispose_engines is a fixture
    _dispose_engines, head, launched_rts, store_of, webhook_app_config,
)
from tests.web.conftest import sign_in

BPJS = "integrasi.bpjs:integrator"
DINKES = "integrasi.dinkes:integrator"
CITY = "admin.dpmppa:admin"
AUDITOR = "auditor.inspektorat:auditor"


@pytest.fixture
def flask_app(app):
    return create_app(webhook_app_config(app))


@pytest.fixture
def api(flask_app) -> ApiClient:
    return ApiClient(flask_app.test_client(), actor=BPJS)


def subscribe(api: ApiClient, actor: str, url: str) -> dict:
    response = api.post("/webhooks", {"url": url}, actor=actor)
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def delete(api: ApiClient, path: str, actor: str):
    return api.client.delete(f"/api/v1{path}", json={}, headers=api.headers(actor))


def listed(api: ApiClient, actor: str) -> set[str]:
    return {item["id"] for item in api.get("/webhooks", actor=actor).get_json()["items"]}


def trail(flask_app, aggregate_id: str) -> list[tuple[str, str, str]]:
    """(event type, actor, summary) of an aggregate's rows in the audit trail."""
    runner = flask_app.extensions["kampung.readmodels"]
    runner.catch_up()
    with runner.reading("audit") as (connection, tables):
        rows = audit_rows(connection, tables, AuditFilter(aggregate_id=aggregate_id))
    return [(row["event_type"], row["actor_id"], row["summary"]) for row in rows]


def test_integrators_see_and_manage_only_their_own(api, app):
    mine = subscribe(api, BPJS, "https://bpjstk.example/kait")["id"]
    theirs = subscribe(api, DINKES, "https://dinkes.example/kait")["id"]
    citys = subscribe(api, CITY, "https://pemkot.example/kait")["id"]

    assert listed(api, BPJS) == {mine} and listed(api, DINKES) == {theirs}
    assert listed(api, CITY) == listed(api, AUDITOR) == {mine, theirs, citys}
    assert api.get(f"/webhooks/{theirs}", actor=CITY).status_code == 200

    log_head = head(app)
    for other in (theirs, citys):
        path = f"/webhooks/{other}"
        for response in (api.get(path), api.get(f"{path}/deliveries"), api.post(f"{path}/pause"),
                         api.post(f"{path}/resume"), api.post(f"{path}/redeliver", {"from_position": 1}),
                         delete(api, path, BPJS)):
            body = assert_problem(response, 404)
            assert body["detail"] == f"no webhook subscription with id {other}"  # as if there were none
    assert head(app) == log_head  # nothing recorded
    assert listed(api, CITY) == {mine, theirs, citys}
    assert {api.get(f"/webhooks/{other}", actor=CITY).get_json()["status"] for other in (theirs, citys)} == {"active"}

    # The city's administrator manages every subscription; the owner still sees the change.
    assert api.post(f"/webhooks/{mine}/pause", actor=CITY).get_json()["status"] == "paused"
    assert api.get(f"/webhooks/{mine}").get_json()["status"] == "paused"
    assert delete(api, f"/webhooks/{theirs}", CITY).status_code == 200
    assert listed(api, DINKES) == set()


def test_each_change_is_in_the_audit_trail_with_its_actor_and_never_in_the_feed(api, flask_app, app):
    created = subscribe(api, BPJS, "https://bpjstk.example/kait")
    path = f"/webhooks/{created['id']}"
    launched_rts(app, 1)
    assert api.post(f"{path}/pause").status_code == 200
    assert_problem(api.post(f"{path}/resume", {"expected_status": "active"}), 409)  # stale: records nothing
    assert api.post(f"{path}/resume", actor=CITY).status_code == 200
    assert api.post(f"{path}/redeliver", {"from_position": 1}).status_code == 200
    assert delete(api, path, BPJS).status_code == 200
    assert_problem(api.post(f"{path}/pause", actor=CITY), 404)  # gone, for everyone

    assert trail(flask_app, created["id"]) == [
        ("WebhookSubscribed", "integrasi.bpjs",
         "Langganan webhook ke https://bpjstk.example/kait dibuat (semua peristiwa), pemilik integrasi.bpjs"),
        ("WebhookPaused", "integrasi.bpjs", "Pengiriman webhook dijeda"),
        ("WebhookResumed", "admin.dpmppa", "Pengiriman webhook dilanjutkan"),
        ("RedeliveryRequested", "integrasi.bpjs", "Kirim ulang webhook diminta mulai posisi 1"),
        ("WebhookUnsubscribed", "integrasi.bpjs", "Langganan webhook dihapus"),
    ]
    runner = flask_app.extensions["kampung.readmodels"]
    with runner.reading("audit") as (connection, tables):
        payloads = " ".join(row["payload"] for row in audit_rows(connection, tables, AuditFilter()))
    assert created["secret"] not in payloads and "whsec_" not in payloads

    feed = api.get("/events", {"limit": 1000}).get_json()["items"]
    assert feed and not any("Webhook" in event["type"] or "Redelivery" in event["type"] for event in feed)
    catalogue = api.get("/event-types").get_json()["items"]
    assert not any(entry["aggregate"] == "WebhookSubscription" for entry in catalogue)
    assert_problem(api.get("/events", {"type": "WebhookPaused"}), 422)


def test_a_subscription_made_before_changes_were_events_is_recorded_before_its_first_change(api, flask_app, app):
    api.get("/webhooks")  # the integrator's account
    owner = {"user_id": "integrasi.bpjs", "role": "integrator"}
    old, _ = store_of(app).create("https://bpjstk.example/lama", ["SantunanPaid"], Actor(**owner), head=head(app))
    assert listed(api, BPJS) == {old["id"]} and listed(api, DINKES) == set()
    assert_problem(api.post(f"/webhooks/{old['id']}/pause", actor=DINKES), 404)

    assert api.post(f"/webhooks/{old['id']}/pause").status_code == 200
    assert [(kind, actor) for kind, actor, _ in trail(flask_app, old["id"])] == [
        ("WebhookSubscribed", "system"), ("WebhookPaused", "integrasi.bpjs")]
    assert json.loads(api.get(f"/webhooks/{old['id']}").get_data())["created_by"] == owner


def test_the_audit_pages_show_a_subscriptions_history_in_indonesian_without_its_secret(api, flask_app):
    created = subscribe(api, BPJS, "https://bpjstk.example/kait")
    api.post(f"/webhooks/{created['id']}/pause")
    auditor = flask_app.test_client()
    sign_in(auditor, "auditor.inspektorat", "auditor")
    for page in (f"/audit/aggregates/{created['id']}", f"/audit?aggregate={created['id']}"):
        response = auditor.get(page)
        html = response.get_data(as_text=True)
        assert response.status_code == 200 and "Pengiriman webhook dijeda" in html, page
        assert created["secret"] not in html and "whsec_" not in html
    assert "Langganan webhook" in html and "integrasi.bpjs" in html
