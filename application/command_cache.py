"""Aggregates kept in memory between commands, trusted only where the store catches a stale copy.

Several servers (and each server's worker processes) write to one store, so a kept copy may be
stale at any moment. Commands use it in three ways:

- The aggregate a command changes (``ProgrammeStore._changing``) is taken as kept, unread. Its new
  events carry the next versions, which the store refuses (originator id and version are unique)
  if anyone saved that aggregate meanwhile: then nothing of the attempt was saved, and the whole
  command runs once more on aggregates read from the store, whose outcome (done, refused, conflict)
  is the answer. An attempt that trusted a kept copy and failed in any other way (a rule refused
  it) is re-run the same way, and one that succeeded without saving the copy it trusted is checked
  against the store: a stale copy neither lets a rule be broken nor refuses what the store allows.
- An aggregate a command only consults (the RT whose Ketua RT signs a task letter, the Activity
  whose cover a claim checks) is never trusted: the kept copy is first brought up to the store's
  latest version (one query for the events after it), as fresh as a full load and cheaper.
- A user's ``expected_version`` other than the kept copy's version means the copy is read fresh
  before the comparison: the version the user saw is compared with the store, never with the copy.
- A copy found stale means another process writes that aggregate too: its next commands read the
  store first (``CHECKS_AFTER_STALE``), instead of wasting an attempt each on a stale copy.

Copies are checked out: while one command holds an aggregate, another thread's command on it reads
its own from the store (one of them saves first; the other's save is refused and it runs again).
They go back when the command succeeded, as its last event left them; after a failure they are
dropped. Only commands (``@command``) use the cache; queries and anything else read the store.
A command must therefore be safe to run twice: nothing outside the store happens before it saves.
"""

from collections import OrderedDict
from collections.abc import Callable, Iterable, Mapping
from contextvars import ContextVar
from dataclasses import dataclass, field
from threading import Lock
from typing import TypeVar
from uuid import UUID

from domain.aggregate import Aggregate
from domain.errors import InvalidValue

from application.repository import ProgrammeRepository, fast_forward

T = TypeVar("T")

SIZE_VARIABLE = "KAMPUNG_COMMAND_CACHE"
DEFAULT_SIZE = 2000
# A kept copy found stale means another process writes that aggregate too (two workers, two
# servers): its next commands read the store first (one query, cheaper than a wasted attempt),
# until this many of them in a row found nothing new.
CHECKS_AFTER_STALE = 8


def size_of(env: Mapping[str, str]) -> int:
    """How many aggregates an application instance keeps (``$KAMPUNG_COMMAND_CACHE``; 0: none)."""
    value = (env.get(SIZE_VARIABLE) or "").strip()
    if not value:
        return DEFAULT_SIZE
    if not value.isdigit():
        raise InvalidValue("KAMPUNG_COMMAND_CACHE must be a whole number of aggregates, 0 to turn the cache off",
                           SIZE_VARIABLE)
    return int(value)


class StaleCopy(Exception):
    """A command succeeded on a kept copy without saving it, and the store has moved on since."""


@dataclass
class Kept:
    aggregate: Aggregate
    checks: int = 0  # commands that will still read the store first: it was found stale lately


@dataclass
class Attempt:
    """One run of a command: may it trust kept copies, which it trusted (at which version), and the
    aggregates it holds (with the checks to keep with each)."""

    trust: bool
    suspects: dict[UUID, int] = field(default_factory=dict)  # copies a failed attempt trusted, by version
    held: dict[UUID, Aggregate] = field(default_factory=dict)
    checks: dict[UUID, int] = field(default_factory=dict)
    trusted: dict[UUID, int] = field(default_factory=dict)
    unverified: set[UUID] = field(default_factory=set)  # trusted copies no save has vouched for yet


_attempt: ContextVar[Attempt | None] = ContextVar("kampung_command_attempt", default=None)


def in_command() -> bool:
    return _attempt.get() is not None


