"""What the audit pages show of accounts: who was registered, disabled, given a token and by whom,
never a password hash or a token's hash (nor the token)."""

import pytest

from domain.user import User
from tests.accounts import OPERATOR, api_token
from tests.web.conftest import follow, sign_in
from tests.web.pages import html_of


@pytest.fixture
def account_history(client, app_sqlite) -> tuple[User, str]:
    token = api_token(app_sqlite, "petugas.baru", "claim_officer")
    app_sqlite.disable_user("petugas.baru", "Pindah tugas", OPERATOR)
    follow(client)
    sign_in(client, "auditor.inspektorat", "auditor")
    return app_sqlite.repository.get(User.create_id("petugas.baru")), token


def assert_no_secret(text: str, user: User, token: str) -> None:
    assert user.password_hash not in text and "$argon2" not in text
    assert token.split("_", 3)[3] not in text  # the secret itself may contain "_"
    assert "token_hash" not in text or "[redacted]" in text


def test_the_trail_and_the_accounts_history_name_each_step_without_a_hash(client, account_history):
    user, token = account_history
    trail = html_of(client.get(f"/audit?aggregate={user.id}"))
    assert "Akun petugas.baru dibuat (claim_officer)" in trail and "Akun dinonaktifkan: Pindah tugas" in trail
    assert_no_secret(trail, user, token)
    history = client.get(f"/audit/aggregates/{user.id}")
    assert history.status_code == 200
    assert "Token API diterbitkan" in html_of(history)
    assert_no_secret(html_of(history), user, token)


@pytest.mark.parametrize("fmt", ["csv", "jsonl"])
def test_exports_redact_the_hashes(client, account_history, fmt):
    user, token = account_history
    export = client.get("/audit/export", query_string={"aggregate": str(user.id), "format": fmt})
    assert export.status_code == 200
    text = export.get_data(as_text=True)
    assert "UserRegistered" in text and "[redacted]" in text
    assert_no_secret(text, user, token)
