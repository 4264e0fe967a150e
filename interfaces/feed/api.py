"""The event feed's HTTP endpoints under /api/v1: the events as CloudEvents, paged (``/events``) and
streamed as Server-Sent Events (``/events/stream``), and the catalogue of event types with the JSON
Schema of each one's data (``/event-types``)."""

import json
import os
import re
import threading
from typing import Any

from flask import Flask, Response, current_app
from flask.blueprints import BlueprintSetupState
from marshmallow import Schema, ValidationError, fields

from interfaces.apibase.blueprint import ApiBlueprint
from projections.cloudevents import catalogue, feed_page, known_type, type_names
from interfaces.feed.dataschema import data_schema
from interfaces.feed.sse import DEFAULT_HEARTBEAT, DEFAULT_POLL, MIMETYPE, event_stream
from interfaces.masking import for_viewer
from interfaces.schemas.fields import WholeNumber
from interfaces.services import kampung

MAX_LIMIT = 1000
DEFAULT_LIMIT = 100
STOP = "kampung.feed.stop"  # app.extensions: a threading.Event that ends every open stream (interfaces/cli/server.py)
# Settings (app config, else the environment, else the default): seconds.
HEARTBEAT_SETTING = "KAMPUNG_FEED_HEARTBEAT"
POLL_SETTING = "KAMPUNG_FEED_POLL"

blueprint = ApiBlueprint(
    "api_feed", __name__, url_prefix="/api/v1", tag="Events",
    description="Every recorded event in global order as CloudEvents 1.0: paged, streamed (Server-Sent Events), "
                "and the catalogue of event types with the JSON Schema of their data.",
)


def _setting(app: Flask, key: str, default: float) -> float:
    value = app.config.get(key) or os.environ.get(key) or default
    seconds = float(value)
    if not seconds > 0:
        raise ValueError(f"{key} must be a positive number of seconds, not {value!r}")
    return seconds


@blueprint.record_once
def _configure(state: BlueprintSetupState) -> None:
    app = state.app
    app.extensions.setdefault(STOP, threading.Event())
    app.config[HEARTBEAT_SETTING] = _setting(app, HEARTBEAT_SETTING, DEFAULT_HEARTBEAT)
    app.config[POLL_SETTING] = _setting(app, POLL_SETTING, DEFAULT_POLL)


# --- schemas ---------------------------------------------------------------------------------------------------


def _type_list_pattern() -> str:
    """Names of the catalogue separated by commas, with spaces around them and empty items allowed."""
    name = "(?:" + "|".join(re.escape(name) for name in sorted(type_names(), key=len, reverse=True)) + ")"
    return f"^ *(?:{name} *)?(?:, *(?:{name} *)?)*$"


class EventTypeFilter(fields.List):
    """``type``: event types, the parameter repeated and/or comma-separated; each a class name
    (``SantunanPaid``) or a CloudEvents type of the catalogue. Loads as a tuple without repeats."""

    def __init__(self, **kwargs: Any):
        kwargs.setdefault("load_default", ())
        kwargs.setdefault("metadata", {"description": (
            "Only these event types: a class name (`SantunanPaid`) or a CloudEvents type "
            "(`id.go.jambikota.kampungbahagia.claim.SantunanPaid.v2`), repeated or comma-separated; "
            "all when omitted. See `/api/v1/event-types`."
        )})
        super().__init__(fields.String(metadata={"pattern": _type_list_pattern()}), **kwargs)

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> tuple[str, ...]:
        items = super()._deserialize(value, attr, data, **kwargs)
        names = tuple(dict.fromkeys(part.strip(" ") for item in items for part in item.split(",") if part.strip(" ")))
        unknown = [name for name in names if not known_type(name)]
        if unknown:
            raise ValidationError(
                f"Unknown event type {', '.join(map(repr, unknown))}; the catalogue is /api/v1/event-types."
            )
        return names


def _after(description: str) -> fields.Integer:
    return WholeNumber(0, load_default=0, metadata={"description": description})


class EventFeedQuery(Schema):
    after = _after("Return events after this position: 0 (the default) for the beginning, else the "
                   "`next_after` of the previous page.")
    limit = WholeNumber(1, MAX_LIMIT, load_default=DEFAULT_LIMIT,
                        metadata={"description": f"Events per page (1–{MAX_LIMIT})."})
    type = EventTypeFilter()
    aggregate = fields.UUID(load_default=None, metadata={"description": "Only the events of this aggregate (its id)."})


class EventStreamQuery(Schema):
    after = _after("Stream the events after this position (default 0: from the beginning); the "
                   "`Last-Event-ID` header takes precedence.")
    type = EventTypeFilter()


class LastEventIdHeader(Schema):
    last_event_id = WholeNumber(
        0, data_key="Last-Event-ID", load_default=None,
        metadata={"description": "The `id` of the last event received: a reconnecting EventSource sends it, "
                                 "and the stream resumes after it."},
    )


class ActorDataSchema(Schema):
    user_id = fields.String(required=True)
    role = fields.String(required=True)


class CloudEventSchema(Schema):
    class Meta:
        name = "CloudEvent"
        ordered = True

    specversion = fields.String(required=True, metadata={"example": "1.0"})
    id = fields.String(required=True, metadata={"description": "`<aggregate id>/<version>`: unique and stable."})
    source = fields.String(required=True, metadata={"example": "urn:kampung-bahagia:kota-jambi"})
    type = fields.String(required=True, metadata={
        "description": "`id.go.jambikota.kampungbahagia.<aggregate>.<Event>.v<schema version>`.",
        "example": "id.go.jambikota.kampungbahagia.claim.SantunanPaid.v2",
    })
    subject = fields.String(required=True, metadata={"description": "The aggregate's id."})
    time = fields.DateTime(required=True, metadata={"description": "When the event was recorded (RFC 3339, UTC)."})
    datacontenttype = fields.String(required=True, metadata={"example": "application/json"})
    dataschema = fields.String(required=True, metadata={
        "description": "The `$id` of the JSON Schema of `data` (listed by `/api/v1/event-types`)."
    })
    data = fields.Dict(required=True, metadata={"description": "The event's fields."})
    position = fields.Integer(required=True, metadata={
        "description": "Extension attribute: the event's position in the global order of the log."
    })


