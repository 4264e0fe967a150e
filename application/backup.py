"""Backup and restore of the whole event store, as JSON lines.

The first line is a header: ``{"format": "kampung-events", "version": 1, "count": N, "head": H,
"encrypted": bool}``, H being the chain hash (``domain.eventchain``) of the last event; then one
line per stored event, in log order: ``{"position", "originator_id", "version", "topic",
"state"}``, the state as stored (base64; ciphertext on an encrypted store, so a backup is no more
readable than the store, and restoring it needs the same key). An import recomputes the chain
and checks the header before writing anything, and writes into an empty store only, keeping
every position, one transaction per batch.
"""

import base64
import binascii
import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from psycopg import sql

from application.config import encrypted
from application.errors import StoredEventDamaged, StoreNotEmpty
from application.service import KampungBahagia
from domain.errors import InvalidValue
from domain.eventchain import GENESIS, chain_hash, event_hash

FORMAT, VERSION = "kampung-events", 1
PAGE = 5000  # events read, or written in one transaction, at a time


@dataclass(frozen=True)
class Header:
    count: int
    head: str
    encrypted: bool

    def line(self) -> str:
        return json.dumps({"format": FORMAT, "version": VERSION, "count": self.count, "head": self.head,
                           "encrypted": self.encrypted}) + "\n"


@dataclass(frozen=True)
class Stored:
    position: int
    originator_id: UUID
    version: int
    topic: str
    state: bytes | None  # None: the column holds no bytes (NULL, or edited into text or a number)

    def hash(self) -> str | None:
        """None when the state is not bytes: no hash the audit trail recorded can match it."""
        return None if self.state is None else self.checked_hash()

    def checked_state(self) -> bytes:
        if self.state is None:
            raise StoredEventDamaged(
                f"the stored event at position {self.position} cannot be decoded: run kampung audit verify"
            )
        return self.state

    def checked_hash(self) -> str:
        return event_hash(self.position, self.originator_id, self.version, self.topic, self.checked_state())

    def line(self) -> str:
        return json.dumps({
            "position": self.position, "originator_id": str(self.originator_id), "version": self.version,
            "topic": self.topic, "state": base64.b64encode(self.checked_state()).decode("ascii"),
        }) + "\n"


def stored_events(service: KampungBahagia, stop: int, topics: Sequence[str] = ()) -> Iterator[Stored]:
    """Every stored event (of ``topics``, if given) up to position ``stop``, in log order, as stored;
    also any at a position the application never gives, below 1: the chain's verification must see those."""
    after: int | None = None
    while after is None or after < stop:
        page = _page(service, after, stop, topics)
        if not page:
            return
        yield from page
        after = page[-1].position


def _page(service: KampungBahagia, after: int | None, stop: int, topics: Sequence[str]) -> list[Stored]:
    """Read with SQL of our own rather than the library's ``select_notifications``: that one
    crashes on a NULL state on PostgreSQL, and a damaged event must be reported, not fall over."""
    recorder: Any = service.recorder
    sqlite = service.env["PERSISTENCE_MODULE"] == "eventsourcing.sqlite"
    position, mark = ("rowid", "?") if sqlite else ("notification_id", "%s")
    where, params = [f"{position} <= {mark}"], [stop]
    if after is not None:
        where.append(f"{position} > {mark}")
        params.append(after)
    if topics:
        where.append(f"topic IN ({', '.join([mark] * len(topics))})")
        params.extend(topics)
    with recorder.datastore.transaction(commit=False) as cursor:
        table = (recorder.events_table_name if sqlite
                 else sql.Identifier(recorder.datastore.schema, recorder.events_table_name).as_string(cursor))
        cursor.execute(f"SELECT {position} AS position, originator_id, originator_version, topic, state FROM {table} "
                       f"WHERE {' AND '.join(where)} ORDER BY {position} LIMIT {PAGE}", params)
        return [Stored(row["position"], UUID(str(row["originator_id"])), row["originator_version"], row["topic"],
                       _bytes_or_none(row["state"])) for row in cursor.fetchall()]


def _bytes_or_none(state: object) -> bytes | None:
    # An SQLite column keeps whatever type is written into it: an edit can leave text, a number or NULL
    # where the library stored bytes. bytes(5) would read a number as five zero bytes, so only the
    # types a BLOB or bytea column gives back are taken.
    return bytes(state) if isinstance(state, (bytes, bytearray, memoryview)) else None


