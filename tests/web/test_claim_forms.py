"""The claim pages as an officer uses them: the claims board, reporting an accident, and a claim
taken through every step with the web forms; each refusal and each bad input leaves the store
untouched and shows the form again with the error beside its field."""

import re
from datetime import datetime
from uuid import UUID, uuid4

import pytest

from domain.claim import DOCUMENTS
from domain.period import JAKARTA
from tests.integration.conftest import AHMAD, OFFICER, SITI
from tests.web.conftest import follow, head, sign_in
from tests.web.pages import csrf_token_of, html_of

REQUIRED = [doc for doc, required in DOCUMENTS["work_accident"].items() if required]
STEPS = ("confirm-coverage", "deny-coverage", "documents", "assess", "approve", "reject", "pay", "waive", "close")
# A hospital bill and an ambulance: Rp 7.500.000 + Rp 250.000.
COSTS = {"medical_costs": "7500000", "transport_costs": "250000"}


@pytest.fixture
def officer(client, web_world, app_sqlite):
    """Signed in as a claim officer on 2 September 2025 10:00 WIB, an hour after the accident."""
    sign_in(client)
    app_sqlite.clock.set(at(2025, 9, 2, 10))
    return web_world


def at(year, month, day, hour, minute=0):
    return datetime(year, month, day, hour, minute, tzinfo=JAKARTA)


def version_on(html: str, step: str) -> str:
    """The expected_version carried by the form that posts to ``step``."""
    match = re.search(rf'action="/claims/[0-9a-f-]+/{step}".*?name="expected_version" value="(\d+)"', html, re.S)
    assert match, f"no {step} form on the page"
    return match.group(1)


def report_form(world, **changes) -> dict:
    form = {
        "nik": SITI, "activity_id": str(world.activity_id), "incident_at": "2025-09-02T09:00",
        "kind": "work_accident", "chronology": "Terpeleset saat mengangkat lumpur dari parit.\nDibawa ke RSUD.",
        "reporter": "Budi Santoso (Ketua RT)",
    }
    form.update(changes)
    return {key: value for key, value in form.items() if value is not None}


def reported(client, world, **changes) -> str:
    """Report through the web; the claim page's path."""
    response = client.post("/claims/report", data=report_form(world, **changes))
    assert response.status_code == 302, html_of(response)
    return response.headers["Location"]


def claim_id_of(path: str) -> UUID:
    return UUID(path.rsplit("/", 1)[1])


def step(client, path: str, name: str, data: dict | None = None, version: str | None = None):
    page = html_of(client.get(path))
    form = {"expected_version": version or version_on(page, name), **(data or {})}
    return client.post(f"{path}/{name}", data=form)


def approved_claim(client, world, app) -> str:
    """A claim reported, confirmed, with every required document and assessed at Rp 7.750.000, approved."""
    path = reported(client, world)
    claim_id = claim_id_of(path)
    app.confirm_coverage(claim_id, OFFICER)
    app.receive_documents(claim_id, REQUIRED, OFFICER)
    assert step(client, path, "assess", COSTS).status_code == 302
    assert step(client, path, "approve").status_code == 302
    return path


# --- the claims board -------------------------------------------------------------------


