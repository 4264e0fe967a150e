"""/api/v1/webhooks: subscriptions, their deliveries and redelivery, with CSRF protection on (the
API is exempt) and problem documents for every refusal."""

import pytest

from projections.webhooks.store import RetryPolicy
from interfaces.app import create_app
from tests.api.conftest import ApiClient, assert_problem
from tests.feed.webhook_support import (  # noqa: F401 - receiver and _dispose_engines are fixtures
    Receiver, _dispose_engines, head, launched_rts, receiver, webhook_app_config, worker_of,
)

UNKNOWN = "0b7e1f3c-5a2d-4c1e-9f3a-2d6b8e4c7a10"


@pytest.fixture
def flask_app(app_sqlite):
    return create_app(webhook_app_config(app_sqlite))


@pytest.fixture
def api(flask_app) -> ApiClient:
    return ApiClient(flask_app.test_client(), actor="integrasi.bpjs:integrator")


# The integrator's account and API token, made at the client's first request, and the subscription
# itself, before the test's RTs: three events in the log that no webhook is sent.
NOT_SENT = 3


def delete(api: ApiClient, path: str, actor: str = "integrasi.bpjs:integrator"):
    return api.client.delete(f"/api/v1{path}", json={}, headers=api.headers(actor))


def create(api: ApiClient, url: str, **body) -> dict:
    response = api.post("/webhooks", {"url": url, **body})
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def test_create_answers_201_with_the_secret_once(api, app_sqlite):
    launched_rts(app_sqlite, 1)
    response = api.post("/webhooks", {"url": "https://mitra.example/kampung", "event_types": ["SantunanPaid"]})
    assert response.status_code == 201
    created = response.get_json()
    assert created["secret"].startswith("whsec_")
    assert response.headers["Location"].endswith(f"/api/v1/webhooks/{created['id']}")
    assert created["url"] == "https://mitra.example/kampung" and created["event_types"] == ["SantunanPaid"]
    assert (created["status"], created["position"], created["failures"]) == ("active", head(app_sqlite), 0)
    assert created["created_by"] == {"user_id": "integrasi.bpjs", "role": "integrator"}

    shown = api.get(f"/webhooks/{created['id']}").get_json()
    assert "secret" not in shown
    assert {key: value for key, value in created.items() if key != "secret"} == shown
    listed = api.get("/webhooks").get_json()
    assert [item["id"] for item in listed["items"]] == [created["id"]] and listed["next"] is None
    assert "secret" not in listed["items"][0]
    assert created["secret"] not in api.get("/webhooks").get_data(as_text=True)


def test_from_position_delivers_past_events_too(api, app_sqlite):
    launched_rts(app_sqlite, 1)
    assert create(api, "http://127.0.0.1:8080/hook", from_position=2)["position"] == 1
    last = head(app_sqlite)  # the RT's events, then the integrator's account made at the first request
    body = assert_problem(api.post("/webhooks", {"url": "http://127.0.0.1/", "from_position": last + 2}), 422,
                          "from_position")
    assert "after the end of the event log" in body["errors"]["from_position"][0]


@pytest.mark.parametrize("body, field", [
    ({}, "url"),
    ({"url": "ftp://mitra.example/x"}, "url"),
    ({"url": "mitra.example/hook"}, "url"),
    ({"url": "https://"}, "url"),
    ({"url": "https://user:pass@mitra.example/hook"}, "url"),
    ({"url": "https://mitra.example/hook#part"}, "url"),
    ({"url": "https://mitra.example:99999/hook"}, "url"),
    ({"url": "https://mitra.example/" + "x" * 2000}, "url"),
    ({"url": "https://mitra.example/hook", "event_types": ["SantunanDibayar"]}, "event_types"),
    ({"url": "https://mitra.example/hook", "event_types": "SantunanPaid"}, "event_types"),
    ({"url": "https://mitra.example/hook", "from_position": 0}, "from_position"),
    ({"url": "https://mitra.example/hook", "secret": "whsec_mine"}, "secret"),
])
def test_invalid_subscriptions_are_422_problems_naming_the_field(api, body, field):
    assert_problem(api.post("/webhooks", body), 422, field)
    assert api.get("/webhooks").get_json()["items"] == []


def test_an_actor_and_json_are_required(api):
    assert_problem(api.post("/webhooks", {"url": "https://mitra.example/hook"}, actor=None), 401)
    assert_problem(api.get("/webhooks", actor=None), 401)
    assert_problem(api.post("/webhooks", data="url=https://mitra.example", content_type="text/plain"), 415)


def test_unknown_subscriptions_are_404(api):
    assert_problem(api.get(f"/webhooks/{UNKNOWN}"), 404)
    assert_problem(api.get(f"/webhooks/{UNKNOWN}/deliveries"), 404)
    for action in ("pause", "resume"):
        assert_problem(api.post(f"/webhooks/{UNKNOWN}/{action}"), 404)
    assert_problem(api.post(f"/webhooks/{UNKNOWN}/redeliver", {"from_position": 1}), 404)
    assert_problem(delete(api, f"/webhooks/{UNKNOWN}"), 404)
    assert api.get("/webhooks/not-a-uuid").status_code == 404


