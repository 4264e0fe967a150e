"""Running a year's plan (``bench/projections_plan.py``) with the domain's own methods, in time order.

The simulation walks the timelines; events are timestamped with the simulated moment, and every few
hundred aggregates their pending events are handed to a ``save``: the application's own
(``generate``: ``app.save``, events and snapshots as the application writes them) or the COPY
loader's (``bench/projections_loader.py``).
"""

from __future__ import annotations

import heapq
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from application import rules  # noqa: E402
from application.service import KampungBahagia  # noqa: E402
from bench.projections_plan import (  # noqa: E402
    END, UTC, WIB, ActivityPlan, ClaimPlan, RTPlan, YearPlan, local_day, plan_activity, plan_year,
)
from domain.activity import Activity  # noqa: E402
from domain.actor import Actor  # noqa: E402
from domain.aggregate import recording_with  # noqa: E402
from domain.benefits import AssessmentInputs  # noqa: E402
from domain.claim import Claim  # noqa: E402
from domain.period import Period  # noqa: E402
from domain.rt import RT  # noqa: E402

# Saving: a batch is saved when it holds this many aggregates or pending events.
SAVE_AGGREGATES = 300
SAVE_EVENTS = 4000


Save = Callable[[list[Any]], None]  # saves the pending events of these aggregates, in this order


class Simulation:
    """Walks the timelines in time order; events are timestamped with the simulated moment and saved
    a few hundred aggregates at a time."""

    def __init__(self, save: Save, year: YearPlan, progress: bool = True):
        self.save = save
        self.year = year
        self.now = datetime(2024, 12, 1, tzinfo=UTC)
        self.premium = rules.premium_table()
        self.dirty: dict[Any, Any] = {}
        self.pending = 0
        self.saves = 0
        self.aggregates = 0
        self.events = 0
        self.save_seconds = 0.0
        self.progress = progress

    def touch(self, aggregate: Any, events: int, new: bool = False) -> None:
        self.dirty[aggregate.id] = aggregate
        self.pending += events
        self.aggregates += new

    def flush(self) -> None:
        if not self.dirty:
            return
        started = time.perf_counter()
        self.save(list(self.dirty.values()))
        self.save_seconds += time.perf_counter() - started
        self.saves += 1
        self.events += self.pending
        self.dirty.clear()
        self.pending = 0

    def run(self) -> None:
        heap: list[tuple[datetime, int, Any]] = []
        seq = 0
        for rt in self.year.rts:
            process = RTLife(self, rt).process()
            heap.append((next(process), seq, process))
            seq += 1
        for moment, rt_index, sequence, start in self.year.activities:
            heap.append((moment, seq, (rt_index, sequence, start)))
            seq += 1
        heapq.heapify(heap)
        started, shown = time.perf_counter(), 0
        with recording_with(lambda: self.now):
            while heap:
                moment, _, item = heapq.heappop(heap)
                self.now = moment
                if isinstance(item, tuple):  # an activity's first step: plan its details now
                    rt_index, sequence, start = item
                    plan = plan_activity(self.year.rts[rt_index], sequence, start)
                    life = ActivityLife(self, plan)
                    for claim in plan.claims:
                        process = ClaimLife(self, life, claim).process()
                        first = next(process, None)
                        if first is not None:
                            heapq.heappush(heap, (first, seq, process))
                            seq += 1
                    item = life.process()
                    next(item)
                following = next(item, None)
                if following is not None:
                    heapq.heappush(heap, (following, seq, item))
                    seq += 1
                if len(self.dirty) >= SAVE_AGGREGATES or self.pending >= SAVE_EVENTS:
                    self.flush()
                    if self.progress and self.events - shown >= self.year.events // 10:
                        shown = self.events
                        elapsed = time.perf_counter() - started
                        print(f"  … {self.events:>9,} events, {moment + WIB:%Y-%m-%d}, {elapsed:6.1f} s, "
                              f"{self.events / elapsed:,.0f} events/s", flush=True)
            self.flush()


class Life:
    """One aggregate's life: the actions of its plan's timeline, each a method of the life, run at
    its moment (the simulation resumes ``process`` at each moment it yields)."""

    created_by: str  # the action that creates the aggregate

    def __init__(self, sim: Simulation, spec: RTPlan | ActivityPlan | ClaimPlan):
        self.sim = sim
        self.spec = spec

    @property
    def aggregate(self) -> Any:
        raise NotImplementedError

    def process(self) -> Iterator[datetime]:
        for moment, events, action, args in self.spec.timeline:
            if moment >= END:
                return
            yield moment
            getattr(self, action)(*args)
            self.sim.touch(self.aggregate, events, new=action == self.created_by)


class RTLife(Life):
    created_by = "register"

    @property
    def aggregate(self) -> RT:
        return self.spec.rt

    def register(self, place: Any, number: int, admin: Actor) -> None:
        self.spec.rt = RT.register(place=place, rt_number=number, actor=admin)

    def appoint(self, who: int, day: date, phone: str, admin: Actor) -> None:
        nik, name = self.spec.pool[who]
        self.spec.rt.appoint_ketua_rt(nik=nik, name=name, phone=phone, appointed_on=day, actor=admin)

    def enrol(self, phase: str, day: date, admin: Actor) -> None:
        self.spec.rt.enrol(phase=phase, from_date=day, actor=admin)

    def musyawarah(self, day: date, priorities: list[str]) -> None:
        self.spec.rt.hold_musyawarah(held_on=day, priorities=priorities, actor=self.spec.actor)

    def launch(self, day: date, admin: Actor) -> None:
        self.spec.rt.launch(launched_on=day, actor=admin)


