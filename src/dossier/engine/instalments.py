"""A payment-plan schedule: instalments from a count or an amount, interest on the declining balance or none."""

from __future__ import annotations

import calendar
from dataclasses import dataclass, replace
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
class Bearing:
    """A part of the debt that bears interest during the plan at its own rate: one invoice's principal (a Late
    Payment Act rate is fixed for the life of its debt, so debts of one claim can carry different rates)."""

    key: str
    principal: Decimal
    percent: Decimal
    day_count: str = "actual/365"


@dataclass(frozen=True)
class Schedule:
    debt: Decimal
    first: date
    frequency: str
    rates: tuple[Bearing, ...]
    instalments: tuple[Instalment, ...]

    @property
    def percent(self) -> Decimal | None:
        """The one rate of the plan; None when none runs or when the debts carry different rates (see ``rates``)."""
        percents = {b.percent for b in self.rates}
        return percents.pop() if len(percents) == 1 else None

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
    debts: tuple[Bearing, ...] | None = None,
) -> Schedule:
    """Split ``debt`` into ``count`` instalments or instalments of ``amount``, interest first in each.

    Interest runs only on the part of the debt that bears interest: ``debts``, each at its own rate, or else
    ``bearing`` (the outstanding principal; by default all of it) at ``percent``. Payments go to costs and interest
    before principal, so that part is paid off last, and no interest is charged on interest or costs; the principal
    of ``debts`` is paid off in their order (oldest first).
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

    if debts is None:
        debts = (Bearing("", debt if bearing is None else bearing, percent, day_count),) if percent else ()
    debts = _within(tuple(b for b in debts if b.percent > 0 and b.principal > 0), debt)
    bearing_total = sum((b.principal for b in debts), ZERO)
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
        interest = _interest(debts, bearing_total - remaining, (due - previous).days, due)
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
    return Schedule(debt, first, frequency, debts, tuple(rows))


def _within(debts: tuple[Bearing, ...], debt: Decimal) -> tuple[Bearing, ...]:
    """The bearing principals, the newest cut so that together they never exceed the debt being spread."""
    out, room = [], debt
    for bearing in debts:
        if room <= 0:
            break
        out.append(replace(bearing, principal=min(bearing.principal, room)))
        room -= bearing.principal
    return tuple(out)


def _interest(debts: tuple[Bearing, ...], repaid: Decimal, days: int, due: date) -> Decimal:
    """Interest over ``days`` on what is left of each debt's principal once ``repaid`` (the principal paid off so
    far) went to the debts in order; debts at the same rate are one base (rounded once, as a single debt)."""
    bases: dict[tuple[Decimal, str], Decimal] = {}
    for bearing in debts:
        left = bearing.principal - min(bearing.principal, max(repaid, ZERO))
        repaid -= bearing.principal
        key = (bearing.percent, bearing.day_count)
        bases[key] = bases.get(key, ZERO) + left
    return sum(
        (period_interest(base, percent, days, year_days(due, count)) for (percent, count), base in bases.items()),
        ZERO,
    )
