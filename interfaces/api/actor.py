"""Who is acting in an API request: ``Authorization: Bearer <token>``, a token issued to an account
(``kampung users token``). Reading (GET, HEAD, OPTIONS) needs the token's ``read`` scope, anything
else its ``write`` scope. Every event the request records carries the account's actor.

A missing, unknown or revoked token, or one of a disabled account, is a 401 with
``WWW-Authenticate: Bearer``; a token without the scope the method needs is a 403.
"""

from flask import g, request

from domain.actor import Actor
from domain.user import require_scope
from interfaces.errors import SignInRequired
from interfaces.web.services import kampung

SCHEME = "Bearer"
READING_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def bearer_token() -> str | None:
    scheme, _, token = request.headers.get("Authorization", "").strip().partition(" ")
    if scheme.lower() != SCHEME.lower() or not token.strip():
        return None
    return token.strip()


def resolve_actor() -> Actor:
    """The acting account of this request; ``SignInRequired`` (401) without a bearer token."""
    token = bearer_token()
    if token is None:
        raise SignInRequired()
    actor, scopes = kampung().actor_for_token(token)  # UnknownToken, TokenRevoked, UserDisabled: 401
    require_scope(scopes, "read" if request.method in READING_METHODS else "write")  # ScopeMissing: 403
    return actor


def acting() -> Actor:
    """The actor resolved for this request by the API blueprints' ``before_request``."""
    actor = g.get("api_actor")
    if actor is None:  # only reachable if a view is registered outside the API blueprints
        actor = g.api_actor = resolve_actor()
    return actor