def test_the_claims_board_lists_claims_with_status_counts(client, officer, app_sqlite):
    reported(client, officer, incident_at="2025-08-30T15:30")  # 2 days 18.5 hours before: late
    on_time = reported(client, officer)
    app_sqlite.confirm_coverage(claim_id_of(on_time), OFFICER)
    app_sqlite.clock.set(at(2025, 9, 12, 10))
    follow(client)

    html = html_of(client.get("/claims"))
    assert "<h1>Klaim</h1>" in html
    assert "Siti Aminah" in html and "1571********0002" in html and SITI not in html  # NIK masked
    assert "15.71.01.1001/RT-005" in html and "Simpang IV Sipin" in html
    assert "2 September 2025 09.00 WIB" in html and "30 Agustus 2025 15.30 WIB" in html
    assert html.count("Terlambat") == 1 and "Tepat waktu" in html
    assert "10 hari" in html  # open since 2 September
    assert "Kecelakaan kerja (JKK)" in html and "Dinilai Rp 0" in html
    assert re.search(r">Semua</a>: 2<", html)
    assert re.search(r">Dilaporkan</a>: 1<", html) and re.search(r">Kepesertaan dikonfirmasi</a>: 1<", html)
    assert 'href="/claims/report"' in html

    confirmed = html_of(client.get("/claims?status=coverage_confirmed"))
    assert "2 September 2025 09.00 WIB" in confirmed and "30 Agustus 2025 15.30 WIB" not in confirmed
    assert 'aria-current="page">Kepesertaan dikonfirmasi' in confirmed
    everything = html_of(client.get("/claims?status="))  # the filter form's "Semua status"
    assert "2 September 2025 09.00 WIB" in everything and "30 Agustus 2025 15.30 WIB" in everything


def test_the_claims_board_pages_in_a_stable_order(client, officer):
    for hour in (6, 7, 8):
        reported(client, officer, incident_at=f"2025-09-02T0{hour}:00")
    first = html_of(client.get("/claims?limit=2"))
    assert first.index("08.00 WIB") < first.index("07.00 WIB") and "06.00 WIB" not in first
    next_link = re.search(r'href="(/claims\?[^"]*after=[^"]+)" rel="next"', first)
    assert next_link and "Halaman berikutnya" in first

    second = html_of(client.get(next_link.group(1).replace("&amp;", "&")))
    assert "06.00 WIB" in second and "07.00 WIB" not in second and "08.00 WIB" not in second
    assert 'rel="next"' not in second and "Halaman pertama" in second


def test_an_empty_board_says_so(client, officer):
    html = html_of(client.get("/claims"))
    assert "Belum ada klaim" in html and re.search(r">Semua</a>: 0<", html)


def test_an_unknown_status_filter_is_an_error_beside_the_filter(client, officer):
    response = client.get("/claims?status=lost")
    assert response.status_code == 422
    html = html_of(response)
    assert 'id="filter-status-error"' in html and 'aria-invalid="true"' in html


# --- reporting an accident ------------------------------------------------------------------


def test_the_report_page_asks_for_a_nik_first(client, officer):
    html = html_of(client.get("/claims/report"))
    assert "Laporkan kecelakaan" in html and '<label for="nik">NIK korban</label>' in html
    assert 'method="get"' in html and 'method="post"' not in html.split("<main", 1)[1]


def test_the_report_page_shows_the_covers_of_the_nik_and_the_incident_form(client, officer):
    html = html_of(client.get(f"/claims/report?nik={SITI}"))
    assert f"Kepesertaan NIK {SITI}" in html
    assert "Gotong royong pembersihan drainase" in html and "15.71.01.1001/RT-005" in html
    assert "Simpang IV Sipin" in html and "1 September 2025 – 30 September 2025" in html and "Aktif" in html
    # the one cover is chosen already; the form has every field, labelled
    assert re.search(rf'type="radio" name="activity_id" value="{officer.activity_id}" required checked', html)
    assert 'type="datetime-local"' in html and 'max="2025-09-02T10:00"' in html
    for label in ("Kegiatan saat kejadian", "Tanggal dan jam kejadian (WIB)", "Jenis klaim", "Kecelakaan kerja (JKK)",
                  "Meninggal karena kecelakaan kerja (JKK)", "Meninggal bukan karena kecelakaan kerja (JKM)",
                  "Kronologi kejadian", "Pelapor"):
        assert label in html
    assert "2×24 jam" in html
    assert 'name="participant_name"' not in html  # a participant: the name comes from the activity


