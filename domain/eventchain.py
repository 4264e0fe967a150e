"""The hash chain that makes the event log tamper-evident.

Each stored event has an *event hash*: SHA-256 over the event exactly as stored (its position in
the log, originator id, version, topic and state bytes — ciphertext when the store is encrypted).
The audit trail keeps, per event, that hash and a *chain hash*: SHA-256 of the previous event's
chain hash and this event hash. An event changed, removed or inserted after it was audited no
longer fits the chain; the chain hash of the last event (the head hash), kept somewhere the
database's administrators cannot write, also vouches for the audit trail itself.
"""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from hashlib import sha256
from typing import Any

GENESIS = "0" * 64  # the "previous chain hash" of the first event

CHANGED, REMOVED, INSERTED, CHAIN_BROKEN = "changed", "removed", "inserted", "chain broken"


def event_hash(position: int, originator_id: Any, version: int, topic: str, state: bytes) -> str:
    head = f"{position}\n{originator_id}\n{version}\n{topic}\n".encode()
    return sha256(head + bytes(state)).hexdigest()


def chain_hash(previous: str, this_event_hash: str) -> str:
    return sha256((previous + this_event_hash).encode()).hexdigest()


def chain(hashes: Iterable[tuple[int, str]], previous: str = GENESIS) -> Iterator[tuple[int, str, str]]:
    """(position, event hash) → (position, event hash, chain hash), in order."""
    for position, this in hashes:
        previous = chain_hash(previous, this)
        yield position, this, previous


@dataclass(frozen=True)
class Verdict:
    intact: bool
    position: int  # intact: the last position checked; else where the first difference is
    head: str  # the chain hash at ``position`` (intact), or of the last intact event
    difference: str | None = None  # CHANGED, REMOVED, INSERTED or CHAIN_BROKEN


def verify(stored: Iterable[tuple[int, str | None]], audited: Iterable[tuple[int, str, str]]) -> Verdict:
    """Compare the log as stored now — (position, event hash) in order — with what the audit
    trail recorded — (position, event hash, chain hash) in order — and report the first
    difference. Events stored after the audit trail's last row are not judged (not audited yet).

    ``CHAIN_BROKEN``: the audit trail's own hashes do not chain, so it was edited itself."""
    previous, last = GENESIS, 0
    stored_iter = iter(stored)
    now = next(stored_iter, None)
    for position, recorded, recorded_chain in audited:
        if chain_hash(previous, recorded) != recorded_chain:
            return Verdict(False, position, previous, CHAIN_BROKEN)
        if now is not None and now[0] < position:
            return Verdict(False, now[0], previous, INSERTED)
        if now is None or now[0] > position:
            return Verdict(False, position, previous, REMOVED)
        if now[1] != recorded:
            return Verdict(False, position, previous, CHANGED)
        previous, last = recorded_chain, position
        now = next(stored_iter, None)
    return Verdict(True, last, previous)

