"""The dashboard (home page): key figures, coverage and premium per kecamatan, claims by status
and by month, drawn as accessible inline SVG with the numbers in tables beneath."""

import re
import xml.etree.ElementTree as ET
from datetime import datetime
from html import unescape

import pytest

from domain.period import JAKARTA
from interfaces.web.dashboard import every_month, month_label
from tests.integration.conftest import ADMIN
from tests.integration.history import make_history
from tests.web.conftest import follow

# The pages are read by a signed-in administrator: who else may read them is test_access.py's subject.
pytestmark = pytest.mark.usefixtures("signed_in")

SVG = "{http://www.w3.org/2000/svg}"


def figure(html: str, figure_id: str) -> str:
    found = re.search(rf'<dd id="{figure_id}">([^<]*)</dd>', html)
    assert found, f"no figure {figure_id}"
    return unescape(found.group(1))


def table_row(html: str, table_id: str, heading: str) -> list[str]:
    table = html.split(f'id="{table_id}"')[1].split("</table>")[0]
    row = table.split(f'scope="row" data-label="{heading.split(":")[0]}">{heading.split(":")[1]}</th>')[1]
    return [unescape(cell) for cell in re.findall(r"<td[^>]*>([^<]*)</td>", row.split("</tr>")[0])]


def charts(html: str) -> list[ET.Element]:
    return [ET.fromstring(svg) for svg in re.findall(r"<svg\b.*?</svg>", html, re.DOTALL)]


@pytest.fixture
def history(app_sqlite, clock, client) -> dict[str, object]:
    ids = make_history(app_sqlite, clock)  # the clock ends on 14 September 2025, 06.00 WIB
    follow(client)
    return ids


def test_the_dashboard_is_the_home_page(client, flask_app):
    assert flask_app.url_map.bind("localhost").match("/") == ("dashboard.index", {})
    page = client.get("/")
    assert page.status_code == 200
    assert "Dasbor Program Kampung Bahagia" in page.get_data(as_text=True)


def test_the_key_figures_of_a_known_history(client, history):
    html = client.get("/").get_data(as_text=True)
    assert "Keadaan per 14 September 2025." in html
    assert figure(html, "angka-rt") == "2"
    assert figure(html, "angka-kegiatan") == "2"
    # Siti on the drainage work; Ahmad withdrew and the road works were cancelled.
    assert figure(html, "angka-peserta") == "1 orang"
    # Rp120.000 on Rp50 juta, Rp100.000 paid; the cancelled road works (Rp84.000 on the revised Rp35
    # juta) owe nothing.
    assert figure(html, "angka-iuran") == "Rp 120.000"
    assert figure(html, "angka-iuran-dibayar") == "Rp 100.000"
    assert figure(html, "angka-iuran-terutang") == "Rp 20.000"
    # Closed (paid), denied (open until closed) and assessed.
    assert figure(html, "angka-klaim-terbuka") == "2 dari 3 klaim"
    assert figure(html, "angka-santunan") == "Rp 900.000"


def test_the_figures_per_kecamatan_are_in_a_table(client, history):
    html = client.get("/").get_data(as_text=True)
    assert table_row(html, "tabel-kecamatan", "Kecamatan:Telanaipura") == [
        "1", "2", "1", "Rp 120.000", "Rp 100.000", "Rp 20.000"]
    assert table_row(html, "tabel-kecamatan", "Kecamatan:Jambi Timur") == ["1", "0", "0", "Rp 0", "Rp 0", "Rp 0"]


def test_claims_by_status_and_by_month_are_in_tables(client, history):
    html = client.get("/").get_data(as_text=True)
    assert table_row(html, "tabel-status-klaim", "Status:Ditutup") == ["1", "Rp 900.000", "Rp 900.000", "Rp 900.000"]
    assert table_row(html, "tabel-status-klaim", "Status:Kepesertaan ditolak")[0] == "1"
    assert table_row(html, "tabel-status-klaim", "Status:Dinilai") == ["1", "Rp 195.146.704", "Rp 0", "Rp 0"]
    assert table_row(html, "tabel-status-klaim", "Status:Dilaporkan")[0] == "0"
    # three incidents in September 2025; the denied one was reported late
    assert table_row(html, "tabel-klaim-bulanan", "Bulan:September 2025") == ["3", "1", "Rp 900.000", "Rp 900.000"]


