"""A person's account: who they are, the role they act in, and how they prove it.

The aggregate keeps only hashes: of the password (argon2id, made by the application) and of each
API token's secret (SHA-256). Hashes live in private attributes, so the audit trail's "what changed"
views (built from public state) never show them; the events' payloads are redacted where audit rows
are made (``projections/payload.py``).
"""

import hmac
import re
from dataclasses import dataclass, replace
from uuid import UUID

from eventsourcing.domain import event

from domain.actor import ROLES, SYSTEM, Actor
from domain.aggregate import Aggregate
from domain.errors import AlreadyDone, InvalidValue, ScopeMissing, TokenRevoked, UnknownToken, UserDisabled
from domain.ids import natural_id
from domain.text import clean_paragraphs, optional_text

ACCOUNT_ROLES = tuple(role for role in ROLES if role != "system")
SCOPES = ("read", "write")
USERNAME = re.compile(r"^[a-z0-9._@-]{1,64}$")
# A new account's name is at least this long (existing shorter ones still sign in).
MIN_USERNAME = 3
RT_CODE = re.compile(r"^15\.71\.\d{2}\.\d{4}/RT-\d{3}$")
# The application hashes passwords with argon2id: anything else is not a hash it made (a password
# passed by mistake, above all).
PASSWORD_HASH = re.compile(r"^\$argon2id\$\S+$")
TOKEN_HASH = re.compile(r"^[0-9a-f]{64}$")
TOKEN_ID = re.compile(r"^[0-9a-f]{16}$")


def username_of(text: object) -> str:
    """A user name as stored: trimmed and lower-case, so "Admin" and "admin" are one account."""
    username = str(text or "").strip().lower()
    if not USERNAME.match(username):
        raise InvalidValue("user name must be 1–64 letters, digits, dots, @, _ or -", "username")
    return username


def scopes_of(scopes: object) -> tuple[str, ...]:
    """The scopes asked for, each once, in the order of ``SCOPES``."""
    asked = set(scopes) if isinstance(scopes, (list, tuple, set, frozenset)) else {scopes}
    if not asked or not asked <= set(SCOPES):
        raise InvalidValue("scopes must be one or more of read, write", "scopes")
    return tuple(scope for scope in SCOPES if scope in asked)


def require_scope(scopes: tuple[str, ...], needed: str) -> None:
    if needed not in scopes:
        raise ScopeMissing("this API token does not allow this kind of request", "scope")


@dataclass(frozen=True)
class ApiToken:
    """What may be shown of an API token: never its hash."""

    scopes: tuple[str, ...]
    label: str | None
    revoked: bool = False


