"""Who is acting in the web: until accounts exist, a user names themselves and their role
("masuk sebagai") and every event records that actor."""

from flask import Blueprint, redirect, request, session
from marshmallow import Schema, fields, validate
from werkzeug.wrappers import Response

from domain.actor import ROLES, Actor
from interfaces.errors import SignInRequired
from interfaces.web.forms import done, form_page, load

blueprint = Blueprint("actor", __name__)

ROLE_LABELS = {
    "admin": "Administrator",
    "ketua_rt": "Ketua RT",
    "claim_officer": "Petugas klaim",
    "auditor": "Auditor",
    "integrator": "Integrator",
}


class SignIn(Schema):
    user_id = fields.String(required=True, validate=validate.Regexp(r"^[A-Za-z0-9._@-]{1,64}$"))
    role = fields.String(required=True, validate=validate.OneOf([r for r in ROLES if r != "system"]))


def current_actor() -> Actor | None:
    if "user_id" not in session:
        return None
    return Actor(session["user_id"], session["role"])


def require_actor() -> Actor:
    """The acting user; without one, the request is sent to sign in first (see errors.py)."""
    actor = current_actor()
    if actor is None:
        raise SignInRequired()
    return actor


@blueprint.route("/sign-in", methods=["GET", "POST"])
def sign_in() -> tuple[str, int] | Response:
    page = form_page("masuk.html", roles=ROLE_LABELS, next=request.args.get("next", ""))
    if request.method == "GET":
        return page.render()
    data = load(SignIn())
    session["user_id"], session["role"] = data["user_id"], data["role"]
    target = request.args.get("next", "")
    if target.startswith("/") and not target.startswith("//"):
        return redirect(target)
    return done(f"Masuk sebagai {data['user_id']} ({ROLE_LABELS[data['role']]}).", "rts.index")


@blueprint.post("/sign-out")
def sign_out() -> Response:
    session.clear()
    return done("Anda telah keluar.", "rts.index")
