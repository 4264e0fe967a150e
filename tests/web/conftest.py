import pytest

from interfaces.web import create_app


@pytest.fixture
def client(app_sqlite):
    flask_app = create_app({"TESTING": True, "WTF_CSRF_ENABLED": False, "KAMPUNG_APP": app_sqlite})
    return flask_app.test_client()


def follow(client) -> None:
    """What the server's follower thread does: bring the read models up to the log's head."""
    client.application.extensions["kampung.readmodels"].catch_up()
