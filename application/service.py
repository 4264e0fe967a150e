"""The programme's application service: one method per use case.

Each command loads the aggregates it needs, asks them to act (they check the rules), and
saves every resulting event in one transaction. Nothing is recorded when a rule refuses.
"""

from collections.abc import Callable, Iterable, Sequence
from copy import deepcopy
from dataclasses import dataclass
from functools import wraps
from datetime import date, datetime
from typing import Any, TypeVar
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, Application
from eventsourcing.persistence import EventStore, IntegrityError, JSONTranscoder
from eventsourcing.utils import get_topic

from application import authorization, rules, transcodings
from application.accounts import Accounts
from application.clock import SystemClock
from application.config import store_env, store_setup_lock
from application.errors import AlreadyExists, ConcurrencyConflict, NotFound, StoreUnreadable
from domain.activity import Activity, TaskLetter
from domain.aggregate import Aggregate, recording_with
from domain.actor import Actor
from domain.benefits import Assessment, AssessmentInputs
from domain.claim import Claim
from domain.errors import InvalidValue
from domain.money import rupiah
from domain.nik import parse_nik
from domain.period import Period
from domain.premium import PremiumBreakdown, PremiumTable
from domain.rt import RT, rt_code

A = TypeVar("A", bound=Aggregate)
F = TypeVar("F", bound=Callable[..., Any])

LOG_PAGE = 500  # notifications per read when scanning the log


def command(method: F) -> F:
    """Run a command with events timestamped by the application's clock (the system clock in
    production; a fixed one places demo and test history in time)."""

    @wraps(method)
    def run(self: "KampungBahagia", *args: Any, **kwargs: Any) -> Any:
        with recording_with(self.clock.now):
            return method(self, *args, **kwargs)

    return run  # type: ignore[return-value]


@dataclass(frozen=True)
class HistoryEntry:
    event: Any
    changes: dict[str, tuple[Any, Any]]


def state_of(aggregate: Aggregate) -> dict[str, Any]:
    """An aggregate's business state: its public attributes, deep-copied so later events
    do not change a snapshot taken earlier."""
    return {key: deepcopy(value) for key, value in vars(aggregate).items() if not key.startswith("_")}


