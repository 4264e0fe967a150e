"""The Flask app factory: one app for web pages (and, later, the JSON API and the feed)."""

import threading
from collections.abc import Mapping
from typing import Any

from flask import Flask, Response, request

from application.service import KampungBahagia
from interfaces.errors import register_http_handlers
from interfaces.readmodels import build_runner
from interfaces.web import filters, rts

WRITING_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Config keys: ``KAMPUNG_APP`` an already built application service (tests, CLI);
    ``KAMPUNG_FOLLOW_LOG`` start a background worker that keeps the read models current with
    writes made elsewhere (the CLI, other servers)."""
    app = Flask(__name__)
    app.config.from_mapping(KAMPUNG_FOLLOW_LOG=False)
    if config:
        app.config.from_mapping(config)
    service = app.config.get("KAMPUNG_APP") or KampungBahagia()
    runner = build_runner(service)
    runner.catch_up()
    app.extensions["kampung"] = service
    app.extensions["kampung.readmodels"] = runner

    @app.after_request
    def read_your_writes(response: Response) -> Response:
        # A command's own events reach the read models before its response goes out, so the
        # page it redirects to shows the change (read-your-writes).
        if request.method in WRITING_METHODS:
            runner.catch_up()
        return response

    if app.config["KAMPUNG_FOLLOW_LOG"]:
        stop = threading.Event()
        threading.Thread(target=runner.run_forever, args=(stop,), name="read-models", daemon=True).start()
        app.extensions["kampung.stop"] = stop

    filters.register(app)
    register_http_handlers(app)
    app.register_blueprint(rts.blueprint)
    return app
