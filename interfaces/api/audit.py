"""The audit trail: every recorded event with who, when and what, paged by log position."""

import json
from typing import Any

from interfaces.apibase.blueprint import ApiBlueprint
from interfaces.api.schemas import AuditPageSchema
from interfaces.masking import for_viewer
from interfaces.schemas.queries import AuditQuery
from interfaces.services import reading
from projections.audit import AuditFilter, audit_page

blueprint = ApiBlueprint(
    "api_audit", __name__, url_prefix="/api/v1/audit", tag="Audit",
    description="The audit trail: one entry per recorded event.",
)


@blueprint.route("", methods=["GET"])
@blueprint.arguments(AuditQuery, location="query")
@blueprint.response(200, AuditPageSchema)
def trail(query: dict[str, Any]) -> dict[str, Any]:
    """List audit events

    By position in the event log; filter by aggregate id, actor (user id), event type and
    recorded time. Page on with `after` set to the previous page's `next`.
    """
    where = AuditFilter(
        aggregate_id=str(query["aggregate"]) if query["aggregate"] else None, actor_id=query["actor"],
        event_type=query["type"], since=query["since"], until=query["until"], after=query["after"],
        limit=query["limit"],
    )
    with reading("audit") as (connection, tables):
        page = audit_page(connection, tables, where)
    show = for_viewer()
    items = [
        show({**row, "actor": {"user_id": row["actor_id"], "role": row["actor_role"]},
              "payload": json.loads(row["payload"])})
        for row in page.rows
    ]
    return {"items": items, "next": page.next}
