"""Rupiah amounts: ``Decimal`` whole rupiah, never floats."""

from decimal import Decimal, InvalidOperation

from domain.errors import InvalidValue

# Far above any activity or benefit in the programme (the whole city budget is ~Rp136 miliar);
# a larger figure is a typing mistake, not a value.
MAX_RUPIAH = Decimal(10) ** 13


def rupiah(value: object, field: str = "amount", *, allow_zero: bool = False) -> Decimal:
    """Parse a whole-rupiah amount; refuses floats, fractions, negatives and absurd sizes."""
    if isinstance(value, float) or isinstance(value, bool):
        raise InvalidValue("amount must be given as an integer or decimal string, not a float", field)
    try:
        amount = Decimal(str(value).strip()) if not isinstance(value, Decimal) else value
    except InvalidOperation:
        raise InvalidValue(f"{value!r} is not an amount of rupiah", field) from None
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
