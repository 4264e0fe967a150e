"""Rupiah: whole amounts as Decimal, never floats."""

from decimal import Decimal

import pytest

from domain.errors import InvalidValue
from domain.money import MAX_RUPIAH, format_rupiah, rupiah


@pytest.mark.parametrize(("given", "expected"), [
    (1, Decimal(1)),
    (50_000_000, Decimal(50_000_000)),
    ("50000000", Decimal(50_000_000)),
    ("0250000", Decimal(250_000)),
    (Decimal("1E+3"), Decimal(1_000)),
    (Decimal(7), Decimal(7)),
    (10**13, Decimal(10**13)),
])
def test_whole_rupiah_as_int_str_or_decimal_is_accepted(given, expected):
    amount = rupiah(given)
    assert amount == expected
    assert isinstance(amount, Decimal)
    assert amount.as_tuple().exponent == 0  # quantized to whole rupiah: prints without decimals or exponent


@pytest.mark.parametrize("value", [1.0, 50_000_000.0, 0.5, float("nan")])
def test_floats_are_refused(value):
    with pytest.raises(InvalidValue) as raised:
        rupiah(value)
    assert "not a float" in raised.value.message


def test_booleans_are_refused():
    with pytest.raises(InvalidValue):
        rupiah(True)


@pytest.mark.parametrize("value", [Decimal("1000.5"), Decimal("0.01")])
def test_fractions_of_a_rupiah_are_refused(value):
    with pytest.raises(InvalidValue) as raised:
        rupiah(value)
    assert raised.value.message == "amount must be whole rupiah"


@pytest.mark.parametrize("value", [0, "0", -1, Decimal("-250000"), Decimal("-0")])
def test_zero_and_negative_amounts_are_refused(value):
    with pytest.raises(InvalidValue) as raised:
        rupiah(value)
    assert raised.value.message == "amount must be more than zero"


def test_zero_is_accepted_when_allowed_but_negatives_still_are_not():
    assert rupiah(0, allow_zero=True) == Decimal(0)
    with pytest.raises(InvalidValue) as raised:
        rupiah(-1, allow_zero=True)
    assert raised.value.message == "amount cannot be negative"


@pytest.mark.parametrize("value", [MAX_RUPIAH + 1, "10000000000001", Decimal("1e20"), 10**30])
def test_implausibly_large_amounts_are_refused(value):
    with pytest.raises(InvalidValue) as raised:
        rupiah(value)
    assert raised.value.message == "amount is implausibly large"


@pytest.mark.parametrize("value", ["", "abc", "Rp 1.000", "1,000", None, "NaN", "Infinity", "-Infinity", [], {}])
def test_text_that_is_not_a_number_is_refused(value):
    with pytest.raises(InvalidValue):
        rupiah(value)


@pytest.mark.parametrize("value", ["1e5", "1E+5", " 250000 ", "1000.00", "1.500", "-250000", "+5", "１２３", "1_000"])
def test_a_text_amount_is_digits_only(value):
    # Read one way only: no exponent, point, sign, spaces or other scripts' digits.
    with pytest.raises(InvalidValue) as raised:
        rupiah(value)
    assert raised.value.message == f"{value!r} is not an amount of rupiah"


def test_the_field_named_in_the_error_is_the_one_given():
    with pytest.raises(InvalidValue) as raised:
        rupiah(-1, "total_value")
    assert raised.value.field == "total_value"


@pytest.mark.parametrize(("amount", "text"), [
    (Decimal(1_234_567), "Rp 1.234.567"),
    (Decimal(1), "Rp 1"),
    (Decimal(999), "Rp 999"),
    (Decimal(1_000), "Rp 1.000"),
    (Decimal(120_000), "Rp 120.000"),
    (Decimal(10**13), "Rp 10.000.000.000.000"),
])
def test_format_rupiah_groups_thousands_with_dots(amount, text):
    assert format_rupiah(amount) == text
