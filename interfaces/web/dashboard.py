"""The dashboard, the home page: key figures, coverage and premium per kecamatan, and claims
by status and by month, as server-drawn SVG charts with the numbers in tables beneath.

"Today" is the service clock's today, so a fixed clock (tests, a replayed demo) and the real
clock (the served demo) both show the figures of their own day.
"""

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from flask import Blueprint, render_template
from markupsafe import Markup

from domain.money import format_rupiah
from interfaces.web.charts import PRIMARY, SECONDARY, Series, bar_chart, stacked_bar_chart
from interfaces.web.filters import MONTHS
from interfaces.services import kampung, reading
from interfaces.web.labels import CLAIM_STATUS_LABELS
from domain.claim import STATUSES
from projections.claims import by_month, by_status
from projections.figures import covered_on, premium, totals

blueprint = Blueprint("dashboard", __name__)

STATUS_LABELS = CLAIM_STATUS_LABELS


def month_label(month: str) -> str:
    """``2025-09`` → ``September 2025``."""
    year, number = month.split("-")
    return f"{MONTHS[int(number) - 1]} {year}"


def every_month(rows: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """The months from the first to the last with claims, empty months included with zero, so
    the chart does not hide a quiet month."""
    if not rows:
        return []
    found = {row["month"]: row for row in rows}
    year, month = (int(part) for part in rows[0]["month"].split("-"))
    result = []
    while True:
        key = f"{year:04d}-{month:02d}"
        result.append(found.get(key) or {"month": key, "claims": 0, "approved": 0, "paid": 0, "late": 0})
        if key >= rows[-1]["month"]:
            return result
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)


def claims_by_status(rows: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Every status in the claim's life-cycle order, zero where there are none."""
    found = {row["status"]: row for row in rows}
    return [
        {"status": status, "label": STATUS_LABELS.get(status, status), "claims": 0, "assessed": 0,
         "approved": 0, "paid": 0, **{k: v or 0 for k, v in found.get(status, {}).items()}}
        for status in STATUSES
    ]


def key_figures(areas: Sequence[dict[str, Any]], statuses: Sequence[dict[str, Any]], covered: int,
                money: dict[str, Any]) -> dict[str, Any]:
    return {
        "rts": sum(int(row["rts"]) for row in areas),
        "activities": sum(int(row["activities"]) for row in areas),
        "covered": covered,
        **{key: Decimal(money[key]) for key in ("premium_assessed", "premium_paid", "premium_outstanding")},
        "claims": sum(int(row["claims"]) for row in statuses),
        "open_claims": sum(int(row["claims"]) for row in statuses if row["status"] != "closed"),
        "santunan_paid": sum(Decimal(row["paid"] or 0) for row in statuses),
    }


def charts(areas: Sequence[dict[str, Any]], statuses: Sequence[dict[str, Any]],
           months: Sequence[dict[str, Any]], today: date) -> dict[str, Markup]:
    day = f"{today.day} {MONTHS[today.month - 1]} {today.year}"
    return {
        "covered": bar_chart(
            "grafik-peserta", f"Peserta terlindungi per kecamatan, {day}",
            [(row["key"], int(row["covered"])) for row in areas], value_text=lambda v: f"{v} orang",
        ),
        "premium": stacked_bar_chart(
            "grafik-iuran", "Iuran per kecamatan: dibayar dan terutang",
            [(row["key"], [Decimal(row["premium_paid"]), max(Decimal(row["premium_outstanding"]), Decimal(0))])
             for row in areas],
            [Series("Dibayar", PRIMARY), Series("Terutang", SECONDARY)],
            description="; ".join(
                f"{row['key']}: ditetapkan {format_rupiah(row['premium_assessed'])}, dibayar "
                f"{format_rupiah(row['premium_paid'])}, terutang {format_rupiah(row['premium_outstanding'])}"
                for row in areas
            ) or "Belum ada data.",
            value_text=format_rupiah,
        ),
        "statuses": bar_chart(
            "grafik-status-klaim", "Klaim menurut status",
            [(row["label"], int(row["claims"])) for row in statuses], value_text=lambda v: f"{v} klaim",
        ),
        "months": bar_chart(
            "grafik-klaim-bulanan", "Klaim per bulan kejadian",
            [(month_label(row["month"]), int(row["claims"])) for row in months], value_text=lambda v: f"{v} klaim",
        ),
    }


@blueprint.get("/")
def index() -> str:
    today = kampung().clock.today()
    with reading("coverage") as (connection, tables):
        areas = totals(connection, tables, by="kecamatan", today=today)
        covered = covered_on(connection, tables, today)
        money = premium(connection, tables)
    with reading("claims") as (connection, tables):
        statuses = claims_by_status(by_status(connection, tables))
        months = every_month(by_month(connection, tables))
    return render_template(
        "dashboard/index.html", today=today, areas=areas, statuses=statuses, months=months,
        figures=key_figures(areas, statuses, covered, money), charts=charts(areas, statuses, months, today),
        month_label=month_label,
    )
