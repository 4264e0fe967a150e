"""User: registered → password changed, disabled / enabled, API tokens issued and revoked. The
aggregate holds hashes only; its guards say why a credential does not count."""

import hashlib

import pytest

from domain.actor import Actor
from domain.errors import AlreadyDone, InvalidValue, ScopeMissing, TokenRevoked, UnknownToken, UserDisabled
from domain.user import User, require_scope
from tests.unit.scenario import given, refused, then_events
from tests.unit.world import ADMIN

HASH = "$argon2id$v=19$m=8,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA"
NEW_HASH = "$argon2id$v=19$m=8,t=1,p=1$bmV3c2FsdA$bmV3aGFzaG5ld2hhc2g"
RT_005 = "15.71.01.1001/RT-005"
TOKEN_ID = "0123456789abcdef"
SECRET_HASH = hashlib.sha256(b"secret").hexdigest()


def officer():
    return lambda: User.register("Petugas.Klaim.1", "claim_officer", HASH, ADMIN)


def with_token(user: User) -> None:
    user.issue_token(TOKEN_ID, SECRET_HASH, ["write", "read"], "Sistem BPJSTK", ADMIN)


# --- register -----------------------------------------------------------------------------


def test_registering_records_the_lower_case_name_role_and_password_hash():
    user = User.register("Petugas.Klaim.1", "claim_officer", HASH, ADMIN)

    assert then_events(user) == [("User.UserRegistered", {
        "username": "petugas.klaim.1", "role": "claim_officer", "rt_code": None, "password_hash": HASH, "actor": ADMIN,
    })]
    assert user.as_actor() == Actor("petugas.klaim.1", "claim_officer")
    assert not user.disabled


def test_the_id_is_derived_from_the_lower_case_user_name():
    assert User.register("Budi", "admin", HASH, ADMIN).id == User.create_id("budi") == User.create_id("BUDI")


def test_a_ketua_rt_account_names_its_rt_and_acts_for_it():
    user = User.register("ketua.005", "ketua_rt", HASH, ADMIN, rt_code=RT_005)
    assert user.as_actor() == Actor("ketua.005", "ketua_rt", RT_005)


@pytest.mark.parametrize(("role", "rt_code", "field"), [
    ("ketua_rt", None, "rt_code"),
    ("ketua_rt", "RT 5", "rt_code"),
    ("admin", RT_005, "rt_code"),
    ("system", None, "role"),
    ("mayor", None, "role"),
])
def test_the_role_and_rt_must_fit_together(role, rt_code, field):
    error = refused(None, lambda: User.register("seseorang", role, HASH, ADMIN, rt_code=rt_code), InvalidValue)
    assert error.field == field


@pytest.mark.parametrize("username", ["", "budi santoso", "x" * 65, "budi/admin", "bu\tdi"])
def test_a_user_name_is_1_to_64_plain_characters(username):
    assert refused(None, lambda: User.register(username, "admin", HASH, ADMIN), InvalidValue).field == "username"


@pytest.mark.parametrize("username", ["a", "ab", " ab "])
def test_a_new_user_name_has_at_least_3_characters(username):
    error = refused(None, lambda: User.register(username, "admin", HASH, ADMIN), InvalidValue)
    assert error.field == "username" and "at least 3 characters" in error.message
    assert User.register("ani", "admin", HASH, ADMIN).username == "ani"


@pytest.mark.parametrize("password_hash", ["kata-sandi-rahasia", "", "$2b$12$bcrypt-hash", "$argon2id$"])
def test_only_an_argon2id_hash_is_stored_never_a_password(password_hash):
    assert refused(None, lambda: User.register("budi", "admin", password_hash, ADMIN), InvalidValue).field == "password"


# --- password, disable, enable ------------------------------------------------------------


def test_changing_the_password_records_the_new_hash():
    user = given(officer())
    user.change_password(NEW_HASH, ADMIN)
    assert then_events(user) == [("User.PasswordChanged", {"password_hash": NEW_HASH, "actor": ADMIN})]
    assert user.password_hash == NEW_HASH


