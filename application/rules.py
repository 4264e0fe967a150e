"""Rule data: the premium rate table and the kelurahan list, read from the CSV files beside
this module. A change of rates is a new row set with a later ``effective_from``."""

import csv
from datetime import date
from decimal import Decimal
from functools import cache
from importlib.resources import files
from itertools import groupby

from domain.premium import Band, PremiumRule, PremiumTable
from domain.rt import Place


def _rows(name: str) -> list[dict[str, str]]:
    with files("application").joinpath("data", name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@cache
def premium_table() -> PremiumTable:
    rules = []
    for rule_id, rows in groupby(_rows("premium_rates.csv"), key=lambda row: row["rule"]):
        rows = list(rows)
        rules.append(
            PremiumRule(
                rule_id=rule_id,
                effective_from=date.fromisoformat(rows[0]["effective_from"]),
                source=rows[0]["source"],
                bands=tuple(
                    Band(
                        upper=Decimal(row["band_upper"]) if row["band_upper"] else None,
                        jkk_percent=Decimal(row["jkk_percent"]),
                        jkm_percent=Decimal(row["jkm_percent"]),
                    )
                    for row in rows
                ),
            )
        )
    return PremiumTable(tuple(rules))


@cache
def places() -> dict[str, Place]:
    """Kelurahan of Kota Jambi by Kemendagri code (Kepmendagri 300.2.2-2430/2025)."""
    return {
        row["kode_kelurahan"]: Place(
            kelurahan_code=row["kode_kelurahan"],
            kelurahan=row["kelurahan"],
            kecamatan_code=row["kode_kecamatan"],
            kecamatan=row["kecamatan"],
        )
        for row in _rows("kelurahan.csv")
    }
