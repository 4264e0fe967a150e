"""Who is acting in an API request: ``Authorization: Bearer <token>``, a token issued to an account
(``kampung users token``). Reading (GET, HEAD, OPTIONS) needs the token's ``read`` scope, anything
else its ``write`` scope. Every event the request records carries the account's actor.

A missing, unknown or revoked token, or one of a disabled account, is a 401 with
``WWW-Authenticate: Bearer``; a token without the scope the method needs is a 403. Requests whose
token was refused (401) are counted per client address: past ``FAILED_PER_ADDRESS``, every request
with a token from that address is a 429 with ``Retry-After`` until the window ends, so tokens
cannot be guessed at speed. Requests with a good token are not counted.
"""

import math
import time
from http import HTTPStatus

from flask import Flask, current_app, g, request
from flask_limiter.util import get_remote_address
from limits import parse
from werkzeug.wrappers import Response

from domain.actor import Actor
from domain.user import require_scope
from interfaces.errors import SignInRequired, TooManyFailedTokens
from interfaces.services import kampung

SCHEME = "Bearer"
READING_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# A client with a few mistyped or freshly revoked tokens stays well under it; a guesser does not.
FAILED_PER_ADDRESS = parse("30/minute")


def bearer_token() -> str | None:
    scheme, _, token = request.headers.get("Authorization", "").strip().partition(" ")
    if scheme.lower() != SCHEME.lower() or not token.strip():
        return None
    return token.strip()


def resolve_actor() -> Actor:
    """The acting account of this request; ``SignInRequired`` (401) without a bearer token. Resolved
    once per request (the access check and the API blueprint both ask; a token costs an aggregate load)."""
    if "api_actor" in g:
        return g.api_actor
    token = bearer_token()
    if token is None:
        raise SignInRequired()
    # Checked before the token is: a guess must not learn whether it was right once over the limit.
    refuse_while_over_limit()
    actor, scopes = kampung().actor_for_token(token)  # UnknownToken, TokenRevoked, UserDisabled: 401
    require_scope(scopes, "read" if request.method in READING_METHODS else "write")  # ScopeMissing: 403
    g.api_actor = actor
    return actor


def acting() -> Actor:
    """The actor of this API request (resolved before the view by the access check)."""
    return resolve_actor()


def _failures_key() -> str:
    return "bearer-failures:" + get_remote_address()


def refuse_while_over_limit() -> None:
    """``TooManyFailedTokens`` (429) once this address had ``FAILED_PER_ADDRESS`` tokens refused."""
    limiter = current_app.extensions["kampung.limiter"]
    if limiter.enabled and not limiter.limiter.test(FAILED_PER_ADDRESS, _failures_key()):
        reset_at = limiter.limiter.get_window_stats(FAILED_PER_ADDRESS, _failures_key()).reset_time
        raise TooManyFailedTokens(max(1, math.ceil(reset_at - time.time())))


def count_refused_token(response: Response) -> Response:
    limiter = current_app.extensions["kampung.limiter"]
    # A limiter switched off (RATELIMIT_ENABLED) has no storage to count in.
    if limiter.enabled and response.status_code == HTTPStatus.UNAUTHORIZED and bearer_token() is not None:
        limiter.limiter.hit(FAILED_PER_ADDRESS, _failures_key())
    return response


def init_token_limit(app: Flask) -> None:
    """Count refused tokens on ``app``, in the sign-in limiter's storage (``KAMPUNG_RATELIMIT_STORAGE``)."""
    app.after_request(count_refused_token)