class EventPageSchema(Schema):
    class Meta:
        name = "EventPage"
        ordered = True

    items = fields.List(fields.Nested(CloudEventSchema), required=True,
                        metadata={"description": "Events in global order (by `position`)."})
    next_after = fields.Integer(required=True, metadata={"description": (
        "Pass as `after` for the next page. Past every event this page looked at, also those the filters "
        "skipped: a page may be empty and still advance. At the head of the log it stays there until "
        "new events are recorded."
    )})
    head = fields.Integer(required=True, metadata={
        "description": "The position of the last event in the log (when the page was sent): how far behind a "
                       "client is."
    })


class EventTypeSchema(Schema):
    class Meta:
        name = "EventType"
        ordered = True

    type = fields.String(required=True, metadata={"description": "The CloudEvents type."})
    aggregate = fields.String(required=True, metadata={"example": "Claim"})
    name = fields.String(required=True, metadata={"example": "SantunanPaid"})
    version = fields.Integer(required=True, metadata={"description": "The schema version of the event's data."})
    dataschema = fields.String(required=True, metadata={"description": "The schema's `$id`."})
    schema = fields.Dict(required=True, metadata={"description": "JSON Schema (draft 2020-12) of `data`."})


class EventCatalogueSchema(Schema):
    class Meta:
        name = "EventCatalogue"

    items = fields.List(fields.Nested(EventTypeSchema), required=True)


STREAM_DESCRIPTION = (
    "A `text/event-stream`: each event as `id: <position>`, `event: <CloudEvents type>`, `data: <the "
    "CloudEvent as JSON>`; `: keep-alive` comment lines while nothing happens."
)
STREAM_EXAMPLE = (
    "retry: 3000\n\nid: 1234\nevent: id.go.jambikota.kampungbahagia.claim.SantunanPaid.v2\n"
    'data: {"specversion":"1.0","id":"…/8","type":"id.go.jambikota.kampungbahagia.claim.SantunanPaid.v2",…,'
    '"position":1234}\n\n: keep-alive\n\n'
)


# --- views -----------------------------------------------------------------------------------------------------


def _json(body: Any) -> Response:
    # Serialised here, not by the schema: pages of events are the feed's hot path.
    # NIKs are masked in the serialised text: one pass, whatever event type carries them.
    text = for_viewer()(json.dumps(body, ensure_ascii=False, separators=(",", ":")))
    return current_app.response_class(text, mimetype="application/json")


@blueprint.route("/events", methods=["GET"])
@blueprint.arguments(EventFeedQuery, location="query")
@blueprint.response(200, EventPageSchema)
def events(query: dict[str, Any]) -> Response:
    """List events in global order

    Every recorded event as a CloudEvent 1.0, by position in the event log; optionally only some
    types or one aggregate. Page on with `after` set to the previous page's `next_after`: pages are
    stable, and a client that always does so sees every event exactly once.
    """
    service = kampung()
    items, next_after = feed_page(service, query["after"], query["limit"], query["type"], query["aggregate"])
    # The log's own head, never a position the client sent (``after`` may be past it).
    head = service.recorder.max_notification_id() or 0
    return _json({"items": items, "next_after": next_after, "head": head})


@blueprint.route("/events/stream", methods=["GET"])
@blueprint.arguments(EventStreamQuery, location="query")
@blueprint.arguments(LastEventIdHeader, location="headers")
@blueprint.response(200, description=STREAM_DESCRIPTION, content_type=MIMETYPE)
@blueprint.doc(responses={"200": {"description": STREAM_DESCRIPTION, "content": {MIMETYPE: {
    "schema": {"type": "string"}, "example": STREAM_EXAMPLE,
}}}})
def stream(query: dict[str, Any], headers: dict[str, Any]) -> Response:
    """Stream events (Server-Sent Events)

    The events after `after` (or after the `Last-Event-ID` a reconnecting client sends), then each new
    event as it is recorded, as Server-Sent Events whose data is the CloudEvent. New events arrive
    within a poll interval (0.5 s); a `: keep-alive` comment is sent every 15 s while nothing happens.
    """
    app = current_app
    after = headers["last_event_id"] if headers["last_event_id"] is not None else query["after"]
    body = map(for_viewer(), event_stream(
        kampung(), after, query["type"], heartbeat=app.config[HEARTBEAT_SETTING], poll=app.config[POLL_SETTING],
        stop=app.extensions[STOP],
    ))
    response = app.response_class(body, mimetype=MIMETYPE)
    response.headers["Cache-Control"] = "no-cache"
    response.headers["X-Accel-Buffering"] = "no"  # a proxy in front must not buffer the stream
    return response


@blueprint.route("/event-types", methods=["GET"])
@blueprint.response(200, EventCatalogueSchema)
def event_types() -> Response:
    """List event types

    The catalogue: every event the system records, with its CloudEvents type, aggregate, schema
    version and the JSON Schema (draft 2020-12) of its `data`.
    """
    return _json({"items": [
        {"type": entry.type, "aggregate": entry.aggregate, "name": entry.name, "version": entry.version,
         "dataschema": entry.dataschema, "schema": data_schema(entry)}
        for entry in catalogue()
    ]})

