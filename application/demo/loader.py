"""Loading the demo into a store: the plan's steps up to the start of today, through the service.

Only the service's public commands are used, so every rule of the programme holds on the demo data
as on real input. The service's ``FixedClock`` is put at each step's moment, never later than the
start of ``today`` (so never in the future), and left at the real now afterwards.
"""

from collections.abc import Callable
from datetime import date, datetime, timezone

from application.clock import FixedClock
from application.demo.plan import build_plan
from application.demo.steps import Step, steps
from application.demo.timeline import EARLIEST_TODAY, at
from application.service import KampungBahagia
from domain.errors import InvalidValue
from domain.period import local_day


class DemoLoad:
    """The demo's history up to ``today`` for ``service``'s store: ``total`` steps, done by ``run``.

    The same ``today`` gives the same events with the same ids, at whatever hour it runs: the
    history stops at 00:00 WIB of that day. A run after an interrupted one, or again, does only what
    is missing; a later ``today`` adds the days in between (the plan of a later day begins as the
    plan of an earlier one).
    """

    def __init__(self, service: KampungBahagia, clock: FixedClock, today: date):
        if service.clock is not clock:
            raise ValueError("the demo needs the service's own FixedClock")
        real_today = local_day(datetime.now(timezone.utc))
        if not EARLIEST_TODAY <= today <= real_today:
            raise InvalidValue(
                f"the demo's today must be between {EARLIEST_TODAY.isoformat()} and {real_today.isoformat()} "
                "(today in WIB)", "today",
            )
        self.service, self.clock, self.today = service, clock, today
        start_of_today = at(today, 0)
        planned = steps(build_plan(today))
        self.due: list[Step] = [step for step in planned if step.moment < start_of_today]
        self.later = len(planned) - len(self.due)  # steps of the weeks after today, for a later run

    @property
    def total(self) -> int:
        return len(self.due)

    def run(self, advance: Callable[[int], None] = lambda steps: None) -> int:
        """Do every step not yet done, calling ``advance(1)`` after each; returns the events added."""
        service = self.service
        real_now = datetime.now(timezone.utc)
        before = service.recorder.max_notification_id() or 0
        # Every step records events dated at its moment: one after the store's newest event has not
        # run yet, and needs no check (on a fresh store, none does).
        newest = self._newest_event_at()
        try:
            for step in self.due:
                if newest is None or step.moment > newest or not step.done(service):
                    self.clock.set(step.moment)
                    step.run(service)
                advance(1)
        finally:
            self.clock.set(real_now)
        return (service.recorder.max_notification_id() or 0) - before

    def _newest_event_at(self) -> datetime | None:
        head = self.service.recorder.max_notification_id()
        if not head:
            return None
        newest = self.service.recorder.select_notifications(start=head, limit=1)
        return self.service.mapper.to_domain_event(newest[0]).timestamp
