"""``Idempotency-Key`` on every POST of the API: a retry with the same key gets the first answer and
records nothing; the key with another request is 422; a key whose first request is still being
served is 409. Keys belong to the acting user and are kept 24 hours, on either store."""

from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
from flask import Response

from application.config import read_model_url
from domain.period import JAKARTA
from interfaces.apibase.idempotency import (
    ABANDONED, HEADER, REPLAYED, RETENTION, IdempotencyStore, fingerprint, store,
)
from projections.engine import make_engine
from tests.api.conftest import OFFICER_ACTOR, assert_problem, follow
from tests.api.post_bodies import BODIES, CREATED, fill, post_operations
from tests.integration.conftest import AHMAD


def head(api) -> int:
    return api.client.application.extensions["kampung"].recorder.max_notification_id() or 0


def webhooks(api) -> list[dict[str, Any]]:
    return api.get("/webhooks", actor="admin.dpmppa:admin").get_json()["items"]


def test_every_post_is_documented_with_the_header(api):
    spec = api.client.get("/api/v1/openapi.json").get_json()
    for path, item in spec["paths"].items():
        for method in {"get", "post", "put", "patch", "delete"} & set(item):
            names = [parameter["name"] for parameter in item[method].get("parameters", [])]
            assert (HEADER in names) == (method == "post"), (method, path)


def test_a_retried_post_answers_as_the_first_and_records_nothing(api, world, clock):
    """Walks every POST of the OpenAPI document in its order, each with a key of its own."""
    paths = post_operations(api)
    assert set(paths) == set(BODIES), "every POST needs a body in BODIES (and only those)"
    api.actor = OFFICER_ACTOR
    api.get("/rts")  # the officer's account exists before the walk: its events are not the walk's
    api.actor = "admin.dpmppa:admin"
    clock.set(datetime(2025, 9, 2, 12, 0, tzinfo=JAKARTA))  # the claim's accident happened this morning
    ids = {"world_rt_id": str(world.rt_id), "world_activity_id": str(world.activity_id), "nik": AHMAD}
    succeeded = []
    for number, path in enumerate(paths):
        api.actor = OFFICER_ACTOR if path.startswith("/api/v1/claims") else "admin.dpmppa:admin"
        target, body = fill(path, ids).removeprefix("/api/v1"), fill(BODIES[path], ids)
        key = {HEADER: f"walk-{number}"}
        first = api.post(target, body, headers=key)
        assert first.status_code < 500, (path, first.get_data(as_text=True))
        if first.status_code < 300:
            succeeded.append(path)
        if path in CREATED and first.status_code == 201:
            ids[CREATED[path]] = first.headers["Location"].rstrip("/").rsplit("/", 1)[1]
        before, subscriptions = head(api), webhooks(api)

        again = api.post(target, body, headers=key)

        assert (again.status_code, again.get_json(), again.headers.get("Location")) == (
            first.status_code, first.get_json(), first.headers.get("Location")), path
        assert again.mimetype == first.mimetype and again.headers[REPLAYED] == "true"
        assert head(api) == before and webhooks(api) == subscriptions, f"{path} recorded something on replay"
    for creation in CREATED:
        assert creation in succeeded
    assert len(succeeded) >= len(paths) // 2, succeeded


def test_the_same_key_with_another_body_is_422(api, world):
    key = {HEADER: "rt-seven"}
    assert api.post("/rts", {"kelurahan_code": "15.71.01.1001", "rt_number": 7}, headers=key).status_code == 201
    before = head(api)
    problem = assert_problem(api.post("/rts", {"kelurahan_code": "15.71.01.1001", "rt_number": 8}, headers=key),
                             422, HEADER)
    assert "different request" in problem["detail"]
    assert head(api) == before


def test_the_same_key_on_another_path_is_422(api, world):
    key = {HEADER: "reused"}
    api.post(f"/activities/{world.activity_id}/value", {"total_value": 60_000_000, "reason": "Tambah"}, headers=key)
    assert_problem(api.post(f"/activities/{world.activity_id}/completion", {}, headers=key), 422, HEADER)


def test_a_key_whose_first_request_is_still_being_served_is_409(api, world):
    """The first request has claimed the key and not answered yet (as a concurrent duplicate finds it)."""
    body = {"kelurahan_code": "15.71.01.1001", "rt_number": 9}
    first = api.post("/rts", body, headers={HEADER: "warm-up"})  # makes the account: its events come first
    assert first.status_code == 201
    flask_app = api.client.application
    with flask_app.test_request_context("/api/v1/rts", method="POST", json={**body, "rt_number": 10}):
        claimed = store().claim(api.actor.split(":")[0], "in-flight", fingerprint(), datetime.now(timezone.utc))
    assert claimed is None
    before = head(api)
    problem = assert_problem(api.post("/rts", {**body, "rt_number": 10}, headers={HEADER: "in-flight"}), 409)
    assert "still being served" in problem["detail"]
    assert head(api) == before


