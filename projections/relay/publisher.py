"""The relay (``kampung relay run``): follows the notification log like a projection and publishes
every event to a NATS JetStream stream as the CloudEvent the feed serves (NIKs masked, as for
integrators), on the subject ``<prefix>.<aggregate>.<Event>`` (``kampung.claim.SantunanPaid``),
each event once and in log order. Accounts' events are never relayed, as they are never in the feed.

Exactly once, in order:

- Every message carries ``Nats-Msg-Id``, the CloudEvent id: JetStream drops a message whose id it
  stored within its duplicate window (the PubAck says ``duplicate``).
- Every message carries ``Nats-Expected-Last-Sequence``, the stream sequence the relay expects right
  before it: JetStream stores a message only straight after the one the relay sent before it, and
  refuses it otherwise. Whatever is lost on the way, the stream holds the events in log order, none
  missing between them.
- A batch is sent without waiting; only its last message waits for the PubAck. By the expected
  sequences, the ack of that message says every message of the batch is stored. Only then does the
  position move (``relay.store``).
- On every connection the relay first reads the stream's last message. A relay that died between an
  ack and its commit finds its events there and moves its position past them: nothing is published
  twice however long it was down, and a relay down longer than the duplicate window publishes no
  old event again (its position is after them).
- Any failure (NATS unreachable, a refused message, no ack in time) ends the connection: the error
  is recorded (``/healthz``), the relay waits (exponential backoff), connects, reads the stream's last
  message again and goes on from its position. The batch after a failure is one event, so an event
  JetStream refuses is reported with its own error; the relay never reads past it: nothing is skipped.

One relay leads a stream at a time (``projections/locks.py``: a PostgreSQL advisory lock, an
SQLite ``flock``); others stand by and take over when the leader's lock goes with its process or its
connection. The expected sequences keep the stream right even if two ever published at once.
"""

import asyncio
import json
import logging
from dataclasses import dataclass
from typing import Any

import nats
from nats.aio.client import Client
from nats.js import JetStreamContext
from nats.js.api import RawStreamMsg
from nats.js.errors import NotFoundError

from projections.cloudevents import catalogue, masked_body_of, to_cloudevent, topics_for
from projections.locks import Hold, Locks, locks_for
from projections.relay.settings import RelaySettings
from projections.relay.store import RelayStore, this_process
from projections.relay.stream import Message, RelayRefused, ensure_stream, publish
from projections.eventlog import EventLog, EventMapper

log = logging.getLogger(__name__)

# Any fixed number: the advisory-lock space of the relay's streams.
LOCK_SPACE = 0x4B42524C
CONNECT_TIMEOUT = 5
PING_INTERVAL = 20


@dataclass
class Backoff:
    """Waits after failures in a row: ``base``, twice that, … at most ``cap`` seconds."""

    base: float = 0.5
    cap: float = 30.0
    failures: int = 0

    def next(self) -> float:
        self.failures += 1
        return min(self.base * 2 ** (self.failures - 1), self.cap)

    def reset(self) -> None:
        self.failures = 0


@dataclass
class Cursor:
    position: int  # the log is relayed up to here
    last_seq: int | None  # the stream's last sequence as the relay knows it; None: read it again


