"""Wiring of webhooks into a Flask app: the store and the subscriptions (the read models' engine,
tables created at start). The delivery worker is wired in ``interfaces/consumers.py``.

Where webhooks may be sent is ``$KAMPUNG_WEBHOOK_ALLOW`` (``projections/webhooks/targets.py``); an app's config
may give the policy itself as ``KAMPUNG_WEBHOOK_TARGETS`` (tests do, with a name lookup of theirs).
"""

import os
import threading

from flask import Flask, current_app

from application.config import SecretBox
from interfaces.webhook_subscriptions import WebhookSubscriptions
from projections.webhooks.store import WebhookStore
from projections.webhooks.targets import TargetPolicy

EXTENSION = "kampung.webhooks"
SUBSCRIPTIONS = "kampung.webhook_subscriptions"
_setting_up = threading.Lock()


def init_webhooks(app: Flask) -> WebhookStore:
    """The app's webhook store, its tables created on first use (idempotent), and its subscriptions."""
    with _setting_up:
        store = app.extensions.get(EXTENSION)
        if store is None:
            service = app.extensions["kampung"]
            store = app.extensions[EXTENSION] = WebhookStore(
                app.extensions["kampung.readmodels"].engine, SecretBox(service.env)
            ).setup()
            targets = app.config.get("KAMPUNG_WEBHOOK_TARGETS") or TargetPolicy.from_environment(os.environ)
            app.extensions[SUBSCRIPTIONS] = WebhookSubscriptions(service, store, targets)
    return store


def webhook_subscriptions() -> WebhookSubscriptions:
    if SUBSCRIPTIONS not in current_app.extensions:
        init_webhooks(current_app)
    return current_app.extensions[SUBSCRIPTIONS]
