"""The main flow in a real browser (Debian's Chromium, headless, 360 px wide like a phone, no
JavaScript needed by the pages): a Ketua RT issues a task letter and adds a participant; a claim
officer reports an accident, confirms coverage, receives the documents, assesses, approves and
pays the santunan; an auditor then finds every step in the audit trail."""

from datetime import timedelta
from uuid import UUID

from domain.claim import DOCUMENTS
from domain.period import Period
from tests.accounts import PASSWORD, account
from tests.e2e.conftest import ARTIFACTS
from tests.integration.conftest import ADMIN, KETUA_NIK, launched_rt

NIK = "1571014507900002"
ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")


def sign_in(page, base: str, service, user_id: str, role: str) -> None:
    """Through the real form, as the account ``user_id`` (made for the test; a Ketua RT leads RT 005)."""
    account(service, user_id, role)
    page.goto(f"{base}/sign-in")
    page.get_by_label("Nama pengguna").fill(user_id)
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    assert user_id in page.locator("header").inner_text()


def submit(page, button: str) -> None:
    page.get_by_role("button", name=button).click()
    page.wait_for_load_state()


def flashed(page) -> str:
    return page.locator(".alert-success").inner_text()


def test_the_main_flow_from_task_letter_to_santunan_and_its_audit_trail(served, browser_page):
    base, service = served
    page = browser_page
    today = service.clock.today()
    rt_id = launched_rt(service)
    activity_id = service.plan_activity(
        rt_id, "Gotong royong pembersihan drainase", "drainage", "Jl. Sipin Ujung", 50_000_000,
        Period(today, today + timedelta(days=30)), ADMIN,
    )

    # The Ketua RT issues the surat tugas and adds a participant, on a phone.
    sign_in(page, base, service, "ketua.simpang-iv-sipin.005", "ketua_rt")
    page.goto(f"{base}/activities/{activity_id}")
    page.get_by_role("link", name="Terbitkan surat tugas").click()
    # The form suggests the RT's first number of the month; the Ketua RT keeps it.
    letter = f"ST/001/RT-005/01.1001/{ROMAN[today.month - 1]}/{today.year}"
    assert page.get_by_label("Nomor surat").input_value() == letter
    page.get_by_label("Tanggal surat").fill(today.isoformat())
    page.get_by_label("Mulai").fill(today.isoformat())
    page.get_by_label("Sampai dengan").fill((today + timedelta(days=30)).isoformat())
    assert page.get_by_label("NIK Ketua RT penanda tangan").input_value() == KETUA_NIK
    submit(page, "Terbitkan")
    assert letter in flashed(page)
    page.get_by_role("link", name="Tambah peserta", exact=True).click()
    page.get_by_label("NIK").fill(NIK)
    page.get_by_label("Nama lengkap").fill("Siti Aminah")
    page.get_by_label("Peran").select_option("resident")
    submit(page, "Tambahkan")
    assert "Siti Aminah" in flashed(page)
    page.screenshot(path=str(ARTIFACTS / "activity.png"), full_page=True)
    joined_at = service.clock.now()
    service.clock.advance(timedelta(hours=3))  # the work goes on; an accident happens an hour after joining

    # A claim officer reports the accident and takes the claim to the santunan paid.
    page.get_by_role("button", name="Keluar").click()
    sign_in(page, base, service, "petugas.klaim.1", "claim_officer")
    page.goto(f"{base}/claims/report")
    page.get_by_label("NIK korban").fill(NIK)
    submit(page, "Cari kepesertaan")
    assert "Gotong royong pembersihan drainase" in page.inner_text("main")
    incident = joined_at + timedelta(hours=1)
    page.get_by_label("Tanggal dan jam kejadian (WIB)").fill(incident.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Kecelakaan kerja (JKK)", exact=True).check()
    page.get_by_label("Kronologi kejadian").fill("Terpeleset di tepi parit saat mengangkat lumpur; kaki terkilir.")
    page.get_by_label("Pelapor").fill("Budi Santoso (Ketua RT)")
    submit(page, "Catat laporan")
    assert page.url.startswith(f"{base}/claims/")
    claim_id = page.url.rstrip("/").rsplit("/", 1)[1]

    submit(page, "Konfirmasi kepesertaan")
    assert letter in page.inner_text("main")
    documents = page.locator("#form-documents")
    for box in documents.get_by_role("checkbox").all():
        box.check()
    submit(page, "Catat dokumen diterima")
    assessment = page.locator("#form-assess")
    assessment.get_by_label("Biaya perawatan dan pengobatan (Rp) (opsional)", exact=True).fill("2.750.000")
    submit(page, "Pratinjau")  # computed by the rule tables, shown, not recorded
    assert "Pratinjau penilaian (belum disimpan)" in page.inner_text("main")
    assert service.get_claim(UUID(claim_id)).benefit_lines == []
    submit(page, "Simpan penilaian")
    submit(page, "Setujui klaim")
    payment = page.locator("#form-pay")
    payment.get_by_label("Manfaat yang dibayar").select_option("medical_care")
    payment.get_by_label("Jumlah dibayar (Rp)").fill("2750000")
    payment.get_by_label("Penerima").fill("Siti Aminah")
    payment.get_by_label("Nomor referensi pembayaran").fill("BPJSTK-E2E-0001")
    payment.get_by_label("Tanggal dibayar").fill(service.clock.today().isoformat())
    submit(page, "Catat pembayaran")
    assert "Rp 2.750.000" in page.inner_text("main")
    page.screenshot(path=str(ARTIFACTS / "claim.png"), full_page=True)
    claim = service.get_claim(UUID(claim_id))
    assert claim.status == "paid" and claim.paid_amount == 2_750_000
    assert set(claim.documents) == set(DOCUMENTS["work_accident"])

    # An auditor finds every step in the audit trail.
    page.get_by_role("button", name="Keluar").click()
    sign_in(page, base, service, "auditor.inspektorat", "auditor")
    page.goto(f"{base}/audit?aggregate={claim_id}&limit=100")
    trail = page.inner_text("main")
    for step in ("AccidentReported", "CoverageConfirmed", "DocumentReceived", "ClaimAssessed", "ClaimApproved",
                 "SantunanPaid"):
        assert step in trail, step
    page.goto(f"{base}/audit?aggregate={activity_id}&limit=100")
    trail = page.inner_text("main")
    assert "TaskLetterIssued" in trail and "ParticipantJoined" in trail
    assert "ketua.simpang-iv-sipin.005" in trail
    page.screenshot(path=str(ARTIFACTS / "audit.png"), full_page=True)
    page.goto(f"{base}/")
    page.screenshot(path=str(ARTIFACTS / "dashboard.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360  # no sideways scrolling on a phone
