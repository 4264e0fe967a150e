"""The relay's settings, read from the environment (README, Configuration), and the JetStream stream
they describe.

| variable | meaning | default |
| --- | --- | --- |
| ``KAMPUNG_NATS_URL`` | the NATS servers, comma-separated | ``nats://127.0.0.1:4222`` |
| ``KAMPUNG_RELAY_STREAM`` | the stream's name (the relay keeps a position per stream) | ``KAMPUNG`` |
| ``KAMPUNG_RELAY_SUBJECT_PREFIX`` | subjects are ``<prefix>.<aggregate>.<Event>``; the stream takes ``<prefix>.>`` | ``kampung`` |
| ``KAMPUNG_RELAY_MAX_AGE`` | messages older than this are dropped (``s``, ``m``, ``h``, ``d``) | ``30d`` |
| ``KAMPUNG_RELAY_MAX_BYTES`` | past this size the oldest messages are dropped (``K``, ``M``, ``G``) | ``1G`` |
| ``KAMPUNG_RELAY_DUPLICATE_WINDOW`` | how long JetStream remembers message ids to drop a re-send | ``2m`` |
| ``KAMPUNG_RELAY_REPLICAS`` | copies of the stream: 1 on one server, 3 on a NATS cluster | ``1`` |
| ``KAMPUNG_RELAY_BATCH`` | events published before the relay waits for JetStream's acknowledgement | ``500`` |
| ``KAMPUNG_RELAY_ACK_TIMEOUT`` | seconds to wait for an acknowledgement before the connection is given up | ``10`` |
"""

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass

from nats.js.api import DiscardPolicy, RetentionPolicy, StorageType, StreamConfig

from domain.errors import InvalidValue
from projections.cloudevents import EventType

DEFAULT_STREAM = "KAMPUNG"
DURATION = re.compile(r"(\d+(?:\.\d+)?)\s*([smhd]?)")
SIZE = re.compile(r"(\d+)\s*([KMG]?)i?B?", re.IGNORECASE)
SECONDS = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}
BYTES = {"": 1, "K": 1024, "M": 1024**2, "G": 1024**3}
# Stream names become file names (the SQLite lock) and keys of the relay's position: kept plain.
STREAM_NAME = re.compile(r"[A-Za-z0-9_-]{1,64}")
SUBJECT_PREFIX = re.compile(r"[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)*")