def test_pause_and_resume_with_the_status_seen(api):
    subscription = create(api, "https://mitra.example/hook")
    path = f"/webhooks/{subscription['id']}"
    assert api.post(f"{path}/pause").get_json()["status"] == "paused"
    assert api.post(f"{path}/pause").get_json()["status"] == "paused"  # idempotent
    assert_problem(api.post(f"{path}/pause", {"expected_status": "active"}), 409)
    assert_problem(api.post(f"{path}/resume", {"expected_status": "asleep"}), 422, "expected_status")
    assert api.post(f"{path}/resume", {"expected_status": "paused"}).get_json()["status"] == "active"


def test_deliveries_are_paged_newest_first_and_a_dead_subscription_is_redelivered(api, flask_app, app_sqlite):
    answers = {"status": 500}
    receiver = Receiver(decide=lambda n, request: answers["status"]).start()
    try:
        subscription = create(api, receiver.url())
        path = f"/webhooks/{subscription['id']}"
        last = launched_rts(app_sqlite, 1)
        store = flask_app.extensions["kampung.webhooks"]
        worker = worker_of(app_sqlite, store, policy=RetryPolicy(base=0.001, cap=0.001, max_failures=2))
        worker.deliver_due()
        worker.deliver_due()
        dead = api.get(path).get_json()
        assert (dead["status"], dead["failures"], dead["position"]) == ("dead", 2, NOT_SENT)
        assert dead["last_error"].startswith("HTTP 500")

        answers["status"] = 204
        assert_problem(api.post(f"{path}/redeliver", {"from_position": last + 2}), 422, "from_position")
        assert_problem(api.post(f"{path}/redeliver", {}), 422, "from_position")
        redelivered = api.post(f"{path}/redeliver", {"from_position": 1}).get_json()
        assert (redelivered["status"], redelivered["position"], redelivered["failures"]) == ("active", 0, 0)
        assert worker.deliver_due().delivered == last - NOT_SENT
    finally:
        receiver.stop()

    first = api.get(f"{path}/deliveries", {"limit": 3}).get_json()
    rt = NOT_SENT  # the RT's events come after the account's and the subscription's
    assert [(d["position"], d["attempt"], d["status"]) for d in first["items"]] == [
        (rt + 5, 1, "delivered"), (rt + 4, 1, "delivered"), (rt + 3, 1, "delivered")]
    rest = api.get(f"{path}/deliveries", {"limit": 50, "cursor": first["next"]}).get_json()
    assert [(d["position"], d["attempt"], d["status"], d["http_status"]) for d in rest["items"]] == [
        (rt + 2, 1, "delivered", 204), (rt + 1, 1, "delivered", 204), (rt + 1, 2, "failed", 500),
        (rt + 1, 1, "failed", 500)]  # redelivery starts a new count
    assert rest["next"] is None
    assert rest["items"][-1]["error"].startswith("HTTP 500") and rest["items"][-1]["event_id"]
    assert_problem(api.get(f"{path}/deliveries", {"cursor": "nonsense"}), 422, "cursor")


def test_delete_answers_the_subscription_as_it_was_and_it_is_gone(api):
    subscription = create(api, "https://mitra.example/hook")
    response = delete(api, f"/webhooks/{subscription['id']}")
    assert response.status_code == 200 and response.get_json()["id"] == subscription["id"]
    assert_problem(api.get(f"/webhooks/{subscription['id']}"), 404)


def test_the_list_pages_newest_first(api):
    ids = [create(api, f"https://mitra.example/{n}")["id"] for n in range(3)]
    first = api.get("/webhooks", {"limit": 2}).get_json()
    second = api.get("/webhooks", {"limit": 2, "cursor": first["next"]}).get_json()
    assert [item["id"] for item in first["items"] + second["items"]] == list(reversed(ids))
    assert second["next"] is None


def test_the_webhook_operations_are_in_the_openapi_document(api):
    spec = api.get("/openapi.json").get_json()
    operations = {(path, method) for path, item in spec["paths"].items() if path.startswith("/api/v1/webhooks")
                  for method in item if method in ("get", "post", "delete")}
    assert operations == {
        ("/api/v1/webhooks", "get"), ("/api/v1/webhooks", "post"),
        ("/api/v1/webhooks/{subscription_id}", "get"), ("/api/v1/webhooks/{subscription_id}", "delete"),
        ("/api/v1/webhooks/{subscription_id}/pause", "post"), ("/api/v1/webhooks/{subscription_id}/resume", "post"),
        ("/api/v1/webhooks/{subscription_id}/redeliver", "post"),
        ("/api/v1/webhooks/{subscription_id}/deliveries", "get"),
    }
    schemas = spec["components"]["schemas"]
    assert "secret" in schemas["WebhookCreated"]["properties"]
    assert "secret" not in schemas["WebhookSubscription"]["properties"]
    assert set(schemas["CreateWebhook"]["properties"]) == {"url", "event_types", "from_position"}
    assert schemas["CreateWebhook"]["required"] == ["url"]
    assert set(schemas["WebhookDelivery"]["properties"]) >= {
        "position", "event_id", "attempt", "status", "http_status", "error", "attempted_at"}