def test_an_invalid_nik_on_the_report_page_is_an_error_beside_it(client, officer):
    response = client.get("/claims/report?nik=15710145079")
    assert response.status_code == 422
    html = html_of(response)
    assert 'id="nik-error"' in html and "NIK harus tepat 16 angka" in html
    assert 'value="15710145079"' in html  # input kept
    assert 'method="post"' not in html.split("<main", 1)[1]


def test_reporting_an_accident_opens_the_claim_page(client, officer, app_sqlite):
    response = client.post("/claims/report", data=report_form(officer))
    assert response.status_code == 302
    path = response.headers["Location"]
    assert re.fullmatch(r"/claims/[0-9a-f-]{36}", path)

    html = html_of(client.get(path))
    assert "Laporan kecelakaan dicatat." in html
    assert "Klaim Siti Aminah" in html and "Status: Dilaporkan" in html
    assert "Gotong royong pembersihan drainase" in html and "15.71.01.1001/RT-005 · Simpang IV Sipin" in html
    assert "2 September 2025 09.00 WIB" in html and "Kecelakaan kerja (JKK)" in html
    assert "Budi Santoso (Ketua RT)" in html and "<p>Dibawa ke RSUD.</p>" in html
    assert "Terlambat" not in html
    # the cover the activity shows for the incident, before anyone confirms it
    assert "Belum dikonfirmasi" in html and "ST/001/RT-005/IX/2025" in html
    claim = app_sqlite.get_claim(claim_id_of(path))
    assert claim.incident_at == at(2025, 9, 2, 9) and claim.reporter == "Budi Santoso (Ketua RT)"


def test_a_report_after_two_days_is_flagged_late(client, officer, app_sqlite):
    app_sqlite.clock.set(at(2025, 9, 4, 9, 1))  # 48 hours and a minute after the incident
    path = reported(client, officer)
    html = html_of(client.get(path))
    assert "TERLAMBAT" in html and "Terlambat" in html and "lebih dari 2×24 jam" in html
    assert app_sqlite.get_claim(claim_id_of(path)).late is True
    follow(client)
    assert "Terlambat" in html_of(client.get("/claims"))


def test_someone_not_a_participant_is_reported_under_a_chosen_activity(client, officer, app_sqlite):
    html = html_of(client.get(f"/claims/report?nik={AHMAD}"))
    assert "tidak terdaftar sebagai peserta" in html
    assert f'<option value="{officer.activity_id}"' in html and 'label="15.71.01.1001/RT-005 · Simpang IV Sipin"' in html
    assert '<label for="participant_name">Nama korban</label>' in html

    path = reported(client, officer, nik=AHMAD, participant_name="Ahmad Fauzi")
    assert "Klaim Ahmad Fauzi" in html_of(client.get(path))
    assert app_sqlite.get_claim(claim_id_of(path)).participant_name == "Ahmad Fauzi"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"chronology": "   "}, "chronology"),
        ({"reporter": None}, "reporter"),
        ({"incident_at": "2 September"}, "incident_at"),
        ({"incident_at": "2025-09-03T09:00"}, "incident_at"),  # in the future
        ({"kind": None}, "report-kind"),
        ({"kind": "flood"}, "report-kind"),
        ({"activity_id": None}, "report-activity_id"),
    ],
)
def test_a_bad_report_shows_the_error_beside_its_field_and_keeps_the_input(
    client, officer, app_sqlite, changes, field
):
    before = head(app_sqlite)
    response = client.post("/claims/report", data=report_form(officer, **changes))
    assert response.status_code == 422
    html = html_of(response)
    assert f'id="{field}-error"' in html
    assert 'value="Budi Santoso (Ketua RT)"' in html or field == "reporter"
    assert "Terpeleset saat mengangkat lumpur" in html or field == "chronology"
    assert f'value="{officer.activity_id}" required checked' in html or field == "report-activity_id"
    assert head(app_sqlite) == before


def test_a_missing_chronology_is_said_in_indonesian(client, officer):
    html = html_of(client.post("/claims/report", data=report_form(officer, chronology=None)))
    assert re.search(r'id="chronology-error">Wajib diisi\.<', html)