def test_a_disabled_account_cannot_sign_in_until_enabled_again():
    user = given(officer())
    user.disable("  Pindah   tugas ", ADMIN)
    assert then_events(user) == [("User.UserDisabled", {"reason": "Pindah tugas", "actor": ADMIN})]
    assert user.disabled
    with pytest.raises(UserDisabled):
        user.check_can_sign_in()

    user.enable(ADMIN)
    assert then_events(user) == [("User.UserEnabled", {"actor": ADMIN})]
    user.check_can_sign_in()


def test_disabling_needs_a_reason_and_happens_once():
    user = given(officer())
    assert refused(user, lambda: user.disable(" ", ADMIN), InvalidValue).field == "reason"
    user = given(officer(), lambda u: u.disable("Cuti", ADMIN))
    refused(user, lambda: user.disable("Lagi", ADMIN), AlreadyDone)


def test_enabling_an_account_that_is_not_disabled_is_refused():
    user = given(officer())
    refused(user, lambda: user.enable(ADMIN), AlreadyDone)


# --- API tokens ---------------------------------------------------------------------------


def test_issuing_a_token_records_its_id_hash_scopes_and_label():
    user = given(officer())
    with_token(user)
    assert then_events(user) == [("User.ApiTokenIssued", {
        "token_id": TOKEN_ID, "token_hash": SECRET_HASH, "scopes": ["read", "write"], "label": "Sistem BPJSTK",
        "actor": ADMIN,
    })]
    assert user.check_token(TOKEN_ID, SECRET_HASH).scopes == ("read", "write")


def test_the_public_state_of_a_token_holds_no_hash():
    user = given(officer(), with_token)
    assert SECRET_HASH not in repr(user.tokens) and HASH not in repr(vars(user).get("password_hash"))


@pytest.mark.parametrize(("token_id", "token_hash", "scopes"), [
    ("short", SECRET_HASH, ["read"]),
    (TOKEN_ID, "not-a-sha256", ["read"]),
    (TOKEN_ID, SECRET_HASH, []),
    (TOKEN_ID, SECRET_HASH, ["admin"]),
])
def test_a_token_is_an_id_a_sha256_and_known_scopes(token_id, token_hash, scopes):
    user = given(officer())
    refused(user, lambda: user.issue_token(token_id, token_hash, scopes, None, ADMIN), InvalidValue)


def test_a_disabled_account_gets_no_token():
    user = given(officer(), lambda u: u.disable("Cuti", ADMIN))
    refused(user, lambda: user.issue_token(TOKEN_ID, SECRET_HASH, ["read"], None, ADMIN), UserDisabled)


def test_a_token_id_is_issued_once():
    user = given(officer(), with_token)
    refused(user, lambda: user.issue_token(TOKEN_ID, SECRET_HASH, ["read"], None, ADMIN), AlreadyDone)


def test_an_unknown_token_or_a_wrong_secret_does_not_count():
    user = given(officer(), with_token)
    with pytest.raises(UnknownToken):
        user.check_token("fedcba9876543210", SECRET_HASH)
    with pytest.raises(UnknownToken):
        user.check_token(TOKEN_ID, hashlib.sha256(b"guess").hexdigest())


def test_a_revoked_token_does_not_count():
    user = given(officer(), with_token)
    user.revoke_token(TOKEN_ID, ADMIN)
    assert then_events(user) == [("User.ApiTokenRevoked", {"token_id": TOKEN_ID, "actor": ADMIN})]
    with pytest.raises(TokenRevoked):
        user.check_token(TOKEN_ID, SECRET_HASH)
    refused(user, lambda: user.revoke_token(TOKEN_ID, ADMIN), AlreadyDone)
    refused(user, lambda: user.revoke_token("fedcba9876543210", ADMIN), UnknownToken)


def test_the_tokens_of_a_disabled_account_do_not_count():
    user = given(officer(), with_token, lambda u: u.disable("Cuti", ADMIN))
    with pytest.raises(UserDisabled):
        user.check_token(TOKEN_ID, SECRET_HASH)


def test_a_token_allows_only_its_scopes():
    require_scope(("read",), "read")
    with pytest.raises(ScopeMissing):
        require_scope(("read",), "write")
