"""docs/rules.md cannot drift from the rules: every worked example in it (a fenced ``example`` or
``premium-example`` block of JSON) is computed here with the real rule tables and compared whole."""

import json
import re
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from application.rules import benefit_tables, premium_table
from domain.benefits import AssessmentInputs, calculate

RULES_MD = Path(__file__).resolve().parents[2] / "docs" / "rules.md"


def blocks(kind: str) -> list[dict]:
    text = RULES_MD.read_text(encoding="utf-8")
    return [json.loads(body) for body in re.findall(rf"^```{kind}\n(.*?)^```$", text, re.S | re.M)]


BENEFIT_EXAMPLES = blocks("example")
PREMIUM_EXAMPLES = blocks("premium-example")


def test_the_document_has_an_example_of_every_kind_and_of_the_premium_relief():
    assert {example["kind"] for example in BENEFIT_EXAMPLES} == {"work_accident", "work_accident_death",
                                                                 "non_work_death"}
    assert len(BENEFIT_EXAMPLES) >= 9
    assert "PP-49-2020" in {example["rule"] for example in PREMIUM_EXAMPLES}


@pytest.mark.parametrize("example", BENEFIT_EXAMPLES, ids=lambda e: f"{e['kind']}-{'-'.join(e['lines'])}")
def test_each_benefit_example_is_what_the_tables_compute(example):
    inputs = {key: Decimal(value) if key.endswith("_costs") else value for key, value in example["inputs"].items()}

    assessment = calculate(example["kind"], date.fromisoformat(example["incident_on"]), AssessmentInputs(**inputs),
                           benefit_tables())

    assert {line.benefit: line.amount for line in assessment.lines} == example["lines"]
    assert list(assessment.rule_ids) == example["rule_ids"]
    assert assessment.wage_base == example["wage_base"]
    assert assessment.total == sum(example["lines"].values())


@pytest.mark.parametrize("example", PREMIUM_EXAMPLES, ids=lambda e: f"{e['value']}-{e['on']}")
def test_each_premium_example_is_what_the_rate_table_computes(example):
    breakdown = premium_table().rule_on(date.fromisoformat(example["on"])).assess(Decimal(example["value"]))
    assert (breakdown.rule, breakdown.jkk, breakdown.jkm) == (example["rule"], example["jkk"], example["jkm"])


def test_every_rule_id_of_the_tables_is_documented_with_its_source():
    text = RULES_MD.read_text(encoding="utf-8")
    tables = benefit_tables()
    for rule_id in {rule.rule_id for rule in tables.rules} | {wage.rule_id for wage in tables.wage_bases}:
        assert f"`{rule_id}`" in text, rule_id
    assert all(rule.source for rule in tables.rules) and all(item.source for item in tables.disability_items)