def test_the_same_accident_reported_twice_is_refused(client, officer, app_sqlite):
    reported(client, officer)
    before = head(app_sqlite)
    response = client.post("/claims/report", data=report_form(officer))
    assert response.status_code == 409
    assert 'role="alert"' in html_of(response)
    assert head(app_sqlite) == before


# --- a claim from report to close ------------------------------------------------------------


def test_a_claim_goes_from_report_to_close_through_the_web_forms(client, officer, app_sqlite):
    path = reported(client, officer)
    page = html_of(client.get(path))
    assert "Status: Dilaporkan" in page
    assert "/confirm-coverage" in page and "Tolak kepesertaan" in page and "Tolak klaim" in page
    assert "/approve" not in page and "/assess" not in page and "/pay" not in page and "/close" not in page

    # confirm coverage
    response = step(client, path, "confirm-coverage")
    assert response.status_code == 302 and response.headers["Location"] == path
    page = html_of(client.get(path))
    assert "Kepesertaan dikonfirmasi: peserta terlindungi saat kejadian." in page
    assert "Status: Kepesertaan dikonfirmasi" in page
    assert "Dikonfirmasi: surat tugas <strong>ST/001/RT-005/IX/2025</strong>" in page
    assert "/confirm-coverage" not in page and "/assess" in page and "/approve" not in page

    # documents: the required ones in two batches; received ones are no longer offered
    assert step(client, path, "documents", {"documents[]": REQUIRED[:3]}).status_code == 302
    page = html_of(client.get(path))
    assert "3 dokumen dicatat diterima." in page and "3 dari 7 dokumen wajib diterima" in page
    assert 'value="ktp"' not in page and 'value="surat_keterangan_dokter"' in page
    assert step(client, path, "documents", {"documents[]": REQUIRED[3:]}).status_code == 302
    page = html_of(client.get(path))
    assert "7 dari 7 dokumen wajib diterima" in page
    assert 'value="kuitansi_pengobatan"' not in page and 'value="laporan_polisi"' in page  # optional ones still open

    # assess: a preview first (nothing recorded), then saved; blank inputs are ignored
    before = head(app_sqlite)
    inputs = {**COSTS, "home_care_costs": " ", "stmb_days": "", "children[]": ["", ""]}
    response = step(client, path, "assess/preview", inputs, version=version_on(page, "assess"))
    assert response.status_code == 200 and head(app_sqlite) == before
    preview = html_of(response).split('id="pratinjau"', 1)[1]
    assert "Biaya perawatan dan pengobatan" in preview and "Rp 7.500.000" in preview and "Rp 7.750.000" in preview
    assert 'value="7500000"' in html_of(response)  # the form keeps the inputs, to be saved or changed
    response = step(client, path, "assess", inputs)
    assert response.status_code == 302
    page = html_of(client.get(path))
    assert "Penilaian klaim dicatat." in page and "Status: Dinilai" in page
    assert "Biaya perawatan dan pengobatan" in page and "Transportasi darat, paling banyak Rp5.000.000" in page
    assert "Rp 7.500.000" in page and "Rp 250.000" in page and "Rp 7.750.000" in page
    assert "PP82-2019-JKK-MEDICAL, PP82-2019-JKK-TRANSPORT" in page  # the rules applied are stated
    assert "Ubah penilaian" in page and 'value="7500000"' in page  # may be revised
    assert "/approve" in page and "/pay" not in page

    # approve
    assert step(client, path, "approve").status_code == 302
    page = html_of(client.get(path))
    assert "Klaim disetujui." in page and "Status: Disetujui" in page
    assert re.search(r"Jumlah disetujui</dt><dd>Rp 7\.750\.000", page)
    assert "/assess" not in page and "/pay" in page

    # santunan per benefit line, the hospital bill in two instalments
    payment = {"beneficiary": "Siti Aminah", "paid_on": "2025-09-02", "benefit": "medical_care"}
    assert step(client, path, "pay", {**payment, "amount": "5000000", "reference": "TRF-001"}).status_code == 302
    page = html_of(client.get(path))
    assert "Pembayaran santunan Rp 5.000.000 untuk Biaya perawatan dan pengobatan dicatat." in page
    assert "Status: Dibayar sebagian" in page and "TRF-001" in page and "/close" not in page
    assert re.search(r"Sisa belum dibayar</dt><dd>Rp 2\.750\.000", page)
    assert re.search(r'data-label="Dibayar">Rp 5\.000\.000</td>.*?data-label="Sisa">Rp 2\.500\.000</td>', page, re.S)
    assert step(client, path, "pay", {**payment, "amount": "2500000", "reference": "TRF-002"}).status_code == 302
    assert step(client, path, "pay", {**payment, "benefit": "transport", "amount": "250000",
                                      "reference": "TRF-003"}).status_code == 302
    page = html_of(client.get(path))
    assert "Status: Dibayar lunas" in page and re.search(r"Sisa belum dibayar</dt><dd>Rp 0", page)
    assert "TRF-001" in page and "TRF-003" in page and "/pay" not in page and "/close" in page

    # close
    assert step(client, path, "close").status_code == 302
    page = html_of(client.get(path))
    assert "Klaim ditutup." in page and "Status: Ditutup" in page and "Klaim sudah ditutup" in page
    assert not any(f"/{name}\"" in page for name in STEPS)

    # the timeline tells the whole story, in order, with who did it and what changed
    timeline = page.split('id="riwayat"', 1)[1]
    labels = ["Kecelakaan dilaporkan", "Kepesertaan dikonfirmasi", "Dokumen diterima", "Klaim dinilai",
              "Klaim disetujui", "Santunan dibayar", "Klaim ditutup"]
    positions = [timeline.index(f"<strong>{label}</strong>") for label in labels]
    assert positions == sorted(positions)
    assert timeline.count("<strong>Dokumen diterima</strong>") == 7
    assert timeline.count("<strong>Santunan dibayar</strong>") == 3
    assert timeline.count("petugas.klaim.1 (Petugas klaim)") == 1 + 1 + 7 + 1 + 1 + 3 + 1
    assert "2 September 2025 10.00 WIB" in timeline
    assert "ditambah: Rp 250.000 untuk Biaya transportasi kepada Siti Aminah, referensi TRF-003" in timeline
    assert "<dt>Jumlah disetujui</dt>" in timeline and "<dt>Ditutup</dt>" in timeline

    follow(client)
    assert re.search(r">Ditutup</a>: 1<", html_of(client.get("/claims")))


