"""Domain events as CloudEvents 1.0 (JSON format), and pages of the event log in global order.

One event, as the feed, the stream and webhooks send it::

    {"specversion": "1.0",
     "id": "<aggregate id>/<version>",               # unique with ``source``, and stable
     "source": "urn:kampung-bahagia:kota-jambi",
     "type": "id.go.jambikota.kampungbahagia.claim.SantunanPaid.v2",
     "subject": "<aggregate id>",
     "time": "2025-09-03T02:30:00Z",                 # when the event was recorded (RFC 3339, UTC)
     "datacontenttype": "application/json",
     "dataschema": "urn:kampung-bahagia:kota-jambi:schema:id.go.jambikota.kampungbahagia.claim.SantunanPaid.v2",
     "data": {...the event's fields...},
     "position": 1234}                               # extension: the event's place in the global order

The type ends with the event's schema version (``domain.events.schema_version``). Stored events of
an older version are upcast by the library as they are read, so the feed speaks current versions only.
"""

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timezone
from functools import cache
from typing import Any, Protocol
from uuid import UUID

from eventsourcing.utils import get_topic

from domain.masking import masked, masked_json
from domain.events import event_classes, schema_version
from projections.payload import event_payload

SPECVERSION = "1.0"
SOURCE = "urn:kampung-bahagia:kota-jambi"
TYPE_PREFIX = "id.go.jambikota.kampungbahagia"
SCHEMA_PREFIX = f"{SOURCE}:schema:"
DATACONTENTTYPE = "application/json"
# A CloudEvent as a whole message body (structured content mode), in webhooks and on the broker.
CONTENT_TYPE = "application/cloudevents+json; charset=utf-8"
POSITION = "position"  # the extension attribute with the global position (CloudEvents names: [a-z0-9]+)

# With an aggregate filter the log is read and sifted here: at most this many events are looked at
# per page (in reads of SCAN_BATCH); the page then ends early and ``next_after`` is past them.
SCAN_LIMIT = 20_000
SCAN_BATCH = 1_000


class UnknownEventType(ValueError):
    """A type filter names no event of the catalogue."""

    def __init__(self, names: list[str]):
        super().__init__(f"unknown event type {', '.join(map(repr, names))}; the catalogue is /api/v1/event-types")
        self.names = names


@dataclass(frozen=True)
class EventType:
    """One entry of the catalogue: an event class and its names."""

    event_class: type
    aggregate: str  # RT, Activity, TaskLetterNumber, Claim
    name: str  # the event class's name, e.g. SantunanPaid
    version: int
    type: str  # the CloudEvents type
    dataschema: str  # the URI of its data's JSON Schema
    topic: str  # the event store's topic


@cache
def catalogue() -> tuple[EventType, ...]:
    """Every event the aggregates record, in declaration order (RT, Activity, TaskLetterNumber, Claim)."""
    entries = []
    for cls in event_classes():
        aggregate = cls.__qualname__.split(".")[0]
        version = schema_version(cls)
        ce_type = f"{TYPE_PREFIX}.{aggregate.lower()}.{cls.__name__}.v{version}"
        entries.append(EventType(cls, aggregate, cls.__name__, version, ce_type, SCHEMA_PREFIX + ce_type,
                                 get_topic(cls)))
    return tuple(entries)


@cache
def _by_class() -> dict[type, EventType]:
    return {entry.event_class: entry for entry in catalogue()}


@cache
def _by_name() -> dict[str, EventType]:
    """An event type by its class name (``SantunanPaid``) or its CloudEvents type."""
    names: dict[str, EventType] = {}
    for entry in catalogue():
        names[entry.name] = names[entry.type] = entry
    return names


def type_names() -> tuple[str, ...]:
    """Every name an event type goes by: its class name and its CloudEvents type."""
    return tuple(_by_name())


def known_type(name: str) -> bool:
    return name in _by_name()


def cloudevent_type(event_class: type) -> str:
    return _by_class()[event_class].type


