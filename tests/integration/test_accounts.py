"""Accounts through the application service, on SQLite and PostgreSQL: registering, signing in with a
password (argon2id), API tokens, disabling; what the store keeps (hashes only) and what the audit
trail shows of it (no hashes at all)."""

import json

import pytest
from argon2 import PasswordHasher

from application.errors import AlreadyExists, AuthenticationFailed
from domain.actor import SYSTEM, Actor
from domain.errors import InvalidValue, TokenRevoked, UnknownToken, UserDisabled
from domain.user import User
from projections import audit
from tests.accounts import CHEAP_HASHER
from tests.integration.conftest import ADMIN, launched_rt

PASSWORD = "gotong-royong-2025"


def head(app) -> int:
    return app.recorder.max_notification_id() or 0


def register_officer(app) -> None:
    app.register_user("Petugas.Klaim.1", "claim_officer", PASSWORD, ADMIN)


def test_a_registered_user_signs_in_with_their_password(app):
    register_officer(app)
    assert app.authenticate("petugas.klaim.1", PASSWORD) == Actor("petugas.klaim.1", "claim_officer")
    assert app.authenticate("PETUGAS.klaim.1", PASSWORD) == Actor("petugas.klaim.1", "claim_officer")


def test_a_ketua_rt_signs_in_as_the_ketua_of_their_rt(app):
    launched_rt(app)
    app.register_user("ketua.005", "ketua_rt", PASSWORD, ADMIN, rt_code="15.71.01.1001/RT-005")
    assert app.authenticate("ketua.005", PASSWORD) == Actor("ketua.005", "ketua_rt", "15.71.01.1001/RT-005")


@pytest.mark.parametrize(("kwargs", "field"), [
    ({"role": "ketua_rt", "rt_code": "15.71.01.1001/RT-099"}, "rt_code"),  # no such RT registered
    ({"role": "ketua_rt"}, "rt_code"),
    ({"role": "claim_officer", "password": "pendek"}, "password"),
    ({"role": "claim_officer", "username": "petugas klaim"}, "username"),
])
def test_bad_registrations_are_refused_and_store_nothing(app, kwargs, field):
    before = head(app)
    arguments = {"username": "petugas.baru", "password": PASSWORD, "actor": ADMIN, **kwargs}
    with pytest.raises(InvalidValue) as error:
        app.register_user(**arguments)
    assert error.value.field == field
    assert head(app) == before


def test_a_user_name_is_taken_whatever_its_case(app):
    register_officer(app)
    with pytest.raises(AlreadyExists):
        app.register_user("PETUGAS.KLAIM.1", "auditor", PASSWORD, ADMIN)


@pytest.mark.parametrize(("username", "password"), [
    ("petugas.klaim.1", "bukan-kata-sandinya"), ("tidak.ada", PASSWORD), ("nama tidak sah", PASSWORD),
    ("petugas.klaim.1", None),
], ids=["wrong-password", "unknown-user", "impossible-name", "no-password"])
def test_every_failed_sign_in_is_the_same_error(app, username, password):
    register_officer(app)
    with pytest.raises(AuthenticationFailed) as error:
        app.authenticate(username, password)
    assert error.value.message == "unknown user name or wrong password" and error.value.field is None


def test_a_disabled_user_cannot_sign_in_with_the_right_password_until_enabled(app):
    register_officer(app)
    app.disable_user("petugas.klaim.1", "Pindah tugas", ADMIN)
    with pytest.raises(AuthenticationFailed):
        app.authenticate("petugas.klaim.1", PASSWORD)
    app.enable_user("petugas.klaim.1", ADMIN)
    assert app.authenticate("petugas.klaim.1", PASSWORD).user_id == "petugas.klaim.1"


class CountingHasher(PasswordHasher):
    def __init__(self) -> None:
        super().__init__(time_cost=1, memory_cost=8, parallelism=1)
        self.verified = 0

    def verify(self, hash, password) -> bool:  # noqa: A002 - argon2's own parameter name
        self.verified += 1
        return super().verify(hash, password)


def test_an_unknown_user_costs_a_password_check_like_a_known_one(app):
    register_officer(app)
    app.password_hasher = hasher = CountingHasher()
    for username in ("petugas.klaim.1", "tidak.ada"):
        with pytest.raises(AuthenticationFailed):
            app.authenticate(username, "bukan-kata-sandinya")
    assert hasher.verified == 2


def test_a_hash_made_with_weaker_parameters_is_renewed_at_sign_in(app):
    register_officer(app)
    app.password_hasher = stronger = PasswordHasher(time_cost=2, memory_cost=16, parallelism=1)
    app.authenticate("petugas.klaim.1", PASSWORD)

    user = app._load(User, User.create_id("petugas.klaim.1"))
    assert not stronger.check_needs_rehash(user.password_hash) and CHEAP_HASHER.check_needs_rehash(user.password_hash)
    last = app.history(user.id)[-1].event
    assert type(last).__name__ == "PasswordChanged" and last.actor == SYSTEM
    assert app.authenticate("petugas.klaim.1", PASSWORD).user_id == "petugas.klaim.1"
    assert len(app.history(user.id)) == 2  # renewed once


