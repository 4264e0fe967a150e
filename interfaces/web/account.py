"""A signed-in person's own account: changing their password ("Ganti kata sandi").

The current password is asked for again, so a session left open on a shared computer cannot be
used to take the account over, and wrong guesses are limited like sign-ins. A change ends every
other session of the account (they began in an older password generation, see actor.py); the
session the change is made in moves on to the new generation and stays signed in.
"""

from flask import Blueprint, Flask, request, session
from werkzeug.wrappers import Response

from application.accounts import MAX_PASSWORD, MIN_PASSWORD
from interfaces.schemas.accounts import ChangePassword
from interfaces.web.actor import PASSWORD_GENERATION, PER_USERNAME, SESSION_KEY, require_actor
from interfaces.web.forms import done, form_page, load
from interfaces.services import kampung

blueprint = Blueprint("account", __name__)


def account_key() -> str:
    return "account:" + str(session.get(SESSION_KEY, request.remote_addr))


def init_password_limit(app: Flask) -> None:
    """Guessing the current password from an open session: as few tries a minute as at sign-in."""
    limiter = app.extensions["kampung.limiter"]
    limit = limiter.limit(PER_USERNAME, key_func=account_key, methods=["POST"])
    app.view_functions["account.change_password"] = limit(change_password)


@blueprint.route("/account/password", methods=["GET", "POST"])
def change_password() -> tuple[str, int] | Response:
    actor = require_actor()
    page = form_page("account/password.html", min_length=MIN_PASSWORD, max_length=MAX_PASSWORD)
    if request.method == "GET":
        return page.render()
    data = load(ChangePassword())
    session[PASSWORD_GENERATION] = kampung().change_own_password(
        actor, data["current_password"], data["new_password"])
    return done("Kata sandi telah diganti. Sesi lain akun ini telah berakhir.", "account.change_password")
