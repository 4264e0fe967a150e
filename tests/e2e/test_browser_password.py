"""Changing one's own password in a real browser on a 360-px phone, without JavaScript: the header
links to the page, the form fits the screen, and the new password signs in afterwards."""

from tests.accounts import PASSWORD
from tests.e2e.conftest import ARTIFACTS
from tests.e2e.test_browser import flashed, sign_in, submit

NEW = "gotong-royong-jambi-2026"


def test_a_claim_officer_changes_their_password_on_a_phone(served, browser_page):
    base, service = served
    page = browser_page
    sign_in(page, base, service, "petugas.klaim.1", "claim_officer")
    page.get_by_role("link", name="Ganti kata sandi").click()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360  # no sideways scrolling on a phone
    page.get_by_label("Kata sandi saat ini", exact=True).fill(PASSWORD)
    page.get_by_label("Kata sandi baru", exact=True).fill(NEW)
    page.get_by_label("Ulangi kata sandi baru", exact=True).fill(NEW + "?")
    submit(page, "Ganti kata sandi")
    assert "tidak sama" in page.locator("#new_password_again-error").inner_text()
    page.screenshot(path=str(ARTIFACTS / "password.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    page.get_by_label("Kata sandi saat ini", exact=True).fill(PASSWORD)
    page.get_by_label("Kata sandi baru", exact=True).fill(NEW)
    page.get_by_label("Ulangi kata sandi baru", exact=True).fill(NEW)
    submit(page, "Ganti kata sandi")
    assert "Kata sandi telah diganti." in flashed(page)
    assert service.authenticate("petugas.klaim.1", NEW).role == "claim_officer"
