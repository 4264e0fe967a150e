import pytest

from interfaces.web import create_app


@pytest.fixture
def client(app_sqlite):
    flask_app = create_app({"TESTING": True, "KAMPUNG_APP": app_sqlite})
    return flask_app.test_client()
