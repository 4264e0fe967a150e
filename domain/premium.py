"""The construction-services premium (JKK + JKM) by the value of the work.

Used when wages are unknown (Permenaker 44/2015, PP 44/2015): each band's rate applies to
the part of the value inside that band, like income-tax brackets. The rates themselves are
data (``application/data/premium_rates.csv``); this module holds only how they are applied.
"""

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from domain.errors import InvalidValue

HUNDRED = Decimal(100)


@dataclass(frozen=True)
class Band:
    """Rates (in percent) for the part of the value up to ``upper`` (None: no upper limit)."""

    upper: Decimal | None
    jkk_percent: Decimal
    jkm_percent: Decimal


@dataclass(frozen=True)
class PremiumBreakdown:
    value: Decimal
    jkk: Decimal
    jkm: Decimal
    total: Decimal
    rule: str

    def as_dict(self) -> dict[str, object]:
        return {"value": self.value, "jkk": self.jkk, "jkm": self.jkm, "total": self.total, "rule": self.rule}


def _whole_rupiah(amount: Decimal) -> Decimal:
    return amount.quantize(Decimal(1), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class PremiumRule:
    """One row set of the rate table: bands in ascending order, the last one open-ended. In force from
    ``effective_from`` until a later rule starts, or to ``effective_to`` (inclusive) for a temporary one."""

    rule_id: str
    effective_from: date
    source: str
    bands: tuple[Band, ...]
    effective_to: date | None = None

    def __post_init__(self) -> None:
        uppers = [band.upper for band in self.bands]
        if not self.bands or uppers[-1] is not None or None in uppers[:-1]:
            raise InvalidValue(f"premium rule {self.rule_id}: only the last band may be open-ended")
        edges = [Decimal(0), *uppers[:-1]]
        if any(upper <= lower for lower, upper in zip(edges, edges[1:])):
            raise InvalidValue(f"premium rule {self.rule_id}: bands must ascend strictly from above zero")
        if any(band.jkk_percent < 0 or band.jkm_percent < 0 for band in self.bands):
            raise InvalidValue(f"premium rule {self.rule_id}: rates cannot be negative")

    def assess(self, value: Decimal) -> PremiumBreakdown:
        jkk = jkm = Decimal(0)
        lower = Decimal(0)
        for band in self.bands:
            top = value if band.upper is None else min(value, band.upper)
            part = max(top - lower, Decimal(0))
            jkk += part * band.jkk_percent / HUNDRED
            jkm += part * band.jkm_percent / HUNDRED
            if band.upper is None or value <= band.upper:
                break
            lower = band.upper
        jkk, jkm = _whole_rupiah(jkk), _whole_rupiah(jkm)
        return PremiumBreakdown(value=value, jkk=jkk, jkm=jkm, total=jkk + jkm, rule=self.rule_id)


@dataclass(frozen=True)
class PremiumTable:
    """Every rule with its effective dates; a change of rates is a new rule, not an edit. A temporary
    rule (PP 49/2020's relief) overrides the standing one for its dates only."""

    rules: tuple[PremiumRule, ...]

    def rule_on(self, day: date) -> PremiumRule:
        in_force = [rule for rule in self.rules
                    if rule.effective_from <= day and (rule.effective_to is None or day <= rule.effective_to)]
        if not in_force:
            raise InvalidValue(f"no premium rate was in force on {day.isoformat()}", "on")
        return max(in_force, key=lambda rule: rule.effective_from)

    def rule(self, rule_id: str) -> PremiumRule:
        for rule in self.rules:
            if rule.rule_id == rule_id:
                return rule
        raise InvalidValue(f"unknown premium rule {rule_id!r}", "rule")
