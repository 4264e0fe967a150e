"""The premium (JKK + JKM) by value of the work: the real rate table and how rules apply.

Marginal bands of Permenaker 44/2015 (percent of the part of the value inside the band):
    up to Rp100 juta       JKK 0.21   JKM 0.03
    100 – 500 juta         JKK 0.17   JKM 0.02
    500 juta – 1 miliar    JKK 0.13   JKM 0.02
    1 – 5 miliar           JKK 0.11   JKM 0.01
    above 5 miliar         JKK 0.09   JKM 0.01
Each component is rounded half-up to whole rupiah; total = JKK + JKM.
"""

from datetime import date
from decimal import Decimal

import pytest

from application.rules import premium_table
from domain.errors import InvalidValue
from domain.premium import Band, PremiumBreakdown, PremiumRule, PremiumTable

RULE_ID = "PERMENAKER-44-2015"


def real_rule() -> PremiumRule:
    return premium_table().rule_on(date(2025, 9, 1))


@pytest.mark.parametrize(("value", "jkk", "jkm"), [
    # value 0: nothing to insure
    (0, 0, 0),
    # 1 × 0.21 % = 0.0021 → 0;  1 × 0.03 % = 0.0003 → 0
    (1, 0, 0),
    # 99,999,999 × 0.21 % = 209,999.9979 → 210,000;  × 0.03 % = 29,999.9997 → 30,000
    (99_999_999, 210_000, 30_000),
    # 100,000,000 × 0.21 % = 210,000;  × 0.03 % = 30,000
    (100_000_000, 210_000, 30_000),
    # 210,000 + 1 × 0.17 % = 210,000.0017 → 210,000;  30,000 + 1 × 0.02 % = 30,000.0002 → 30,000
    (100_000_001, 210_000, 30_000),
    # 210,000 + 400,000,000 × 0.17 % (680,000) = 890,000;  30,000 + 400,000,000 × 0.02 % (80,000) = 110,000
    (500_000_000, 890_000, 110_000),
    # 890,000 + 1 × 0.13 % = 890,000.0013 → 890,000;  110,000 + 0.0002 → 110,000
    (500_000_001, 890_000, 110_000),
    # 890,000 + 500,000,000 × 0.13 % (650,000) = 1,540,000;
    # 110,000 + 500,000,000 × 0.02 % (100,000) = 210,000
    (1_000_000_000, 1_540_000, 210_000),
    # 1,540,000 + 1 × 0.11 % = 1,540,000.0011 → 1,540,000;  210,000 + 0.0001 → 210,000
    (1_000_000_001, 1_540_000, 210_000),
    # 1,540,000 + 4,000,000,000 × 0.11 % (4,400,000) = 5,940,000;
    # 210,000 + 4,000,000,000 × 0.01 % (400,000) = 610,000
    (5_000_000_000, 5_940_000, 610_000),
    # 5,940,000 + 1 × 0.09 % = 5,940,000.0009 → 5,940,000;  610,000 + 0.0001 → 610,000
    (5_000_000_001, 5_940_000, 610_000),
    # 5,940,000 + 5,000,000,000 × 0.09 % (4,500,000) = 10,440,000;
    # 610,000 + 5,000,000,000 × 0.01 % (500,000) = 1,110,000
    (10_000_000_000, 10_440_000, 1_110_000),
])
def test_the_real_rate_table_at_every_band_edge(value, jkk, jkm):
    breakdown = real_rule().assess(Decimal(value))
    assert breakdown == PremiumBreakdown(value=Decimal(value), jkk=Decimal(jkk), jkm=Decimal(jkm),
                                         total=Decimal(jkk + jkm), rule=RULE_ID)


def test_the_total_at_the_band_edges():
    rule = real_rule()
    totals = {value: rule.assess(Decimal(value)).total
              for value in (100_000_000, 500_000_000, 1_000_000_000, 5_000_000_000, 10_000_000_000)}
    assert totals == {
        100_000_000: Decimal(240_000),  # 210,000 + 30,000
        500_000_000: Decimal(1_000_000),  # 890,000 + 110,000
        1_000_000_000: Decimal(1_750_000),  # 1,540,000 + 210,000
        5_000_000_000: Decimal(6_550_000),  # 5,940,000 + 610,000
        10_000_000_000: Decimal(11_550_000),  # 10,440,000 + 1,110,000
    }


