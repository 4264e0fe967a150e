"""Server-side SVG charts: scaling, zero and negative values, long labels, escaping, and the
accessibility every chart carries."""

import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest

from domain.money import format_rupiah
from interfaces.web.charts import CHAR_WIDTH, WIDTH, Series, bar_chart, stacked_bar_chart

SVG = "{http://www.w3.org/2000/svg}"


def parse(markup: str) -> ET.Element:
    return ET.fromstring(str(markup))


def bars(svg: ET.Element) -> list[ET.Element]:
    return [rect for rect in svg.iter(f"{SVG}rect") if rect.get("class") == "bar"]


def texts(svg: ET.Element) -> list[str]:
    return ["".join(node.itertext()) for node in svg.iter(f"{SVG}text")]


def test_bars_scale_to_the_largest_value():
    svg = parse(bar_chart("c", "Peserta", [("Telanaipura", 10), ("Kota Baru", 5), ("Pasar Jambi", 1)]))
    widths = [float(rect.get("width")) for rect in bars(svg)]
    assert widths[0] == pytest.approx(2 * widths[1], abs=0.1)
    assert widths[0] == pytest.approx(10 * widths[2], abs=0.1)
    # the largest bar leaves room for its figure inside the viewBox
    value_x = [float(node.get("x")) for node in svg.iter(f"{SVG}text") if node.text == "10"][0]
    assert value_x + len("10") * CHAR_WIDTH <= WIDTH
    assert widths[0] > WIDTH / 2


def test_the_chart_scales_to_its_column():
    svg = parse(bar_chart("c", "Peserta", [("a", 1), ("b", 2)]))
    assert svg.get("width") == "100%"
    x, y, width, height = (float(part) for part in svg.get("viewBox").split())
    assert (x, y, width) == (0, 0, WIDTH)
    for rect in svg.iter(f"{SVG}rect"):
        assert float(rect.get("y")) + float(rect.get("height")) <= height
        assert float(rect.get("x")) + float(rect.get("width")) <= WIDTH
    assert svg.get("height") is None  # the height follows the width through the viewBox


def test_zero_values_draw_no_bar_but_keep_their_figure():
    svg = parse(bar_chart("c", "Klaim", [("Dilaporkan", 0), ("Ditutup", 4)]))
    assert len(bars(svg)) == 1
    assert "0" in texts(svg) and "4" in texts(svg)


def test_a_chart_of_only_zeros_has_no_bars_and_no_division_by_zero():
    markup = str(bar_chart("c", "Klaim", [("Dilaporkan", 0), ("Ditutup", Decimal(0))]))
    svg = parse(markup)
    assert bars(svg) == [] and texts(svg).count("0") == 2
    assert "nan" not in markup.lower() and "inf" not in markup.lower()


def test_an_empty_chart_says_there_is_no_data():
    svg = parse(bar_chart("c", "Klaim", []))
    assert "Belum ada data." in texts(svg)
    assert svg.find(f"{SVG}desc").text == "Belum ada data."


def test_negative_values_draw_as_nothing_but_their_figure_stays():
    svg = parse(bar_chart("c", "Selisih", [("a", -5), ("b", 5)]))
    assert len(bars(svg)) == 1
    assert "-5" in texts(svg)


def test_long_labels_are_shortened_to_fit_with_the_whole_label_in_a_tooltip():
    label = "Kelurahan dengan nama yang sangat panjang sekali, lebih panjang dari layar ponsel 360 piksel"
    svg = parse(bar_chart("c", "Peserta", [(label, 3)]))
    shown = texts(svg)[0]
    assert shown.endswith("…") and len(shown) * CHAR_WIDTH <= WIDTH
    assert label.startswith(shown[:-1])
    tooltip = svg.find(f"{SVG}g/{SVG}title")
    assert tooltip.text == f"{label}: 3"
    assert label in svg.find(f"{SVG}desc").text


def test_text_is_escaped_and_stays_text():
    nasty = '<script>alert("x")</script> & Gang \'Mawar\''
    markup = str(bar_chart("c", f"Judul {nasty}", [(nasty, 1)], description=f"Uraian {nasty}",
                           value_text=lambda v: f"{v} <b>"))
    assert "<script>" not in markup and "<b>" not in markup
    svg = parse(markup)  # still well-formed XML
    assert svg.find(f"{SVG}title").text == f"Judul {nasty}"
    assert svg.find(f"{SVG}desc").text == f"Uraian {nasty}"
    assert svg.find(f"{SVG}g/{SVG}title").text == f"{nasty}: 1 <b>"
    assert "1 <b>" in texts(svg)
    assert list(svg.iter(f"{SVG}script")) == []


def test_every_chart_is_an_image_named_by_its_title_and_description():
    svg = parse(bar_chart("grafik-x", "Klaim menurut status", [("Dilaporkan", 2)]))
    assert svg.get("role") == "img"
    assert svg.get("id") == "grafik-x"
    title, desc = svg.find(f"{SVG}title"), svg.find(f"{SVG}desc")
    assert svg.get("aria-labelledby") == "grafik-x-title grafik-x-desc"
    assert (title.get("id"), desc.get("id")) == ("grafik-x-title", "grafik-x-desc")
    assert list(svg)[:2] == [title, desc]  # first children, as SVG accessibility expects
    assert desc.text == "Dilaporkan: 2"  # generated from the figures when not given


def test_stacked_bars_put_their_segments_end_to_end_with_the_total_at_the_end():
    series = [Series("Dibayar", "#0d6b3f"), Series("Terutang", "#a15c00")]
    svg = parse(stacked_bar_chart(
        "iuran", "Iuran", [("Telanaipura", [Decimal(100_000), Decimal(104_000)]), ("Jambi Timur", [0, 0])],
        series, value_text=format_rupiah,
    ))
    legend = [rect for rect in svg.iter(f"{SVG}rect") if rect.get("class") == "legend"]
    assert [rect.get("fill") for rect in legend] == ["#0d6b3f", "#a15c00"]
    assert "Dibayar" in texts(svg) and "Terutang" in texts(svg)
    paid, outstanding = bars(svg)
    assert float(outstanding.get("x")) == pytest.approx(float(paid.get("width")), abs=0.1)
    assert float(paid.get("width")) / float(outstanding.get("width")) == pytest.approx(100 / 104, rel=0.01)
    assert "Rp 204.000" in texts(svg) and "Rp 0" in texts(svg)


def test_a_row_must_have_a_value_per_series():
    with pytest.raises(ValueError):
        stacked_bar_chart("c", "Iuran", [("a", [1])], [Series("x"), Series("y")])