@dataclass(frozen=True)
class RelaySettings:
    servers: tuple[str, ...] = ("nats://127.0.0.1:4222",)
    stream: str = DEFAULT_STREAM
    subject_prefix: str = "kampung"
    max_age: float = 30 * 86400.0  # seconds
    max_bytes: int = 1024**3
    duplicate_window: float = 120.0  # seconds
    replicas: int = 1
    batch: int = 500
    ack_timeout: float = 10.0  # seconds

    def __post_init__(self) -> None:
        if not STREAM_NAME.fullmatch(self.stream):
            raise InvalidValue("KAMPUNG_RELAY_STREAM must be 1-64 letters, digits, '-' or '_'", "KAMPUNG_RELAY_STREAM")
        if not SUBJECT_PREFIX.fullmatch(self.subject_prefix) or len(self.subject_prefix) > 100:
            raise InvalidValue("KAMPUNG_RELAY_SUBJECT_PREFIX must be dot-separated tokens of letters, digits, "
                               "'-' or '_' (no wildcards)", "KAMPUNG_RELAY_SUBJECT_PREFIX")
        if not 0 < self.duplicate_window <= self.max_age:
            raise InvalidValue("KAMPUNG_RELAY_DUPLICATE_WINDOW must be positive and at most KAMPUNG_RELAY_MAX_AGE",
                               "KAMPUNG_RELAY_DUPLICATE_WINDOW")
        if self.max_bytes < 1024**2:
            raise InvalidValue("KAMPUNG_RELAY_MAX_BYTES must be at least 1M", "KAMPUNG_RELAY_MAX_BYTES")
        if not 1 <= self.replicas <= 5:
            raise InvalidValue("KAMPUNG_RELAY_REPLICAS must be 1 to 5", "KAMPUNG_RELAY_REPLICAS")
        if not 1 <= self.batch <= 10_000:
            raise InvalidValue("KAMPUNG_RELAY_BATCH must be 1 to 10000", "KAMPUNG_RELAY_BATCH")
        if not 0.1 <= self.ack_timeout <= 600:
            raise InvalidValue("KAMPUNG_RELAY_ACK_TIMEOUT must be 0.1 to 600 seconds", "KAMPUNG_RELAY_ACK_TIMEOUT")

    @classmethod
    def from_env(cls, environ: Mapping[str, str] = os.environ) -> "RelaySettings":
        def given(name: str) -> str | None:
            return environ.get(name, "").strip() or None

        settings: dict[str, object] = {}
        if servers := given("KAMPUNG_NATS_URL"):
            settings["servers"] = tuple(url.strip() for url in servers.split(",") if url.strip())
        settings["stream"] = configured_stream(environ)
        if prefix := given("KAMPUNG_RELAY_SUBJECT_PREFIX"):
            settings["subject_prefix"] = prefix
        for field, name in (("max_age", "KAMPUNG_RELAY_MAX_AGE"), ("duplicate_window", "KAMPUNG_RELAY_DUPLICATE_WINDOW"),
                            ("ack_timeout", "KAMPUNG_RELAY_ACK_TIMEOUT")):
            if (text := given(name)) is not None:
                settings[field] = duration(text, name)
        if (text := given("KAMPUNG_RELAY_MAX_BYTES")) is not None:
            settings["max_bytes"] = size(text, "KAMPUNG_RELAY_MAX_BYTES")
        for field, name in (("replicas", "KAMPUNG_RELAY_REPLICAS"), ("batch", "KAMPUNG_RELAY_BATCH")):
            if (text := given(name)) is not None:
                settings[field] = whole_number(text, name)
        return cls(**settings)  # type: ignore[arg-type]

    def subject(self, entry: EventType) -> str:
        """Where an event type is published: ``kampung.claim.SantunanPaid``."""
        return f"{self.subject_prefix}.{entry.aggregate.lower()}.{entry.name}"

    def stream_config(self) -> StreamConfig:
        """The stream as the relay creates or updates it at start: every subject under the prefix, kept
        on disk by age and size (the oldest dropped first), ``replicas`` copies."""
        return StreamConfig(
            name=self.stream,
            description="Kampung Bahagia: the event log as CloudEvents (kampung relay run)",
            subjects=[f"{self.subject_prefix}.>"],
            retention=RetentionPolicy.LIMITS,
            discard=DiscardPolicy.OLD,
            storage=StorageType.FILE,
            max_age=self.max_age,
            max_bytes=self.max_bytes,
            duplicate_window=self.duplicate_window,
            num_replicas=self.replicas,
        )


def configured_stream(environ: Mapping[str, str] = os.environ) -> str:
    """The stream's name alone (what ``/healthz`` needs), without checking the other settings."""
    return environ.get("KAMPUNG_RELAY_STREAM", "").strip() or DEFAULT_STREAM


def duration(text: str, name: str) -> float:
    """Seconds from ``90``, ``90s``, ``15m``, ``12h`` or ``30d``."""
    found = DURATION.fullmatch(text.strip().lower())
    if not found or float(found.group(1)) <= 0:
        raise InvalidValue(f"{name} must be a duration such as 90s, 15m, 12h or 30d", name)
    return float(found.group(1)) * SECONDS[found.group(2)]


def size(text: str, name: str) -> int:
    """Bytes from ``1048576``, ``512M`` or ``1G`` (powers of 1024)."""
    found = SIZE.fullmatch(text.strip())
    if not found:
        raise InvalidValue(f"{name} must be a size such as 512M or 1G", name)
    return int(found.group(1)) * BYTES[found.group(2).upper()]


def whole_number(text: str, name: str) -> int:
    if not text.isdigit():
        raise InvalidValue(f"{name} must be a whole number", name)
    return int(text)