class Relay:
    def __init__(
        self,
        settings: RelaySettings,
        store: RelayStore,
        log: EventLog,
        mapper: EventMapper,
        *,
        locks: Locks | None = None,
        poll: float = 0.5,
        backoff: Backoff | None = None,
        leader: str | None = None,
    ):
        self.settings = settings
        self.store = store
        self.log = log
        self.mapper = mapper
        self.locks = locks or locks_for(store.engine, LOCK_SPACE, "relay-locks")
        self.poll = poll
        self.backoff = backoff or Backoff()
        self.leader = leader or this_process()
        self.topics = topics_for(())  # the feed's events: never the accounts'
        self.subjects = {entry.event_class: settings.subject(entry) for entry in catalogue()}
        self.batch = settings.batch
        self.published = 0  # messages JetStream acknowledged (as new) since this relay started
        self._client_error: Exception | None = None

    @property
    def stream(self) -> str:
        return self.settings.stream

    # --- leading or standing by ----------------------------------------------------------

    async def run(self, stop: asyncio.Event) -> None:
        """Relay until ``stop`` is set: lead the stream when no other relay does, else stand by."""
        standing_by = False
        while not stop.is_set():
            try:
                with self.locks.hold(self.stream) as hold:
                    if hold:
                        standing_by = False
                        await self._lead(hold, stop)
                        continue
            except Exception:  # noqa: BLE001 - a long-running relay outlives a database hiccup
                log.exception("relay: the store failed; trying again")
                await _sleep(stop, self.backoff.next())
                continue
            if not standing_by:
                log.info("relay: another relay leads stream %s; standing by", self.stream)
                standing_by = True
            await _sleep(stop, self.poll)

    async def _lead(self, hold: Hold, stop: asyncio.Event) -> None:
        position = self.store.lead(self.stream, self.leader)
        log.info("relay: leading stream %s from position %d", self.stream, position)
        while not stop.is_set() and not hold.lost():
            try:
                await self._connected(hold, stop)
            except Exception as error:  # noqa: BLE001 - every failure is retried; nothing is skipped
                await self._failed(error, stop)
        if hold.lost() and not stop.is_set():
            log.warning("relay: the lock on stream %s is lost (its database connection ended); standing by",
                        self.stream)

    async def _failed(self, error: Exception, stop: asyncio.Event) -> None:
        self.batch = 1
        message = self.describe(error)
        delay = self.backoff.next()
        log.warning("relay: %s; retrying in %.1f s (nothing is skipped: the relay goes on from its position)",
                    message, delay)
        try:
            self.store.record_error(self.stream, message)
        except Exception:  # noqa: BLE001 - the store may be what failed
            log.exception("relay: the error could not be recorded")
        await _sleep(stop, delay)

    def describe(self, error: Exception) -> str:
        if isinstance(error, RelayRefused):
            return str(error)
        servers = ", ".join(self.settings.servers)
        if isinstance(error, nats.errors.NoServersError):
            cause = self._client_error
            return f"cannot connect to NATS at {servers}" + (f" ({_said(cause)})" if cause else "")
        if isinstance(error, (nats.errors.Error, OSError, asyncio.TimeoutError)):
            return f"NATS at {servers}: {_said(error)}"
        return f"{type(error).__name__}: {error}"

    # --- one connection ----------------------------------------------------------------------

    async def _connected(self, hold: Hold, stop: asyncio.Event) -> None:
        self._client_error = None
        connection = await nats.connect(
            servers=list(self.settings.servers), name=f"kampung-relay {self.leader}", allow_reconnect=False,
            connect_timeout=CONNECT_TIMEOUT, error_cb=self._client_reported,
            # Give up on a server after a try or two: the relay's own backoff paces the retries.
            max_reconnect_attempts=1, reconnect_time_wait=0,
            # An idle relay sends nothing: pings find a dead connection within a minute or so.
            ping_interval=PING_INTERVAL, max_outstanding_pings=2,
        )
        try:
            stream = connection.jetstream(timeout=self.settings.ack_timeout)
            await ensure_stream(stream, self.settings)
            cursor = Cursor(self.store.position(self.stream), None)
            caught_up = False
            while not stop.is_set() and not hold.lost():
                if connection.is_closed:  # the server went away while the relay had nothing to send
                    raise nats.errors.ConnectionClosedError
                if cursor.last_seq is None:
                    await self.reconcile(stream, cursor)
                relayed = await self.relay_batch(connection, stream, cursor)
                if relayed:
                    self.backoff.reset()
                    self.batch = min(self.batch * 2, self.settings.batch)
                elif not caught_up:
                    log.info("relay: stream %s holds the log up to position %d (%d published since start)",
                             self.stream, cursor.position, self.published)
                caught_up = not relayed
                if not relayed:
                    await _sleep(stop, self.poll)
        finally:
            await connection.close()

    async def _client_reported(self, error: Exception) -> None:
        # The client's own report (a refused connection, a lost one): kept to explain the failure it causes.
        self._client_error = error
        log.debug("relay: NATS client: %r", error)

    async def reconcile(self, stream: JetStreamContext, cursor: Cursor) -> None:
        """Read the stream's last message: the relay goes on after it if it is past the position
        (acknowledged before the relay last stopped, never committed)."""
        state = (await stream.stream_info(self.stream)).state
        try:
            last = await stream.get_msg(self.stream, state.last_seq) if state.messages else None
        except NotFoundError:
            last = None  # deleted meanwhile: the position is all there is to go by
        published = 0 if last is None else self._position_of(last)
        self.store.connected(self.stream)
        cursor.last_seq = state.last_seq
        if published > cursor.position:
            log.info("relay: stream %s already holds the events up to position %d (acknowledged, not recorded "
                     "before the relay stopped): going on after it", self.stream, published)
            self.store.advance(self.stream, published)
            cursor.position = published

    def _position_of(self, message: RawStreamMsg) -> int:
        """The log position of a message the relay published, checked against this store's log."""
        try:
            event = json.loads(message.data or b"")
            position, event_id = int(event["position"]), str(event["id"])
        except (ValueError, KeyError, TypeError):
            raise RelayRefused(
                f"the last message of stream {self.stream} (sequence {message.seq}) is not a CloudEvent of the "
                f"relay: the subjects {self.settings.subject_prefix}.> must be the relay's alone"
            ) from None
        found = self.log.select_notifications(position, 1, stop=position)
        if not found or found[0].id != position or f"{found[0].originator_id}/{found[0].originator_version}" != event_id:
            raise RelayRefused(
                f"stream {self.stream} holds event {event_id} at position {position}, which is not this event "
                "log's: it was filled from another store (set another KAMPUNG_RELAY_STREAM, or delete the stream)"
            )
        return position

    # --- a batch -------------------------------------------------------------------------

    async def relay_batch(self, connection: Client, stream: JetStreamContext, cursor: Cursor) -> bool:
        """Publish the next events after the cursor (up to ``batch``) and record the new position;
        False when there was nothing to relay."""
        head = self.log.max_notification_id() or 0
        if cursor.position >= head:
            return False
        notifications = self.log.select_notifications(cursor.position + 1, self.batch, stop=head, topics=self.topics)
        # A short read has every event of the feed up to the head: accounts' events between are passed over.
        relayed_to = notifications[-1].id if len(notifications) == self.batch else head
        if notifications:
            assert cursor.last_seq is not None
            messages = [self.message(notification) for notification in notifications]
            ack = await publish(connection, stream, self.settings, messages, cursor.last_seq)
            if ack.duplicate:
                # Stored before, so by the expected sequences every event before it too: another relay
                # published them. Read the stream again before going on.
                log.warning("relay: stream %s already held the event at position %d; reading the stream again",
                            self.stream, notifications[-1].id)
                cursor.last_seq = None
            else:
                cursor.last_seq = ack.seq
                self.published += len(notifications)
        self.store.advance(self.stream, relayed_to)
        cursor.position = relayed_to
        return True

    def message(self, notification: Any) -> Message:
        try:
            event = self.mapper.to_domain_event(notification)
            cloudevent = to_cloudevent(event, notification.id)
            body = masked_body_of(cloudevent)  # integrators never see a NIK in full
        except Exception as error:  # noqa: BLE001 - reported, and retried: the relay never passes an event by
            raise RelayRefused(f"the event at position {notification.id} cannot be made a CloudEvent "
                               f"({type(error).__name__}: {error}); the relay waits before it") from error
        return Message(self.subjects[type(event)], body, cloudevent["id"])

def _said(error: BaseException) -> str:
    return f"{type(error).__name__}: {str(error) or 'no answer in time'}"


async def _sleep(stop: asyncio.Event, seconds: float) -> None:
    try:
        await asyncio.wait_for(stop.wait(), seconds)
    except asyncio.TimeoutError:
        pass
