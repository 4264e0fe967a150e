"""Webhook subscriptions: who subscribed, paused, resumed, asked for a redelivery or unsubscribed,
recorded as events of ``WebhookSubscription`` (the audit trail shows each with its actor).

A subscription the acting account may not see is not found, as one that never existed: integrators
manage their own only. The delivery state beside it (checkpoint, failures, secret) is the webhook
tables' business (``interfaces/feed``), changed after the event is recorded.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from uuid import UUID

from application.base import ProgrammeStore, command
from domain.errors import NotFound
from domain.actor import Actor
from domain.webhook import WebhookSubscription


class Webhooks(ProgrammeStore):
    """The webhook subscription use cases."""

    def webhook_subscription(self, subscription_id: UUID, viewer: Actor) -> WebhookSubscription:
        """The subscription, if ``viewer`` may see it (else ``NotFound``, as if it did not exist)."""
        subscription = self._load(WebhookSubscription, subscription_id)
        _ensure_visible(subscription, viewer)
        return subscription

    @command
    def subscribe_webhook(self, subscription_id: UUID, url: str, event_types: list[str], actor: Actor,
                          owner: Actor | None = None) -> None:
        """Record a new subscription owned by ``owner`` (default: ``actor``); the one recording a
        subscription made before subscriptions were events names its maker as the owner."""
        subscription = WebhookSubscription.subscribe(subscription_id, url, event_types, actor, owner)
        self._create(subscription, f"a webhook subscription with id {subscription_id}")

    def pause_webhook(self, subscription_id: UUID, actor: Actor) -> None:
        with self._changing_webhook(subscription_id, actor) as subscription:
            subscription.pause(actor)

    def resume_webhook(self, subscription_id: UUID, actor: Actor) -> None:
        with self._changing_webhook(subscription_id, actor) as subscription:
            subscription.resume(actor)

    def request_redelivery(self, subscription_id: UUID, from_position: int, actor: Actor) -> None:
        with self._changing_webhook(subscription_id, actor) as subscription:
            subscription.request_redelivery(from_position, actor)

    def unsubscribe_webhook(self, subscription_id: UUID, actor: Actor) -> None:
        with self._changing_webhook(subscription_id, actor) as subscription:
            subscription.unsubscribe(actor)

    @contextmanager
    def _changing_webhook(self, subscription_id: UUID, actor: Actor) -> Iterator[WebhookSubscription]:
        with self._changing(WebhookSubscription, subscription_id) as subscription:
            _ensure_visible(subscription, actor)
            yield subscription


def _ensure_visible(subscription: WebhookSubscription, viewer: Actor) -> None:
    """Another's subscription is not found, with the very words of one that does not exist."""
    if not subscription.visible_to(viewer):
        raise NotFound(f"no WebhookSubscription with id {subscription.id}")
