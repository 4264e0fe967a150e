"""Who is acting in the web: a person signs in with their user name and password.

The session holds only the account's id and the generation of its password; the account is read
again on every request, so disabling it, or changing its password, ends its sessions at once (the
session in which a person changes their own password moves on to the new generation and stays).
Signing in starts a new session (no fixation) that lasts at most ``SESSION_HOURS``. Sign-in
attempts are rate-limited per client address and per user name, counted where every worker and
server of the deployment counts (``interfaces/rate_limits.py``).
"""

import os
import time
from collections.abc import Mapping
from datetime import timedelta
from typing import Any
from uuid import UUID

from flask import Blueprint, Flask, current_app, g, redirect, request, session
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from marshmallow import Schema, fields, validate
from werkzeug.wrappers import Response

from domain.actor import Actor
from interfaces import rate_limits
from interfaces.errors import SignInRequired
from interfaces.web.forms import done, form_page, load
from interfaces.services import kampung

blueprint = Blueprint("actor", __name__)

ROLE_LABELS = {
    "admin": "Administrator",
    "ketua_rt": "Ketua RT",
    "claim_officer": "Petugas klaim",
    "auditor": "Auditor",
    "integrator": "Integrator",
}
SESSION_KEY = "account_id"
SIGNED_IN_AT = "signed_in_at"
PASSWORD_GENERATION = "password_generation"
SESSION_HOURS = 8
# Guessing passwords: a few tries per account, a few accounts per address, per minute.
PER_USERNAME = "5/minute"
PER_ADDRESS = "20/minute"


class SignIn(Schema):
    # Only lengths: what a user name may look like is the domain's to say, and a sign-in refused
    # for any reason gives one message (application/accounts.py).
    username = fields.String(required=True, validate=validate.Length(min=1, max=64))
    password = fields.String(required=True, validate=validate.Length(min=1, max=256))


def session_settings(config: Mapping[str, Any] | None) -> dict[str, Any]:
    """Session cookie and rate-limit settings, before the app's own config (which may override them).
    The cookie is sent over HTTPS only, except in tests and for a plain-http local server
    (``KAMPUNG_INSECURE_COOKIES=1``, as ``make run`` sets)."""
    insecure = bool((config or {}).get("TESTING")) or os.environ.get("KAMPUNG_INSECURE_COOKIES") == "1"
    return {
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": not insecure,
        "PERMANENT_SESSION_LIFETIME": timedelta(hours=SESSION_HOURS),
        # Counted in the read models' database, shared by every worker and server (rate_limits.py).
        "RATELIMIT_STORAGE_URI": os.environ.get("KAMPUNG_RATELIMIT_STORAGE", rate_limits.URI),
    }


def username_key() -> str:
    return "username:" + str(request.form.get("username", "")).strip().lower()


def init_rate_limits(app: Flask) -> Limiter:
    """Limit sign-in attempts (every POST, failed or not) on ``app``; the limiter is also
    ``app.extensions["kampung.limiter"]``."""
    if app.config["RATELIMIT_STORAGE_URI"] == rate_limits.URI:
        app.config["RATELIMIT_STORAGE_OPTIONS"] = {"engine": app.extensions["kampung.readmodels"].engine}
    limiter = Limiter(get_remote_address, app=app)
    # Each app has its limiter (and its counts), so the view is wrapped here rather than decorated.
    by_address = limiter.limit(PER_ADDRESS, methods=["POST"])
    by_username = limiter.limit(PER_USERNAME, key_func=username_key, methods=["POST"])
    app.view_functions["actor.sign_in"] = by_address(by_username(sign_in))
    app.extensions["kampung.limiter"] = limiter
    return limiter


def current_actor() -> Actor | None:
    """The signed-in account's actor, or None (never signed in, signed out, or disabled since)."""
    if "kampung_actor" not in g:
        g.kampung_actor = _session_actor()
    return g.kampung_actor


def _session_actor() -> Actor | None:
    account = session.get(SESSION_KEY)
    if account is None:
        return None
    # The cookie's expiry moves on whenever the session is saved again (a flash message does it), so
    # the session's end is counted from signing in.
    expired = time.time() - session.get(SIGNED_IN_AT, 0) > current_app.permanent_session_lifetime.total_seconds()
    # A session begun before password generations were kept began in the first one.
    generation = session.get(PASSWORD_GENERATION, 0)
    actor = None if expired else kampung().signed_in_actor(UUID(account), generation)
    if actor is None:
        session.clear()
    return actor


def require_actor() -> Actor:
    """The acting user; without one, the request is sent to sign in first (see errors.py)."""
    actor = current_actor()
    if actor is None:
        raise SignInRequired()
    return actor


@blueprint.route("/sign-in", methods=["GET", "POST"])
def sign_in() -> tuple[str, int] | Response:
    page = form_page("masuk.html", next=request.args.get("next", ""))
    if request.method == "GET":
        return page.render()
    data = load(SignIn())
    service = kampung()
    actor = service.authenticate(data["username"], data["password"])  # AuthenticationFailed: 401
    session.clear()  # a new session: one planted before sign-in is worth nothing
    user_id = service.user_id_for(actor.user_id)
    session[SESSION_KEY] = str(user_id)
    session[SIGNED_IN_AT] = int(time.time())
    session[PASSWORD_GENERATION] = service.password_generation(user_id)
    session.permanent = True
    target = request.args.get("next", "")
    # Only a path of this site: browsers read "//host" and "/\\host" as another site.
    if target.startswith("/") and not target.startswith(("//", "/\\")):
        return redirect(target)
    return done(f"Masuk sebagai {actor.user_id} ({ROLE_LABELS[actor.role]}).", "rts.index")


@blueprint.post("/sign-out")
def sign_out() -> Response:
    session.clear()
    return done("Anda telah keluar.", "rts.index")