def test_coverage_can_be_denied_and_the_claim_closed(client, officer):
    path = reported(client, officer)
    response = step(client, path, "deny-coverage", {"reason": "Kejadian di luar lokasi kegiatan"})
    assert response.status_code == 302
    page = html_of(client.get(path))
    assert "Kepesertaan ditolak." in page and "Status: Kepesertaan ditolak" in page
    assert "Kejadian di luar lokasi kegiatan" in page and "/close" in page and "/assess" not in page
    assert step(client, path, "close").status_code == 302
    assert "Status: Ditutup" in html_of(client.get(path))


def test_a_claim_can_be_rejected(client, officer):
    path = reported(client, officer)
    assert step(client, path, "confirm-coverage").status_code == 302
    assert step(client, path, "reject", {"reason": "Luka bukan akibat kegiatan"}).status_code == 302
    page = html_of(client.get(path))
    assert "Klaim ditolak." in page and "Status: Ditolak" in page and "Luka bukan akibat kegiatan" in page
    assert "<strong>Klaim ditolak</strong>" in page and "/close" in page


def test_a_death_from_a_work_accident_has_its_own_checklist_and_inputs(client, officer):
    path = reported(client, officer, kind="work_accident_death")
    assert step(client, path, "confirm-coverage").status_code == 302
    page = html_of(client.get(path))
    assert "Meninggal karena kecelakaan kerja (JKK)" in page and "Surat keterangan kematian" in page
    assert "Buku tabungan ahli waris" in page and "0 dari 9 dokumen wajib diterima" in page
    assert 'name="medical_costs"' in page and 'name="stmb_days"' not in page and 'name="children[]"' in page


