"""End-to-end fixtures: the app served over real HTTP on 127.0.0.1, and Debian's Chromium driven by
Playwright (never a downloaded browser)."""

import threading
from datetime import datetime, timedelta
from collections.abc import Iterator
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from application.clock import FixedClock
from application.service import KampungBahagia
from domain.period import JAKARTA
from interfaces.app import create_app

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-quic",
                 "--no-first-run", "--disable-component-update", "--disable-sync"]
ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"


@pytest.fixture
def served(tmp_path) -> Iterator[tuple[str, KampungBahagia]]:
    """The web app on a free port over a fresh SQLite store, with CSRF on, as in production."""
    # A clock the test moves on, as time passes between the steps of the story (yesterday 08:00 WIB).
    start = (datetime.now(JAKARTA) - timedelta(days=1)).replace(hour=8, minute=0, second=0, microsecond=0)
    service = KampungBahagia(env={"PERSISTENCE_MODULE": "eventsourcing.sqlite",
                                  "SQLITE_DBNAME": str(tmp_path / "kampung.sqlite"), "CREATE_TABLE": "y"},
                             clock=FixedClock(start))
    # Plain http, as `make run` serves: the session cookie cannot be Secure (production's default).
    app = create_app({"KAMPUNG_APP": service, "SECRET_KEY": "browser-test", "KAMPUNG_FOLLOW_LOG": True,
                      "SESSION_COOKIE_SECURE": False})
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}", service
    finally:
        server.shutdown()
        app.extensions["kampung.stop"].set()
        service.close()


@pytest.fixture
def browser_page():
    """A headless Chromium page 360 px wide (a phone), screenshots going to tests/artifacts/."""
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 360, "height": 780}, locale="id-ID",
                                      timezone_id="Asia/Jakarta")
        page = context.new_page()
        page.set_default_timeout(15_000)
        try:
            yield page
        finally:
            context.close()
            browser.close()