def test_the_figures_are_those_of_the_service_clocks_today(client, app_sqlite, clock, history):
    clock.set(datetime(2025, 10, 1, 9, 0, tzinfo=JAKARTA))  # the task letter ended on 30 September
    html = client.get("/").get_data(as_text=True)
    assert "Keadaan per 1 Oktober 2025." in html
    assert figure(html, "angka-peserta") == "0 orang"
    assert figure(html, "angka-iuran") == "Rp 120.000"


def test_the_dashboard_follows_new_events(client, app_sqlite, history):
    app_sqlite.register_rt("15.71.01.1001", 9, ADMIN)
    follow(client)
    html = client.get("/").get_data(as_text=True)
    assert figure(html, "angka-rt") == "3"


def test_every_chart_is_well_formed_accessible_svg(client, history):
    html = client.get("/").get_data(as_text=True)
    found = charts(html)
    assert len(found) == 4
    for svg in found:
        assert svg.tag == f"{SVG}svg"
        assert svg.get("role") == "img"
        assert svg.get("width") == "100%" and svg.get("viewBox", "").startswith("0 0 320 ")
        title, desc = svg.find(f"{SVG}title"), svg.find(f"{SVG}desc")
        assert title is not None and title.text and desc is not None and desc.text
        assert svg.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    ids = [svg.get("id") for svg in found]
    assert len(set(ids)) == len(ids)
    titles = {svg.find(f"{SVG}title").text for svg in found}
    assert "Peserta terlindungi per kecamatan, 14 September 2025" in titles
    assert "Klaim menurut status" in titles and "Klaim per bulan kejadian" in titles


def test_the_charts_carry_the_figures_as_text(client, history):
    svgs = {svg.get("id"): svg for svg in charts(client.get("/").get_data(as_text=True))}
    texts = ["".join(node.itertext()) for node in svgs["grafik-peserta"].iter(f"{SVG}text")]
    assert "Telanaipura" in texts and "1 orang" in texts
    iuran = svgs["grafik-iuran"]
    described = iuran.find(f"{SVG}desc").text
    assert "Telanaipura: ditetapkan Rp 120.000, dibayar Rp 100.000, terutang Rp 20.000" in described
    bars = [rect for rect in iuran.iter(f"{SVG}rect") if rect.get("class") == "bar"]
    paid, outstanding = (float(rect.get("width")) for rect in bars)
    assert paid / outstanding == pytest.approx(100_000 / 20_000, rel=0.01)
    months = ["".join(node.itertext()) for node in svgs["grafik-klaim-bulanan"].iter(f"{SVG}text")]
    assert "September 2025" in months and "3 klaim" in months


def test_an_empty_programme_shows_zeros_and_how_to_load_the_demo(client):
    page = client.get("/")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert figure(html, "angka-rt") == "0" and figure(html, "angka-santunan") == "Rp 0"
    assert "Belum ada RT" in html and "Belum ada klaim" in html
    assert charts(html) == []


def test_the_dashboard_is_built_for_phones(client, history):
    html = client.get("/").get_data(as_text=True)
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in html
    assert "<script" not in html
    assert re.search(r'(src|href)="https?://', html) is None  # nothing from the internet
    for table in re.findall(r'<table class="cards"[^>]*>.*?</table>', html, re.DOTALL):
        assert "<caption>" in table and 'scope="col"' in table and "data-label=" in table


def test_claims_per_month_include_quiet_months():
    rows = [{"month": "2025-11", "claims": 2}, {"month": "2026-02", "claims": 1}]
    months = every_month(rows)
    assert [row["month"] for row in months] == ["2025-11", "2025-12", "2026-01", "2026-02"]
    assert [row["claims"] for row in months] == [2, 0, 0, 1]
    assert every_month([]) == []
    assert month_label("2026-01") == "Januari 2026"