def test_a_jkm_death_is_previewed_at_the_fixed_amounts_and_asks_for_no_costs(client, officer, app_sqlite):
    path = reported(client, officer, kind="non_work_death")
    assert step(client, path, "confirm-coverage").status_code == 302
    page = html_of(client.get(path))
    assert "Meninggal bukan karena kecelakaan kerja (JKM)" in page and "Laporan kecelakaan tahap I" not in page
    assert 'name="medical_costs"' not in page and 'name="contribution_years"' in page
    before = head(app_sqlite)
    response = step(client, path, "assess/preview", {}, version=version_on(page, "assess"))
    preview = html_of(response).split('id="pratinjau"', 1)[1]
    assert "Rp 20.000.000" in preview and "Rp 12.000.000" in preview and "Rp 42.000.000" in preview
    assert head(app_sqlite) == before
    # a scholarship under JKM needs 3 years of contributions: refused beside the children's field
    response = step(client, path, "assess/preview", {"children[]": ["sd", ""], "contribution_years": "1"},
                    version=version_on(page, "assess"))
    assert response.status_code == 422 and 'id="assess-children-error"' in html_of(response)


# --- bad input on the claim page: 422, the error beside the field, the input kept, nothing written


@pytest.mark.parametrize(
    ("name", "data", "error_id", "kept"),
    [
        ("deny-coverage", {"reason": " "}, "deny-reason", None),
        ("reject", {"reason": "x" * 501}, "reject-reason", "x" * 501),
        ("documents", {}, "documents", None),
        ("documents", {"documents[]": ["ktp", "paspor"]}, "documents", None),
        ("assess", {}, "assess-medical_costs", None),  # nothing entered: no benefit
        ("assess", {"medical_costs": "1,5"}, "assess-medical_costs", 'value="1,5"'),
        ("assess", {"medical_costs": "100000", "stmb_days": "-3"}, "assess-stmb_days", 'value="-3"'),
        ("assess", {"medical_costs": "100000", "children[]": ["sd", ""]}, "assess-children", 'value="100000"'),
    ],
)
def test_bad_input_on_the_claim_page_shows_the_error_beside_the_field(
    client, officer, app_sqlite, name, data, error_id, kept
):
    path = reported(client, officer)
    if name == "assess":
        assert step(client, path, "confirm-coverage").status_code == 302
    before = head(app_sqlite)
    response = step(client, path, name, data)
    assert response.status_code == 422, html_of(response)
    html = html_of(response)
    assert f'id="{error_id}-error"' in html
    assert 'class="alert alert-error" role="alert"' in html  # said at the top too: the form may be far down
    if kept:
        assert kept in html
    if name in ("deny-coverage", "reject"):
        assert "<details open>" in html
    assert head(app_sqlite) == before


def test_ticked_documents_stay_ticked_when_the_form_comes_back(client, officer):
    path = reported(client, officer)
    html = html_of(step(client, path, "documents", {"documents[]": ["ktp", "paspor"]}))
    assert 'value="ktp" checked' in html and 'value="kk">' in html


@pytest.mark.parametrize(
    ("data", "error_id"),
    [
        ({"amount": "-5"}, "pay-amount"),
        ({"benefit": ""}, "pay-benefit"),
        ({"amount": "abc"}, "pay-amount"),
        ({"beneficiary": ""}, "pay-beneficiary"),
        ({"paid_on": "2025-09-03"}, "pay-paid_on"),  # tomorrow
        ({"paid_on": "kemarin"}, "pay-paid_on"),
    ],
)
def test_a_bad_payment_shows_the_error_beside_the_field(client, officer, app_sqlite, data, error_id):
    path = approved_claim(client, officer, app_sqlite)
    payment = {"benefit": "medical_care", "amount": "1000000", "beneficiary": "Siti Aminah", "reference": "TRF-009",
               "paid_on": "2025-09-02", **data}
    before = head(app_sqlite)
    response = step(client, path, "pay", payment)
    assert response.status_code == 422
    html = html_of(response)
    assert f'id="{error_id}-error"' in html
    assert 'value="TRF-009"' in html  # input kept
    assert head(app_sqlite) == before


