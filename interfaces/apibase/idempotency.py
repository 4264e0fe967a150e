"""``Idempotency-Key`` on the API's POSTs: a client that retries a request (a timeout, a dropped
connection) with the same key gets the first answer again and nothing is recorded twice.

The first request with a key claims it (a row in ``idempotency_keys``, in the read models' database,
marked in progress) before its view runs, and stores its answer — status, body, content type,
``Location`` — when it is done. Keys belong to the acting user: two users may use the same key.
Then, for 24 hours:

- the same key with the same request (method, path and JSON body) → the stored answer, with
  ``Idempotent-Replayed: true``, and the view does not run;
- the same key with another request → 422 problem;
- the same key while the first request is still being served → 409 problem (retry later).

A request that fails with a 5xx releases its key, so it can be retried; so does one left unanswered
for 5 minutes (its worker died). Keys older than the retention are deleted as new ones are claimed.
"""

import hashlib
import json
import re
from datetime import datetime, timedelta, timezone
from http import HTTPStatus
from typing import Any

from flask import Response, current_app, g, request
from sqlalchemy import (
    Column, Engine, Index, Integer, MetaData, String, Table, Text, and_, delete, or_, select, update,
)
from sqlalchemy.exc import IntegrityError

from interfaces.apibase.bearer import acting
from interfaces.bounded_json import loads
from interfaces.errors import problem_response
from projections.columns import Moment
from projections.engine import create_tables

HEADER = "Idempotency-Key"
REPLAYED = "Idempotent-Replayed"
MAX_KEY_LENGTH = 200
# Printable ASCII (a UUID is the usual key), not starting or ending with a space: HTTP drops those.
KEY_PATTERN = f"^[!-~](?:[ -~]{{0,{MAX_KEY_LENGTH - 2}}}[!-~])?$"
RETENTION = timedelta(hours=24)
# A claim still unanswered after this long belongs to a request whose worker died (killed, timed
# out): no request is served that long, so the key is free again rather than 409 for a day.
ABANDONED = timedelta(minutes=5)
EXTENSION = "kampung.idempotency"
PARAMETER = {
    "in": "header", "name": HEADER, "required": False,
    "schema": {"type": "string", "minLength": 1, "maxLength": MAX_KEY_LENGTH, "pattern": KEY_PATTERN},
    "description": (
        "Makes a retry safe: the same key (of the same user, within 24 hours) with the same request "
        "returns the first response again (header `Idempotent-Replayed: true`) and records nothing; "
        "with a different request it is 422; while the first request is still being served, 409."
    ),
}

metadata = MetaData()
keys = Table(
    "idempotency_keys",
    metadata,
    Column("actor_id", String(64), primary_key=True),
    Column("key", String(MAX_KEY_LENGTH), primary_key=True),
    Column("request_hash", String(64), nullable=False),
    Column("status", Integer, nullable=True),  # null: the first request is still being served
    Column("content_type", String(100), nullable=True),
    Column("location", Text, nullable=True),
    Column("body", Text, nullable=True),
    Column("created_at", Moment, nullable=False),
    Index("idempotency_keys_created_at", "created_at"),
)


class IdempotencyStore:
    def __init__(self, engine: Engine):
        self.engine = engine

    def setup(self) -> "IdempotencyStore":
        create_tables(self.engine, metadata)
        return self

    def claim(self, actor_id: str, key: str, request_hash: str, now: datetime) -> dict[str, Any] | None:
        """Claim the key for this request (None), or the row of the request that claimed it first."""
        try:
            with self.engine.connect().execution_options(immediate=True) as connection, connection.begin():
                connection.execute(delete(keys).where(or_(
                    keys.c.created_at < now - RETENTION,
                    and_(keys.c.status.is_(None), keys.c.created_at < now - ABANDONED),
                )))
                connection.execute(keys.insert().values(
                    actor_id=actor_id, key=key, request_hash=request_hash, created_at=now,
                ))
            return None
        except IntegrityError:
            with self.engine.connect() as connection:
                row = connection.execute(
                    select(keys).where(keys.c.actor_id == actor_id, keys.c.key == key)
                ).mappings().first()
            # Gone meanwhile (its request failed, or it expired): claim it afresh.
            return dict(row) if row is not None else self.claim(actor_id, key, request_hash, now)

    def complete(self, actor_id: str, key: str, response: Response) -> None:
        with self.engine.begin() as connection:
            connection.execute(update(keys).where(keys.c.actor_id == actor_id, keys.c.key == key).values(
                status=response.status_code, content_type=response.content_type,
                location=response.headers.get("Location"), body=response.get_data(as_text=True),
            ))

    def release(self, actor_id: str, key: str) -> None:
        with self.engine.begin() as connection:
            connection.execute(delete(keys).where(keys.c.actor_id == actor_id, keys.c.key == key))


def store() -> IdempotencyStore:
    app = current_app
    if EXTENSION not in app.extensions:
        app.extensions[EXTENSION] = IdempotencyStore(app.extensions["kampung.readmodels"].engine).setup()
    return app.extensions[EXTENSION]


def fingerprint() -> str:
    """The request as the key binds it: method, path and body (JSON compared by content, so key
    order and spacing do not matter)."""
    body = request.get_data()
    try:
        body = json.dumps(loads(body.decode() or "{}"), sort_keys=True, separators=(",", ":")).encode()
    except ValueError:
        pass  # not JSON: the view refuses it; the bytes bind the key
    return hashlib.sha256(f"{request.method} {request.path}\n".encode() + body).hexdigest()


def _replay(row: dict[str, Any]) -> Response:
    response = Response(row["body"], status=row["status"], content_type=row["content_type"])
    if row["location"]:
        response.headers["Location"] = row["location"]
    response.headers[REPLAYED] = "true"
    return response


def begin() -> Response | tuple[Response, int] | None:
    """Before a POST's view (after the actor is known): claim the key, or answer for the view."""
    key = request.headers.get(HEADER)
    if request.method != "POST" or key is None:
        return None
    if not re.fullmatch(KEY_PATTERN, key):
        return problem_response(
            HTTPStatus.BAD_REQUEST, f"{HEADER} must be 1 to {MAX_KEY_LENGTH} printable ASCII characters.",
            "BadIdempotencyKey", {HEADER: [f"1 to {MAX_KEY_LENGTH} printable ASCII characters"]},
        )
    actor_id, request_hash = acting().user_id, fingerprint()
    first = store().claim(actor_id, key, request_hash, datetime.now(timezone.utc))
    if first is None:
        g.idempotency = (actor_id, key)
        return None
    if first["request_hash"] != request_hash:
        return problem_response(
            HTTPStatus.UNPROCESSABLE_ENTITY,
            f"This {HEADER} was used for a different request; use a new key for a new request.",
            "IdempotencyKeyReused", {HEADER: ["used for a different request"]},
        )
    if first["status"] is None:
        return problem_response(
            HTTPStatus.CONFLICT, f"A request with this {HEADER} is still being served; retry later.",
            "IdempotencyKeyInProgress",
        )
    return _replay(first)


def finish(response: Response) -> Response:
    """After the view: keep the answer for replays (a 5xx releases the key: retrying may succeed)."""
    claimed = g.pop("idempotency", None)
    if claimed is not None:
        if response.status_code >= 500:
            store().release(*claimed)
        else:
            store().complete(*claimed, response)
    return response


def release_unfinished(_error: BaseException | None) -> None:
    """A request that ended in an unhandled error never reached ``finish``: free its key."""
    claimed = g.pop("idempotency", None)
    if claimed is not None:
        store().release(*claimed)
