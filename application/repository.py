"""Loading an aggregate from the store, minus two costs the library's repository pays on every load.

- The library's projector asserts ``isinstance(event, CanMutateProtocol)`` for each event, a
  runtime-checkable protocol that is slow on Python 3.11; every event of this project is an
  aggregate event with ``mutate``, so events are applied directly.
- With snapshots on, each load first asks the snapshot table, although an aggregate below the
  snapshotting interval has no snapshot worth reading. So the first ``interval`` events are read
  first: fewer than that is the whole history, replayed without asking for a snapshot (events are
  the truth, a snapshot only a shortcut, so skipping one is always sound); a longer history loads
  from its latest snapshot as before, having read one page of rows it does not decode.
"""

from collections.abc import Iterable
from typing import Any

from eventsourcing.application import AggregateNotFoundError, ProjectorFunction, Repository
from eventsourcing.persistence import EventStore

from domain.aggregate import Aggregate


def replay(aggregate: Aggregate | None, events: Iterable[Any]) -> Aggregate | None:
    """Apply ``events`` to ``aggregate`` (None: from the start), in order."""
    for event in events:
        aggregate = event.mutate(aggregate)
    return aggregate


def fast_forward(event_store: EventStore, aggregate: Aggregate) -> Aggregate:
    """``aggregate`` brought up to the store's latest version: one query for the events after its own."""
    for event in event_store.get(aggregate.id, gt=aggregate.version):
        aggregate = event.mutate(aggregate)
    return aggregate


class ProgrammeRepository(Repository):
    def __init__(self, event_store: EventStore, snapshot_store: EventStore | None, snapshot_interval: int | None):
        super().__init__(event_store=event_store, snapshot_store=snapshot_store)
        self.snapshot_interval = snapshot_interval if snapshot_store is not None else None

    def get(self, aggregate_id: Any, *, version: int | None = None,
            projector_func: ProjectorFunction[Any, Any] = replay, **kwargs: Any) -> Any:
        return super().get(aggregate_id, version=version, projector_func=projector_func, **kwargs)

    def _reconstruct_aggregate(self, aggregate_id: Any, version: int | None,
                               projector_func: ProjectorFunction[Any, Any]) -> Any:
        # The library's hook (eventsourcing 9.5) behind ``get`` for the latest and past versions alike.
        if self.snapshot_interval is not None:
            first = self.event_store.recorder.select_events(aggregate_id, lte=version, limit=self.snapshot_interval)
            if len(first) < self.snapshot_interval:
                aggregate = projector_func(None, map(self.event_store.mapper.to_domain_event, first))
                if aggregate is None:
                    raise AggregateNotFoundError(f"Aggregate {aggregate_id!r} version {version!r} not found.")
                return aggregate
        return super()._reconstruct_aggregate(aggregate_id, version, projector_func)


def snapshot_floor(intervals: dict[type, int]) -> int | None:
    """The fewest events after which any aggregate may have been snapshotted automatically."""
    return min(intervals.values()) if intervals else None

