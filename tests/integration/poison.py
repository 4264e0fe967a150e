"""Events a read model cannot apply, made without sending them through a form or the API (whose
checks keep such values out): each as the read models meet one in a store."""

from collections import Counter
from collections.abc import Iterable
from decimal import Decimal
from uuid import UUID

from domain.activity import Activity
from domain.aggregate import recording_with
from projections.readmodel import ProjectionError, ReadModel
from tests.integration import raw_store
from tests.integration.conftest import ADMIN, COVER

NUL_TITLE = "nul\u0000byte"


def plan_poisoned_activity(app, rt_id: UUID, title: str = NUL_TITLE) -> UUID:
    """An activity whose title holds a NUL, recorded as the application records any event: the
    aggregate's own ``@event`` (skipping ``Activity.plan``'s checks), saved by the application."""
    rt = app.get_rt(rt_id)
    with recording_with(app.clock.now):
        activity = Activity(
            rt_id=rt.id, rt_code=rt.code, title=title, kind="drainage", location="Jl. Sipin Ujung",
            total_value=Decimal(10_000_000), planned_period=COVER, actor=ADMIN,
        )
    app.save(activity)
    return activity.id


def make_undecodable(env: dict[str, str], at: int) -> None:
    """The stored event at ``at`` (a Ketua RT's appointment) damaged so it no longer decodes."""
    raw_store.replace_in_state(env, at, b'"Budi Santoso"', b'"Budi \xff')


def repair(env: dict[str, str], at: int) -> None:
    """What ``make_undecodable`` did, undone (the event restored from a backup)."""
    raw_store.replace_in_state(env, at, b'"Budi \xff', b'"Budi Santoso"')


class Broken:
    """A read model's handler raising ``ProjectionError`` (as for a row an event refers to that is
    missing) for the events at ``positions``, ``times`` times each (forever by default), until fixed.
    ``calls`` counts the handler's calls per position, of every event."""

    def __init__(self, model: ReadModel, positions: Iterable[int], times: int | None = None):
        self.model, self.positions, self.times = model, set(positions), times
        self.calls: Counter[int] = Counter()
        self._original = model.apply
        model.apply = self._apply  # type: ignore[method-assign]  # this instance's only

    def _apply(self, event, position, rows) -> None:  # type: ignore[no-untyped-def]
        self.calls[position] += 1
        if position in self.positions and (self.times is None or self.calls[position] <= self.times):
            raise ProjectionError(f"no row for the event at position {position}")
        self._original(event, position, rows)

    def fix(self) -> None:
        del self.model.apply
