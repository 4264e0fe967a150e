"""Who is acting in an API request.

Interim, until the accounts issue brings bearer tokens: the ``X-Kampung-Actor`` header
(``<user_id>:<role>``) names the acting user, else the web session of a signed-in user is used.
Every event the request records carries that actor.
"""

from http import HTTPStatus

from flask import g, request
from marshmallow import ValidationError

from domain.actor import Actor
from interfaces.errors import SignInRequired
from interfaces.web.actor import SignIn, current_actor

HEADER = "X-Kampung-Actor"


class BadActorHeader(Exception):
    """The header is there but does not name a user and a role."""

    status = HTTPStatus.UNAUTHORIZED

    def __init__(self, messages: list[str]):
        super().__init__("; ".join(messages))
        self.messages = messages


def actor_from_header(value: str) -> Actor:
    user_id, colon, role = value.strip().rpartition(":")
    if not colon:
        raise BadActorHeader([f"{HEADER} must be <user_id>:<role>."])
    try:
        data = SignIn().load({"user_id": user_id, "role": role})
    except ValidationError as error:
        messages = error.messages if isinstance(error.messages, dict) else {"": error.messages}
        reasons = [f"{field}: {message}" for field, items in messages.items() for message in items]
        raise BadActorHeader(reasons) from None
    return Actor(data["user_id"], data["role"])


def resolve_actor() -> Actor:
    """The acting user of this request; ``SignInRequired`` (401) when there is none."""
    value = request.headers.get(HEADER)
    actor = actor_from_header(value) if value is not None else current_actor()
    if actor is None:
        raise SignInRequired()
    return actor


def acting() -> Actor:
    """The actor resolved for this request by the API blueprints' ``before_request``."""
    actor = g.get("api_actor")
    if actor is None:  # only reachable if a view is registered outside the API blueprints
        actor = g.api_actor = resolve_actor()
    return actor
