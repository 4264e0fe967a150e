"""Who may use which page and endpoint: ONE policy table, enforced before every request.

Each endpoint names the roles that may read it (GET/HEAD) and those that may change through it
(POST/PUT/PATCH/DELETE); an endpoint missing from the table is refused to everyone, so a new
route stays closed until someone decides who may use it. ``ANONYMOUS`` in a rule makes it public.

The roles (domain/actor.py):

- ``admin`` runs the programme: everything.
- ``ketua_rt`` their own RT only: its page, musyawarah, activities, task letters, participants.
  Which RT a request concerns is the data's business (``application/authorization.py``); here
  only the route is judged, and the RT in the URL is checked against the Ketua RT's own.
- ``claim_officer`` claims and coverage look-ups, reading RTs and activities to handle a claim.
- ``auditor`` reads everything (the event feed included), changes nothing.
- ``integrator`` the event feed and webhooks of the API, nothing else; of the webhook subscriptions,
  only their own (which subscription is whose is the data's business: ``domain/webhook.py``).

Every signed-in account, whatever its role: its own password page.

Public: signing in and out, static files, ``/healthz`` (a load balancer's probe; positions, lags
and numbers of parked events only)
and the API's description (the OpenAPI document and its Swagger UI): it describes, holds no data,
and integrators need it before they have a token.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from flask import Flask, current_app, g, request

from application import authorization
from application.errors import NotPermitted
from domain.actor import Actor
from interfaces.services import kampung

ANONYMOUS = "anonymous"
READING_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

ADMIN = frozenset({"admin"})
EVERYONE = frozenset({ANONYMOUS, "admin", "ketua_rt", "claim_officer", "auditor", "integrator"})
RT_WORK = ADMIN | {"ketua_rt"}
CLAIM_WORK = ADMIN | {"claim_officer"}
AUDIT = ADMIN | {"auditor"}
CASE_READERS = ADMIN | {"ketua_rt", "claim_officer", "auditor"}
CITY_READERS = ADMIN | {"claim_officer", "auditor"}
FEED = AUDIT | {"integrator"}
SIGNED_IN = EVERYONE - {ANONYMOUS}


@dataclass(frozen=True)
class Rule:
    read: frozenset[str] = frozenset()
    write: frozenset[str] = frozenset()

    def allows(self, role: str, method: str) -> bool:
        return role in (self.read if method in READING_METHODS else self.write)


def reads(roles: frozenset[str]) -> Rule:
    return Rule(read=roles)


def writes(roles: frozenset[str]) -> Rule:
    return Rule(write=roles)


def form(roles: frozenset[str]) -> Rule:
    """A page whose GET shows a form and whose POST sends it: only those who may send it see it."""
    return Rule(read=roles, write=roles)


DENIED = Rule()

POLICY: dict[str, Rule] = {
    # --- public -------------------------------------------------------------------------
    "actor.sign_in": form(EVERYONE),
    "actor.sign_out": writes(EVERYONE),
    "static": reads(EVERYONE),
    # --- every account: its own password --------------------------------------------------
    "account.change_password": form(SIGNED_IN),
    "rts.health": reads(EVERYONE),
    "api_docs.index": reads(EVERYONE),
    "api_docs.asset": reads(EVERYONE),
    "api_docs.openapi_json": reads(EVERYONE),
    # --- web pages ------------------------------------------------------------------------
    # City-wide figures: not for a Ketua RT, whose view ends at their RT.
    "dashboard.index": reads(CITY_READERS),
    "rts.index": reads(CASE_READERS),
    "rts.detail": reads(CASE_READERS),
    "rts.register": form(ADMIN),
    "rts.appoint_ketua": form(ADMIN),
    "rts.enrol": form(ADMIN),
    "rts.launch": form(ADMIN),
    "rts.hold_musyawarah": form(RT_WORK),
    "activities.index": reads(CASE_READERS),
    "activities.detail": reads(CASE_READERS),
    "activities.task_letter": reads(CASE_READERS),
    "activities.plan": form(RT_WORK),
    "activities.issue_task_letter": form(RT_WORK),
    "activities.join_participant": form(RT_WORK),
    "activities.join_participants": form(RT_WORK),
    "activities.withdraw_participant": form(RT_WORK),
    "activities.revise_value": form(RT_WORK),
    "activities.complete": form(RT_WORK),
    "activities.cancel": form(RT_WORK),
    # The city pays the premium to BPJS Ketenagakerjaan, not the RT.
    "activities.record_premium_payment": form(ADMIN),
    "claims.index": reads(CITY_READERS),
    "claims.detail": reads(CITY_READERS),
    "claims.report": form(CLAIM_WORK),
    "claims.confirm_coverage": writes(CLAIM_WORK),
    "claims.deny_coverage": writes(CLAIM_WORK),
    "claims.receive_documents": writes(CLAIM_WORK),
    "claims.assess": writes(CLAIM_WORK),
    "claims.preview_assessment": writes(CLAIM_WORK),
    "claims.approve": writes(CLAIM_WORK),
    "claims.reject": writes(CLAIM_WORK),
    "claims.pay": writes(CLAIM_WORK),
    "claims.waive": writes(CLAIM_WORK),
    "claims.close": writes(CLAIM_WORK),
    "coverage.check": reads(CITY_READERS),
    "audit.index": reads(AUDIT),
    "audit.history": reads(AUDIT),
    "audit.as_of": reads(AUDIT),
    "audit.export": reads(AUDIT),
    "operations.read_models": reads(AUDIT),
    "webhooks_admin.index": reads(AUDIT),
    "webhooks_admin.detail": reads(AUDIT),
    "webhooks_admin.create": writes(ADMIN),
    "webhooks_admin.confirm_delete": reads(ADMIN),
    "webhooks_admin.delete": writes(ADMIN),
    "webhooks_admin.pause": writes(ADMIN),
    "webhooks_admin.resume": writes(ADMIN),
    "webhooks_admin.redeliver": writes(ADMIN),
    # --- API --------------------------------------------------------------------------------
    "api_rts.list_rts": reads(CASE_READERS),
    "api_rts.get_rt": reads(CASE_READERS),
    "api_rts.register_rt": writes(ADMIN),
    "api_rts.appoint_ketua": writes(ADMIN),
    "api_rts.enrol": writes(ADMIN),
    "api_rts.launch": writes(ADMIN),
    "api_rts.hold_musyawarah": writes(RT_WORK),
    "api_activities.list_activities": reads(CASE_READERS),
    "api_activities.get_activity": reads(CASE_READERS),
    "api_activities.list_participants": reads(CASE_READERS),
    "api_activities.get_premium": reads(CASE_READERS),
    "api_activities.plan_activity": writes(RT_WORK),
    "api_activities.issue_task_letter": writes(RT_WORK),
    "api_activities.join_participants": writes(RT_WORK),
    "api_activities.withdraw_participant": writes(RT_WORK),
    "api_activities.revise_value": writes(RT_WORK),
    "api_activities.complete": writes(RT_WORK),
    "api_activities.cancel": writes(RT_WORK),
    "api_activities.record_premium_payment": writes(ADMIN),
    "api_claims.list_claims": reads(CITY_READERS),
    "api_claims.get_claim": reads(CITY_READERS),
    "api_claims.report_accident": writes(CLAIM_WORK),
    "api_claims.confirm_coverage": writes(CLAIM_WORK),
    "api_claims.deny_coverage": writes(CLAIM_WORK),
    "api_claims.receive_documents": writes(CLAIM_WORK),
    "api_claims.assess": writes(CLAIM_WORK),
    "api_claims.preview_assessment": writes(CLAIM_WORK),
    "api_claims.approve": writes(CLAIM_WORK),
    "api_claims.reject": writes(CLAIM_WORK),
    "api_claims.pay_santunan": writes(CLAIM_WORK),
    "api_claims.waive_outstanding": writes(CLAIM_WORK),
    "api_claims.close": writes(CLAIM_WORK),
    "api_coverage.check": reads(CITY_READERS),
    "api_audit.trail": reads(AUDIT),
    "api_history.history": reads(AUDIT),
    "api_history.state": reads(AUDIT),
    "api_feed.events": reads(FEED),
    "api_feed.stream": reads(FEED),
    "api_feed.event_types": reads(FEED),
    "api_webhooks.list_webhooks": reads(FEED),
    "api_webhooks.get_webhook": reads(FEED),
    "api_webhooks.list_deliveries": reads(FEED),
    "api_webhooks.create_webhook": writes(ADMIN | {"integrator"}),
    "api_webhooks.delete_webhook": writes(ADMIN | {"integrator"}),
    "api_webhooks.pause_webhook": writes(ADMIN | {"integrator"}),
    "api_webhooks.resume_webhook": writes(ADMIN | {"integrator"}),
    "api_webhooks.redeliver_webhook": writes(ADMIN | {"integrator"}),
}


def rule_for(endpoint: str) -> Rule:
    return POLICY.get(endpoint, DENIED)


def may(role: str, endpoint: str, method: str = "GET") -> bool:
    """Whether ``role`` (or ``ANONYMOUS``) may use ``endpoint`` with ``method``."""
    return rule_for(endpoint).allows(role, method)


@dataclass(frozen=True)
class ActorFinders:
    """How a request's acting user is found, as the app that wires the ways in tells it (the web's
    session, the API's bearer token): ``required`` the user of this request (``SignInRequired``
    without one); ``signed_in`` the user if there is one, for judging the links of a public page."""

    required: Callable[[], Actor]
    signed_in: Callable[[], Actor | None]


EXTENSION = "kampung.access"


def _finders() -> ActorFinders:
    return current_app.extensions[EXTENSION]


def rt_in_request(view_args: dict[str, Any]) -> UUID | None:
    """The RT the URL points into: its own id, or that of the activity or claim it names."""
    if "rt_id" in view_args:
        return view_args["rt_id"]
    if "activity_id" in view_args:
        return kampung().get_activity(view_args["activity_id"]).rt_id
    if "claim_id" in view_args:
        return kampung().get_claim(view_args["claim_id"]).rt_id
    return None


def enforce() -> None:
    """``before_request``: anonymous users sign in first (401 on the API), a role the policy does not
    name for this endpoint and method is refused (403), and a Ketua RT stays within their RT."""
    if request.endpoint is None:  # no route matched: the 404 or 405 stands
        return
    rule = rule_for(request.endpoint)
    if rule.allows(ANONYMOUS, request.method):
        return
    actor = _finders().required()
    if not rule.allows(actor.role, request.method):
        raise NotPermitted("your role may not use this")
    if authorization.own_rt_id(actor) is not None:
        rt_id = rt_in_request(request.view_args or {})
        if rt_id is not None:
            authorization.ensure_within_rt(actor, rt_id)
    g.access_actor = actor


def rt_scope() -> str | None:
    """The id of the only RT the acting user may see in a list (a Ketua RT's), else ``None``: all."""
    actor = g.get("access_actor")
    own = authorization.own_rt_id(actor) if actor is not None else None
    return str(own) if own is not None else None


def within_scope(requested: str | None) -> str | None:
    """The RT a list is narrowed to: the one asked for, which for a Ketua RT must be their own
    (another RT's list is refused like its page), or theirs when none is asked for."""
    scope = rt_scope()
    if scope is not None and requested is not None and requested != scope:
        authorization.ensure_within_rt(g.access_actor, UUID(requested))
    return scope or requested


def navigation(items: tuple[tuple[str, str], ...], actor: Actor | None) -> list[tuple[str, str]]:
    """The links of ``items`` (endpoint, label) that the acting user may follow."""
    role = actor.role if actor is not None else ANONYMOUS
    return [(endpoint, label) for endpoint, label in items if may(role, endpoint)]


def may_follow(endpoint: str, method: str = "GET", within: UUID | None = None) -> bool:
    """For templates: whether the acting user may follow a link or send a form to ``endpoint``,
    about the RT ``within`` if given (a Ketua RT acts in their own RT only)."""
    # A public page (or a refusal) ran no check that set ``access_actor``; its links are judged all the same.
    actor = g.get("access_actor") or _finders().signed_in()
    if actor is None:
        return may(ANONYMOUS, endpoint, method)
    own = authorization.own_rt_id(actor)
    return may(actor.role, endpoint, method) and (within is None or own is None or own == within)


def init_access(app: Flask, finders: ActorFinders) -> None:
    app.extensions[EXTENSION] = finders
    app.before_request(enforce)
    app.add_template_global(may_follow, "may")
