"""Security headers on every response (interfaces/headers.py), and pages that need no inline
script or style, so the Content-Security-Policy can refuse both."""

import re

import pytest

from tests.web.conftest import follow, sign_in
from tests.web.routes import every_route, example_values, report_claim

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\ssrc=)[^>]*>", re.IGNORECASE)
STYLE_ATTRIBUTE = re.compile(r"""<[^>]+\sstyle\s*=""", re.IGNORECASE)


def directives(policy: str) -> dict[str, str]:
    return {name: value for name, _, value in (part.strip().partition(" ") for part in policy.split(";"))}


@pytest.fixture
def responses(flask_app, client, app_sqlite, web_world):
    """The response of every GET route, as an administrator (who may read every one of them)."""
    values = example_values(web_world, report_claim(app_sqlite, web_world))
    follow(client)
    sign_in(client, "admin.dpmppa", "admin")
    answers = []
    for route in every_route(flask_app, values):
        if route.method == "GET":
            response = client.get(route.path)
            response.close()  # the event stream would run on if read
            answers.append((route, response))
    return answers


def test_every_response_carries_the_security_headers(responses):
    assert len(responses) > 40
    for route, response in responses:
        assert response.headers["X-Frame-Options"] == "DENY", route
        assert response.headers["X-Content-Type-Options"] == "nosniff", route
        assert response.headers["Referrer-Policy"] == "same-origin", route
        policy = directives(response.headers["Content-Security-Policy"])
        assert policy["frame-ancestors"] == "'none'", route
        assert policy["script-src"] == "'self'" and policy["style-src"] == "'self'", route
        assert "unsafe" not in response.headers["Content-Security-Policy"], route


def test_refusals_and_errors_carry_them_too(client):
    for response in (client.get("/rts"), client.get("/no-such-page"), client.get("/api/v1/rts")):
        assert response.status_code in (302, 401, 404)
        assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]


def test_no_page_has_an_inline_script_or_style(responses):
    pages = [(route, response) for route, response in responses if response.mimetype == "text/html"]
    assert any(route.endpoint == "api_docs.index" for route, _ in pages)
    for route, response in pages:
        html = response.get_data(as_text=True)
        assert INLINE_SCRIPT.search(html) is None, route
        assert STYLE_ATTRIBUTE.search(html) is None and "<style" not in html.lower(), route


def test_the_swagger_ui_page_starts_from_a_static_script_and_alone_allows_data_images(client):
    page = client.get("/api/v1/docs/")
    html = page.get_data(as_text=True)
    assert '<script src="/static/swagger-init.js"></script>' in html
    assert 'data-spec-url="/api/v1/openapi.json"' in html
    assert directives(page.headers["Content-Security-Policy"])["img-src"] == "'self' data:"
    assert directives(client.get("/sign-in").headers["Content-Security-Policy"])["img-src"] == "'self'"
    script = client.get("/static/swagger-init.js")
    assert script.status_code == 200 and "SwaggerUIBundle(config)" in script.get_data(as_text=True)
