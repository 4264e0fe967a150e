"""The read models' page in a real browser on a 360-px phone: an auditor finds the event a read model
parked, with why, without sideways scrolling and without any script."""

from interfaces.consumers import build_runner
from tests.e2e.conftest import ARTIFACTS
from tests.e2e.test_browser import sign_in
from tests.integration.poison import make_undecodable
from tests.integration.raw_store import appointed_rts


def test_an_auditor_finds_a_parked_event_on_a_phone(served, browser_page, monkeypatch):
    base, service = served
    monkeypatch.setenv("KAMPUNG_PROJECTION_BACKOFF", "0")
    appointed_rts(service)
    make_undecodable(service.env, 4)
    runner = build_runner(service)
    assert runner.rebuild("coverage").parked == 1  # whether or not the server's runner saw it undamaged
    runner.engine.dispose()

    page = browser_page
    sign_in(page, base, service, "auditor.inspektorat", "auditor")
    page.get_by_role("link", name="Status data").click()
    assert page.get_by_role("heading", name="Tertahan di Kepesertaan dan iuran").is_visible()
    main = page.inner_text("main")
    assert "Ketua RT ditetapkan" in main and "cannot be decoded" in main
    page.screenshot(path=str(ARTIFACTS / "read-models.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360  # no sideways scrolling on a phone
    assert page.locator("script").count() == 0
