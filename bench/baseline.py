"""The baselines the command benchmarks are judged against: the bare eventsourcing library writing
the workload's events (the same aggregates, the same events per save, a similar payload) with a
trivial aggregate, no rules, no checks.

- append: the aggregates stay in memory; each command is one ``save``.
- get+save: each command first reloads the aggregate it changes with ``repository.get``.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from eventsourcing.application import Application
from eventsourcing.domain import Aggregate, event

from bench.workload import Shape


class Thing(Aggregate):
    @event("Created")
    def __init__(self, data: str):
        self.data = data
        self.count = 0

    @event("Happened")
    def happen(self, data: str) -> None:
        self.count += 1


class Baseline(Application):
    name = "Baseline"


def padding(target_bytes: float, created_share: float) -> int:
    """How long ``data`` must be for the baseline's events to store about ``target_bytes`` each on average,
    when ``created_share`` of them create an aggregate (a creation event also stores the aggregate's topic)."""
    app = Baseline(env={"PERSISTENCE_MODULE": "eventsourcing.popo"})
    thing = Thing(data="")
    thing.happen(data="")
    created, happened = (len(app.mapper.to_stored_event(e).state) for e in thing.collect_events())
    return max(0, round(target_bytes - (created_share * created + (1 - created_share) * happened)))


class BareLibrary:
    """Writes the shapes of the workload through a bare ``Application``, chunk after chunk on one store."""

    def __init__(self, app: Baseline, pad: int, reload: bool):
        self.app = app
        self.data = "x" * pad
        self.reload = reload
        self.things: dict[tuple[Any, ...], Thing] = {}
        self.ids: dict[tuple[Any, ...], UUID] = {}

    def save(self, shape: Shape) -> None:
        """One command: the aggregates of ``shape`` (reloaded first, if so asked) with their new events, saved."""
        changed = []
        for key, count in shape:
            thing = self.things.get(key)
            if thing is None:
                thing = Thing(data=self.data)
                self.ids[key] = thing.id
                count -= 1
            elif self.reload:
                thing = self.app.repository.get(self.ids[key])
            for _ in range(count):
                thing.happen(data=self.data)
            self.things[key] = thing
            changed.append(thing)
        self.app.save(*changed)
