"""Every form of the web carries a CSRF token, and a POST without one is refused with nothing
recorded (CSRF protection on, as a browser meets it). The API is exempt: it takes bearer tokens
and JSON bodies, which a cross-site form cannot send."""

import re

import pytest

from tests.api.conftest import ApiClient
from tests.web.conftest import follow, head, sign_in
from tests.web.routes import every_route, example_values, report_claim

POST_FORM = re.compile(r"<form\b[^>]*\bmethod=\"post\"[^>]*>(.*?)</form>", re.IGNORECASE | re.DOTALL)
TOKEN_FIELD = re.compile(r'<input type="hidden" name="csrf_token" value="[^"]+">')


@pytest.fixture
def routes(browser, app_sqlite, web_world):
    values = example_values(web_world, report_claim(app_sqlite, web_world))
    follow(browser)
    sign_in(browser, "admin.dpmppa", "admin")
    return [route for route in every_route(browser.application, values) if not route.is_api]


def test_every_form_on_every_page_carries_the_csrf_token(browser, routes):
    forms = 0
    for route in routes:
        if route.method != "GET" or route.endpoint == "static":
            continue
        for body in POST_FORM.findall(browser.get(route.path).get_data(as_text=True)):
            forms += 1
            assert TOKEN_FIELD.search(body), route
    assert forms > 20  # the pages' own forms and each page's sign-out button


def test_a_post_without_the_token_is_refused_and_records_nothing(browser, routes, app_sqlite):
    posts = [route for route in routes if route.method == "POST"]
    assert len(posts) > 25
    before = head(app_sqlite)
    for route in posts:
        response = browser.post(route.path, data={"reason": "Tanpa token", "expected_version": "1"})
        assert response.status_code == 400, route
    assert head(app_sqlite) == before


def test_the_api_needs_no_csrf_token(browser, web_world):
    response = ApiClient(browser).post(f"/rts/{web_world.rt_id}/musyawarah",
                                       {"held_on": "2025-08-30", "priorities": ["Jalan setapak"]})
    assert response.status_code == 200, response.get_json()