def test_keys_belong_to_the_acting_user(api, world):
    key = {HEADER: "mine"}
    assert api.post("/rts", {"kelurahan_code": "15.71.01.1001", "rt_number": 11}, headers=key).status_code == 201
    other = api.post("/rts", {"kelurahan_code": "15.71.01.1001", "rt_number": 12}, headers=key,
                     actor="admin.kedua:admin")
    assert other.status_code == 201 and REPLAYED not in other.headers


def test_a_post_without_a_key_is_not_deduplicated(api, world):
    body = {"kelurahan_code": "15.71.01.1001", "rt_number": 13}
    assert api.post("/rts", body).status_code == 201
    assert_problem(api.post("/rts", body), 409)


@pytest.mark.parametrize("key", ["", "x" * 201, "tab\there"])
def test_a_malformed_key_is_400(api, world, key):
    api.get("/rts")  # the account is made on first use: before the count
    before = head(api)
    assert_problem(api.post("/rts", {"kelurahan_code": "15.71.01.1001", "rt_number": 14}, headers={HEADER: key}),
                   400, HEADER)
    assert head(api) == before


def test_a_server_error_releases_the_key_for_a_retry(api, world, monkeypatch):
    service = api.client.application.extensions["kampung"]
    body = {"kelurahan_code": "15.71.01.1001", "rt_number": 15}
    key = {HEADER: "flaky"}
    api.post("/rts", {"kelurahan_code": "15.71.01.1001", "rt_number": 16})  # the account, made beforehand

    def broken(*_args: Any) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(service, "register_rt", broken)
    api.client.application.config["PROPAGATE_EXCEPTIONS"] = False
    assert api.post("/rts", body, headers=key).status_code == 500
    monkeypatch.undo()
    retried = api.post("/rts", body, headers=key)
    assert retried.status_code == 201 and REPLAYED not in retried.headers


# --- the table, on both stores ---------------------------------------------------------------


@pytest.fixture
def keys_store(app):
    engine = make_engine(read_model_url(app.env))
    yield IdempotencyStore(engine).setup().setup()  # set up twice: the tables are created once
    engine.dispose()


def answered(status: int = 201) -> Response:
    return Response('{"id": "x"}', status=status, content_type="application/json", headers={"Location": "/x"})


def test_the_store_claims_completes_and_replays(keys_store):
    now = datetime(2025, 9, 1, 1, 0, tzinfo=timezone.utc)
    assert keys_store.claim("admin", "k1", "hash-a", now) is None
    in_flight = keys_store.claim("admin", "k1", "hash-a", now)
    assert in_flight["status"] is None and in_flight["request_hash"] == "hash-a"
    keys_store.complete("admin", "k1", answered())
    done = keys_store.claim("admin", "k1", "hash-b", now)
    assert (done["status"], done["body"], done["location"], done["content_type"]) == (
        201, '{"id": "x"}', "/x", "application/json")
    assert keys_store.claim("another", "k1", "hash-a", now) is None


def test_the_store_forgets_keys_after_the_retention(keys_store):
    then = datetime(2025, 9, 1, 1, 0, tzinfo=timezone.utc)
    assert keys_store.claim("admin", "old", "hash-a", then) is None
    keys_store.complete("admin", "old", answered())
    later = then + RETENTION + timedelta(seconds=1)
    assert keys_store.claim("admin", "new", "hash-a", later) is None  # prunes as it claims
    assert keys_store.claim("admin", "old", "hash-b", later) is None


def test_a_claim_left_unanswered_by_a_dead_worker_is_freed_after_a_while(keys_store):
    then = datetime(2025, 9, 1, 1, 0, tzinfo=timezone.utc)
    assert keys_store.claim("admin", "k", "hash-a", then) is None
    assert keys_store.claim("admin", "k", "hash-a", then + ABANDONED)["status"] is None  # still in flight: 409
    assert keys_store.claim("admin", "k", "hash-a", then + ABANDONED + timedelta(seconds=1)) is None


def test_a_released_key_can_be_claimed_again(keys_store):
    now = datetime(2025, 9, 1, 1, 0, tzinfo=timezone.utc)
    assert keys_store.claim("admin", "k", "hash-a", now) is None
    keys_store.release("admin", "k")
    assert keys_store.claim("admin", "k", "hash-b", now) is None


def test_replays_read_your_writes(api, world):
    """A replayed creation's Location is readable at once, like the first answer's."""
    key = {HEADER: "rt-17"}
    first = api.post("/rts", {"kelurahan_code": "15.71.01.1001", "rt_number": 17}, headers=key)
    again = api.post("/rts", {"kelurahan_code": "15.71.01.1001", "rt_number": 17}, headers=key)
    follow(api.client)
    assert api.client.get(again.headers["Location"], headers=api.headers(api.actor)).get_json() == first.get_json()
