"""How the benefit rule tables apply (domain/benefits.py): the row in force on the day of the incident, the wage
base of that day, and refusals on the field to correct. The amounts of the real tables are checked against the
worked examples of docs/rules.md (test_rules_doc.py)."""

from datetime import date
from decimal import Decimal

import pytest

from domain.benefits import (
    AssessmentInputs, BenefitRule, BenefitTables, Validity, WageBase, calculate,
)
from domain.errors import InvalidValue


def stmb_rule(rule_id: str, start: date, end: date | None, full_percent: str) -> BenefitRule:
    values = (("full_months", Decimal(12)), ("full_percent", Decimal(full_percent)), ("after_percent", Decimal(50)))
    return BenefitRule(rule_id, "jkk_stmb", Validity(start, end), "test", values)


# Given: a wage base of Rp3.000.000 from 2025 and Rp3.300.000 from 2026; STMB at 100 % until the end of 2025,
# then (a made-up amendment) at 90 %.
TABLES = BenefitTables(
    version="test",
    rules=(stmb_rule("OLD", date(2019, 12, 2), date(2025, 12, 31), "100"),
           stmb_rule("NEW", date(2026, 1, 1), None, "90")),
    disability_items=(),
    wage_bases=(WageBase("W2025", Decimal(3_000_000), Validity(date(2025, 1, 1), None), "test"),
                WageBase("W2026", Decimal(3_300_000), Validity(date(2026, 1, 1), None), "test")),
)
THIRTY_DAYS = AssessmentInputs(stmb_days=30)


@pytest.mark.parametrize(("incident_on", "rule_ids", "amount"), [
    (date(2025, 12, 31), ("W2025", "OLD"), 3_000_000),  # 30 days × 3.000.000 / 30 × 100 %
    (date(2026, 1, 1), ("W2026", "NEW"), 2_970_000),  # 30 days × 3.300.000 / 30 × 90 %
])
def test_an_incident_is_assessed_on_the_rows_in_force_that_day(incident_on, rule_ids, amount):
    assessment = calculate("work_accident", incident_on, THIRTY_DAYS, TABLES)

    assert assessment.rule_ids == rule_ids
    assert [line.amount for line in assessment.lines] == [amount]
    assert assessment.table_version == "test"


def test_an_incident_before_any_wage_base_is_refused_on_the_incident():
    with pytest.raises(InvalidValue) as raised:
        calculate("work_accident", date(2024, 12, 31), THIRTY_DAYS, TABLES)
    assert raised.value.field == "incident_at"
    assert raised.value.message == "no wage base was in force on 2024-12-31"


@pytest.mark.parametrize(("inputs", "field"), [
    (AssessmentInputs(stmb_days=-1), "stmb_days"),
    (AssessmentInputs(stmb_days=1, contribution_years=-1), "contribution_years"),
])
def test_negative_days_or_years_are_refused(inputs, field):
    with pytest.raises(InvalidValue) as raised:
        calculate("work_accident", date(2025, 9, 1), inputs, TABLES)
    assert raised.value.field == field


def test_an_unknown_kind_is_refused():
    with pytest.raises(InvalidValue) as raised:
        calculate("death", date(2025, 9, 1), THIRTY_DAYS, TABLES)
    assert raised.value.field == "kind"
