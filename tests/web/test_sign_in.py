"""Signing in on the web: user name and password, one message for every refusal, a fresh session
that holds only the account's id and is checked on every request, hardened cookies, and a limit on
attempts per user name and per client address."""

from datetime import timedelta

import pytest

from interfaces.app import create_app
from interfaces.web.actor import SESSION_KEY, SIGNED_IN_AT
from tests.accounts import OPERATOR, PASSWORD, account
from tests.web.pages import csrf_token_of, has_label, html_of, sent_to_sign_in

REFUSED = "Nama pengguna atau kata sandi salah."
PROTECTED = "/rts/new"  # a page only a signed-in user (an admin) sees


@pytest.fixture
def budi(app_sqlite):
    """An administrator's account."""
    return account(app_sqlite, "budi.admin", "admin")


def sign_in_with(client, username: str, password: str, **kwargs):
    return client.post("/sign-in", data={"username": username, "password": password}, **kwargs)


def test_the_form_asks_for_user_name_and_password_only(client):
    html = html_of(client.get("/sign-in"))
    assert has_label(html, "username") and has_label(html, "password")
    assert 'type="password"' in html and 'autocomplete="current-password"' in html
    assert 'name="role"' not in html


def test_the_right_password_signs_in_and_the_header_names_the_account(client, budi):
    response = sign_in_with(client, "budi.admin", PASSWORD)
    assert response.status_code == 302
    page = html_of(client.get(response.headers["Location"]))
    assert "Masuk sebagai budi.admin (Administrator)." in page
    assert client.get(PROTECTED).status_code == 200


def test_the_user_name_is_not_case_sensitive_and_next_is_followed(client, budi):
    response = sign_in_with(client, " Budi.Admin ", PASSWORD, query_string={"next": PROTECTED})
    assert response.status_code == 302 and response.headers["Location"] == PROTECTED


@pytest.mark.parametrize("target", ["//evil.example/", "/\\evil.example/", "https://evil.example/"])
def test_a_next_that_leaves_the_site_is_not_followed(client, budi, target):
    response = sign_in_with(client, "budi.admin", PASSWORD, query_string={"next": target})
    assert response.headers["Location"] == "/rts"


@pytest.mark.parametrize(("username", "password"), [
    ("budi.admin", "salah-sekali-123"),  # wrong password
    ("siapa.saja", PASSWORD),  # no such account
    ("budi.admin", ""),
    ("budi admin!", PASSWORD),  # not even a possible user name
], ids=["wrong-password", "unknown-user", "empty-password", "impossible-name"])
def test_every_refusal_gives_the_same_message_and_no_session(client, budi, username, password):
    response = sign_in_with(client, username, password)
    html = html_of(response)
    assert response.status_code in (401, 422)
    if response.status_code == 401:
        assert REFUSED in html
    assert 'name="password" type="password" value=""' in html  # the password is not sent back
    with client.session_transaction() as session:
        assert SESSION_KEY not in session


def test_a_disabled_account_is_refused_with_the_same_message(client, app_sqlite, budi):
    app_sqlite.disable_user("budi.admin", "Cuti panjang", OPERATOR)
    response = sign_in_with(client, "budi.admin", PASSWORD)
    assert response.status_code == 401 and REFUSED in html_of(response)


def test_signing_in_starts_a_new_session(client, budi):
    with client.session_transaction() as session:
        session["planted"] = "by someone else"
    sign_in_with(client, "budi.admin", PASSWORD)
    with client.session_transaction() as session:
        assert "planted" not in session and session[SESSION_KEY] == str(budi)


def test_signing_out_ends_the_session(client, budi):
    sign_in_with(client, "budi.admin", PASSWORD)
    response = client.post("/sign-out")
    assert response.status_code == 302
    assert sent_to_sign_in(client.get(PROTECTED)) == PROTECTED
    with client.session_transaction() as session:
        assert SESSION_KEY not in session


