"""A webhook subscription: who owns it, where it sends, and each change its owner or an
administrator asked for, as events with their actor (the audit trail shows them).

Only the facts people decide are here. How delivery is going — the checkpoint, failures in a row,
when the next attempt is due, the signing secret — is operational state kept beside it, in the
webhook tables (``projections/webhooks/store.py``): it changes with every delivery, and the
secret must never be in an event.

Integrators see and manage their own subscriptions only; administrators and auditors see every
one (what each role may *do* is the route policy's, ``interfaces/access.py``).
"""

from uuid import UUID

from eventsourcing.domain import event

from domain.actor import Actor
from domain.aggregate import Aggregate
from domain.errors import AlreadyDone

# Roles that oversee every subscription, whoever made it.
OVERSEERS = frozenset({"admin", "auditor"})


def sees_every_subscription(viewer: Actor) -> bool:
    return viewer.role in OVERSEERS


def sees_subscription(viewer: Actor, owner_id: str) -> bool:
    """Whether ``viewer`` may see (and, if their role may change anything, manage) a subscription
    owned by the account ``owner_id``; to everyone else it does not exist."""
    return sees_every_subscription(viewer) or viewer.user_id == owner_id


class WebhookSubscription(Aggregate):
    @classmethod
    def subscribe(cls, subscription_id: UUID, url: str, event_types: list[str], actor: Actor,
                  owner: Actor | None = None) -> "WebhookSubscription":
        """A new subscription, owned by ``owner`` (by default the account subscribing). Its id is
        given: the webhook tables' row of its delivery state has the same."""
        return cls._create(cls.WebhookSubscribed, id=subscription_id, url=url, event_types=list(event_types),
                           owner=owner or actor, actor=actor)

    @event("WebhookSubscribed")
    def __init__(self, url: str, event_types: list[str], owner: Actor, actor: Actor):
        self.url = url
        self.event_types = event_types
        self.owner = owner
        self.unsubscribed = False

    def visible_to(self, viewer: Actor) -> bool:
        return not self.unsubscribed and sees_subscription(viewer, self.owner.user_id)

    def pause(self, actor: Actor) -> None:
        self._check_subscribed()
        self._paused(actor=actor)

    @event("WebhookPaused")
    def _paused(self, actor: Actor) -> None:
        pass  # delivery stops: the webhook tables' business

    def resume(self, actor: Actor) -> None:
        self._check_subscribed()
        self._resumed(actor=actor)

    @event("WebhookResumed")
    def _resumed(self, actor: Actor) -> None:
        pass

    def request_redelivery(self, from_position: int, actor: Actor) -> None:
        self._check_subscribed()
        self._redelivery_requested(from_position=from_position, actor=actor)

    @event("RedeliveryRequested")
    def _redelivery_requested(self, from_position: int, actor: Actor) -> None:
        pass

    def unsubscribe(self, actor: Actor) -> None:
        self._check_subscribed()
        self._unsubscribed(actor=actor)

    @event("WebhookUnsubscribed")
    def _unsubscribed(self, actor: Actor) -> None:
        self.unsubscribed = True

    def _check_subscribed(self) -> None:
        if self.unsubscribed:
            raise AlreadyDone("the webhook subscription was deleted", "subscription")