def topics_for(types: Iterable[str]) -> tuple[str, ...]:
    """The store's topics of the events named (class names or CloudEvents types); of the whole
    catalogue when none is named (never those of accounts, which the catalogue leaves out)."""
    names = list(dict.fromkeys(types)) or [entry.name for entry in catalogue()]
    unknown = [name for name in names if name not in _by_name()]
    if unknown:
        raise UnknownEventType(unknown)
    return tuple(dict.fromkeys(_by_name()[name].topic for name in names))


def rfc3339(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).isoformat().replace("+00:00", "Z")


def to_cloudevent(event: Any, position: int) -> dict[str, Any]:
    """The domain event at ``position`` in the log as a CloudEvent (a JSON-able dict)."""
    entry = _by_class()[type(event)]
    aggregate_id = str(event.originator_id)
    return {
        "specversion": SPECVERSION,
        "id": f"{aggregate_id}/{event.originator_version}",
        "source": SOURCE,
        "type": entry.type,
        "subject": aggregate_id,
        "time": rfc3339(event.timestamp),
        "datacontenttype": DATACONTENTTYPE,
        "dataschema": entry.dataschema,
        "data": event_payload(event),
        POSITION: position,
    }


def _json(cloudevent: dict[str, Any]) -> str:
    return json.dumps(cloudevent, ensure_ascii=False, separators=(",", ":"), default=str)


def body_of(cloudevent: dict[str, Any]) -> bytes:
    """The CloudEvent as the body of a webhook or a broker's message: compact JSON in UTF-8."""
    return _json(cloudevent).encode("utf-8")


def masked_body_of(cloudevent: dict[str, Any]) -> bytes:
    """``body_of(masked(cloudevent))``: the body as it leaves for integrators, NIKs masked, masked on
    its JSON text where that is exact (``masked_json``)."""
    text = _json(cloudevent)
    found = masked_json(text)
    return (found if found is not None else _json(masked(cloudevent))).encode("utf-8")


class Store(Protocol):
    """What a page of the feed is read from: the event store's log and the mapper decoding it."""

    recorder: Any
    mapper: Any


def feed_page(
    service: Store,
    after: int,
    limit: int,
    types: Iterable[str] = (),
    aggregate: UUID | str | None = None,
    *,
    scan_limit: int = SCAN_LIMIT,
) -> tuple[list[dict[str, Any]], int]:
    """Up to ``limit`` CloudEvents after position ``after``, in global order, of the ``types`` given
    (class names or CloudEvents types; all when empty) and of ``aggregate`` (all when None); and
    ``next_after``, the position to continue after.

    ``next_after`` is past everything this page looked at, matching or not: the last event returned
    when the page is full, else the head of the log as it was when the page was read (or, with an
    aggregate filter, the last event looked at when ``scan_limit`` ran out first). Positions are given
    in commit order (the store serialises writers), so no event can appear later below ``next_after``:
    a client that always continues after ``next_after`` sees every event once. A page may be empty
    and still advance ``next_after``.
    """
    if limit < 1:
        raise ValueError("limit must be at least 1")
    topics = topics_for(types)
    wanted = None if aggregate is None else str(aggregate)
    recorder, to_domain_event = service.recorder, service.mapper.to_domain_event
    head = recorder.max_notification_id() or 0
    events: list[dict[str, Any]] = []
    position = after
    looked_at = 0
    while position < head and len(events) < limit and looked_at < scan_limit:
        batch = min(SCAN_BATCH, scan_limit - looked_at) if wanted else limit - len(events)
        notifications = recorder.select_notifications(position + 1, batch, stop=head, topics=topics)
        used = 0
        for notification in notifications:
            used += 1
            position = notification.id
            if wanted is not None and str(notification.originator_id) != wanted:
                continue
            events.append(to_cloudevent(to_domain_event(notification), notification.id))
            if len(events) == limit:
                break
        looked_at += used
        if used == len(notifications) and len(notifications) < batch:
            # A short read: nothing more matches the topics up to the head.
            position = head
    return events, max(position, after)
