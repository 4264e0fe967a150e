"""The relay's side of JetStream: the stream as the settings describe it, and a batch of messages
published so that JetStream stores them in order, each once, or refuses them (``relay.py`` says why
that gives exactly once, in order)."""

import logging
from dataclasses import dataclass

from nats.aio.client import Client
from nats.js import JetStreamContext
from nats.js.api import PubAck, StreamConfig
from nats.js.errors import APIError, NotFoundError

from projections.cloudevents import CONTENT_TYPE
from projections.relay.settings import RelaySettings

log = logging.getLogger("projections.relay.publisher")

WRONG_LAST_SEQUENCE = 10071  # JetStream's error code: Nats-Expected-Last-Sequence did not hold
CONFIG_COMPARED = ("subjects", "retention", "discard", "storage", "max_bytes", "num_replicas", "description")


class RelayRefused(Exception):
    """The stream, or JetStream, refused what the relay needs; the message says why, for people."""


@dataclass(frozen=True)
class Message:
    subject: str
    body: bytes
    event_id: str  # the CloudEvent id: JetStream's message id


async def ensure_stream(stream: JetStreamContext, settings: RelaySettings) -> None:
    """Create the stream, or update it where its settings differ from the relay's."""
    wanted = settings.stream_config()
    try:
        info = await stream.stream_info(settings.stream)
    except NotFoundError:
        await stream.add_stream(wanted)
        log.info("relay: created stream %s (subjects %s)", settings.stream, ", ".join(wanted.subjects or ()))
        return
    if _differs(info.config, wanted):
        await stream.update_stream(wanted)
        log.info("relay: updated stream %s to the relay's settings", settings.stream)


def _differs(have: StreamConfig, wanted: StreamConfig) -> bool:
    if any(getattr(have, name) != getattr(wanted, name) for name in CONFIG_COMPARED):
        return True
    # Durations come back from the server in nanoseconds, read as float seconds.
    return any(abs((getattr(have, name) or 0) - (getattr(wanted, name) or 0)) > 1e-3
               for name in ("max_age", "duplicate_window"))


async def publish(connection: Client, stream: JetStreamContext, settings: RelaySettings, messages: list[Message],
                  last_seq: int) -> PubAck:
    """Send ``messages`` to follow stream sequence ``last_seq``, without waiting but for the last: its
    PubAck says every one of them is stored, in order (or, ``duplicate``, was stored before)."""
    *ahead, last = messages
    for offset, message in enumerate(ahead):
        await connection.publish(message.subject, message.body, headers=_headers(message, last_seq + offset))
    expected = last_seq + len(ahead)
    try:
        ack = await stream.publish(last.subject, last.body, timeout=settings.ack_timeout,
                                   headers=_headers(last, expected))
    except APIError as error:
        if error.err_code == WRONG_LAST_SEQUENCE:
            raise RelayRefused(
                f"stream {settings.stream} did not end at sequence {last_seq} as the relay expected (a message was "
                "lost on the way, or something else publishes to the stream's subjects)"
            ) from None
        raise RelayRefused(f"JetStream refused event {last.event_id} for stream {settings.stream}: "
                           f"{error.description} (error {error.err_code})") from None
    if not ack.duplicate and ack.seq != expected + 1:
        raise RelayRefused(f"JetStream stored event {last.event_id} at sequence {ack.seq}, not {expected + 1}")
    return ack


def _headers(message: Message, expected_last_seq: int) -> dict[str, str]:
    return {"Nats-Msg-Id": message.event_id, "Nats-Expected-Last-Sequence": str(expected_last_seq),
            "Content-Type": CONTENT_TYPE}
