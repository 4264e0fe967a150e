"""How the HTTP benchmark gets in: the one place to change when signing in changes.

The driver signs in ONCE per server and hands the session cookie and CSRF token to every load-test
user: signing in is rate-limited per address (and a password hash costs on purpose), and the
benchmark measures the pages, not the sign-in.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass

import requests

from application.service import KampungBahagia
from domain.actor import Actor

USERNAME = "bench.admin"
PASSWORD = secrets.token_urlsafe(16)  # a fresh account per run; never stored anywhere else
CSRF_FIELD = re.compile(r'name="csrf_token" value="([^"]+)"')


@dataclass(frozen=True)
class Credentials:
    cookies: dict[str, str]
    csrf_token: str


def sign_in(app: KampungBahagia, base_url: str, form_path: str) -> Credentials:
    """An administrator's web session on the server at ``base_url`` (its store is ``app``'s): the
    account is created in the store, then signed in through the ``/sign-in`` form; the CSRF token
    comes from the form page ``form_path``."""
    app.register_user(USERNAME, "admin", PASSWORD, Actor("bench", "admin"))
    with requests.Session() as http:
        page = http.get(f"{base_url}/sign-in", timeout=30)
        page.raise_for_status()
        signed_in = http.post(f"{base_url}/sign-in", allow_redirects=False, timeout=30, data={
            "csrf_token": CSRF_FIELD.search(page.text).group(1), "username": USERNAME, "password": PASSWORD,
        })
        if signed_in.status_code not in (302, 303):
            raise RuntimeError(f"signing in was refused: HTTP {signed_in.status_code}")
        form = http.get(base_url + form_path, timeout=30)
        form.raise_for_status()
        return Credentials(cookies=http.cookies.get_dict(), csrf_token=CSRF_FIELD.search(form.text).group(1))
