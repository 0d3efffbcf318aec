"""Money arithmetic: ``Decimal`` only, rounded half-up to the cent where the law rounds."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
ZERO = Decimal("0.00")


def cents(amount: Decimal) -> Decimal:
    """Round half-up to the cent (the rounding rule of BE, FR, NL and E&W practice)."""
    if not isinstance(amount, Decimal):
        raise TypeError(f"money must be Decimal, got {type(amount).__name__}")
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def money_str(amount: Decimal) -> str:
    """The canonical text of an amount in JSON output: two decimals, no exponent."""
    return f"{cents(amount):.2f}"
