"""The benefits of a claim by the regulations: how the rule tables are applied.

The amounts, rates and caps are data (``application/data/benefit_rules.csv``, ``disability_items.csv``,
``wage_base.csv``; each row cites its regulation and says when it is in force); this module holds only
how they combine. Every benefit is computed on the rules in force on the day of the incident, so an
auditor who has the inputs, the rule ids and the wage base recorded with an assessment can recompute it.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import TypeVar

from domain.errors import InvalidValue

HUNDRED = Decimal(100)
# Santunan per day is the monthly wage base over 30 days, as BPJS Ketenagakerjaan reckons STMB.
DAYS_PER_MONTH = 30

WORK_ACCIDENT = "work_accident"
WORK_ACCIDENT_DEATH = "work_accident_death"
NON_WORK_DEATH = "non_work_death"
# School levels a scholarship is paid for, youngest first.
SCHOOL_LEVELS = ("tk", "sd", "smp", "sma", "higher")


@dataclass(frozen=True)
class BenefitLine:
    benefit: str
    description: str
    amount: Decimal


def whole_rupiah(amount: Decimal) -> Decimal:
    return amount.quantize(Decimal(1), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Validity:
    """When a row of a rule table is in force: from ``effective_from`` to ``effective_to`` inclusive
    (None: until a later row replaces it)."""

    effective_from: date
    effective_to: date | None

    def covers(self, day: date) -> bool:
        return self.effective_from <= day and (self.effective_to is None or day <= self.effective_to)


@dataclass(frozen=True)
class BenefitRule:
    """One rule (a topic such as ``jkk_stmb``) as a regulation set it: named values in rupiah, percent,
    months or multiples of the wage base."""

    rule_id: str
    topic: str
    validity: Validity
    source: str
    values: tuple[tuple[str, Decimal], ...]

    def __getitem__(self, name: str) -> Decimal:
        return dict(self.values)[name]


@dataclass(frozen=True)
class DisabilityItem:
    """A row of the disability table: the loss (``item``) and its percentage; ``total`` marks total
    permanent disability, which also gives the scholarship."""

    item: str
    rule_id: str
    percent: Decimal
    total: bool
    label: str
    validity: Validity
    source: str


@dataclass(frozen=True)
class WageBase:
    """The monthly wage benefits are reckoned on when a participant declared none (the UMK)."""

    rule_id: str
    amount: Decimal
    validity: Validity
    source: str


Dated = TypeVar("Dated", BenefitRule, DisabilityItem, WageBase)


def _latest_in_force(rows: list[Dated], day: date, subject: str, field_name: str) -> Dated:
    in_force = [row for row in rows if row.validity.covers(day)]
    if not in_force:
        raise InvalidValue(f"no {subject} was in force on {day.isoformat()}", field_name)
    return max(in_force, key=lambda row: row.validity.effective_from)


@dataclass(frozen=True)
class BenefitTables:
    """Every rule, disability item and wage base, with their dates; ``version`` fingerprints the data."""

    version: str
    rules: tuple[BenefitRule, ...]
    disability_items: tuple[DisabilityItem, ...]
    wage_bases: tuple[WageBase, ...]

    def rule(self, topic: str, day: date) -> BenefitRule:
        rules = [rule for rule in self.rules if rule.topic == topic]
        return _latest_in_force(rules, day, f"{topic} rule", "incident_at")

    def wage_base(self, day: date) -> WageBase:
        return _latest_in_force(list(self.wage_bases), day, "wage base", "incident_at")

    def disability_item(self, item: str, day: date) -> DisabilityItem:
        return _latest_in_force([row for row in self.disability_items if row.item == item], day,
                                f"disability item {item}", "disability_item")

    def disability_choices(self, day: date) -> list[DisabilityItem]:
        return [row for row in self.disability_items if row.validity.covers(day)]


@dataclass(frozen=True)
class AssessmentInputs:
    """What the claim officer enters: costs incurred (rupiah), days unable to work, the disability
    table item, the school level of each child for the scholarship, and (JKM) years of contributions."""

    medical_costs: Decimal = Decimal(0)
    home_care_costs: Decimal = Decimal(0)
    transport_costs: Decimal = Decimal(0)
    stmb_days: int = 0
    disability_item: str | None = None
    children: tuple[str, ...] = ()
    contribution_years: int = 0

    def __post_init__(self) -> None:
        # Stored as a JSON list; a tuple keeps the inputs comparable and hashable after a reload.
        object.__setattr__(self, "children", tuple(self.children))


@dataclass(frozen=True)
class Assessment:
    """The benefit lines and what they were computed from."""

    lines: tuple[BenefitLine, ...]
    inputs: AssessmentInputs
    wage_base: Decimal | None  # None: no benefit of this claim is reckoned on a wage (JKM)
    rule_ids: tuple[str, ...]
    table_version: str

    @property
    def total(self) -> Decimal:
        return sum((line.amount for line in self.lines), Decimal(0))


def _rp(amount: Decimal) -> str:
    return "Rp" + f"{int(amount):,}".replace(",", ".")


@dataclass
class _Calculation:
    tables: BenefitTables
    day: date
    inputs: AssessmentInputs
    lines: list[BenefitLine] = field(default_factory=list)
    rule_ids: list[str] = field(default_factory=list)
    wage_used: WageBase | None = None

    @property
    def wage(self) -> WageBase:
        """The wage base, looked up (and recorded) only by the benefits reckoned on it."""
        if self.wage_used is None:
            self.wage_used = self.tables.wage_base(self.day)
            self.rule_ids.insert(0, self.wage_used.rule_id)
        return self.wage_used

    def rule(self, topic: str) -> BenefitRule:
        rule = self.tables.rule(topic, self.day)
        if rule.rule_id not in self.rule_ids:
            self.rule_ids.append(rule.rule_id)
        return rule

    def add(self, benefit: str, description: str, amount: Decimal) -> None:
        if amount > 0:
            self.lines.append(BenefitLine(benefit, description, whole_rupiah(amount)))

    def medical(self) -> None:
        inputs = self.inputs
        if inputs.medical_costs:
            self.rule("jkk_medical")
            self.add("medical_care", "Biaya perawatan sesuai kebutuhan medis (tanpa batas)", inputs.medical_costs)
        if inputs.home_care_costs:
            cap = self.rule("jkk_home_care")["cap"]
            self.add("home_care", f"Perawatan di rumah, paling banyak {_rp(cap)}", min(inputs.home_care_costs, cap))
        if inputs.transport_costs:
            cap = self.rule("jkk_transport")["cap"]
            self.add("transport", f"Transportasi darat, paling banyak {_rp(cap)}", min(inputs.transport_costs, cap))

    def stmb(self) -> None:
        days = self.inputs.stmb_days
        if not days:
            return
        rule = self.rule("jkk_stmb")
        full_days = min(days, int(rule["full_months"]) * DAYS_PER_MONTH)
        reduced_days = days - full_days
        daily = self.wage.amount / DAYS_PER_MONTH
        amount = daily * (full_days * rule["full_percent"] + reduced_days * rule["after_percent"]) / HUNDRED
        description = f"{full_days} hari × {rule['full_percent']:f}%"
        if reduced_days:
            description += f" + {reduced_days} hari × {rule['after_percent']:f}%"
        self.add("stmb", f"{description} × {_rp(self.wage.amount)}/{DAYS_PER_MONTH}", amount)

    def disability(self) -> DisabilityItem | None:
        if self.inputs.disability_item is None:
            return None
        item = self.tables.disability_item(self.inputs.disability_item, self.day)
        self.rule_ids.append(item.rule_id)
        multiple = self.rule("jkk_disability")["wage_multiple"]
        self.add("disability", f"{item.percent:f}% × {multiple:f} × {_rp(self.wage.amount)}",
                 item.percent / HUNDRED * multiple * self.wage.amount)
        return item

    def work_accident_death(self) -> None:
        rule = self.rule("jkk_death")
        multiple = rule["wage_multiple"]
        self.add("death_benefit", f"{multiple:f} × {_rp(self.wage.amount)}", multiple * self.wage.amount)
        self.add("periodic_santunan", "Santunan berkala, dibayar sekaligus", rule["periodic_santunan"])
        self.add("funeral", "Biaya pemakaman", rule["funeral"])

    def non_work_death(self) -> None:
        rule = self.rule("jkm")
        self.add("death_benefit", "Santunan sekaligus", rule["lump_sum"])
        self.add("periodic_santunan", "Santunan berkala, dibayar sekaligus", rule["periodic_santunan"])
        self.add("funeral", "Biaya pemakaman", rule["funeral"])

    def scholarship(self) -> None:
        rule = self.rule("scholarship")
        children = self.inputs.children
        if len(children) > rule["max_children"]:
            raise InvalidValue(f"a scholarship is paid for at most {rule['max_children']:f} children", "children")
        unknown = [level for level in children if level not in SCHOOL_LEVELS]
        if unknown:
            raise InvalidValue(f"unknown school level {unknown[0]!r}: one of {', '.join(SCHOOL_LEVELS)}", "children")
        amount = min(sum((rule[level] for level in children), Decimal(0)), rule["cap"])
        levels = ", ".join(f"{level.upper()} {_rp(rule[level])}" for level in children)
        self.add("scholarship", f"Beasiswa tahun pertama, {len(children)} anak: {levels}", amount)


def _refuse_inputs(inputs: AssessmentInputs, names: tuple[str, ...], kind: str) -> None:
    for name in names:
        if getattr(inputs, name):
            raise InvalidValue(f"{name.replace('_', ' ')} does not apply to a {kind} claim", name)


def calculate(kind: str, incident_on: date, inputs: AssessmentInputs, tables: BenefitTables) -> Assessment:
    """The benefit lines of a claim of ``kind`` for an incident on ``incident_on``."""
    if inputs.stmb_days < 0 or inputs.contribution_years < 0:
        raise InvalidValue("days and years cannot be negative", "stmb_days" if inputs.stmb_days < 0 else
                           "contribution_years")
    calc = _Calculation(tables, incident_on, inputs)
    if kind == WORK_ACCIDENT:
        _refuse_inputs(inputs, ("contribution_years",), kind)
        calc.medical()
        calc.stmb()
        item = calc.disability()
        if inputs.children:
            if item is None or not item.total:
                raise InvalidValue("a work accident gives a scholarship only for total permanent disability",
                                   "children")
            calc.scholarship()
    elif kind == WORK_ACCIDENT_DEATH:
        _refuse_inputs(inputs, ("stmb_days", "disability_item", "contribution_years"), kind)
        calc.medical()
        calc.work_accident_death()
        if inputs.children:
            calc.scholarship()
    elif kind == NON_WORK_DEATH:
        _refuse_inputs(inputs, ("medical_costs", "home_care_costs", "transport_costs", "stmb_days",
                                "disability_item"), kind)
        calc.non_work_death()
        if inputs.children:
            years = calc.rule("scholarship")["jkm_min_contribution_years"]
            if inputs.contribution_years < years:
                raise InvalidValue(f"a JKM scholarship needs at least {years:f} years of contributions", "children")
            calc.scholarship()
    else:
        raise InvalidValue(f"benefits of a {kind} claim are not in the rule tables", "kind")
    if not calc.lines:
        raise InvalidValue("the inputs give no benefit: enter the costs, days or disability", "medical_costs")
    wage_base = calc.wage_used.amount if calc.wage_used else None
    return Assessment(lines=tuple(calc.lines), inputs=inputs, wage_base=wage_base,
                      rule_ids=tuple(calc.rule_ids), table_version=tables.version)
