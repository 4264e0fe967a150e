"""Rupiah amounts: ``Decimal`` whole rupiah, never floats.

An amount comes as an integer, a ``Decimal``, or a text of decimal digits only ("150000"): no sign,
point, exponent ("1e5") or spaces, so that a text is read one way only (is "1.500" one and a half
or fifteen hundred?). Forms turn "Rp 1.500.000" into digits before it gets here.
"""

import re
from decimal import Decimal

from domain.errors import InvalidValue

# Far above any activity or benefit in the programme (the whole city budget is ~Rp136 miliar);
# a larger figure is a typing mistake, not a value.
MAX_RUPIAH = Decimal(10) ** 13
DIGITS = re.compile("[0-9]+")


def rupiah(value: object, field: str = "amount", *, allow_zero: bool = False) -> Decimal:
    """Parse a whole-rupiah amount; refuses floats, fractions, negatives and absurd sizes."""
    if isinstance(value, float) or isinstance(value, bool):
        raise InvalidValue("amount must be given as an integer or a string of digits, not a float", field)
    if isinstance(value, Decimal):
        amount = value
    elif isinstance(value, int) or (isinstance(value, str) and DIGITS.fullmatch(value)):
        amount = Decimal(value)
    else:
        raise InvalidValue(f"{value!r} is not an amount of rupiah", field)
    if not amount.is_finite():
        raise InvalidValue("amount must be a finite number", field)
    if amount != amount.to_integral_value():
        raise InvalidValue("amount must be whole rupiah", field)
    if amount < 0 or (amount == 0 and not allow_zero):
        raise InvalidValue("amount must be more than zero" if not allow_zero else "amount cannot be negative", field)
    if amount > MAX_RUPIAH:
        raise InvalidValue("amount is implausibly large", field)
    return amount.quantize(Decimal(1))


def format_rupiah(amount: Decimal) -> str:
    """``Rp 1.234.567``, as written in Indonesia."""
    return "Rp " + f"{int(amount):,}".replace(",", ".")
