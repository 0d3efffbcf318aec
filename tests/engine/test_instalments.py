from datetime import date
from decimal import Decimal

import pytest

from dossier.engine.instalments import nth_date, schedule
from dossier.errors import ComputationError


def test_equal_instalments_and_the_last_absorbs_the_cents() -> None:
    plan = schedule(Decimal("1000.00"), date(2026, 1, 5), date(2026, 1, 31), count=3)
    assert [str(i.amount) for i in plan.instalments] == ["333.33", "333.33", "333.34"]
    assert [i.due for i in plan.instalments] == [date(2026, 1, 31), date(2026, 2, 28), date(2026, 3, 31)]
    assert plan.total == Decimal("1000.00") and plan.instalments[-1].remaining == 0


def test_fixed_amount_with_interest_on_the_declining_balance() -> None:
    plan = schedule(
        Decimal("1000.00"), date(2026, 1, 1), date(2026, 2, 1), amount=Decimal("300.00"), percent=Decimal("10.5")
    )
    first = plan.instalments[0]
    # 31 days on 1,000 at 10.5 %: 8.92 interest; 291.08 principal
    assert (str(first.interest), str(first.principal), str(first.remaining)) == ("8.92", "291.08", "708.92")
    assert all(i.amount == Decimal("300.00") for i in plan.instalments[:-1])
    assert plan.instalments[-1].remaining == 0
    assert plan.total == Decimal("1000.00") + plan.interest


def test_amount_too_small_for_the_interest_is_refused() -> None:
    with pytest.raises(ComputationError, match="does not cover the interest"):
        schedule(
            Decimal("100000.00"), date(2026, 1, 1), date(2026, 2, 1), amount=Decimal("10.00"), percent=Decimal("12")
        )


def test_count_or_amount_not_both() -> None:
    with pytest.raises(ComputationError, match="either a number of instalments or an instalment amount"):
        schedule(Decimal("10.00"), date(2026, 1, 1), date(2026, 2, 1), count=2, amount=Decimal("5.00"))


@pytest.mark.parametrize(
    ("n", "frequency", "expected"),
    [(1, "monthly", date(2026, 2, 28)), (2, "quarterly", date(2026, 7, 31)), (3, "weekly", date(2026, 2, 21))],
)
def test_dates(n: int, frequency: str, expected: date) -> None:
    assert nth_date(date(2026, 1, 31), n, frequency) == expected


def test_interest_runs_on_the_principal_only() -> None:
    # 1,100 due of which 1,000 principal: the first instalment's interest is on 1,000, not on 1,100
    plan = schedule(
        Decimal("1100.00"),
        date(2026, 1, 1),
        date(2026, 2, 1),
        count=2,
        percent=Decimal("10"),
        bearing=Decimal("1000.00"),
    )
    assert plan.instalments[0].interest == Decimal("8.49")  # 1,000 x 10 % x 31/365


def test_plan_interest_follows_the_regimes_day_count() -> None:
    # French regimes count actual/actual: 31 days of 2028 (a leap year) on 1,000 at 10 % = 8.47, not 8.49
    plan = schedule(
        Decimal("1000.00"),
        date(2028, 1, 1),
        date(2028, 2, 1),
        count=1,
        percent=Decimal("10"),
        day_count="actual/actual",
    )
    assert plan.instalments[0].interest == Decimal("8.47")
