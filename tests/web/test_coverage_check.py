"""The coverage check: an officer types a NIK and a moment and learns whether the person was
covered then, by which task letter, and what other covers they have."""

import re
from datetime import datetime

import pytest

from domain.period import JAKARTA
from tests.integration.conftest import AHMAD, KETUA, SITI
from tests.web.conftest import follow, sign_in
from tests.web.pages import html_of


@pytest.fixture
def officer(client, web_world):
    sign_in(client)
    return web_world


def check(client, nik: str, moment: str):
    return client.get("/coverage", query_string={"nik": nik, "at": moment})


def test_the_form_asks_for_a_nik_and_a_moment_in_wib(client, officer):
    response = client.get("/coverage")
    assert response.status_code == 200
    html = html_of(response)
    assert "<h1>Cek kepesertaan</h1>" in html
    assert '<label for="nik">NIK</label>' in html and '<label for="at">Tanggal dan jam (WIB)</label>' in html
    assert 'type="datetime-local"' in html and 'value="2025-09-01T08:00"' in html  # now, as the default
    assert 'method="get"' in html
    assert "TERLINDUNGI" not in html


def test_a_covered_person_is_shown_with_the_task_letter(client, officer):
    response = check(client, SITI, "2025-09-10T09:30")
    assert response.status_code == 200
    html = html_of(response)
    assert "<strong>TERLINDUNGI</strong>" in html and "TIDAK TERLINDUNGI" not in html
    assert "Siti Aminah" in html and "1571********0002" in html and "10 September 2025 09.30 WIB" in html
    letter = html.split("Dilindungi oleh surat tugas", 1)[1]
    assert "ST/001/RT-005/IX/2025" in letter and "Gotong royong pembersihan drainase" in letter
    assert "15.71.01.1001/RT-005" in letter and "1 September 2025 – 30 September 2025" in letter
    assert f'value="{SITI}"' in html and 'value="2025-09-10T09:30"' in html  # the question stays in the form
    assert f'href="/claims/report?nik={SITI}"' in html


def test_outside_the_cover_period_the_person_is_not_covered(client, officer):
    html = html_of(check(client, SITI, "2025-10-01T09:00"))
    assert "<strong>TIDAK TERLINDUNGI</strong>" in html
    assert "Siti Aminah" in html and "1 Oktober 2025 09.00 WIB" in html
    others = html.split("Kepesertaan lain orang ini", 1)[1]
    assert "Gotong royong pembersihan drainase" in others and "Simpang IV Sipin" in others
    assert "1 September 2025 – 30 September 2025" in others and "Aktif" in others


def test_before_joining_the_person_is_not_covered(client, officer):
    html = html_of(check(client, SITI, "2025-09-01T07:59"))  # joined at 08:00
    assert "<strong>TIDAK TERLINDUNGI</strong>" in html


def test_after_withdrawing_the_person_is_not_covered(client, officer, app_sqlite):
    app_sqlite.clock.set(datetime(2025, 9, 5, 12, 0, tzinfo=JAKARTA))
    app_sqlite.withdraw_participant(officer.activity_id, SITI, "Pindah domisili", KETUA)
    follow(client)
    assert "<strong>TERLINDUNGI</strong>" in html_of(check(client, SITI, "2025-09-05T11:00"))
    html = html_of(check(client, SITI, "2025-09-06T09:00"))
    assert "<strong>TIDAK TERLINDUNGI</strong>" in html and "Mengundurkan diri" in html


def test_someone_never_a_participant_is_not_covered(client, officer):
    html = html_of(check(client, AHMAD, "2025-09-10T09:00"))
    assert "<strong>TIDAK TERLINDUNGI</strong>" in html
    assert "tidak terdaftar sebagai peserta" in html and "Kepesertaan lain" not in html


@pytest.mark.parametrize(
    ("nik", "moment", "field"),
    [
        ("12345", "2025-09-10T09:00", "nik"),
        ("1571014507900000", "2025-09-10T09:00", "nik"),  # serial 0000
        ("", "2025-09-10T09:00", "nik"),
        (SITI, "10/09/2025", "at"),
        (SITI, "", "at"),
    ],
)
def test_invalid_input_is_shown_beside_the_field(client, officer, nik, moment, field):
    response = check(client, nik, moment)
    assert response.status_code == 422
    html = html_of(response)
    assert f'id="{field}-error"' in html
    assert re.search(rf'id="{field}" name="{field}"[^>]*aria-invalid="true"', html)
    assert f'value="{nik}"' in html and f'value="{moment}"' in html  # input kept
    assert "TERLINDUNGI" not in html


def test_a_short_nik_is_explained_in_indonesian(client, officer):
    html = html_of(check(client, "12345", "2025-09-10T09:00"))
    assert "NIK harus tepat 16 angka" in html


def test_the_check_needs_a_signed_in_user(client, web_world):
    response = check(client, SITI, "2025-09-10T09:00")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/sign-in?next=")
