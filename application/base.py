"""The load/save base every use-case module of the programme stands on.

One event store (one notification log, so the read models and the feed see every aggregate in one
order), its clock, and the plumbing each command needs: load an aggregate (refusing a stale version
the user saw), save what it recorded in one transaction (translating the store's refusals into the
project's errors), read an aggregate's past. The use cases themselves live in ``rts.py``,
``activities.py``, ``claims.py`` and ``accounts.py``; each command is a ``@command`` method.

Two things make commands cheap (docs/scaling.md): aggregates kept between commands, trusted only
where the store's unique versions catch a stale copy (``command_cache.py``), and commands saving at
the same moment sharing one transaction (``group_commit.py``).
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from copy import deepcopy
from dataclasses import dataclass
from datetime import datetime
from functools import wraps
from typing import Any, TypeVar
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, Application, ProcessingEvent
from eventsourcing.persistence import EventStore, IntegrityError, JSONTranscoder, Recording
from eventsourcing.utils import get_topic

from application import authorization, command_cache, group_commit, rules, transcodings
from application.clock import SystemClock
from application.command_cache import CommandCache, in_command
from application.config import store_env, store_setup_lock
from application.errors import AlreadyExists, StoreUnreadable
from application.group_commit import GroupCommit
from application.repository import ProgrammeRepository, snapshot_floor
from domain.errors import ConcurrencyConflict, InvalidValue, NotFound
from domain.activity import Activity
from domain.aggregate import Aggregate, recording_with
from domain.claim import Claim
from domain.premium import PremiumTable
from domain.rt import RT

A = TypeVar("A", bound=Aggregate)
F = TypeVar("F", bound=Callable[..., Any])

LOG_PAGE = 500  # notifications per read when scanning the log


def command(method: F) -> F:
    """A command: its events timestamped by the application's clock (the system clock in production;
    a fixed one places demo and test history in time), its aggregates from the command cache, run
    once more on fresh ones if a kept copy may have misled it, its save in a group commit. A command
    called by another runs inside the caller's."""

    @wraps(method)
    def run(self: "ProgrammeStore", *args: Any, **kwargs: Any) -> Any:
        if in_command():
            return method(self, *args, **kwargs)
        with recording_with(self.clock.now), self._group_commit.command():
            return self._commands.run(lambda: method(self, *args, **kwargs))

    return run  # type: ignore[return-value]


@dataclass(frozen=True)
class HistoryEntry:
    event: Any
    changes: dict[str, tuple[Any, Any]]


def state_of(aggregate: Aggregate) -> dict[str, Any]:
    """An aggregate's business state: its public attributes, deep-copied so later events
    do not change a snapshot taken earlier."""
    return {key: deepcopy(value) for key, value in vars(aggregate).items() if not key.startswith("_")}


