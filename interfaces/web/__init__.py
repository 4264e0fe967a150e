"""The Flask app factory: one app for web pages (and, later, the JSON API and the feed)."""

from collections.abc import Mapping
from typing import Any

from flask import Flask

from application.service import KampungBahagia
from interfaces.errors import register_http_handlers
from interfaces.web import filters, rts


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """``config`` may carry ``KAMPUNG_APP``: an already built application service (tests, CLI)."""
    app = Flask(__name__)
    app.config.from_mapping(JSON_SORT_KEYS=False)
    if config:
        app.config.from_mapping(config)
    service = app.config.get("KAMPUNG_APP") or KampungBahagia()
    app.extensions["kampung"] = service
    filters.register(app)
    register_http_handlers(app)
    app.register_blueprint(rts.blueprint)
    return app