class User(Aggregate):
    @staticmethod
    def create_id(username: str) -> UUID:
        return natural_id("user", username.lower())

    @classmethod
    def register(
        cls, username: str, role: str, password_hash: str, actor: Actor, rt_code: str | None = None
    ) -> "User":
        username = username_of(username)
        if len(username) < MIN_USERNAME:
            raise InvalidValue(f"a new user name needs at least {MIN_USERNAME} characters", "username")
        if role not in ACCOUNT_ROLES:
            raise InvalidValue("role must be one of admin, ketua_rt, claim_officer, auditor, integrator", "role")
        if role == "ketua_rt":
            if not rt_code:
                raise InvalidValue("a Ketua RT's account needs the code of their RT, like 15.71.01.1001/RT-005",
                                   "rt_code")
            if not RT_CODE.match(rt_code):
                raise InvalidValue(f"unknown RT {rt_code!r}: an RT code looks like 15.71.01.1001/RT-005", "rt_code")
        elif rt_code:
            raise InvalidValue("only a Ketua RT's account names an RT", "rt_code")
        _check_password_hash(password_hash)
        return cls(username=username, role=role, rt_code=rt_code or None, password_hash=password_hash, actor=actor)

    @event("UserRegistered")
    def __init__(self, username: str, role: str, rt_code: str | None, password_hash: str, actor: Actor):
        self.username = username
        self.role = role
        self.rt_code = rt_code
        self.disabled_because: str | None = None
        self.tokens: dict[str, ApiToken] = {}
        self._password_hash = password_hash
        self._password_generation = 0
        self._token_hashes: dict[str, str] = {}

    @property
    def disabled(self) -> bool:
        return self.disabled_because is not None

    @property
    def password_hash(self) -> str:
        return self._password_hash

    @property
    def password_generation(self) -> int:
        """How many times a person changed this password: a session remembers the generation it
        began in and ends when it is no longer current (application/accounts.py)."""
        return self._password_generation

    def as_actor(self) -> Actor:
        """The actor this account's requests record."""
        return Actor(self.username, self.role, self.rt_code)

    # --- password -------------------------------------------------------------------

    def change_password(self, password_hash: str, actor: Actor) -> None:
        _check_password_hash(password_hash)
        self._password_changed(password_hash=password_hash, actor=actor)

    @event("PasswordChanged")
    def _password_changed(self, password_hash: str, actor: Actor) -> None:
        self._password_hash = password_hash
        # The system only rehashes the same password with stronger parameters: no reason to sign anyone out.
        if actor != SYSTEM:
            self._password_generation += 1

    def check_can_sign_in(self) -> None:
        if self.disabled:
            raise UserDisabled("this account is disabled", "username")

    # --- disable / enable -----------------------------------------------------------

    def disable(self, reason: str, actor: Actor) -> None:
        reason = clean_paragraphs(reason, "reason", 200)
        if self.disabled:
            raise AlreadyDone("the account is already disabled", "username")
        self._disabled(reason=reason, actor=actor)

    @event("UserDisabled")
    def _disabled(self, reason: str, actor: Actor) -> None:
        self.disabled_because = reason

    def enable(self, actor: Actor) -> None:
        if not self.disabled:
            raise AlreadyDone("the account is not disabled", "username")
        self._enabled(actor=actor)

    @event("UserEnabled")
    def _enabled(self, actor: Actor) -> None:
        self.disabled_because = None

    # --- API tokens -----------------------------------------------------------------

    def issue_token(self, token_id: str, token_hash: str, scopes: object, label: str | None, actor: Actor) -> None:
        self.check_can_sign_in()
        if not TOKEN_ID.match(token_id or "") or not TOKEN_HASH.match(token_hash or ""):
            raise InvalidValue("an API token is stored as its id and the SHA-256 of its secret", "token")
        if token_id in self.tokens:
            raise AlreadyDone("an API token with this id was already issued", "token_id")
        label = optional_text(label, "label", 100)
        self._token_issued(token_id=token_id, token_hash=token_hash, scopes=list(scopes_of(scopes)), label=label,
                           actor=actor)

    @event("ApiTokenIssued")
    def _token_issued(self, token_id: str, token_hash: str, scopes: list[str], label: str | None,
                      actor: Actor) -> None:
        self.tokens[token_id] = ApiToken(scopes=tuple(scopes), label=label)
        self._token_hashes[token_id] = token_hash

    def revoke_token(self, token_id: str, actor: Actor) -> None:
        if self._token(token_id).revoked:
            raise AlreadyDone("this API token was already revoked", "token_id")
        self._token_revoked(token_id=token_id, actor=actor)

    @event("ApiTokenRevoked")
    def _token_revoked(self, token_id: str, actor: Actor) -> None:
        self.tokens[token_id] = replace(self.tokens[token_id], revoked=True)

    def check_token(self, token_id: str, token_hash: str) -> ApiToken:
        """The token whose secret hashes to ``token_hash``, if it still counts."""
        token = self._token(token_id)
        if not hmac.compare_digest(self._token_hashes[token_id], token_hash):
            raise UnknownToken("unknown API token", "token_id")
        if token.revoked:
            raise TokenRevoked("this API token was revoked", "token_id")
        self.check_can_sign_in()
        return token

    def _token(self, token_id: str) -> ApiToken:
        token = self.tokens.get(token_id)
        if token is None:
            raise UnknownToken("unknown API token", "token_id")
        return token


def _check_password_hash(password_hash: str) -> None:
    if not PASSWORD_HASH.match(password_hash or ""):
        raise InvalidValue("a password hash is expected, never a password", "password")
