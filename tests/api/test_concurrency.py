"""Optimistic concurrency on every command of the API on an existing RT, activity or claim: each takes
the version the client saw (``expected_version``) and refuses a stale one with 409, recording nothing."""

from datetime import datetime

from domain.period import JAKARTA
from tests.api.conftest import OFFICER_ACTOR, assert_problem
from tests.api.post_bodies import BODIES, fill, post_operations
from tests.integration.conftest import OFFICER, SITI

# The aggregate a path acts on, by its path parameter, and where the API reads it.
AGGREGATES = {
    "{rt_id}": "/rts/{rt_id}", "{activity_id}": "/activities/{activity_id}", "{claim_id}": "/claims/{claim_id}",
}
# POSTs on an aggregate that change nothing, so have no version to check.
CALCULATIONS = {"/api/v1/claims/{claim_id}/assessment-preview"}
CONFLICT = "urn:kampung-bahagia:error:ConcurrencyConflict"


def aggregate_of(path: str) -> str | None:
    return next((reader for parameter, reader in AGGREGATES.items() if parameter in path), None)


def test_every_command_on_an_aggregate_refuses_a_stale_version(api, world, clock, app_sqlite):
    clock.set(datetime(2025, 9, 2, 12, 0, tzinfo=JAKARTA))
    claim_id = app_sqlite.report_accident(
        world.activity_id, SITI, datetime(2025, 9, 2, 9, 0, tzinfo=JAKARTA), "work_accident", "Kaki terkilir.", "Budi",
        OFFICER,
    )
    app_sqlite.receive_documents(claim_id, ["ktp"], OFFICER)  # version 2: there is a stale version to send
    ids = {"rt_id": str(world.rt_id), "activity_id": str(world.activity_id), "claim_id": str(claim_id),
           "world_rt_id": str(world.rt_id), "world_activity_id": str(world.activity_id), "nik": SITI}
    spec = api.client.get("/api/v1/openapi.json").get_json()
    commands = [path for path in post_operations(api) if aggregate_of(path) and path not in CALCULATIONS]
    assert len(commands) >= 15
    for path in commands:
        api.actor = OFFICER_ACTOR if path.startswith("/api/v1/claims") else "admin.dpmppa:admin"
        schema = spec["paths"][path]["post"]["requestBody"]["content"]["application/json"]["schema"]
        for ref in (choice["$ref"] for choice in schema.get("oneOf", [schema])):
            assert "expected_version" in spec["components"]["schemas"][ref.rsplit("/", 1)[1]]["properties"], path
        target, body = fill(path, ids).removeprefix("/api/v1"), fill(BODIES[path], ids)
        version = api.get(fill(aggregate_of(path), ids)).get_json()["version"]
        assert version >= 2, path
        head = app_sqlite.recorder.max_notification_id()

        stale = api.post(target, {**body, "expected_version": version - 1})

        problem = assert_problem(stale, 409)
        assert problem["type"] == CONFLICT, (path, problem)
        assert app_sqlite.recorder.max_notification_id() == head, f"{path} recorded a stale command"
        current = api.post(target, {**body, "expected_version": version})
        assert current.status_code < 500 and (current.get_json() or {}).get("type") != CONFLICT, path
