"""Field types shared by the claim model: exact dates, amounts, rates, day counts and bounded text.

Pydantic's lax mode would read ``20250101`` as a Unix timestamp and ``1.1`` as a
binary float; a claim must say what it means, so these types accept only the
unambiguous forms and explain the rest. Each is bounded (``dossier.model.limits``)
so that a typo or a hostile file is refused with its field named, rather than
becoming a 700-page letter or a date the calendar cannot hold.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator, Field, PlainSerializer, WithJsonSchema

from dossier.model.limits import (
    EARLIEST_DATE,
    LATEST_DATE,
    MAX_AMOUNT,
    MAX_NUMBER_TEXT,
    MAX_RATE_DECIMALS,
)
from dossier.strictyaml import UnquotedNumber
from dossier.validation import quoted, shown

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
#: characters no letter can print: C0/C1 controls, lone surrogates, non-characters (XML refuses most of them)
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_LINE_BREAK = re.compile("[\t\n\r\u2028\u2029]")


def in_date_range(day: date) -> date:
    """``day`` itself when within the dates dossier supports, else ``ValueError`` saying which they are."""
    if not EARLIEST_DATE <= day <= LATEST_DATE:
        raise ValueError(
            f"{day.isoformat()} is outside the dates dossier accepts "
            f"({EARLIEST_DATE.isoformat()} to {LATEST_DATE.isoformat()})"
        )
    return day


def _to_date(value: Any) -> date:
    if isinstance(value, date):
        return in_date_range(value)
    if isinstance(value, str) and _ISO_DATE.match(value.strip()):
        try:
            parsed = date.fromisoformat(value.strip())
        except ValueError:
            pass
        else:
            return in_date_range(parsed)
    raise ValueError(f"{quoted(value)} is not a valid date (expected YYYY-MM-DD)")


def _ambiguous(value: UnquotedNumber, example: str) -> ValueError:
    return ValueError(
        f"{value} is ambiguous: unquoted, YAML 1.1 does not read it as written (0100 is octal 64, 20:10 is 1210 "
        f'in base 60, 0x4BA is hexadecimal, .inf is infinity); write the number you mean in quotes, e.g. "{example}"'
    )


def _to_decimal(value: Any, what: str) -> Decimal:
    if isinstance(value, UnquotedNumber):
        raise _ambiguous(value, "1210.00" if what == "amount" else "0.08")
    if isinstance(value, bool) or not isinstance(value, str | int | Decimal):
        raise ValueError(f'{shown(value)} is not a valid {what} (write it as a string, e.g. "1210.00")')
    if isinstance(value, str) and len(value) > MAX_NUMBER_TEXT:
        raise ValueError(f"{shown(value)} is not a valid {what} (too long)")
    if isinstance(value, int) and value.bit_length() > 128:
        raise ValueError(f"this number is too large to be a valid {what}")
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        raise ValueError(f"{shown(value)} is not a valid {what}") from None
    if not number.is_finite():
        raise ValueError(f"{shown(value)} is not a valid {what}")
    return number


def _to_amount(value: Any) -> Decimal:
    number = _to_decimal(value, "amount")
    if number <= 0:
        raise ValueError(f"{quoted(value)} must be greater than zero")
    if number > MAX_AMOUNT:
        raise ValueError(f"{quoted(value)} is above the largest amount dossier accepts ({MAX_AMOUNT})")
    if number.as_tuple().exponent < -2:  # type: ignore[operator]
        raise ValueError(f"{quoted(value)} has more than two decimals")
    return number.quantize(Decimal("0.01"))


def _to_rate(value: Any) -> Decimal:
    number = _to_decimal(value, "rate")
    if not Decimal(0) <= number < Decimal(1):
        raise ValueError(f'{quoted(value)} is not a yearly rate as a fraction (write "0.10" for 10 %)')
    if number.as_tuple().exponent < -MAX_RATE_DECIMALS:  # type: ignore[operator]
        raise ValueError(f"{quoted(value)} has more than {MAX_RATE_DECIMALS} decimals")
    return number


def _to_days(value: Any) -> Any:
    """A whole number of days, written as one: not ``030`` (octal in YAML 1.1), not ``true``, not ``30.5``."""
    if isinstance(value, UnquotedNumber):
        raise _ambiguous(value, "30")
    if isinstance(value, bool):
        raise ValueError(f"{shown(value)} is not a number of days")
    return value


def _printable(value: str, *, lines: bool) -> str:
    if not lines and (found := _LINE_BREAK.search(value)):
        raise ValueError(f"must be one line (it holds a line break or tab at position {found.start() + 1})")
    if found := _CONTROL.search(value):
        raise ValueError(
            f"holds a control character (U+{ord(found.group()):04X}) at position {found.start() + 1}; "
            "only printable text is allowed"
        )
    return value


def text(max_length: int, *, lines: bool = False) -> Any:
    """A string of at most ``max_length`` characters, printable, on one line unless ``lines``."""
    return Annotated[
        str,
        Field(max_length=max_length),
        AfterValidator(lambda v: _printable(v, lines=lines)),
    ]


Date = Annotated[date, BeforeValidator(_to_date), PlainSerializer(lambda d: d.isoformat(), return_type=str)]
Amount = Annotated[
    Decimal,
    BeforeValidator(_to_amount),
    PlainSerializer(lambda d: f"{d:.2f}", return_type=str),
    WithJsonSchema({"type": "string", "pattern": r"^\d+(\.\d{1,2})?$", "examples": ["1210.00"]}),
]
Days = Annotated[int, BeforeValidator(_to_days)]
Rate = Annotated[
    Decimal,
    BeforeValidator(_to_rate),
    PlainSerializer(str, return_type=str),
    WithJsonSchema({"type": "string", "pattern": r"^0(\.\d+)?$", "examples": ["0.10"]}),
]