class CommandCache:
    def __init__(self, repository: ProgrammeRepository, size: int):
        self.repository = repository
        self.size = size
        self._kept: OrderedDict[UUID, Kept] = OrderedDict()
        self._lock = Lock()

    def run(self, body: Callable[[], T]) -> T:
        """``body`` (a command) trusting kept copies; once more on fresh ones if that attempt failed."""
        first = Attempt(trust=self.size > 0)
        try:
            return self._run(first, body)
        except Exception:
            if not first.trusted:
                raise
        return self._run(Attempt(trust=False, suspects=first.trusted), body)

    def _run(self, attempt: Attempt, body: Callable[[], T]) -> T:
        token = _attempt.set(attempt)
        try:
            result = body()
        finally:
            _attempt.reset(token)
        for aggregate_id in attempt.unverified:
            if self._has_newer(attempt.held[aggregate_id]):
                raise StaleCopy(f"aggregate {aggregate_id} changed meanwhile")
        self._check_in(attempt)
        return result

    # --- what commands ask for --------------------------------------------------------

    def changed(self, aggregate_id: UUID, expected_version: int | None) -> Aggregate:
        """The aggregate a command is about to change and save."""
        attempt = _attempt.get()
        if attempt is None:
            return self.repository.get(aggregate_id)
        if aggregate_id in attempt.held:
            return attempt.held[aggregate_id]
        kept = self._take(aggregate_id)
        if (kept is None or kept.checks or not attempt.trust
                or expected_version not in (None, kept.aggregate.version)):
            return self._fresh(attempt, aggregate_id, kept)
        attempt.trusted[aggregate_id] = kept.aggregate.version
        attempt.unverified.add(aggregate_id)
        attempt.held[aggregate_id] = kept.aggregate
        return kept.aggregate

    def consulted(self, aggregate_id: UUID) -> Aggregate:
        """An aggregate whose current state a command relies on: never a stale copy."""
        attempt = _attempt.get()
        if attempt is None:
            return self.repository.get(aggregate_id)
        if aggregate_id in attempt.held:
            return attempt.held[aggregate_id]
        return self._fresh(attempt, aggregate_id, self._take(aggregate_id))

    def saved(self, aggregates: Iterable[Aggregate]) -> None:
        """``aggregates`` had events and were saved: the store took their next versions, so each
        was current (a trusted copy is vouched for), and each goes back with the command."""
        attempt = _attempt.get()
        if attempt is None:
            return
        for aggregate in aggregates:
            attempt.held.setdefault(aggregate.id, aggregate)
            attempt.unverified.discard(aggregate.id)

    # --- the kept copies --------------------------------------------------------------

    def _fresh(self, attempt: Attempt, aggregate_id: UUID, kept: Kept | None) -> Aggregate:
        """The aggregate as the store has it now: the kept copy brought up to date, or loaded. Found
        stale (here, or by the attempt that failed before), its next commands read the store too."""
        if kept is None:
            aggregate, seen, checks = self.repository.get(aggregate_id), None, 0
        else:
            seen, checks = kept.aggregate.version, kept.checks
            aggregate = fast_forward(self.repository.event_store, kept.aggregate)
        seen = attempt.suspects.get(aggregate_id, seen)
        stale = seen is not None and aggregate.version > seen
        attempt.checks[aggregate_id] = CHECKS_AFTER_STALE if stale else max(0, checks - 1)
        attempt.held[aggregate_id] = aggregate
        return aggregate

    def _has_newer(self, aggregate: Aggregate) -> bool:
        recorder = self.repository.event_store.recorder
        return bool(recorder.select_events(aggregate.id, gt=aggregate.version, limit=1))

    def _take(self, aggregate_id: UUID) -> Kept | None:
        with self._lock:
            return self._kept.pop(aggregate_id, None)

    def _check_in(self, attempt: Attempt) -> None:
        if not self.size:
            return
        with self._lock:
            for aggregate_id, aggregate in attempt.held.items():
                if aggregate.pending_events:  # changed but not saved: not a state of the store
                    continue
                kept = self._kept.get(aggregate_id)
                if kept is None or kept.aggregate.version < aggregate.version:
                    self._kept[aggregate_id] = Kept(aggregate, attempt.checks.get(aggregate_id, 0))
                    self._kept.move_to_end(aggregate_id)
            while len(self._kept) > self.size:
                self._kept.popitem(last=False)