# --- refused by the rules: 409, nothing written -------------------------------------------------


def test_approve_is_not_offered_before_coverage_is_confirmed_and_is_refused_if_posted(client, officer, app_sqlite):
    path = reported(client, officer)
    page = html_of(client.get(path))
    assert f"{path}/approve" not in page
    before = head(app_sqlite)
    response = client.post(f"{path}/approve", data={"expected_version": version_on(page, "confirm-coverage")})
    assert response.status_code == 409
    html = html_of(response)
    assert 'class="alert alert-error" role="alert"' in html and "Status: Dilaporkan" in html
    assert head(app_sqlite) == before


def test_approve_is_not_offered_while_required_documents_are_missing(client, officer, app_sqlite):
    path = reported(client, officer)
    app_sqlite.confirm_coverage(claim_id_of(path), OFFICER)
    assert step(client, path, "assess", {"medical_costs": "7500000"}).status_code == 302
    page = html_of(client.get(path))
    assert f"{path}/approve" not in page and "dokumen wajib belum lengkap" in page
    before = head(app_sqlite)
    response = client.post(f"{path}/approve", data={"expected_version": version_on(page, "assess")})
    assert response.status_code == 409
    assert head(app_sqlite) == before


def test_paying_more_than_the_line_is_refused(client, officer, app_sqlite):
    path = approved_claim(client, officer, app_sqlite)
    before = head(app_sqlite)
    response = step(client, path, "pay", {"benefit": "transport", "amount": "250001", "beneficiary": "Siti Aminah",
                                          "reference": "TRF-1", "paid_on": "2025-09-02"})
    assert response.status_code == 409
    html = html_of(response)
    assert 'id="pay-amount-error"' in html and 'value="250001"' in html
    assert head(app_sqlite) == before


def test_the_rest_can_be_waived_with_a_reason_and_the_claim_closed(client, officer, app_sqlite):
    path = approved_claim(client, officer, app_sqlite)
    assert step(client, path, "pay", {"benefit": "medical_care", "amount": "7500000", "beneficiary": "Siti Aminah",
                                      "reference": "TRF-1", "paid_on": "2025-09-02"}).status_code == 302
    before = head(app_sqlite)
    response = step(client, path, "waive", {"reason": " "})
    assert response.status_code == 422 and 'id="waive-reason-error"' in html_of(response)
    assert head(app_sqlite) == before
    assert step(client, path, "waive", {"reason": "Ambulans ditanggung Puskesmas"}).status_code == 302
    page = html_of(client.get(path))
    assert "Sisa santunan dihapuskan; klaim dapat ditutup." in page
    assert "Rp 250.000: Ambulans ditanggung Puskesmas" in page and "/waive" not in page and "/close" in page
    # Settled but not paid in full: neither the claim nor the board calls it "Dibayar lunas".
    assert "Status: Sisa dihapuskan" in page
    board = html_of(client.get("/claims?status=waived"))
    assert path.rsplit("/", 1)[-1] in board and '<td data-label="Status">Sisa dihapuskan</td>' in board
    assert step(client, path, "close").status_code == 302


def test_confirming_coverage_for_someone_not_covered_is_refused(client, officer, app_sqlite):
    path = reported(client, officer, nik=AHMAD, participant_name="Ahmad Fauzi")
    page = html_of(client.get(path))
    assert "tidak ada surat tugas yang melindungi" in page
    before = head(app_sqlite)
    response = step(client, path, "confirm-coverage")
    assert response.status_code == 409
    assert 'role="alert"' in html_of(response) and "Status: Dilaporkan" in html_of(response)
    assert head(app_sqlite) == before