def test_a_changed_password_replaces_the_old_one(app):
    register_officer(app)
    app.change_password("petugas.klaim.1", "kata-sandi-baru-2026", ADMIN)
    with pytest.raises(AuthenticationFailed):
        app.authenticate("petugas.klaim.1", PASSWORD)
    assert app.authenticate("petugas.klaim.1", "kata-sandi-baru-2026").role == "claim_officer"


def test_a_token_acts_for_its_account_with_its_scopes_until_revoked(app):
    register_officer(app)
    issued = app.issue_token("petugas.klaim.1", ["read"], ADMIN, label="Laptop kantor")
    assert issued.token.startswith(f"kb_{User.create_id('petugas.klaim.1').hex}_{issued.token_id}_")
    assert app.actor_for_token(issued.token) == (Actor("petugas.klaim.1", "claim_officer"), ("read",))

    app.revoke_token("petugas.klaim.1", issued.token_id, ADMIN)
    with pytest.raises(TokenRevoked):
        app.actor_for_token(issued.token)


@pytest.mark.parametrize("token", ["", "kb", "kb_zz_00_secret", "kb_" + "0" * 32 + "_0123456789abcdef_secret"])
def test_a_malformed_or_unknown_token_is_unknown(app, token):
    with pytest.raises(UnknownToken):
        app.actor_for_token(token)


def test_the_tokens_of_a_disabled_account_stop_at_once(app):
    register_officer(app)
    issued = app.issue_token("petugas.klaim.1", ["read", "write"], ADMIN)
    app.disable_user("petugas.klaim.1", "Cuti", ADMIN)
    with pytest.raises(UserDisabled):
        app.actor_for_token(issued.token)
    assert app.signed_in_actor(User.create_id("petugas.klaim.1"), 0) is None


def test_a_session_follows_the_account(app):
    register_officer(app)
    user_id = app.user_id_for("petugas.klaim.1")
    assert app.signed_in_actor(user_id, 0) == Actor("petugas.klaim.1", "claim_officer")
    assert app.signed_in_actor(User.create_id("tidak.ada"), 0) is None


def test_a_person_changes_their_own_password_with_the_current_one(app):
    register_officer(app)
    officer = Actor("petugas.klaim.1", "claim_officer")
    generation = app.change_own_password(officer, PASSWORD, "kata-sandi-baru-2026")
    assert generation == 1
    assert app.authenticate("petugas.klaim.1", "kata-sandi-baru-2026") == officer
    last = app.history(app.user_id_for("petugas.klaim.1"))[-1].event
    assert type(last).__name__ == "PasswordChanged" and last.actor == officer


def test_a_wrong_current_password_changes_nothing(app):
    register_officer(app)
    user_id = app.user_id_for("petugas.klaim.1")
    with pytest.raises(InvalidValue, match="the current password is wrong"):
        app.change_own_password(Actor("petugas.klaim.1", "claim_officer"), "bukan-kata-sandinya", "sandi-baru-2026")
    assert len(app.history(user_id)) == 1
    assert app.authenticate("petugas.klaim.1", PASSWORD).role == "claim_officer"


def test_a_changed_password_ends_the_sessions_begun_before_it_but_a_rehash_does_not(app):
    register_officer(app)
    user_id = app.user_id_for("petugas.klaim.1")
    app.change_password("petugas.klaim.1", "kata-sandi-baru-2026", ADMIN)
    assert app.signed_in_actor(user_id, 0) is None
    assert app.signed_in_actor(user_id, 1) == Actor("petugas.klaim.1", "claim_officer")

    app.password_hasher = PasswordHasher(time_cost=2, memory_cost=16, parallelism=1)
    app.authenticate("petugas.klaim.1", "kata-sandi-baru-2026")
    assert app.history(user_id)[-1].event.actor == SYSTEM  # rehashed with the stronger parameters
    assert app.password_generation(user_id) == 1


def test_users_are_listed_in_registration_order(app):
    register_officer(app)
    app.register_user("auditor.1", "auditor", PASSWORD, ADMIN)
    assert [(user.username, user.role) for user in app.users()] == [
        ("petugas.klaim.1", "claim_officer"), ("auditor.1", "auditor")]


def test_the_store_keeps_no_password_or_token_and_the_audit_trail_no_hash(app, runner):
    register_officer(app)
    issued = app.issue_token("petugas.klaim.1", ["read"], ADMIN)
    secret = issued.token.split("_", 3)[3]  # the secret itself may contain "_"
    stored = b"".join(n.state for n in app.recorder.select_notifications(start=1, limit=100))
    assert PASSWORD.encode() not in stored and secret.encode() not in stored

    runner.catch_up()
    with runner.reading("audit") as (connection, tables):
        rows = audit.audit_rows(connection, tables, audit.AuditFilter(limit=100))
    payloads = [json.loads(row["payload"]) for row in rows]
    assert [payload.get("password_hash") for payload in payloads] == ["[redacted]", None]
    assert [payload.get("token_hash") for payload in payloads] == [None, "[redacted]"]
    assert "$argon2id$" not in json.dumps(payloads)
