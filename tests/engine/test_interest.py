from datetime import date
from decimal import Decimal

import pytest

from dossier.engine.interest import anniversary, period_interest, year_days


def test_gov_uk_daily_interest_method() -> None:
    # GOV.UK 'Late commercial payments: charging interest': daily interest = debt x rate / 365.
    # 1,000 GBP at 8.5 % a year: 85.00 a year, 0.23 a day.
    assert period_interest(Decimal("1000"), Decimal("8.5"), 365, 365) == Decimal("85.00")
    assert period_interest(Decimal("1000"), Decimal("8.5"), 1, 365) == Decimal("0.23")


def test_rounding_is_half_up_to_the_cent() -> None:
    # 1,000 x 3.65 % x 1 / 365 = 0.1 exactly; 1,000 x 1.825 % / 365 = 0.05 -> 0.05; 0.005 rounds up
    assert period_interest(Decimal("1000"), Decimal("3.65"), 1, 365) == Decimal("0.10")
    assert period_interest(Decimal("100"), Decimal("1.825"), 1, 365) == Decimal("0.01")  # 0.005 -> 0.01


@pytest.mark.parametrize(
    ("day", "count", "expected"),
    [
        (date(2024, 3, 1), "actual/actual", 366),
        (date(2024, 3, 1), "actual/365", 365),
        (date(2025, 3, 1), "actual/actual", 365),
    ],
)
def test_leap_years_only_under_actual_actual(day: date, count: str, expected: int) -> None:
    assert year_days(day, count) == expected


def test_anniversary_of_29_february() -> None:
    assert anniversary(date(2024, 2, 29), 1) == date(2025, 3, 1)
    assert anniversary(date(2024, 2, 29), 4) == date(2028, 2, 29)
