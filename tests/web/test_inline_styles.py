"""No page carries inline styles, so the app can be served with a Content-Security-Policy
without 'unsafe-inline': every style comes from static/style.css and static/print.css."""

import pytest

from tests.integration.conftest import AHMAD, SITI
from tests.integration.history import make_history
from tests.web.conftest import follow, sign_in

LETTER = "ST/001/RT-005/IX/2025"


@pytest.fixture
def pages(app_sqlite, clock, client) -> list[str]:
    """A path of every page of the main areas, over a history with claims in several states."""
    ids = make_history(app_sqlite, clock)
    follow(client)
    sign_in(client, "admin.dpmppa", "admin")
    rt, drainage = ids["rt_id"], ids["drainage"]
    activity_forms = ("task-letters/new", "participants/new", "participants/bulk", "participants/withdrawal",
                      "premium-payments/new", "value", "completion", "cancellation")
    return [
        "/", "/sign-in", "/rts", f"/rts/{rt}", "/rts/new",
        *(f"/rts/{ids['other_rt']}/{form}" for form in ("ketua", "enrolment", "musyawarah", "launch")),
        "/activities", f"/activities/{drainage}", f"/activities/{ids['road']}", f"/activities/new?rt_id={rt}",
        f"/activities/{drainage}/task-letters/{LETTER}", *(f"/activities/{drainage}/{form}" for form in activity_forms),
        "/claims", "/claims/report", f"/claims/report?nik={SITI}", f"/claims/report?nik={AHMAD}",
        *(f"/claims/{ids[claim]}" for claim in ("paid", "denied", "assessed")),
        "/coverage", f"/coverage?nik={SITI}&at=2025-09-04T09:00",
        "/audit", "/audit/as-of?at=2025-09-04T13:00", "/audit/as-of?at=2025-09-10T13:00&view=claims",
        f"/audit/aggregates/{ids['paid']}?version=3",
        "/audit?type=unknown",  # a form shown again with its errors
    ]


def test_no_page_has_an_inline_style(client, pages):
    for path in pages:
        response = client.get(path)
        assert response.status_code in (200, 422), path
        html = response.get_data(as_text=True)
        assert ' style="' not in html and "<style" not in html, path


def test_the_charts_take_their_width_from_the_stylesheet(client, pages):
    assert '<svg xmlns="http://www.w3.org/2000/svg" id="grafik-peserta" class="chart"' in client.get("/").get_data(
        as_text=True)
    assert "svg.chart { max-width: 25rem; }" in client.get("/static/style.css").get_data(as_text=True)
