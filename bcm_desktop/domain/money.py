"""Exact money: ``Decimal`` with two places above the repository, integer cents below it."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
# The largest amount a money column holds: well inside a signed 64-bit integer of cents, and a
# round number a user can be told about.
MAX_AMOUNT = Decimal("999999999999.99")


def to_money(value: Decimal | int | str) -> Decimal:
    """Return ``value`` rounded half-up to whole cents. Floats are refused on purpose."""
    if isinstance(value, float):
        raise TypeError("money must never be a float")
    try:
        amount = Decimal(value)
    except InvalidOperation as exc:
        raise ValueError(f"not an amount: {value!r}") from exc
    if not amount.is_finite():
        raise ValueError(f"not an amount: {value!r}")
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def to_cents(amount: Decimal) -> int:
    """Integer cents for storage."""
    return int(to_money(amount) * 100)


def from_cents(cents: int) -> Decimal:
    """``Decimal`` amount from stored integer cents."""
    return (Decimal(cents) / 100).quantize(CENT)