class KampungBahagia(Accounts, Application):
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

    # --- plumbing -------------------------------------------------------------------

    def _load(self, cls: type[A], aggregate_id: UUID, expected_version: int | None = None) -> A:
        try:
            aggregate = self.repository.get(aggregate_id)
        except AggregateNotFoundError:
            raise NotFound(f"no {cls.__name__} with id {aggregate_id}") from None
        if not isinstance(aggregate, cls):
            raise NotFound(f"no {cls.__name__} with id {aggregate_id}")
        if expected_version is not None and aggregate.version != expected_version:
            raise ConcurrencyConflict(
                f"the {cls.__name__} was changed meanwhile (version {aggregate.version}, you saw {expected_version})"
            )
        return aggregate

    def _create(self, aggregate: A, what: str) -> A:
        self._save(aggregate, created={aggregate.id: what})
        return aggregate

    def _save(self, *aggregates: Aggregate, created: dict[UUID, str] | None = None) -> None:
        """Save in one transaction. A new aggregate whose natural key is taken is ``AlreadyExists``
        (the store's unique key decides, so two people creating the same thing at once are
        caught too); any other clash means someone changed an aggregate meanwhile."""
        authorization.ensure_events_within_rt(aggregates)
        try:
            self.save(*aggregates)
        except IntegrityError:
            for aggregate_id, what in (created or {}).items():
                if aggregate_id in self.repository:
                    raise AlreadyExists(f"{what} already exists", "id") from None
            raise ConcurrencyConflict("someone changed this meanwhile; reload and try again") from None

    def _now(self) -> datetime:
        return self.clock.now()

    # --- queries --------------------------------------------------------------------

    def get_rt(self, rt_id: UUID, version: int | None = None) -> RT:
        return self._get_at(RT, rt_id, version)

    def get_activity(self, activity_id: UUID, version: int | None = None) -> Activity:
        return self._get_at(Activity, activity_id, version)

    def get_claim(self, claim_id: UUID, version: int | None = None) -> Claim:
        return self._get_at(Claim, claim_id, version)

    def _get_at(self, cls: type[A], aggregate_id: UUID, version: int | None) -> A:
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

    def rt_ids(self) -> list[UUID]:
        """Every registered RT, in registration order."""
        return self.aggregate_ids(RT.RTRegistered)

    def rt_id_for(self, kelurahan_code: str, rt_number: int) -> UUID:
        return RT.create_id(rt_code(kelurahan_code, rt_number))

    def premium_quote(self, value: object, on: date | None = None) -> PremiumBreakdown:
        return self.premium_table.rule_on(on or self.clock.today()).assess(rupiah(value, "value"))

    def coverage(self, activity_id: UUID, nik: str, at: datetime) -> TaskLetter | None:
        return self._load(Activity, activity_id).cover_for(parse_nik(nik), at)

    # --- RT -------------------------------------------------------------------------

    @command
    def register_rt(self, kelurahan_code: str, rt_number: int, actor: Actor) -> UUID:
        place = rules.places().get(kelurahan_code)
        if place is None:
            raise InvalidValue(f"{kelurahan_code!r} is not a kelurahan of Kota Jambi", "kelurahan_code")
        rt = RT.register(place=place, rt_number=rt_number, actor=actor)
        return self._create(rt, f"RT {rt.code}").id

    @command
    def appoint_ketua_rt(
        self, rt_id: UUID, nik: str, name: str, phone: str, appointed_on: date, actor: Actor,
        expected_version: int | None = None,
    ) -> None:
        rt = self._load(RT, rt_id, expected_version)
        self._check_not_future(appointed_on, "appointed_on")
        rt.appoint_ketua_rt(nik=nik, name=name, phone=phone, appointed_on=appointed_on, actor=actor)
        self._save(rt)

    @command
    def enrol_rt(
        self, rt_id: UUID, phase: str, from_date: date, actor: Actor, expected_version: int | None = None
    ) -> None:
        rt = self._load(RT, rt_id, expected_version)
        rt.enrol(phase=phase, from_date=from_date, actor=actor)
        self._save(rt)

    @command
    def hold_musyawarah(
        self, rt_id: UUID, held_on: date, priorities: Sequence[str], actor: Actor,
        expected_version: int | None = None,
    ) -> None:
        rt = self._load(RT, rt_id, expected_version)
        self._check_not_future(held_on, "held_on")
        rt.hold_musyawarah(held_on=held_on, priorities=list(priorities), actor=actor)
        self._save(rt)

    @command
    def launch_rt(self, rt_id: UUID, launched_on: date, actor: Actor, expected_version: int | None = None) -> None:
        rt = self._load(RT, rt_id, expected_version)
        self._check_not_future(launched_on, "launched_on")
        rt.launch(launched_on=launched_on, actor=actor)
        self._save(rt)

    def _check_not_future(self, day: date, field: str) -> None:
        if day > self.clock.today():
            raise InvalidValue("the date cannot be in the future", field)

    # --- Activity -------------------------------------------------------------------

    @command
    def plan_activity(
        self, rt_id: UUID, title: str, kind: str, location: str, total_value: object,
        planned_period: Period, actor: Actor,
    ) -> UUID:
        rt = self._load(RT, rt_id)
        activity = Activity.plan(
            rt=rt, title=title, kind=kind, location=location, total_value=total_value,
            planned_period=planned_period, actor=actor,
        )
        self._assess_premium(activity, actor)
        return self._create(activity, f"activity {activity.title!r} starting {planned_period.start}").id

    def _assess_premium(self, activity: Activity, actor: Actor) -> None:
        # The rate in force when the work starts applies, so a past period is assessed at its own rate.
        rule = self.premium_table.rule_on(activity.planned_period.start)
        activity.assess_premium(rule.assess(activity.total_value), actor=actor)

    @command
    def issue_task_letter(
        self, activity_id: UUID, number: str, issued_on: date, cover_period: Period, issued_by_nik: str,
        actor: Actor, expected_version: int | None = None,
    ) -> None:
        activity = self._load(Activity, activity_id, expected_version)
        rt = self._load(RT, activity.rt_id)
        reservation = activity.issue_task_letter(
            rt=rt, number=number, issued_on=issued_on, cover_period=cover_period, issued_by_nik=issued_by_nik,
            today=self.clock.today(), actor=actor,
        )
        self._save(activity, reservation, created={reservation.id: f"task letter number {reservation.number}"})

    def join_participant(
        self, activity_id: UUID, nik: str, name: str, role: str, actor: Actor, expected_version: int | None = None
    ) -> None:
        self.join_participants(activity_id, [(nik, name, role)], actor, expected_version)

    @command
    def join_participants(
        self, activity_id: UUID, rows: Iterable[tuple[str, str, str]], actor: Actor,
        expected_version: int | None = None,
    ) -> None:
        """Join several participants at once: all are recorded, or none if any row is refused."""
        activity = self._load(Activity, activity_id, expected_version)
        now = self._now()
        for nik, name, role in rows:
            activity.join_participant(nik=nik, name=name, role=role, now=now, actor=actor)
        self._save(activity)

    @command
    def withdraw_participant(
        self, activity_id: UUID, nik: str, reason: str, actor: Actor, expected_version: int | None = None
    ) -> None:
        activity = self._load(Activity, activity_id, expected_version)
        activity.withdraw_participant(nik=nik, reason=reason, now=self._now(), actor=actor)
        self._save(activity)

    @command
    def record_premium_payment(
        self, activity_id: UUID, amount: object, reference: str, paid_on: date, actor: Actor,
        expected_version: int | None = None,
    ) -> None:
        activity = self._load(Activity, activity_id, expected_version)
        activity.record_premium_payment(
            amount=amount, reference=reference, paid_on=paid_on, today=self.clock.today(), actor=actor
        )
        self._save(activity)

    @command
    def revise_value(
        self, activity_id: UUID, total_value: object, reason: str, actor: Actor, expected_version: int | None = None
    ) -> None:
        activity = self._load(Activity, activity_id, expected_version)
        activity.revise_value(total_value=total_value, reason=reason, actor=actor)
        self._assess_premium(activity, actor)
        self._save(activity)

    @command
    def complete_activity(self, activity_id: UUID, actor: Actor, expected_version: int | None = None) -> None:
        activity = self._load(Activity, activity_id, expected_version)
        activity.complete(now=self._now(), actor=actor)
        self._save(activity)

    @command
    def cancel_activity(
        self, activity_id: UUID, reason: str, actor: Actor, expected_version: int | None = None
    ) -> None:
        activity = self._load(Activity, activity_id, expected_version)
        activity.cancel(reason=reason, now=self._now(), actor=actor)
        self._save(activity)

    # --- Claim ----------------------------------------------------------------------

    @command
    def report_accident(
        self, activity_id: UUID, nik: str, incident_at: datetime, kind: str, chronology: str, reporter: str,
        actor: Actor, participant_name: str | None = None, location: str | None = None,
    ) -> UUID:
        activity = self._load(Activity, activity_id)
        claim = Claim.report(
            activity=activity, nik=nik, incident_at=incident_at, kind=kind, chronology=chronology,
            reporter=reporter, now=self._now(), actor=actor, participant_name=participant_name, location=location,
        )
        return self._create(claim, "a claim for this participant and incident").id

    @command
    def confirm_coverage(self, claim_id: UUID, actor: Actor, expected_version: int | None = None) -> None:
        claim = self._load(Claim, claim_id, expected_version)
        claim.confirm_coverage(self._load(Activity, claim.activity_id), actor=actor)
        self._save(claim)

    def deny_coverage(self, claim_id: UUID, reason: str, actor: Actor, expected_version: int | None = None) -> None:
        self._on_claim(claim_id, expected_version, "deny_coverage", reason=reason, actor=actor)

    def receive_document(
        self, claim_id: UUID, document: str, actor: Actor, expected_version: int | None = None
    ) -> None:
        self.receive_documents(claim_id, [document], actor, expected_version)

    @command
    def receive_documents(
        self, claim_id: UUID, documents: Sequence[str], actor: Actor, expected_version: int | None = None
    ) -> None:
        """Tick several documents at once: all are recorded, or none if any is refused."""
        claim = self._load(Claim, claim_id, expected_version)
        for document in documents:
            claim.receive_document(document=document, actor=actor)
        self._save(claim)

    def preview_assessment(self, claim_id: UUID, inputs: AssessmentInputs) -> Assessment:
        """The assessment ``assess_claim`` would record for these inputs, without recording it."""
        return self._load(Claim, claim_id).preview_assessment(inputs, rules.benefit_tables())

    def assess_claim(
        self, claim_id: UUID, inputs: AssessmentInputs, actor: Actor, expected_version: int | None = None
    ) -> None:
        self._on_claim(claim_id, expected_version, "assess", inputs=inputs, tables=rules.benefit_tables(), actor=actor)

    def approve_claim(self, claim_id: UUID, actor: Actor, expected_version: int | None = None) -> None:
        self._on_claim(claim_id, expected_version, "approve", actor=actor)

    def reject_claim(self, claim_id: UUID, reason: str, actor: Actor, expected_version: int | None = None) -> None:
        self._on_claim(claim_id, expected_version, "reject", reason=reason, actor=actor)

    def pay_santunan(
        self, claim_id: UUID, benefit: str, amount: object, beneficiary: str, reference: str, paid_on: date,
        actor: Actor, expected_version: int | None = None,
    ) -> None:
        self._on_claim(
            claim_id, expected_version, "pay_santunan", benefit=benefit, amount=amount, beneficiary=beneficiary,
            reference=reference, paid_on=paid_on, today=self.clock.today(), actor=actor,
        )

    def waive_outstanding(self, claim_id: UUID, reason: str, actor: Actor, expected_version: int | None = None) -> None:
        self._on_claim(claim_id, expected_version, "waive_outstanding", reason=reason, actor=actor)

    def close_claim(self, claim_id: UUID, actor: Actor, expected_version: int | None = None) -> None:
        self._on_claim(claim_id, expected_version, "close", actor=actor)

    @command
    def _on_claim(self, claim_id: UUID, expected_version: int | None, step: str, **kwargs: Any) -> None:
        claim = self._load(Claim, claim_id, expected_version)
        getattr(claim, step)(**kwargs)
        self._save(claim)