def test_a_disabled_account_loses_access_at_once(client, app_sqlite, budi):
    sign_in_with(client, "budi.admin", PASSWORD)
    assert client.get(PROTECTED).status_code == 200
    app_sqlite.disable_user("budi.admin", "Pindah tugas", OPERATOR)
    assert sent_to_sign_in(client.get(PROTECTED)) == PROTECTED


def test_a_session_ends_eight_hours_after_signing_in_however_busy(client, budi):
    sign_in_with(client, "budi.admin", PASSWORD)
    with client.session_transaction() as session:
        session[SIGNED_IN_AT] -= 8 * 3600 + 1  # as if signed in 8 hours and a second ago
    assert sent_to_sign_in(client.get(PROTECTED)) == PROTECTED
    with client.session_transaction() as session:
        assert SESSION_KEY not in session


def test_signing_out_needs_the_forms_csrf_token(browser, app_sqlite, budi):
    page = html_of(browser.get("/sign-in"))
    response = browser.post("/sign-in", data={"username": "budi.admin", "password": PASSWORD,
                                              "csrf_token": csrf_token_of(page)})
    assert response.status_code == 302
    assert browser.post("/sign-out").status_code == 400
    assert browser.get(PROTECTED).status_code == 200


# --- the cookie --------------------------------------------------------------------------------------------------


def session_cookie(app, app_sqlite) -> str:
    client = app.test_client()
    response = sign_in_with(client, "budi.admin", PASSWORD)
    [cookie] = [value for value in response.headers.getlist("Set-Cookie") if value.startswith("session=")]
    return cookie


def test_the_session_cookie_is_httponly_samesite_lax_secure_and_lasts_eight_hours(app_sqlite, budi, monkeypatch):
    monkeypatch.delenv("KAMPUNG_INSECURE_COOKIES", raising=False)
    app = create_app({"KAMPUNG_APP": app_sqlite, "SECRET_KEY": "test", "WTF_CSRF_ENABLED": False})
    cookie = session_cookie(app, app_sqlite)
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" in cookie and "Expires=" in cookie
    assert app.permanent_session_lifetime == timedelta(hours=8)


def test_a_plain_http_local_server_can_turn_secure_off(app_sqlite, budi, monkeypatch):
    monkeypatch.setenv("KAMPUNG_INSECURE_COOKIES", "1")
    app = create_app({"KAMPUNG_APP": app_sqlite, "SECRET_KEY": "test", "WTF_CSRF_ENABLED": False})
    cookie = session_cookie(app, app_sqlite)
    assert "HttpOnly" in cookie and "Secure" not in cookie


# --- attempts ----------------------------------------------------------------------------------------------------


def test_the_sixth_attempt_in_a_minute_is_refused_even_with_the_right_password(client, flask_app, budi):
    for _ in range(5):
        assert sign_in_with(client, "budi.admin", "salah-sekali-123").status_code == 401
    refused = sign_in_with(client, "budi.admin", "salah-sekali-123")
    assert refused.status_code == 429 and "Terlalu banyak percobaan" in html_of(refused)
    assert sign_in_with(client, "BUDI.admin", PASSWORD).status_code == 429
    with client.session_transaction() as session:
        assert SESSION_KEY not in session

    flask_app.extensions["kampung.limiter"].reset()  # what the minute passing does
    assert sign_in_with(client, "budi.admin", PASSWORD).status_code == 302


def test_one_address_gets_twenty_attempts_a_minute_over_all_user_names(client, budi):
    for number in range(20):
        assert sign_in_with(client, f"tebakan.{number}", "salah-sekali-123").status_code == 401
    assert sign_in_with(client, "budi.admin", PASSWORD).status_code == 429
    other_address = sign_in_with(client, "budi.admin", PASSWORD, environ_base={"REMOTE_ADDR": "10.1.2.3"})
    assert other_address.status_code == 302


def test_the_api_answers_too_many_attempts_with_a_problem_document(client, budi):
    for _ in range(5):
        sign_in_with(client, "budi.admin", "salah-sekali-123")
    response = sign_in_with(client, "budi.admin", "salah-sekali-123", headers={"Accept": "application/json"})
    assert response.status_code == 429 and response.mimetype == "application/problem+json"