@pytest.mark.parametrize("value", [10_000, 1_000_000, 5_000_000, 12_340_000, 50_000_000, 99_990_000, 100_000_000])
def test_the_premium_is_0_24_percent_of_values_up_to_100_juta(value):
    # multiples of Rp10.000, so 0.21 % and 0.03 % are whole rupiah and no rounding hides anything
    breakdown = real_rule().assess(Decimal(value))
    assert breakdown.total == Decimal(value) * 24 / 10_000
    assert (breakdown.jkk, breakdown.jkm) == (Decimal(value) * 21 / 10_000, Decimal(value) * 3 / 10_000)


@pytest.mark.parametrize("value", [1, 333, 4_999, 7_777_777, 33_333_333, 99_999_999])
def test_below_100_juta_the_total_is_0_24_percent_to_within_the_rounding_of_the_two_components(value):
    total = real_rule().assess(Decimal(value)).total
    assert abs(total - Decimal(value) * Decimal("0.0024")) <= 1


def test_each_component_is_rounded_half_up_separately():
    # 15,000 × 0.21 % = 31.5 → 32 (half-up);  15,000 × 0.03 % = 4.5 → 5 (half-up, not 4 as half-even would give)
    breakdown = real_rule().assess(Decimal(15_000))
    assert (breakdown.jkk, breakdown.jkm, breakdown.total) == (Decimal(32), Decimal(5), Decimal(37))


def test_the_real_table_has_one_rule_in_force_since_1_july_2015():
    table = premium_table()
    rule = table.rule(RULE_ID)
    assert rule.effective_from == date(2015, 7, 1)
    assert table.rule_on(date(2015, 7, 1)) is rule
    assert [band.upper for band in rule.bands] == [Decimal(100_000_000), Decimal(500_000_000),
                                                   Decimal(1_000_000_000), Decimal(5_000_000_000), None]
    with pytest.raises(InvalidValue):
        table.rule_on(date(2015, 6, 30))


# --- choosing the rule -------------------------------------------------------------------------


def flat(rule_id: str, effective_from: date, jkk: str) -> PremiumRule:
    return PremiumRule(rule_id, effective_from, "test", (Band(None, Decimal(jkk), Decimal("0.03")),))


OLD = flat("OLD", date(2015, 7, 1), "0.21")
NEW = flat("NEW", date(2026, 1, 1), "0.24")
NEWER = flat("NEWER", date(2027, 1, 1), "0.30")


@pytest.mark.parametrize(("day", "expected"), [
    (date(2015, 7, 1), "OLD"),
    (date(2025, 12, 31), "OLD"),
    (date(2026, 1, 1), "NEW"),
    (date(2026, 12, 31), "NEW"),
    (date(2027, 1, 1), "NEWER"),
    (date(2040, 1, 1), "NEWER"),
])
def test_rule_on_picks_the_latest_rule_in_force_on_that_day(day, expected):
    # listed out of order on purpose: the date decides, not the position
    table = PremiumTable((NEW, NEWER, OLD))
    assert table.rule_on(day).rule_id == expected


def test_rule_on_a_day_before_any_rule_is_refused():
    with pytest.raises(InvalidValue) as raised:
        PremiumTable((OLD, NEW)).rule_on(date(2015, 6, 30))
    assert raised.value.message == "no premium rate was in force on 2015-06-30"


def test_an_unknown_rule_id_is_refused():
    with pytest.raises(InvalidValue):
        PremiumTable((OLD,)).rule("PERMENAKER-99-2099")


# --- malformed rules ---------------------------------------------------------------------------


def bands(*uppers: int | None) -> tuple[Band, ...]:
    return tuple(Band(None if upper is None else Decimal(upper), Decimal("0.1"), Decimal("0.01")) for upper in uppers)


