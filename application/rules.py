"""Rule data: the premium rate table, the benefit rule tables and the kelurahan list, read from the
CSV files beside this module. A change of rates is a new row set with a later ``effective_from``."""

import csv
import hashlib
from datetime import date
from decimal import Decimal
from functools import cache
from importlib.resources import files
from itertools import groupby

from domain.benefits import BenefitRule, BenefitTables, DisabilityItem, Validity, WageBase
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
                effective_to=date.fromisoformat(rows[0]["effective_to"]) if rows[0]["effective_to"] else None,
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


BENEFIT_FILES = ("benefit_rules.csv", "disability_items.csv", "wage_base.csv")


def _validity(row: dict[str, str]) -> Validity:
    return Validity(
        effective_from=date.fromisoformat(row["effective_from"]),
        effective_to=date.fromisoformat(row["effective_to"]) if row["effective_to"] else None,
    )


def tables_version() -> str:
    """A fingerprint of the benefit data files: an assessment records it, so an auditor can tell
    whether the tables changed since."""
    digest = hashlib.sha256()
    for name in BENEFIT_FILES:
        digest.update(files("application").joinpath("data", name).read_bytes())
    return "sha256:" + digest.hexdigest()[:16]


@cache
def benefit_tables() -> BenefitTables:
    rules = [
        BenefitRule(
            rule_id=rule_id, topic=rows[0]["topic"], validity=_validity(rows[0]), source=rows[0]["source"],
            values=tuple((row["parameter"], Decimal(row["value"])) for row in rows),
        )
        for rule_id, grouped in groupby(_rows("benefit_rules.csv"), key=lambda row: row["rule"])
        for rows in [list(grouped)]
    ]
    items = [
        DisabilityItem(item=row["item"], rule_id=row["rule"], percent=Decimal(row["percent"]),
                       total=row["total"] == "yes", label=row["label"], validity=_validity(row), source=row["source"])
        for row in _rows("disability_items.csv")
    ]
    wages = [
        WageBase(rule_id=row["rule"], amount=Decimal(row["amount"]), validity=_validity(row), source=row["source"])
        for row in _rows("wage_base.csv")
    ]
    return BenefitTables(version=tables_version(), rules=tuple(rules), disability_items=tuple(items),
                         wage_bases=tuple(wages))


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
