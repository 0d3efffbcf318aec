"""Interest for one run of days on one base: the day count and the rounding of a period."""

from __future__ import annotations

import calendar
from datetime import date
from decimal import Decimal

from dossier.engine.guard import check_year
from dossier.money import cents

HUNDRED = Decimal(100)


def year_days(day: date, day_count: str) -> int:
    """The denominator of a day's interest: 365, or 366 in a leap year under actual/actual."""
    if day_count == "actual/actual" and calendar.isleap(day.year):
        return 366
    return 365


def period_interest(base: Decimal, percent: Decimal, days: int, denominator: int) -> Decimal:
    """``base x rate x days / denominator``, rounded half-up to the cent (one rounding per period)."""
    return cents(base * percent * days / (HUNDRED * denominator))


def anniversary(start: date, years: int) -> date:
    """``start`` plus whole years; 29 February becomes 1 March in common years."""
    try:
        return start.replace(year=start.year + years)
    except ValueError:
        return date(check_year(start.year + years), 3, 1)