def test_a_document_received_already_is_refused(client, officer, app_sqlite):
    path = reported(client, officer)
    app_sqlite.receive_document(claim_id_of(path), "ktp", OFFICER)
    before = head(app_sqlite)
    response = step(client, path, "documents", {"documents[]": ["ktp"]})
    assert response.status_code == 409
    assert 'id="documents-error"' in html_of(response)
    assert head(app_sqlite) == before


def test_a_form_from_a_stale_page_is_refused_with_a_reload_message(client, officer, app_sqlite):
    path = reported(client, officer)
    seen = version_on(html_of(client.get(path)), "deny-coverage")
    app_sqlite.confirm_coverage(claim_id_of(path), OFFICER)  # someone else, meanwhile
    before = head(app_sqlite)
    response = step(client, path, "reject", {"reason": "Tidak memenuhi syarat"}, version=seen)
    assert response.status_code == 409
    html = html_of(response)
    assert "telah diubah orang lain" in html and "Muat ulang" in html
    assert "Status: Kepesertaan dikonfirmasi" in html  # the page shows what is there now
    assert "Tidak memenuhi syarat" in html  # the reason typed is kept
    assert head(app_sqlite) == before


# --- not found, not signed in, CSRF -----------------------------------------------------------


@pytest.mark.parametrize("name", STEPS)
def test_an_unknown_claim_is_a_404(client, officer, app_sqlite, name):
    path = f"/claims/{uuid4()}"
    assert client.get(path).status_code == 404
    before = head(app_sqlite)
    response = client.post(f"{path}/{name}", data={"expected_version": "1", "reason": "x"})
    assert response.status_code == 404
    assert "Tidak ditemukan" in html_of(response)
    assert head(app_sqlite) == before


def test_pages_and_forms_need_a_signed_in_user(client, web_world, app_sqlite):
    app_sqlite.clock.set(at(2025, 9, 2, 10))
    claim_id = app_sqlite.report_accident(web_world.activity_id, SITI, at(2025, 9, 2, 9), "work_accident",
                                          "Jatuh", "Budi", OFFICER)
    for path in ("/claims", "/claims/report", f"/claims/report?nik={SITI}", f"/claims/{claim_id}"):
        response = client.get(path)
        assert response.status_code == 302 and response.headers["Location"].startswith("/sign-in?next=")
    before = head(app_sqlite)
    response = client.post("/claims/report", data=report_form(web_world, incident_at="2025-09-02T08:00"))
    assert response.status_code == 302 and response.headers["Location"].startswith("/sign-in")
    for name in STEPS:
        response = client.post(f"/claims/{claim_id}/{name}", data={"expected_version": "1", "reason": "x"})
        assert response.status_code == 302 and response.headers["Location"].startswith("/sign-in")
    assert head(app_sqlite) == before


def test_the_real_forms_post_with_their_csrf_token(app_sqlite, web_world, browser):
    client = browser
    sign_in(client)
    app_sqlite.clock.set(at(2025, 9, 2, 10))
    claim_id = app_sqlite.report_accident(web_world.activity_id, SITI, at(2025, 9, 2, 9), "work_accident",
                                          "Jatuh", "Budi", OFFICER)
    page = html_of(client.get(f"/claims/{claim_id}"))
    token = csrf_token_of(page)

    before = head(app_sqlite)
    forged = client.post(f"/claims/{claim_id}/confirm-coverage", data={"expected_version": "1"})
    assert forged.status_code == 400 and head(app_sqlite) == before

    response = client.post(f"/claims/{claim_id}/confirm-coverage",
                           data={"csrf_token": token, "expected_version": "1"})
    assert response.status_code == 302
    assert app_sqlite.get_claim(claim_id).status == "coverage_confirmed"
