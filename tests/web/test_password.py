"""Changing one's own password on the web ("Ganti kata sandi"): every signed-in role may, proving it
with the current password; mistakes come back beside their fields in Indonesian and change nothing;
the change keeps the session it is made in and ends the account's other sessions."""

import pytest

from interfaces.web.actor import SESSION_KEY
from tests.accounts import OPERATOR, PASSWORD
from tests.web.conftest import head, sign_in
from tests.web.pages import csrf_token_of, error_beside, flash_after, has_label, html_of
from tests.web.routes import USERS

PAGE = "/account/password"
NEW = "gotong-royong-jambi-2026"
FIELDS = ("current_password", "new_password", "new_password_again")


def change(client, current: str, new: str, again: str | None = None):
    return client.post(PAGE, data={"current_password": current, "new_password": new,
                                   "new_password_again": new if again is None else again})


def signed_in_as(client, username: str = "petugas.klaim.1", role: str = "claim_officer"):
    sign_in(client, username, role)
    return client


@pytest.mark.parametrize("role", sorted(USERS))
def test_every_role_finds_the_page_from_the_header(client, web_world, role):
    sign_in(client, USERS[role], role)
    page = html_of(client.get(PAGE))
    assert all(has_label(page, name) for name in FIELDS)
    assert 'autocomplete="current-password"' in page and page.count('autocomplete="new-password"') == 2
    assert "Paling sedikit 10 dan paling banyak 256 karakter" in page
    assert f'href="{PAGE}" aria-current="page">Ganti kata sandi</a>' in page


def test_a_visitor_not_signed_in_is_sent_to_sign_in(client):
    response = client.get(PAGE)
    assert response.status_code == 302 and response.headers["Location"].startswith("/sign-in")


def test_the_new_password_signs_in_and_the_old_one_no_longer_does(client, app_sqlite):
    signed_in_as(client)
    page = flash_after(client, change(client, PASSWORD, NEW))
    assert "Kata sandi telah diganti." in page
    assert app_sqlite.authenticate("petugas.klaim.1", NEW).role == "claim_officer"
    assert client.get(PAGE).status_code == 200, "the session of the change stays signed in"
    assert NEW not in page and PASSWORD not in page


def test_the_other_sessions_of_the_account_end_but_not_those_of_other_accounts(flask_app, app_sqlite):
    here, elsewhere, colleague = (flask_app.test_client() for _ in range(3))
    signed_in_as(here)
    signed_in_as(elsewhere)
    signed_in_as(colleague, "petugas.klaim.2")
    assert change(here, PASSWORD, NEW).status_code == 302
    assert here.get(PAGE).status_code == 200
    assert elsewhere.get(PAGE).headers["Location"].startswith("/sign-in")
    with elsewhere.session_transaction() as session:
        assert SESSION_KEY not in session
    assert colleague.get(PAGE).status_code == 200


def test_a_reset_by_the_operator_ends_every_session_of_the_account(client, app_sqlite):
    signed_in_as(client)
    app_sqlite.change_password("petugas.klaim.1", NEW, OPERATOR)
    assert client.get(PAGE).headers["Location"].startswith("/sign-in")


@pytest.mark.parametrize(("current", "new", "again", "field", "message"), [
    ("bukan-kata-sandinya", NEW, None, "current_password", "Kata sandi saat ini salah."),
    (PASSWORD, NEW, NEW + "!", "new_password_again", "Kata sandi baru dan ulangannya tidak sama."),
    (PASSWORD, "pendek", None, "new_password", "Kata sandi harus 10–256 karakter."),
    (PASSWORD, "x" * 257, None, "new_password", "Kata sandi harus 10–256 karakter."),
    ("", NEW, None, "current_password", "Panjang isian harus antara 1 dan 256."),
], ids=["wrong-current", "mismatch", "too-short", "too-long", "no-current"])
def test_a_mistake_is_shown_beside_its_field_and_changes_nothing(client, app_sqlite, current, new, again, field,
                                                                 message):
    signed_in_as(client)
    before = head(app_sqlite)
    response = change(client, current, new, again)
    page = html_of(response)
    assert response.status_code == 422
    assert error_beside(page, field) == message
    assert head(app_sqlite) == before
    assert new not in page and (not current or current not in page), "no password is sent back into the page"
    assert client.get(PAGE).status_code == 200


def test_guessing_the_current_password_is_limited_like_signing_in(client, app_sqlite):
    signed_in_as(client)
    answers = [change(client, f"tebakan-ke-{n}-salah", NEW).status_code for n in range(6)]
    assert answers == [422] * 5 + [429]
    assert app_sqlite.authenticate("petugas.klaim.1", PASSWORD).role == "claim_officer"


def test_the_form_carries_a_csrf_token_and_needs_it(browser, app_sqlite):
    sign_in(browser, "petugas.klaim.1", "claim_officer")
    refused = change(browser, PASSWORD, NEW)
    assert refused.status_code == 400
    token = csrf_token_of(html_of(browser.get(PAGE)))
    sent = browser.post(PAGE, data={"csrf_token": token, "current_password": PASSWORD, "new_password": NEW,
                                    "new_password_again": NEW})
    assert sent.status_code == 302
    assert app_sqlite.authenticate("petugas.klaim.1", NEW).role == "claim_officer"
