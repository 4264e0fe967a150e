"""Export of the audit trail for a filter, as CSV or JSON lines, streamed page by page."""

import csv
import io
import json
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

from sqlalchemy import Connection, Table

from domain.errors import InvalidValue
from projections.audit import AuditFilter, audit_rows

FORMATS = ("csv", "jsonl")
COLUMNS = (
    "position", "recorded_at", "aggregate_type", "aggregate_id", "version", "event_type", "actor_id", "actor_role",
    "summary", "payload",
)


def _all_rows(connection: Connection, tables: dict[str, Table], where: AuditFilter) -> Iterator[dict[str, Any]]:
    page = replace(where, limit=1000)
    while rows := audit_rows(connection, tables, page):
        yield from rows
        page = replace(page, after=rows[-1]["position"])


def export_audit(
    connection: Connection, tables: dict[str, Table], where: AuditFilter, fmt: str
) -> Iterator[str]:
    """Lines of the export (each ends with a newline); ``where.limit`` is ignored: all matches."""
    if fmt not in FORMATS:
        raise InvalidValue(f"format must be one of {', '.join(FORMATS)}", "format")
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(COLUMNS)
        for row in _all_rows(connection, tables, where):
            writer.writerow([row["recorded_at"].isoformat() if key == "recorded_at" else row[key] for key in COLUMNS])
            if buffer.tell() > 64_000:
                yield buffer.getvalue()
                buffer.seek(0)
                buffer.truncate()
        yield buffer.getvalue()
        return
    for row in _all_rows(connection, tables, where):
        record = {key: row[key] for key in COLUMNS}
        record["recorded_at"] = row["recorded_at"].isoformat()
        record["payload"] = json.loads(row["payload"])
        yield json.dumps(record, ensure_ascii=False) + "\n"
