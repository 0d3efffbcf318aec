"""A payment-plan schedule: instalments from a count or an amount, interest on the declining balance or none."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_DOWN, Decimal

from dossier.engine.guard import calendar_bounded, check_year
from dossier.engine.interest import period_interest, year_days
from dossier.errors import ComputationError
from dossier.money import ZERO, cents

FREQUENCIES = ("weekly", "monthly", "quarterly")
MAX_INSTALMENTS = 120


@dataclass(frozen=True)
class Instalment:
    number: int
    due: date
    amount: Decimal
    interest: Decimal
    principal: Decimal
    remaining: Decimal


@dataclass(frozen=True)
class Schedule:
    debt: Decimal
    first: date
    frequency: str
    percent: Decimal | None
    instalments: tuple[Instalment, ...]

    @property
    def total(self) -> Decimal:
        return sum((i.amount for i in self.instalments), ZERO)

    @property
    def interest(self) -> Decimal:
        return sum((i.interest for i in self.instalments), ZERO)


def nth_date(first: date, n: int, frequency: str) -> date:
    """The date of instalment ``n`` (0-based); monthly dates keep the day of the month, clamped to its end."""
    if frequency == "weekly":
        return first + timedelta(weeks=n)
    months = n * (3 if frequency == "quarterly" else 1)
    year, month = divmod(first.month - 1 + months, 12)
    year = check_year(year + first.year)
    day = min(first.day, calendar.monthrange(year, month + 1)[1])
    return date(year, month + 1, day)


@calendar_bounded
def schedule(
    debt: Decimal,
    agreed_on: date,
    first: date,
    *,
    count: int | None = None,
    amount: Decimal | None = None,
    frequency: str = "monthly",
    percent: Decimal | None = None,
    day_count: str = "actual/365",
    bearing: Decimal | None = None,
) -> Schedule:
    """Split ``debt`` into ``count`` instalments or instalments of ``amount``, interest first in each.

    Interest runs only on the part of the debt that bears interest (``bearing``, the outstanding principal; by
    default all of it): payments go to costs and interest before principal, so that part is paid off last, and
    no interest is charged on interest or costs.
    """
    if (count is None) == (amount is None):
        raise ComputationError("give either a number of instalments or an instalment amount", path="instalments")
    if frequency not in FREQUENCIES:
        raise ComputationError(f"{frequency!r} is not a frequency ({', '.join(FREQUENCIES)})", path="frequency")
    if first < agreed_on:
        raise ComputationError(f"the first instalment ({first}) is before the agreement ({agreed_on})", path="first")
    if debt <= 0:
        raise ComputationError("nothing is due: there is no debt to spread", path="debt")
    if count is not None and not 1 <= count <= MAX_INSTALMENTS:
        raise ComputationError(f"{count} instalments: between 1 and {MAX_INSTALMENTS}", path="instalments")
    if amount is not None and amount <= 0:
        raise ComputationError(f"{amount} is not a positive instalment amount", path="amount")

    principal_part = (debt / count).quantize(Decimal("0.01"), rounding=ROUND_DOWN) if count else None
    remaining, rows, previous, n = debt, [], agreed_on, 0
    while remaining > 0:
        if n >= MAX_INSTALMENTS:
            raise ComputationError(
                f"an instalment of {amount} does not pay the debt off in {MAX_INSTALMENTS} instalments "
                "(it may not even cover the interest)",
                path="amount",
            )
        due = nth_date(first, n, frequency)
        interest = ZERO
        if percent:
            base = remaining if bearing is None else min(remaining, bearing)
            interest = period_interest(base, percent, (due - previous).days, year_days(due, day_count))
        last = (count is not None and n == count - 1) or (amount is not None and remaining + interest <= amount)
        if last:
            principal, pay = remaining, remaining + interest
        elif principal_part is not None:
            principal, pay = principal_part, principal_part + interest
        else:
            assert amount is not None
            principal, pay = min(remaining, amount - interest), amount
            if principal <= 0:
                raise ComputationError(
                    f"an instalment of {amount} does not cover the interest of {interest}", path="amount"
                )
        remaining = cents(remaining - principal)
        rows.append(Instalment(n + 1, due, cents(pay), interest, cents(principal), remaining))
        previous, n = due, n + 1
    return Schedule(debt, first, frequency, percent, tuple(rows))
