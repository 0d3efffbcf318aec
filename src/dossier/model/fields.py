"""Field types shared by the claim model: exact dates, amounts and rates.

Pydantic's lax mode would read ``20250101`` as a Unix timestamp and ``1.1`` as a
binary float; a claim must say what it means, so these types accept only the
unambiguous forms and explain the rest.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any

from pydantic import BeforeValidator, PlainSerializer, WithJsonSchema

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _to_date(value: Any) -> date:
    if isinstance(value, date):
        return value
    if isinstance(value, str) and _ISO_DATE.match(value.strip()):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise ValueError(f"{value} is not a valid date (expected YYYY-MM-DD)")


def _to_decimal(value: Any, what: str) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, str | int | Decimal):
        raise ValueError(f'{value!r} is not a valid {what} (write it as a string, e.g. "1210.00")')
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        raise ValueError(f"{value!r} is not a valid {what}") from None
    if not number.is_finite():
        raise ValueError(f"{value!r} is not a valid {what}")
    return number


def _to_amount(value: Any) -> Decimal:
    number = _to_decimal(value, "amount")
    if number <= 0:
        raise ValueError(f"{value} must be greater than zero")
    if number.as_tuple().exponent < -2:  # type: ignore[operator]
        raise ValueError(f"{value} has more than two decimals")
    return number.quantize(Decimal("0.01"))


def _to_rate(value: Any) -> Decimal:
    number = _to_decimal(value, "rate")
    if not Decimal(0) <= number < Decimal(1):
        raise ValueError(f'{value} is not a yearly rate as a fraction (write "0.10" for 10 %)')
    return number


Date = Annotated[date, BeforeValidator(_to_date), PlainSerializer(lambda d: d.isoformat(), return_type=str)]
Amount = Annotated[
    Decimal,
    BeforeValidator(_to_amount),
    PlainSerializer(lambda d: f"{d:.2f}", return_type=str),
    WithJsonSchema({"type": "string", "pattern": r"^\d+(\.\d{1,2})?$", "examples": ["1210.00"]}),
]
Rate = Annotated[
    Decimal,
    BeforeValidator(_to_rate),
    PlainSerializer(str, return_type=str),
    WithJsonSchema({"type": "string", "pattern": r"^0(\.\d+)?$", "examples": ["0.10"]}),
]
