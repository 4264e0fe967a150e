"""Accounts: registering people, their passwords and API tokens, and telling who is asking.

On the programme's store (``application/base.py``), so accounts' events are in the one log the audit
trail reads (their hashes redacted there) though never in the integrators' feed. Passwords are
hashed with argon2id; an API token is ``kb_<user id hex>_<token id>_<secret>`` and only the SHA-256
of its secret is stored, so verifying a token loads exactly one aggregate.
"""

import hashlib
import secrets
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from uuid import UUID

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from application.base import ProgrammeStore, command
from application.errors import AuthenticationFailed
from domain.errors import ConcurrencyConflict, InvalidValue, NotFound, UnknownToken
from domain.actor import SYSTEM, Actor
from domain.rt import RT
from domain.user import User, username_of

TOKEN_PREFIX = "kb"
MIN_PASSWORD = 10
MAX_PASSWORD = 256


@dataclass(frozen=True)
class IssuedToken:
    """A new API token: ``token`` is shown once and never stored."""

    token_id: str
    token: str


def password_of(password: object) -> str:
    if not isinstance(password, str) or not MIN_PASSWORD <= len(password) <= MAX_PASSWORD:
        raise InvalidValue("password must be 10–256 characters", "password")
    return password


def token_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@lru_cache(maxsize=4)
def _dummy_hash(hasher: PasswordHasher) -> str:
    """A hash no password matches, made with ``hasher``'s parameters: verifying against it for an
    unknown user takes as long as for a known one, so the time taken does not tell them apart."""
    return hasher.hash(secrets.token_urlsafe(32))


class Accounts(ProgrammeStore):
    """The account use cases."""

    # argon2-cffi's default profile (RFC 9106, low memory). Tests put a cheap hasher here.
    password_hasher: PasswordHasher = PasswordHasher()

    def _user(self, username: str) -> User:
        """The account named ``username``: NotFound names the user (its id means nothing to a person)."""
        name = username_of(username)
        try:
            return self._load(User, User.create_id(name))
        except NotFound:
            raise NotFound(f"no account named {name}", "username") from None

    @contextmanager
    def _changing_user(self, username: str) -> Iterator[User]:
        """The account loaded, changed by the block, then saved (nothing when the block raises)."""
        user = self._user(username)
        with self._changing(User, user.id, user.version) as changing:
            yield changing

    # --- commands -------------------------------------------------------------------

    @command
    def register_user(
        self, username: str, role: str, password: str, actor: Actor, rt_code: str | None = None
    ) -> UUID:
        user = User.register(username=username, role=role, password_hash=self._hash(password), actor=actor,
                             rt_code=rt_code)
        if user.rt_code is not None and RT.create_id(user.rt_code) not in self.repository:
            raise InvalidValue(f"unknown RT {user.rt_code}: no RT is registered with this code", "rt_code")
        return self._create(user, f"an account named {user.username}").id

    @command
    def change_password(self, username: str, password: str, actor: Actor) -> int:
        """Set the password of ``username`` (an administrator's reset); every session of the account
        begun before ends. Returns the new password generation."""
        with self._changing_user(username) as user:
            user.change_password(self._hash(password), actor=actor)
        return user.password_generation

    @command
    def change_own_password(self, actor: Actor, current: str, new: str) -> int:
        """The signed-in ``actor`` changes their own password, proving it with the current one;
        returns the new password generation, for their own session to stay valid."""
        user = self._user(actor.user_id)
        if not self._verify(user.password_hash, current):
            raise InvalidValue("the current password is wrong", "current_password")
        return self.change_password(user.username, new, actor)

    @command
    def disable_user(self, username: str, reason: str, actor: Actor) -> None:
        with self._changing_user(username) as user:
            user.disable(reason=reason, actor=actor)

    @command
    def enable_user(self, username: str, actor: Actor) -> None:
        with self._changing_user(username) as user:
            user.enable(actor=actor)

    @command
    def issue_token(
        self, username: str, scopes: Sequence[str], actor: Actor, label: str | None = None
    ) -> IssuedToken:
        token_id, secret = secrets.token_hex(8), secrets.token_urlsafe(32)
        with self._changing_user(username) as user:
            user.issue_token(token_id=token_id, token_hash=token_hash(secret), scopes=scopes, label=label,
                             actor=actor)
        return IssuedToken(token_id, f"{TOKEN_PREFIX}_{user.id.hex}_{token_id}_{secret}")

    @command
    def revoke_token(self, username: str, token_id: str, actor: Actor) -> None:
        with self._changing_user(username) as user:
            user.revoke_token(token_id, actor=actor)

    # --- who is asking --------------------------------------------------------------

    def authenticate(self, username: str, password: str) -> Actor:
        """The actor of the account whose password this is. An unknown user name, a wrong password
        and a disabled account are the same ``AuthenticationFailed``, so none of them can be told apart."""
        hasher = self.password_hasher
        try:
            user = self._user(username)
        except (InvalidValue, NotFound):
            self._verify(_dummy_hash(hasher), password)
            raise AuthenticationFailed("unknown user name or wrong password") from None
        if not self._verify(user.password_hash, password) or user.disabled:
            raise AuthenticationFailed("unknown user name or wrong password")
        if hasher.check_needs_rehash(user.password_hash):
            self._rehash(user, password)
        return user.as_actor()

    def actor_for_token(self, token: str) -> tuple[Actor, tuple[str, ...]]:
        """The actor an API token acts for and the scopes it allows; ``UnknownToken``,
        ``TokenRevoked`` or ``UserDisabled`` when it does not count."""
        prefix, _, rest = str(token or "").partition("_")
        user_hex, _, rest = rest.partition("_")
        token_id, _, secret = rest.partition("_")
        try:
            user_id = UUID(hex=user_hex)
            user = self._load(User, user_id)
        except (ValueError, NotFound):
            raise UnknownToken("unknown API token", "token_id") from None
        if prefix != TOKEN_PREFIX or not secret:
            raise UnknownToken("unknown API token", "token_id")
        allowed = user.check_token(token_id, token_hash(secret))
        return user.as_actor(), allowed.scopes

    def signed_in_actor(self, user_id: UUID, password_generation: int) -> Actor | None:
        """The actor of a signed-in account, checked again on each request: None once the account
        is disabled (or gone), or its password was changed after the session began (in
        ``password_generation``), which ends the session at once."""
        try:
            user = self._load(User, user_id)
        except NotFound:
            return None
        current = not user.disabled and user.password_generation == password_generation
        return user.as_actor() if current else None

    def password_generation(self, user_id: UUID) -> int:
        return self._load(User, user_id).password_generation

    def user_id_for(self, username: str) -> UUID:
        return self._user(username).id

    def users(self) -> list[User]:
        """Every account, in registration order."""
        return [self._load(User, user_id) for user_id in self.aggregate_ids(User.UserRegistered)]

    # --- hashing --------------------------------------------------------------------

    def _hash(self, password: str) -> str:
        return self.password_hasher.hash(password_of(password))

    def _verify(self, password_hash: str, password: object) -> bool:
        if not isinstance(password, str):
            return False
        try:
            return self.password_hasher.verify(password_hash, password)
        except (VerificationError, InvalidHashError):
            return False

    def _rehash(self, user: User, password: str) -> None:
        """Store the password hashed with the current parameters (they were made stronger)."""
        try:
            with self._changing(User, user.id, user.version) as current:
                current.change_password(self.password_hasher.hash(password), actor=SYSTEM)
        except ConcurrencyConflict:
            pass  # another sign-in rehashed it meanwhile; this one is signed in all the same
