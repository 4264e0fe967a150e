"""Accounts for tests: made on the fly (with a cheap password hash, see tests/conftest.py), then signed
in on the web or given an API token, so a test names only the user and the role it acts as."""

from uuid import UUID

from argon2 import PasswordHasher

from application.service import KampungBahagia
from domain.actor import Actor
from domain.user import User

PASSWORD = "kata-sandi-uji-123"
# The RT a Ketua RT of the tests leads unless told otherwise: RT 005 of Simpang IV Sipin (the world's).
KETUA_RT = "15.71.01.1001/RT-005"
# Who registers the tests' accounts (as an operator on the command line would).
OPERATOR = Actor("cli.tests", "system")
# argon2id at its cheapest: hashing takes microseconds instead of a tenth of a second.
CHEAP_HASHER = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)


def account(service: KampungBahagia, username: str, role: str, rt_code: str | None = None) -> UUID:
    """The id of the account ``username``, registered with ``PASSWORD`` if it is new."""
    user_id = User.create_id(username)
    if user_id not in service.repository:
        if role == "ketua_rt":
            rt_code = rt_code or KETUA_RT
        service.register_user(username, role, PASSWORD, OPERATOR, rt_code=rt_code)
    return user_id


def api_token(service: KampungBahagia, username: str, role: str, scopes: tuple[str, ...] = ("read", "write"),
              rt_code: str | None = None) -> str:
    """A new API token of the account ``username`` (registered if new)."""
    account(service, username, role, rt_code)
    return service.issue_token(username, scopes, OPERATOR).token


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}
