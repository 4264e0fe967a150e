"""Template filters: rupiah as ``Rp 1.234.567``, moments in Asia/Jakarta, masked NIKs."""

from datetime import date, datetime
from decimal import Decimal

from flask import Flask

from domain.money import format_rupiah
from domain.nik import mask_nik
from domain.period import JAKARTA

MONTHS = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September",
          "Oktober", "November", "Desember")


def tanggal(day: date | None) -> str:
    if day is None:
        return "–"
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def waktu(moment: datetime | None) -> str:
    if moment is None:
        return "–"
    local = moment.astimezone(JAKARTA)
    return f"{tanggal(local.date())} {local:%H.%M} WIB"


def rupiah(amount: Decimal | None) -> str:
    return "–" if amount is None else format_rupiah(amount)


def register(app: Flask) -> None:
    app.add_template_filter(tanggal)
    app.add_template_filter(waktu)
    app.add_template_filter(rupiah)
    app.add_template_filter(mask_nik, "nik_mask")
