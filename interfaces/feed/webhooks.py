"""Wiring of webhooks: the store and the subscriptions of a Flask app (the read models' engine,
tables created at start), and a worker for a service (the CLI's ``kampung webhooks run``).

Where webhooks may be sent is ``$KAMPUNG_WEBHOOK_ALLOW`` (``webhook_targets.py``); an app's config
may give the policy itself as ``KAMPUNG_WEBHOOK_TARGETS`` (tests do, with a name lookup of theirs).
"""

import os
import threading
from typing import Any

from flask import Flask, current_app

from application.config import SecretBox, read_model_url
from application.service import KampungBahagia
from interfaces.feed.subscriptions import WebhookSubscriptions
from interfaces.feed.webhook_retention import retention
from interfaces.feed.webhook_store import WebhookStore
from interfaces.feed.webhook_targets import TargetPolicy
from interfaces.feed.webhook_worker import WebhookWorker
from projections.engine import make_engine

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


def build_worker(service: KampungBahagia, **options: Any) -> WebhookWorker:
    """A worker delivering the events of ``service``'s log, to the targets ``$KAMPUNG_WEBHOOK_ALLOW``
    allows, purging records older than ``$KAMPUNG_WEBHOOK_RETENTION_DAYS``; ``options`` as
    ``WebhookWorker``'s."""
    store = WebhookStore(make_engine(read_model_url(service.env)), SecretBox(service.env)).setup()
    options.setdefault("targets", TargetPolicy.from_environment(os.environ))
    options.setdefault("retention", retention(os.environ))
    return WebhookWorker(store, service.recorder, service.mapper, **options)