@pytest.mark.parametrize("uppers", [
    (),  # no band at all
    (100,),  # the last band has an upper limit
    (None, 100),  # the open-ended band is not last
    (None, None),  # two open-ended bands
    (100, None, 500, None),
], ids=["empty", "closed-last", "open-first", "two-open", "open-middle"])
def test_a_rule_whose_only_open_ended_band_is_not_the_last_is_refused(uppers):
    with pytest.raises(InvalidValue) as raised:
        PremiumRule("BAD", date(2015, 7, 1), "test", bands(*uppers))
    assert "open-ended" in raised.value.message


def test_a_rule_whose_bands_descend_is_refused():
    with pytest.raises(InvalidValue) as raised:
        PremiumRule("BAD", date(2015, 7, 1), "test", bands(500, 100, None))
    assert "ascend" in raised.value.message


def test_a_rule_with_two_bands_ending_at_the_same_value_is_refused():
    # a duplicated edge (e.g. a typo in the CSV) would silently skip the rates of one band
    with pytest.raises(InvalidValue) as raised:
        PremiumRule("BAD", date(2015, 7, 1), "test", bands(100, 100, None))
    assert "ascend" in raised.value.message


@pytest.mark.parametrize("first_upper", [0, -100])
def test_a_rule_whose_first_band_ends_at_or_below_zero_is_refused(first_upper):
    # bands start at Rp0: an edge at or below zero makes the band empty or shifts the next one
    with pytest.raises(InvalidValue):
        PremiumRule("BAD", date(2015, 7, 1), "test", bands(first_upper, None))


def test_a_well_formed_rule_is_accepted():
    rule = PremiumRule("GOOD", date(2015, 7, 1), "test", bands(100, 500, None))
    # 100 × 0.1 % + 400 × 0.1 % + 500 × 0.1 % = 1.0 → 1;  1,000 × 0.01 % = 0.1 → 0
    assert rule.assess(Decimal(1_000)) == PremiumBreakdown(Decimal(1_000), Decimal(1), Decimal(0), Decimal(1), "GOOD")


# --- PP 49/2020: contributions at 1 % of the normal rates, August 2020 to January 2021 ----------------


@pytest.mark.parametrize(("day", "rule_id", "jkk", "jkm"), [
    (date(2020, 7, 31), "PERMENAKER-44-2015", 210_000, 30_000),  # the day before the relief
    (date(2020, 8, 1), "PP-49-2020", 2_100, 300),  # 1 % of 210,000 and of 30,000
    (date(2021, 1, 31), "PP-49-2020", 2_100, 300),  # its last day
    (date(2021, 2, 1), "PERMENAKER-44-2015", 210_000, 30_000),  # the normal rates again
])
def test_a_past_period_uses_the_rate_in_force_then_including_the_covid_relief(day, rule_id, jkk, jkm):
    breakdown = premium_table().rule_on(day).assess(Decimal(100_000_000))
    assert (breakdown.rule, breakdown.jkk, breakdown.jkm) == (rule_id, Decimal(jkk), Decimal(jkm))


def test_the_relief_is_one_percent_of_every_normal_band():
    normal, relief = premium_table().rule("PERMENAKER-44-2015"), premium_table().rule("PP-49-2020")
    assert [(band.upper, band.jkk_percent / 100, band.jkm_percent / 100) for band in normal.bands] == [
        (band.upper, band.jkk_percent, band.jkm_percent) for band in relief.bands]
    assert (relief.effective_from, relief.effective_to) == (date(2020, 8, 1), date(2021, 1, 31))


def test_a_temporary_rule_overrides_the_standing_one_only_for_its_dates():
    table = PremiumTable((flat("OLD", date(2015, 7, 1), "0.21"),
                          PremiumRule("TEMP", date(2020, 8, 1), "test", (Band(None, Decimal("0.0021"), Decimal(0)),),
                                      effective_to=date(2020, 8, 31))))
    assert [table.rule_on(day).rule_id for day in (date(2020, 7, 31), date(2020, 8, 15), date(2020, 9, 1))] == [
        "OLD", "TEMP", "OLD"]
