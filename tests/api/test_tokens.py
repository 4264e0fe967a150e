"""API tokens: ``Authorization: Bearer <token>`` names the account acting; a token that does not
count is a 401 with a Bearer challenge, a token without the method's scope a 403."""

import pytest

from tests.accounts import OPERATOR, api_token, bearer
from tests.api.conftest import assert_problem

SIPIN_RT = {"kelurahan_code": "15.71.01.1001", "rt_number": 5}


def rts(client, token: str):
    return client.get("/api/v1/rts", headers=bearer(token))


def register_rt(client, token: str):
    return client.post("/api/v1/rts", json=SIPIN_RT, headers=bearer(token))


def assert_unauthorized(response) -> None:
    assert_problem(response, 401)
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_a_valid_token_acts_as_its_account(client, app_sqlite):
    token = api_token(app_sqlite, "admin.dpmppa", "admin")
    response = register_rt(client, token)
    assert response.status_code == 201
    [event] = client.get(f"/api/v1/aggregates/{response.get_json()['id']}/history",
                         headers=bearer(token)).get_json()["items"]
    assert event["actor"] == {"user_id": "admin.dpmppa", "role": "admin"}


def test_without_a_token_or_with_another_scheme_it_is_401(client, app_sqlite):
    token = api_token(app_sqlite, "admin.dpmppa", "admin")
    assert_unauthorized(client.get("/api/v1/rts"))
    assert_unauthorized(client.get("/api/v1/rts", headers={"Authorization": f"Basic {token}"}))
    assert_unauthorized(client.get("/api/v1/rts", headers={"Authorization": "Bearer"}))


@pytest.mark.parametrize("mangle", [
    lambda token: "kb_garbage",
    lambda token: token[:-4] + "AAAA",  # the right account and token id, a wrong secret
    lambda token: token.replace("kb_", "xx_", 1),
    lambda token: "kb_" + "0" * 32 + token[35:],  # an account that does not exist
    lambda token: token[: -len(token.split("_", 3)[3]) - 1],  # no secret (which may itself contain "_")
], ids=["garbage", "wrong-secret", "wrong-prefix", "unknown-account", "no-secret"])
def test_a_wrong_token_is_401_and_writes_nothing(client, app_sqlite, mangle):
    token = api_token(app_sqlite, "admin.dpmppa", "admin")
    head = app_sqlite.recorder.max_notification_id()
    assert_unauthorized(register_rt(client, mangle(token)))
    assert app_sqlite.recorder.max_notification_id() == head


def test_a_revoked_token_is_401_while_the_accounts_other_tokens_still_work(client, app_sqlite):
    token = api_token(app_sqlite, "admin.dpmppa", "admin")
    other = api_token(app_sqlite, "admin.dpmppa", "admin")
    assert rts(client, token).status_code == 200
    app_sqlite.revoke_token("admin.dpmppa", token.split("_")[2], OPERATOR)

    assert_unauthorized(rts(client, token))
    assert rts(client, other).status_code == 200


def test_a_disabled_accounts_tokens_are_401_until_it_is_enabled_again(client, app_sqlite):
    token = api_token(app_sqlite, "admin.dpmppa", "admin")
    app_sqlite.disable_user("admin.dpmppa", "Pindah tugas", OPERATOR)
    assert_unauthorized(rts(client, token))

    app_sqlite.enable_user("admin.dpmppa", OPERATOR)
    assert rts(client, token).status_code == 200


def test_reading_needs_the_read_scope_and_writing_the_write_scope(client, app_sqlite):
    reader = api_token(app_sqlite, "admin.dpmppa", "admin", scopes=("read",))
    writer = api_token(app_sqlite, "admin.dpmppa", "admin", scopes=("write",))

    assert rts(client, reader).status_code == 200
    assert_problem(register_rt(client, reader), 403)
    assert_problem(rts(client, writer), 403)
    assert register_rt(client, writer).status_code == 201


def test_thirty_refused_tokens_a_minute_from_one_address_then_429_with_retry_after(client, app_sqlite):
    token = api_token(app_sqlite, "admin.dpmppa", "admin")
    for number in range(30):
        assert_unauthorized(rts(client, f"kb_guess{number}"))
    refused = assert_problem(rts(client, "kb_guess30"), 429)
    assert refused["type"] == "urn:kampung-bahagia:error:TooManyFailedTokens"
    retry_after = rts(client, "kb_guess31").headers["Retry-After"]
    assert 1 <= int(retry_after) <= 60
    # Over the limit even a good token waits: a guess must not learn it was right.
    assert rts(client, token).status_code == 429
    other_address = client.get("/api/v1/rts", headers=bearer(token), environ_base={"REMOTE_ADDR": "10.1.2.3"})
    assert other_address.status_code == 200


def test_requests_with_a_good_token_are_not_counted(client, app_sqlite):
    token = api_token(app_sqlite, "admin.dpmppa", "admin")
    for _ in range(40):
        assert rts(client, token).status_code == 200
    assert_unauthorized(rts(client, "kb_guess"))