class ProgrammeStore(Application):
    # The store's name: PostgreSQL tables are prefixed ``kampungbahagia_``; existing stores keep it.
    name = "KampungBahagia"
    # Histories that grow without bound (an RT over the years, an Activity with many participants,
    # a Claim paid in many instalments) load from their latest snapshot plus at most this many
    # events. Snapshots live in their own table (``*_snapshots``), outside the notification log,
    # so read models and the feed never see them; ``history()`` and ``version_as_of`` read events.
    snapshotting_intervals = {RT: 50, Activity: 50, Claim: 50}

    def __init__(
        self,
        env: dict[str, str] | None = None,
        clock: SystemClock | None = None,
        premium_table: PremiumTable | None = None,
    ):
        env = store_env() if env is None else env
        with store_setup_lock(env):
            super().__init__(env=env)
        self.clock = clock or SystemClock()
        self.premium_table = premium_table or rules.premium_table()
        self._commands = CommandCache(self.repository, command_cache.size_of(self.env))
        self._group_commit = GroupCommit(self.mapper, self.recorder, group_commit.window_of(self.env))
        self._check_key()

    def _check_key(self) -> None:
        """Fail at start, with a message saying why, when the store's first event cannot be
        decoded: a wrong, missing or superfluous ``KAMPUNG_ENCRYPTION_KEY`` (AES-GCM refuses a
        wrong key; plaintext JSON is no ciphertext, and ciphertext is no JSON)."""
        first = self.recorder.select_notifications(start=1, limit=1)
        if not first:
            return
        try:
            self.mapper.to_domain_event(first[0])
        except ValueError:
            self.close()
            raise StoreUnreadable(
                "the stored events cannot be read with this configuration: check KAMPUNG_ENCRYPTION_KEY"
            ) from None

    def register_transcodings(self, transcoder: JSONTranscoder) -> None:
        super().register_transcodings(transcoder)
        transcodings.register(transcoder)

    def construct_snapshot_store(self) -> EventStore:
        transcoder = transcodings.SnapshotTranscoder()
        self.register_transcodings(transcoder)
        return self.factory.event_store(
            mapper=self.factory.mapper(transcoder=transcoder),
            recorder=self.factory.aggregate_recorder(purpose="snapshots"),
        )

    def construct_repository(self) -> ProgrammeRepository:
        # Not the library's aggregate cache: with ``AGGREGATE_CACHE_FASTFORWARD`` on it still reads the
        # store on every get (and deep-copies); off, it trusts a copy another server may have made stale,
        # for queries and consulted aggregates too, and keeps it after a conflict. See command_cache.py.
        return ProgrammeRepository(self.events, self.snapshots, snapshot_floor(self.snapshotting_intervals))

    def save(self, *objs: Any, **kwargs: Any) -> list[Recording]:
        """The library's ``save``, less its two runtime-protocol checks per object (slow on Python 3.11)
        when every object is one of the programme's aggregates."""
        if kwargs or not all(isinstance(obj, Aggregate) for obj in objs):
            return super().save(*objs, **kwargs)
        processing_event = ProcessingEvent()
        for aggregate in objs:
            processing_event.events.extend(aggregate.collect_events())
            processing_event.aggregates[aggregate.id] = aggregate
        recordings = self._record(processing_event)
        self._take_snapshots(processing_event)
        self._notify(recordings)
        self.notify(processing_event.events)  # the library's deprecated hook, called as its save does
        return recordings

    def _record(self, processing_event: ProcessingEvent) -> list[Recording]:
        """The library's step that writes a save's events: here through the group commit (what
        carries tracking, a process application's, is written as the library writes it)."""
        if processing_event.tracking or processing_event.saved_kwargs:
            return super()._record(processing_event)
        return self._group_commit.record(processing_event.events)

    # --- loading and saving -----------------------------------------------------------

    def _load(self, cls: type[A], aggregate_id: UUID, expected_version: int | None = None, *,
              changing: bool = False) -> A:
        """The aggregate as the store has it now. ``changing``: the one the command is about to save;
        in a command, a kept copy of it is used unread (saving it is what proves it current)."""
        try:
            if changing:
                aggregate = self._commands.changed(aggregate_id, expected_version)
            else:
                aggregate = self._commands.consulted(aggregate_id)
        except AggregateNotFoundError:
            raise NotFound(f"no {cls.__name__} with id {aggregate_id}") from None
        if not isinstance(aggregate, cls):
            raise NotFound(f"no {cls.__name__} with id {aggregate_id}")
        if expected_version is not None and aggregate.version != expected_version:
            raise ConcurrencyConflict(
                f"the {cls.__name__} was changed meanwhile (version {aggregate.version}, you saw {expected_version})"
            )
        return aggregate

    @contextmanager
    def _changing(self, cls: type[A], aggregate_id: UUID, expected_version: int | None = None) -> Iterator[A]:
        """The aggregate loaded (at the version the user saw), changed by the block, then saved,
        its events timestamped by the clock; nothing is saved when the block raises."""
        with recording_with(self.clock.now):
            aggregate = self._load(cls, aggregate_id, expected_version, changing=True)
            yield aggregate
            self._save(aggregate)

    def _create(self, aggregate: A, what: str) -> A:
        self._save(aggregate, created={aggregate.id: what})
        return aggregate

    def _save(self, *aggregates: Aggregate, created: dict[UUID, str] | None = None) -> list[Recording]:
        """Save in one transaction; returns the recordings (each event's position in the log). A new
        aggregate whose natural key is taken is ``AlreadyExists`` (the store's unique key decides,
        so two people creating the same thing at once are caught too); any other clash means
        someone changed an aggregate meanwhile."""
        authorization.ensure_events_within_rt(aggregates)
        with_events = [aggregate for aggregate in aggregates if aggregate.pending_events]
        try:
            recordings = self.save(*aggregates)
        except IntegrityError:
            for aggregate_id, what in (created or {}).items():
                if aggregate_id in self.repository:
                    raise AlreadyExists(f"{what} already exists", "id") from None
            raise ConcurrencyConflict("someone changed this meanwhile; reload and try again") from None
        self._commands.saved(with_events)
        return recordings

    def _check_not_future(self, day: Any, field: str) -> None:
        if day > self.clock.today():
            raise InvalidValue("the date cannot be in the future", field)

    # --- the past -----------------------------------------------------------------------

    def get_at(self, cls: type[A], aggregate_id: UUID, version: int | None = None) -> A:
        """The aggregate as it is now, or as it was at ``version`` (time travel)."""
        if version is None:
            return self._load(cls, aggregate_id)
        if version < 1:
            raise InvalidValue("version starts at 1", "version")
        current = self._load(cls, aggregate_id)
        if version > current.version:
            raise NotFound(f"{cls.__name__} {aggregate_id} has no version {version} (latest is {current.version})")
        return self.repository.get(aggregate_id, version=version)

    def version_as_of(self, aggregate_id: UUID, moment: datetime) -> int:
        """The aggregate's version at ``moment``: its last event recorded at or before it."""
        version = 0
        for stored in self.events.get(aggregate_id):
            if stored.timestamp > moment:
                break
            version = stored.originator_version
        if version == 0:
            raise NotFound(f"{aggregate_id} did not exist at {moment.isoformat()}")
        return version

    def history(self, aggregate_id: UUID) -> list[HistoryEntry]:
        """Each event of an aggregate with the state fields it changed (before → after)."""
        entries: list[HistoryEntry] = []
        aggregate = None
        before: dict[str, Any] = {}
        for stored in self.events.get(aggregate_id):
            aggregate = stored.mutate(aggregate)
            after = state_of(aggregate)
            changes = {
                key: (before.get(key), value) for key, value in after.items() if key not in before or before[key] != value
            }
            entries.append(HistoryEntry(event=stored, changes=changes))
            before = after
        if not entries:
            raise NotFound(f"no aggregate with id {aggregate_id}")
        return entries

    def aggregate_ids(self, event_class: type) -> list[UUID]:
        """The originator ids of every stored event of ``event_class``, in log order, read from the
        notification log (of a created event: every aggregate of its kind, in creation order)."""
        topic = get_topic(event_class)
        ids: list[UUID] = []
        start = 1
        while True:
            page = self.recorder.select_notifications(start=start, limit=LOG_PAGE, topics=[topic])
            ids.extend(UUID(str(n.originator_id)) for n in page)
            if len(page) < LOG_PAGE:
                return ids
            start = page[-1].id + 1
