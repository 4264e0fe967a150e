"""Managing webhook subscriptions, as the API and the admin pages do: each change is first an event
of the subscription (``application/webhooks.py``: who did what, for the audit trail), then a change
of its delivery state in the webhook tables (``projections/webhooks/store.py``).

The two are written in separate transactions (the event store and the read models' tables have
their own connections, and an SQLite file takes one writer at a time). So whatever could refuse a
change is checked before the event is recorded — the subscription is not the actor's to see, the
status they saw is stale, the target is one this deployment does not send to, the position is past
the log's end — and a refusal records nothing; the delivery state then follows the event.

A subscription made before its changes were events gets its ``WebhookSubscribed`` (recorded by the
system, owned by the account that made it) before its first change.
"""

from collections.abc import Sequence
from typing import Any
from uuid import UUID, uuid4

from application.service import KampungBahagia
from domain.actor import SYSTEM, Actor
from projections.webhooks.store import Page, WebhookStore, check_event_types, check_status, checkpoint_before
from projections.webhooks.targets import TargetPolicy


def head_of(service: KampungBahagia) -> int:
    """The position of the last event in the log (0 when it is empty)."""
    return service.recorder.max_notification_id() or 0


class WebhookSubscriptions:
    def __init__(self, service: KampungBahagia, store: WebhookStore, targets: TargetPolicy):
        self.service = service
        self.store = store
        self.targets = targets

    # --- reading: what the viewer may see -------------------------------------------------

    def get(self, subscription_id: str, viewer: Actor) -> dict[str, Any]:
        return self.store.get(subscription_id, viewer)

    def subscriptions(self, viewer: Actor, after: str | None = None, limit: int | None = None) -> Page:
        return self.store.subscriptions(viewer, after, limit)

    def deliveries(self, subscription_id: str, viewer: Actor, after: int | None = None, limit: int | None = 50
                   ) -> Page:
        return self.store.deliveries(subscription_id, viewer, after, limit)

    # --- changes --------------------------------------------------------------------------

    def subscribe(self, url: str, event_types: Sequence[str], actor: Actor, from_position: int | None = None
                  ) -> tuple[dict[str, Any], str]:
        """A new subscription owned by ``actor``, and its secret (shown this once)."""
        url = url.strip()
        names = check_event_types(event_types)
        checkpoint_before(from_position, head_of(self.service))
        self.targets.check_subscription(url)
        subscription_id = uuid4()
        self.service.subscribe_webhook(subscription_id, url, names, actor)
        # New events only: those after the subscription's own (which, as an account's, no webhook is sent).
        return self.store.create(url, names, actor, head_of(self.service), from_position,
                                 subscription_id=subscription_id)

    def pause(self, subscription_id: str, actor: Actor, expected_status: str | None = None) -> dict[str, Any]:
        self._recorded(subscription_id, actor, expected_status)
        self.service.pause_webhook(UUID(subscription_id), actor)
        return self.store.pause(subscription_id)

    def resume(self, subscription_id: str, actor: Actor, expected_status: str | None = None) -> dict[str, Any]:
        self._recorded(subscription_id, actor, expected_status)
        self.service.resume_webhook(UUID(subscription_id), actor)
        return self.store.resume(subscription_id)

    def redeliver(self, subscription_id: str, from_position: int, actor: Actor) -> dict[str, Any]:
        self._recorded(subscription_id, actor)
        head = head_of(self.service)
        checkpoint_before(from_position, head)
        self.service.request_redelivery(UUID(subscription_id), from_position, actor)
        return self.store.redeliver(subscription_id, from_position, head)

    def unsubscribe(self, subscription_id: str, actor: Actor) -> dict[str, Any]:
        """Delete the subscription and its delivery records; returns it as it was."""
        self._recorded(subscription_id, actor)
        self.service.unsubscribe_webhook(UUID(subscription_id), actor)
        return self.store.delete(subscription_id)

    def _recorded(self, subscription_id: str, actor: Actor, expected_status: str | None = None) -> None:
        """Refuse a change ``actor`` may not make to this subscription now, and make sure the
        subscription itself is on record before its change is."""
        subscription = self.store.get(subscription_id, actor)
        check_status(subscription["status"], expected_status)
        if UUID(subscription_id) not in self.service.repository:
            self.service.subscribe_webhook(UUID(subscription_id), subscription["url"], subscription["event_types"],
                                           SYSTEM, owner=Actor(**subscription["created_by"]))