class ActivityLife(Life):
    created_by = "plan"

    def __init__(self, sim: Simulation, plan: ActivityPlan):
        super().__init__(sim, plan)
        self.rt = plan.rt
        self.activity: Activity | None = None

    @property
    def aggregate(self) -> Activity | None:
        return self.activity

    def _assess(self, admin: Actor) -> None:
        activity = self.activity
        rule = self.sim.premium.rule_on(activity.planned_period.start)
        activity.assess_premium(rule.assess(activity.total_value), actor=admin)

    def plan(self, title: str, kind: str, location: str, value: Decimal, period: Period, admin: Actor) -> None:
        self.activity = Activity.plan(rt=self.rt.rt, title=title, kind=kind, location=location, total_value=value,
                                      planned_period=period, actor=admin)
        self._assess(admin)

    def revise(self, value: Decimal, reason: str, admin: Actor) -> None:
        self.activity.revise_value(total_value=value, reason=reason, actor=admin)
        self._assess(admin)

    def letter(self, number: str, issued_on: date, period: Period) -> None:
        rt = self.rt.rt
        reservation = self.activity.issue_task_letter(
            rt=rt, number=number, issued_on=issued_on, cover_period=period, issued_by_nik=rt.ketua.nik,
            today=local_day(self.sim.now), actor=self.rt.actor,
        )
        self.sim.touch(reservation, 0, new=True)  # its one event is counted with the letter

    def join(self, joiners: list[tuple[int, str]]) -> None:
        sim, activity, ketua = self.sim, self.activity, self.rt.rt.ketua
        for p, role in joiners:
            nik, name = (ketua.nik, ketua.name) if p < 0 else self.rt.pool[p]
            activity.join_participant(nik=nik, name=name, role=role, now=sim.now, actor=self.rt.actor)
            sim.now += timedelta(minutes=1)

    def pay(self, part: str, reference: str, admin: Actor) -> None:
        activity = self.activity
        amount = activity.premium.total // 2 if part == "half" else activity.premium_outstanding
        today = local_day(self.sim.now)
        activity.record_premium_payment(amount=amount, reference=reference, paid_on=today, today=today, actor=admin)

    def withdraw(self, p: int, reason: str) -> None:
        self.activity.withdraw_participant(nik=self.rt.pool[p][0], reason=reason, now=self.sim.now,
                                           actor=self.rt.actor)

    def cancel(self, reason: str) -> None:
        self.activity.cancel(reason=reason, now=self.sim.now, actor=self.rt.actor)

    def complete(self, admin: Actor) -> None:
        self.activity.complete(now=self.sim.now, actor=admin)


class ClaimLife(Life):
    created_by = "report"

    def __init__(self, sim: Simulation, activity: ActivityLife, plan: ClaimPlan):
        super().__init__(sim, plan)
        self.activity = activity
        self.claim: Claim | None = None

    @property
    def aggregate(self) -> Claim | None:
        return self.claim

    def report(self, nik: str, incident: datetime, kind: str, chronology: str, reporter: str) -> None:
        self.claim = Claim.report(
            activity=self.activity.activity, nik=nik, incident_at=incident, kind=kind, chronology=chronology,
            reporter=reporter, now=self.sim.now, actor=self.activity.rt.actor,
        )

    def confirm(self, officer: Actor) -> None:
        self.claim.confirm_coverage(self.activity.activity, actor=officer)

    def deny(self, reason: str, officer: Actor) -> None:
        self.claim.deny_coverage(reason=reason, actor=officer)

    def document(self, document: str, officer: Actor) -> None:
        self.claim.receive_document(document=document, actor=officer)

    def assess(self, inputs: AssessmentInputs, officer: Actor) -> None:
        self.claim.assess(inputs=inputs, tables=rules.benefit_tables(), actor=officer)

    def approve(self, officer: Actor) -> None:
        self.claim.approve(actor=officer)

    def reject(self, reason: str, officer: Actor) -> None:
        self.claim.reject(reason=reason, actor=officer)

    def santunan(self, benefit: str, amount: Decimal, beneficiary: str, reference: str, officer: Actor) -> None:
        today = local_day(self.sim.now)
        self.claim.pay_santunan(benefit=benefit, amount=amount, beneficiary=beneficiary, reference=reference,
                                paid_on=today, today=today, actor=officer)

    def close(self, officer: Actor) -> None:
        self.claim.close(actor=officer)


@dataclass
class Generated:
    events: int
    aggregates: int
    saves: int
    seconds: float
    save_seconds: float
    plan_seconds: float

    @property
    def rate(self) -> float:
        return self.events / self.seconds


def generate(app: KampungBahagia, target_events: int, n_rts: int, save: Save | None = None,
             saved: Callable[[], None] = lambda: None, progress: bool = True) -> Generated:
    """A year of at least ``target_events`` events over ``n_rts`` RTs, saved by ``save`` (default: the
    application's ``app.save``, one transaction per batch, snapshots as the application takes them);
    ``saved`` runs after the last batch."""
    started = time.perf_counter()
    year = plan_year(target_events, n_rts)
    plan_seconds = time.perf_counter() - started
    if progress:
        print(f"  plan: {len(year.rts):,} RTs, {len(year.activities):,} activities, {year.claims:,} claims, "
              f"{year.events:,} events ({plan_seconds:.1f} s)", flush=True)
    sim = Simulation(save or (lambda aggregates: app.save(*aggregates)), year, progress)
    started = time.perf_counter()
    sim.run()
    saved()
    seconds = time.perf_counter() - started
    written = app.recorder.max_notification_id() or 0
    if sim.events != year.events or written != year.events:
        print(f"  !! planned {year.events} events, saved {sim.events}, the log holds {written}", file=sys.stderr)
    return Generated(sim.events, sim.aggregates, sim.saves, seconds, sim.save_seconds, plan_seconds)
