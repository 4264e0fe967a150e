"""Charts drawn on the server as inline SVG: no JavaScript, nothing loaded at run time.

Horizontal bars read best on a phone: each row has its label on a line of its own (so long
kecamatan names fit a 360-px screen), the bar beneath it and the figure at the bar's end. The
SVG has a ``viewBox`` and ``width="100%"``, so it scales to its column, up to the largest width
that static/style.css gives ``svg.chart`` (a stylesheet, not a style attribute: the pages need no
'unsafe-inline' in a Content-Security-Policy). ``role="img"`` with ``aria-labelledby`` pointing
at its ``<title>`` and ``<desc>`` names it for screen readers. Pages show the same numbers as
text or in a table too: a chart is never the only carrier.

Every text placed in the SVG is escaped, so a name with ``<`` or ``&`` stays text.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from markupsafe import Markup, escape

Number = int | Decimal

WIDTH = 320  # viewBox units; about one CSS pixel on a 360-px phone
FONT_SIZE = 14
CHAR_WIDTH = FONT_SIZE * 0.6  # a generous average advance of a sans-serif character
LABEL_HEIGHT = 17  # the label's line, above its bar
BAR_HEIGHT = 16
ROW_GAP = 10
LEGEND_HEIGHT = 24
VALUE_GAP = 4

PRIMARY = "#0d6b3f"  # the programme's green: 6.9:1 on white
SECONDARY = "#a15c00"  # dark amber: 4.6:1 on white, distinct from the green
TEXT = "#1b1f23"


@dataclass(frozen=True)
class Series:
    """One part of a (stacked) bar, with its legend text and colour."""

    name: str
    colour: str = PRIMARY


def _number(value: Number) -> Decimal:
    return Decimal(value) if not isinstance(value, Decimal) else value


def _fit(text: str, width: float) -> str:
    """``text`` shortened with an ellipsis so it fits ``width`` viewBox units."""
    room = max(int(width // CHAR_WIDTH), 1)
    return text if len(text) <= room else text[: room - 1].rstrip() + "…"


def _fmt(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".")


def bar_chart(
    chart_id: str,
    title: str,
    bars: Sequence[tuple[str, Number]],
    description: str | None = None,
    value_text: Callable[[Number], str] = str,
    colour: str = PRIMARY,
) -> Markup:
    """One bar per (label, value); bars are scaled to the largest value."""
    return stacked_bar_chart(
        chart_id, title, [(label, [value]) for label, value in bars], [Series(title, colour)],
        description=description, value_text=value_text, legend=False,
    )


def stacked_bar_chart(
    chart_id: str,
    title: str,
    rows: Sequence[tuple[str, Sequence[Number]]],
    series: Sequence[Series],
    description: str | None = None,
    value_text: Callable[[Number], str] = str,
    legend: bool = True,
) -> Markup:
    """One bar per row made of one segment per series (values in the order of ``series``);
    the figure at a bar's end is its total. Negative values draw as nothing (their text stays)."""
    for label, values in rows:
        if len(values) != len(series):
            raise ValueError(f"row {label!r} has {len(values)} values for {len(series)} series")
    totals = [sum((max(_number(v), Decimal(0)) for v in values), Decimal(0)) for _, values in rows]
    texts = [value_text(sum((_number(v) for v in values), Decimal(0))) for _, values in rows]
    if description is None:
        description = "; ".join(f"{label}: {text}" for (label, _), text in zip(rows, texts)) or "Belum ada data."
    # Room at the right for the longest figure; the bars share the rest.
    reserve = min(max((len(text) for text in texts), default=1) * CHAR_WIDTH + VALUE_GAP + 2, WIDTH / 2)
    plot = WIDTH - reserve
    largest = max(totals, default=Decimal(0))
    top = LEGEND_HEIGHT if legend and len(series) > 1 else 0
    row_height = LABEL_HEIGHT + BAR_HEIGHT + ROW_GAP
    height = top + max(len(rows), 1) * row_height

    title_id, desc_id = f"{chart_id}-title", f"{chart_id}-desc"
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" id="{escape(chart_id)}" class="chart" role="img"'
        f' aria-labelledby="{escape(title_id)} {escape(desc_id)}" viewBox="0 0 {WIDTH} {height}"'
        f' width="100%" preserveAspectRatio="xMinYMin meet"'
        f' font-family="system-ui, sans-serif" font-size="{FONT_SIZE}">',
        f'<title id="{escape(title_id)}">{escape(title)}</title>',
        f'<desc id="{escape(desc_id)}">{escape(description)}</desc>',
    ]
    if top:
        x = 0.0
        for item in series:
            name = _fit(item.name, WIDTH - x - 16)
            parts.append(
                f'<rect class="legend" x="{_fmt(x)}" y="3" width="12" height="12" fill="{escape(item.colour)}"/>'
                f'<text x="{_fmt(x + 16)}" y="{FONT_SIZE}" fill="{TEXT}">{escape(name)}</text>'
            )
            x += 16 + len(name) * CHAR_WIDTH + 12
    if not rows:
        parts.append(f'<text x="0" y="{top + LABEL_HEIGHT}" fill="{TEXT}">Belum ada data.</text>')
    for index, ((label, values), total, text) in enumerate(zip(rows, totals, texts)):
        y = top + index * row_height
        bar_y = y + LABEL_HEIGHT + 2
        parts.append(f'<g><title>{escape(label)}: {escape(text)}</title>')
        parts.append(f'<text x="0" y="{_fmt(y + FONT_SIZE)}" fill="{TEXT}">{escape(_fit(label, WIDTH))}</text>')
        x = 0.0
        for value, item in zip(values, series):
            amount = max(_number(value), Decimal(0))
            length = float(amount / largest) * plot if largest > 0 else 0.0
            if length > 0:
                parts.append(
                    f'<rect class="bar" x="{_fmt(x)}" y="{_fmt(bar_y)}" width="{_fmt(length)}" height="{BAR_HEIGHT}"'
                    f' fill="{escape(item.colour)}"/>'
                )
            x += length
        parts.append(
            f'<text x="{_fmt(x + VALUE_GAP)}" y="{_fmt(bar_y + BAR_HEIGHT - 3)}" fill="{TEXT}">{escape(text)}</text>'
        )
        parts.append("</g>")
    parts.append("</svg>")
    return Markup("".join(parts))
