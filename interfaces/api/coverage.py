"""The coverage check: is a person covered at a moment, and by which task letter."""

from typing import Any

from interfaces.apibase.blueprint import ApiBlueprint
from interfaces.api.schemas import CoverageSchema
from interfaces.schemas.queries import CoverageQuery
from interfaces.services import kampung, reading
from projections.coverage import cover_at, covers_of

blueprint = ApiBlueprint(
    "api_coverage", __name__, url_prefix="/api/v1/coverage", tag="Coverage",
    description="Whether a person (by NIK) is covered at a moment, and their covers.",
)


@blueprint.route("", methods=["GET"])
@blueprint.arguments(CoverageQuery, location="query")
@blueprint.response(200, CoverageSchema)
def check(query: dict[str, Any]) -> dict[str, Any]:
    """Check coverage

    Covered at `at` iff the moment lies in a task letter's cover period (days in WIB) of an
    activity the person had joined and not withdrawn from, not cancelled by then. `at` without an
    offset is read as WIB; in a query string, write `+` as `%2B`.
    """
    with reading("coverage") as (connection, tables):
        covering = cover_at(connection, tables, query["nik"], query["at"])
        covers = covers_of(connection, tables, query["nik"], kampung().clock.today())
    return {
        "nik": query["nik"], "at": query["at"], "covered": bool(covering), "covers": covers,
        "covered_by": [
            {"task_letter_number": c.task_letter_number, "cover_start": c.cover_start, "cover_end": c.cover_end,
             "activity_id": c.activity_id, "activity_title": c.activity_title, "rt_code": c.rt_code,
             "name": c.name, "role": c.role}
            for c in covering
        ],
    }
