"""The Flask app: web pages, the JSON API and the event feed in one app, wired here.

Nothing imports this module back: the ways in (``web/``, ``api/``, ``feed/``) each register what they
serve, and the shared parts (``access``, ``errors``, ``masking``, ``headers``) are told here what they
need to know of them (how the acting user is found, by session or by bearer token).
"""

import os
import secrets
import threading
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask, Response, flash, request
from flask_wtf.csrf import CSRFProtect

from application.config import data_dir
from application.service import KampungBahagia
from domain.actor import Actor
from interfaces.access import ActorFinders, init_access, navigation
from interfaces.api.wiring import API_PREFIX, init_api
from interfaces.apibase.bearer import resolve_actor
from interfaces.consumers import build_runner
from interfaces.errors import register_http_handlers
from interfaces.feed.wiring import init_feed
from interfaces.headers import init_headers
from interfaces.masking import init_masking
from interfaces.web import (
    account, activities, actor, audit, claims, coverage, dashboard, filters, operations, rts, webhooks,
)

WRITING_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
NAVIGATION = (
    ("dashboard.index", "Dasbor"),
    ("rts.index", "Daftar RT"),
    ("activities.index", "Kegiatan"),
    ("claims.index", "Klaim"),
    ("coverage.check", "Cek kepesertaan"),
    ("audit.index", "Jejak audit"),
    ("webhooks_admin.index", "Webhook"),
    ("operations.read_models", "Status data"),
    ("api_docs.index", "API"),
)
BLUEPRINTS = (
    actor.blueprint, account.blueprint, dashboard.blueprint, rts.blueprint, activities.blueprint, claims.blueprint,
    coverage.blueprint, audit.blueprint, webhooks.blueprint, operations.blueprint,
)
# A write recorded but not (yet) in every read model: the API's answer carries this header, a page
# the web redirects to this message (docs/operations.md).
LAGGING_HEADER = "Read-Models-Lagging"
LAGGING_MESSAGE = ("Tampilan mungkin tertinggal: perubahan Anda sudah tersimpan, tetapi sebagian daftar dan "
                   "ringkasan belum menampilkannya. Admin dapat memeriksanya di halaman Status data.")

csrf = CSRFProtect()


def secret_key() -> str:
    """``$KAMPUNG_SECRET_KEY``, else a random key kept in the data directory, so sessions
    survive a restart without anyone having to configure one."""
    configured = os.environ.get("KAMPUNG_SECRET_KEY")
    if configured:
        return configured
    path = Path(data_dir()) / "secret_key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


def acting_user() -> Actor:
    """The user of this request: the API's by bearer token, the web's by its session."""
    if request.path.startswith(API_PREFIX + "/"):
        return resolve_actor()
    return actor.require_actor()


def views_may_lag(response: Response) -> None:
    """Tell whoever wrote that the read models may not show it yet (an event was parked, or
    bringing them up to date failed): the write itself is recorded."""
    if request.path.startswith(API_PREFIX + "/"):
        response.headers[LAGGING_HEADER] = "true"
    else:
        flash(LAGGING_MESSAGE, "warning")


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Config keys: ``KAMPUNG_APP`` an already built application service (tests, CLI);
    ``KAMPUNG_FOLLOW_LOG`` start a background worker that keeps the read models current with
    writes made elsewhere (the CLI, other servers)."""
    app = Flask(__name__, template_folder="web/templates", static_folder="web/static")
    app.config.from_mapping(
        KAMPUNG_FOLLOW_LOG=False,
        MAX_CONTENT_LENGTH=2 * 1024 * 1024,
        **actor.session_settings(config),
    )
    if config:
        app.config.from_mapping(config)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = secret_key()
    csrf.init_app(app)
    service = app.config.get("KAMPUNG_APP") or KampungBahagia()
    runner = build_runner(service)
    runner.catch_up()
    app.extensions["kampung"] = service
    app.extensions["kampung.readmodels"] = runner

    @app.after_request
    def read_your_writes(response: Response) -> Response:
        # A command's own events reach the read models before its response goes out, so the
        # page it redirects to shows the change (read-your-writes). Concurrent requests share
        # one catch-up rather than each opening a write transaction on the read models. A refused
        # command recorded nothing, so it has nothing to wait for (nor a lock to wait on).
        if request.method in WRITING_METHODS and response.status_code < 400:
            try:
                current = runner.catch_up_with_log()
            except Exception:  # the write is recorded: its answer stays a success
                app.logger.exception("read models not brought up to date after %s %s", request.method, request.path)
                current = False
            if not current:
                views_may_lag(response)
        return response

    if app.config["KAMPUNG_FOLLOW_LOG"]:
        stop = threading.Event()
        threading.Thread(target=runner.run_forever, args=(stop,), name="read-models", daemon=True).start()
        app.extensions["kampung.stop"] = stop

    filters.register(app)
    register_http_handlers(app)
    init_access(app, ActorFinders(required=acting_user, signed_in=actor.current_actor))
    init_headers(app)
    init_masking(app)
    for blueprint in BLUEPRINTS:
        app.register_blueprint(blueprint)
    actor.init_rate_limits(app)
    account.init_password_limit(app)
    init_feed(app, init_api(app))

    @app.context_processor
    def layout() -> dict[str, Any]:
        acting = actor.current_actor()
        return {
            "nav_items": [item for item in navigation(NAVIGATION, acting) if item[0] in app.view_functions],
            "acting": acting,
            "role_labels": actor.ROLE_LABELS,
        }

    return app
