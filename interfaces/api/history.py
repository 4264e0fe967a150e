"""Time travel: an aggregate's events with what each changed, and its state at a version or moment."""

from typing import Any
from uuid import UUID

from marshmallow import Schema

from domain.errors import NotFound
from domain.activity import Activity
from domain.aggregate import Aggregate
from domain.claim import Claim
from domain.rt import RT
from interfaces.apibase.blueprint import ApiBlueprint
from interfaces.api.pagination import page_body
from interfaces.api.schemas import (
    ActivitySchema, AggregateStateSchema, ClaimSchema, HistoryPageSchema, HistoryQuery, RTSchema, StateQuery,
)
from interfaces.masking import for_viewer
from interfaces.services import kampung, reading
from projections.audit import event_positions
from projections.paging import page_of
from projections.payload import aggregate_type, event_payload, event_type, plain

blueprint = ApiBlueprint(
    "api_history", __name__, url_prefix="/api/v1/aggregates", tag="History",
    description="Any RT, activity or claim as it was: its events, and its state at a version or a moment.",
)

RESOURCES: dict[str, tuple[type[Aggregate], type[Schema]]] = {
    "RT": (RT, RTSchema),
    "Activity": (Activity, ActivitySchema),
    "Claim": (Claim, ClaimSchema),
}


@blueprint.route("/<uuid:aggregate_id>/history", methods=["GET"])
@blueprint.arguments(HistoryQuery, location="query")
@blueprint.response(200, HistoryPageSchema)
@blueprint.problems(404)
def history(query: dict[str, Any], aggregate_id: UUID) -> dict[str, Any]:
    """List an aggregate's events

    By version, each with its position in the event log, recorded time, actor, its own fields
    and the state fields it changed (before and after).
    """
    entries = kampung().history(aggregate_id)
    with reading("audit") as (connection, tables):
        positions = event_positions(connection, tables, str(aggregate_id))
    after = query["cursor"] or 0
    page = [entry for entry in entries if entry.event.originator_version > after][:query["limit"] + 1]
    items = []
    show = for_viewer()
    for entry in page:
        event = entry.event
        items.append(show({
            "position": positions.get(event.originator_version), "version": event.originator_version,
            "type": event_type(event), "recorded_at": event.timestamp,
            "actor": {"user_id": event.actor.user_id, "role": event.actor.role},
            "data": {name: value for name, value in event_payload(event).items() if name != "actor"},
            "changes": {name: {"before": plain(before), "after": plain(after_)}
                        for name, (before, after_) in entry.changes.items()},
        }))
    page = page_of(items, query["limit"], "version")
    return page_body("history", page.rows, page.next)


@blueprint.route("/<uuid:aggregate_id>", methods=["GET"])
@blueprint.arguments(StateQuery, location="query")
@blueprint.response(200, AggregateStateSchema)
@blueprint.problems(404)
def state(query: dict[str, Any], aggregate_id: UUID) -> dict[str, Any]:
    """Get an aggregate's state

    Now, after `version`, or at the moment `at` (its last event recorded at or before it).
    """
    first = next(kampung().events.get(aggregate_id, limit=1), None)
    kind = aggregate_type(first) if first is not None else None
    if kind not in RESOURCES:
        raise NotFound(f"no RT, activity or claim with id {aggregate_id}")
    cls, schema = RESOURCES[kind]
    version = query["version"]
    if query["at"] is not None:
        version = kampung().version_as_of(aggregate_id, query["at"])
    aggregate = kampung().get_at(cls, aggregate_id, version)
    return {"id": aggregate.id, "type": kind, "version": aggregate.version, "recorded_at": aggregate.modified_on,
            "state": schema().dump(aggregate)}
