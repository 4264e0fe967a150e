"""``kampung users``, run as the installed console script on each store: accounts, passwords shown or
read once, API tokens printed once; mistakes are a message and a non-zero exit that change nothing."""

import subprocess

import pytest

from application.errors import AuthenticationFailed
from domain.actor import Actor
from domain.errors import TokenRevoked, UserDisabled
from tests.e2e.test_cli import KAMPUNG
from tests.integration.conftest import launched_rt

PASSWORD = "kata-sandi-operator"


def users(store, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    variables, _ = store
    return subprocess.run([str(KAMPUNG), "users", *args], input=stdin, capture_output=True, text=True, timeout=60,
                          env={"PATH": "/usr/bin:/bin", **variables})


def head(service) -> int:
    return service.recorder.max_notification_id() or 0


def test_create_with_a_password_from_stdin_or_generated_then_sign_in(store):
    _, service = store
    launched_rt(service)
    created = users(store, "create", "Petugas.Klaim.1", "--role", "claim_officer", "--password-stdin",
                    stdin=PASSWORD + "\n")
    assert created.returncode == 0, created.stderr
    assert "petugas.klaim.1 (claim_officer)" in created.stdout and PASSWORD not in created.stdout
    assert service.authenticate("petugas.klaim.1", PASSWORD) == Actor("petugas.klaim.1", "claim_officer")

    generated = users(store, "create", "ketua.005", "--role", "ketua_rt", "--rt", "15.71.01.1001/RT-005",
                      "--generate-password")
    assert generated.returncode == 0, generated.stderr
    password = generated.stdout.split("(shown only now): ", 1)[1].strip()
    assert service.authenticate("ketua.005", password) == Actor("ketua.005", "ketua_rt", "15.71.01.1001/RT-005")

    listed = users(store, "list")
    assert listed.returncode == 0
    assert "petugas.klaim.1" in listed.stdout and "15.71.01.1001/RT-005" in listed.stdout
    assert "$argon2" not in listed.stdout and password not in listed.stdout


def test_a_token_is_printed_once_and_works_until_revoked(store):
    _, service = store
    service.register_user("sistem.bpjs", "integrator", PASSWORD, Actor("admin.dpmppa", "admin"))
    issued = users(store, "token", "sistem.bpjs", "--scope", "read", "--label", "BPJSTK Jambi")
    assert issued.returncode == 0, issued.stderr
    token = issued.stdout.removesuffix("\n")
    assert "\n" not in token and token.startswith("kb_"), "the token alone on stdout, ended by a newline"
    assert service.actor_for_token(token) == (Actor("sistem.bpjs", "integrator"), ("read",))
    token_id = token.split("_")[2]
    assert token_id in issued.stderr and token_id in users(store, "list").stdout

    revoked = users(store, "revoke-token", "sistem.bpjs", token_id)
    assert revoked.returncode == 0, revoked.stderr
    with pytest.raises(TokenRevoked):
        service.actor_for_token(token)
    again = users(store, "revoke-token", "sistem.bpjs", token_id)
    assert again.returncode == 1 and "already revoked" in again.stderr and "Traceback" not in again.stderr


def test_an_operator_sets_a_new_password_which_ends_the_accounts_sessions(store):
    _, service = store
    service.register_user("petugas.klaim.2", "claim_officer", PASSWORD, Actor("admin.dpmppa", "admin"))
    user_id = service.user_id_for("petugas.klaim.2")
    changed = users(store, "password", "Petugas.Klaim.2", "--password-stdin", stdin="kata-sandi-pengganti\n")
    assert changed.returncode == 0, changed.stderr
    assert "petugas.klaim.2" in changed.stdout and "kata-sandi-pengganti" not in changed.stdout
    assert service.history(user_id)[-1].event.actor.user_id.startswith("cli.")
    assert service.authenticate("petugas.klaim.2", "kata-sandi-pengganti").role == "claim_officer"
    with pytest.raises(AuthenticationFailed):
        service.authenticate("petugas.klaim.2", PASSWORD)
    assert service.signed_in_actor(user_id, 0) is None, "a session begun before the change has ended"


def test_disable_and_enable(store):
    _, service = store
    service.register_user("auditor.1", "auditor", PASSWORD, Actor("admin.dpmppa", "admin"))
    assert users(store, "disable", "auditor.1", "--reason", "Pindah tugas").returncode == 0
    with pytest.raises(AuthenticationFailed):
        service.authenticate("auditor.1", PASSWORD)
    with pytest.raises(UserDisabled):
        service.issue_token("auditor.1", ["read"], Actor("admin.dpmppa", "admin"))
    twice = users(store, "disable", "auditor.1", "--reason", "Lagi")
    assert twice.returncode == 1 and "already disabled" in twice.stderr
    assert users(store, "enable", "auditor.1").returncode == 0
    assert service.authenticate("auditor.1", PASSWORD).role == "auditor"


@pytest.mark.parametrize(("args", "stdin", "code", "message"), [
    (["create", "ketua.baru", "--role", "ketua_rt", "--password-stdin"], PASSWORD, 2, "needs the code of their RT"),
    (["create", "ketua.baru", "--role", "ketua_rt", "--rt", "15.71.01.1001/RT-099", "--password-stdin"], PASSWORD,
     2, "unknown RT 15.71.01.1001/RT-099: no RT is registered with this code"),
    (["create", "ketua.baru", "--role", "ketua_rt", "--rt", "99.99/RT-1", "--password-stdin"], PASSWORD,
     2, "unknown RT '99.99/RT-1': an RT code looks like 15.71.01.1001/RT-005"),
    (["create", "ab", "--role", "auditor", "--password-stdin"], PASSWORD, 2, "at least 3 characters"),
    (["create", "petugas", "--role", "claim_officer", "--password-stdin"], "pendek", 2, "10–256 characters"),
    (["create", "petugas", "--role", "mayor", "--password-stdin"], PASSWORD, 2, "Invalid value for '--role'"),
    (["create", "petugas", "--role", "auditor", "--password-stdin", "--generate-password"], None, 2,
     "not both"),
    (["token", "tidak.ada", "--scope", "read"], None, 1, "no account named tidak.ada"),
    (["token", "tidak.ada"], None, 2, "Missing option '--scope'"),
    (["disable", "tidak.ada", "--reason", "x"], None, 1, "no account named tidak.ada"),
    (["password", "tidak.ada", "--password-stdin"], PASSWORD, 1, "no account named tidak.ada"),
    (["password", "auditor.tetap", "--password-stdin"], "pendek", 2, "10–256 characters"),
], ids=["ketua-without-rt", "unknown-rt", "malformed-rt", "short-name", "short-password", "unknown-role", "two-passwords", "unknown-user",
        "no-scope", "disable-unknown", "password-unknown-user", "password-too-short"])
def test_mistakes_are_a_message_and_a_non_zero_exit_that_change_nothing(store, args, stdin, code, message):
    _, service = store
    service.register_user("auditor.tetap", "auditor", PASSWORD, Actor("admin.dpmppa", "admin"))
    before = head(service)
    result = users(store, *args, stdin=stdin)
    assert result.returncode == code, result.stderr
    assert message in result.stderr and "Traceback" not in result.stderr
    assert head(service) == before
