"""After a command sent through the web, the very next page shows its effect."""

from flask import Blueprint, redirect

from interfaces import access
from interfaces.app import create_app
from interfaces.services import kampung
from tests.integration.conftest import ADMIN
from tests.web.conftest import sign_in


def test_a_command_posted_to_the_web_is_in_the_read_models_before_the_response(app_sqlite, monkeypatch):
    commands = Blueprint("commands", __name__)

    @commands.post("/register")
    def register():  # a stand-in for the forms of the next issue: one command, then redirect
        kampung().register_rt("15.71.01.1001", 9, ADMIN)
        return redirect("/rts")

    flask_app = create_app({"TESTING": True, "WTF_CSRF_ENABLED": False, "KAMPUNG_APP": app_sqlite, "SECRET_KEY": "test"})
    flask_app.register_blueprint(commands)
    monkeypatch.setitem(access.POLICY, "commands.register", access.writes(access.ADMIN))
    client = flask_app.test_client()
    sign_in(client, "admin.dpmppa", "admin")
    assert "15.71.01.1001/RT-009" not in client.get("/rts").get_data(as_text=True)
    page = client.post("/register", follow_redirects=True)
    assert "15.71.01.1001/RT-009" in page.get_data(as_text=True)
    statuses = flask_app.extensions["kampung.readmodels"].status()
    assert all(status.lag == 0 for status in statuses)
