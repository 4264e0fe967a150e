"""Wiring of webhooks: the store of a Flask app (the read models' engine, tables created at start)
and a worker for a service (the CLI's ``kampung webhooks run``)."""

import threading
from typing import Any

from flask import Flask, current_app

from application.config import SecretBox, read_model_url
from application.service import KampungBahagia
from interfaces.feed.webhook_store import WebhookStore
from interfaces.feed.webhook_worker import WebhookWorker
from projections.engine import make_engine

EXTENSION = "kampung.webhooks"
_setting_up = threading.Lock()


def init_webhooks(app: Flask) -> WebhookStore:
    """The app's webhook store, its tables created on first use (idempotent)."""
    with _setting_up:
        store = app.extensions.get(EXTENSION)
        if store is None:
            store = app.extensions[EXTENSION] = WebhookStore(
                app.extensions["kampung.readmodels"].engine, SecretBox(app.extensions["kampung"].env)
            ).setup()
    return store


def webhook_store() -> WebhookStore:
    return current_app.extensions.get(EXTENSION) or init_webhooks(current_app)


def head_of(service: KampungBahagia) -> int:
    """The position of the last event in the log (0 when it is empty)."""
    return service.recorder.max_notification_id() or 0


def build_worker(service: KampungBahagia, **options: Any) -> WebhookWorker:
    """A worker delivering the events of ``service``'s log; ``options`` as ``WebhookWorker``'s."""
    store = WebhookStore(make_engine(read_model_url(service.env)), SecretBox(service.env)).setup()
    return WebhookWorker(store, service.recorder, service.mapper, **options)