def export_lines(service: KampungBahagia, advance: Callable[[int], None] = lambda events: None) -> Iterator[str]:
    """The header, then each event: two reads of the log up to the head position seen at the start
    (the first for the header's count and head hash), so events recorded meanwhile are left out.
    ``advance(1)`` is called for each event read, twice per event in all."""
    stop = service.recorder.max_notification_id() or 0
    count, head = 0, GENESIS
    for event in stored_events(service, stop):
        count, head = count + 1, chain_hash(head, event.checked_hash())
        advance(1)
    yield Header(count, head, encrypted(service.env)).line()
    for event in stored_events(service, stop):
        yield event.line()
        advance(1)


def _parse_header(line: str | None) -> Header:
    try:
        data = json.loads(line or "")
        if data["format"] != FORMAT or data["version"] != VERSION:
            raise ValueError(data["format"])
        return Header(int(data["count"]), str(data["head"]), bool(data["encrypted"]))
    except (ValueError, KeyError, TypeError):
        raise InvalidValue("the file is not a kampung event export (version 1)", "file") from None


def _parse_event(index: int, line: str) -> Stored:
    try:
        data = json.loads(line)
        return Stored(int(data["position"]), UUID(data["originator_id"]), int(data["version"]), str(data["topic"]),
                      base64.b64decode(data["state"], validate=True))
    except (ValueError, KeyError, TypeError, binascii.Error):
        raise InvalidValue(f"line {index + 1} of the file is not a stored event", "file") from None


def _events(lines: Iterable[str]) -> tuple[Header, Iterator[tuple[int, Stored]]]:
    """The header, and each event with its index among the file's lines (0 is the header)."""
    numbered = enumerate(lines)
    header = _parse_header(next((line for _, line in numbered), None))
    return header, ((index, _parse_event(index, line)) for index, line in numbered if line.strip())


def check_export(lines: Iterable[str]) -> Header:
    """Read a whole export and check it: positions rising, the count and the head hash as the
    header says (a file cut short or edited does not pass)."""
    header, events = _events(lines)
    count, head, last = 0, GENESIS, 0
    for index, event in events:
        if event.position <= last:
            raise InvalidValue(f"line {index + 1} of the file is not a stored event", "file")
        count, head, last = count + 1, chain_hash(head, event.checked_hash()), event.position
    if (count, head) != (header.count, header.head):
        raise InvalidValue("the file's events do not match its header (cut short or changed)", "file")
    return header


def import_lines(service: KampungBahagia, open_lines: Callable[[], Iterable[str]]) -> Header:
    """Restore an export into ``service``'s store, which must hold no events. ``open_lines`` gives
    the file's lines afresh: it is read twice, to check it all, then to write it."""
    header = check_export(open_lines())
    if header.encrypted != encrypted(service.env):
        raise InvalidValue(
            "the file was exported from an encrypted store and this one is not, or the other way round: "
            "set KAMPUNG_ENCRYPTION_KEY as on the source", "file",
        )
    if service.recorder.max_notification_id():
        raise StoreNotEmpty("the event store is not empty: import only into a new, empty store")
    batch: list[Stored] = []
    for _, event in _events(open_lines())[1]:
        batch.append(event)
        if len(batch) == PAGE:
            _write(service, batch)
            batch = []
    if batch:
        _write(service, batch)
    return header


def _write(service: KampungBahagia, batch: list[Stored]) -> None:
    """One transaction per batch, with the positions of the export (the library's own insert
    would number events afresh)."""
    recorder: Any = service.recorder
    if service.env["PERSISTENCE_MODULE"] == "eventsourcing.sqlite":
        rows = [(e.position, str(e.originator_id), e.version, e.topic, e.state) for e in batch]
        with recorder.datastore.transaction(commit=True) as cursor:
            cursor.executemany(
                f"INSERT INTO {recorder.events_table_name} "
                "(rowid, originator_id, originator_version, topic, state) VALUES (?, ?, ?, ?, ?)", rows,
            )
        return
    table = sql.Identifier(recorder.datastore.schema, recorder.events_table_name)
    rows = [(e.position, e.originator_id, e.version, e.topic, e.state) for e in batch]
    with recorder.datastore.transaction(commit=True) as cursor:
        cursor.executemany(
            sql.SQL("INSERT INTO {} (notification_id, originator_id, originator_version, topic, state) "
                    "VALUES (%s, %s, %s, %s, %s)").format(table),
            rows,
        )
        # New events are numbered by the column's sequence: on after the restored ones.
        cursor.execute(
            sql.SQL("SELECT setval(pg_get_serial_sequence({}, 'notification_id'), %s)").format(
                sql.Literal(f"{recorder.datastore.schema}.{recorder.events_table_name}")
            ),
            (batch[-1].position,),
        )
