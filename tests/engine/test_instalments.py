from datetime import date
from decimal import Decimal

import pytest

from dossier.engine.instalments import Bearing, nth_date, schedule
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


def test_each_debt_bears_interest_at_its_own_rate_and_the_oldest_is_paid_off_first() -> None:
    # GB sample on 1 Dec 2025 (Late Payment Act: each debt's rate fixed when its interest started): 11,438.24 due,
    # of which INV-3190 10,457.21 at 12.75 % and INV-3240 640.00 at 12.25 % bear interest; 341.03 (interest, fixed
    # sums) does not and is paid first. 4 monthly instalments of 2,859.56 principal from 31 Dec 2025.
    plan = schedule(
        Decimal("11438.24"),
        date(2025, 12, 1),
        date(2025, 12, 31),
        count=4,
        debts=(
            Bearing("INV-3190", Decimal("10457.21"), Decimal("12.75")),
            Bearing("INV-3240", Decimal("640.00"), Decimal("12.25")),
        ),
    )
    # 1: 30 days: 10,457.21 x 12.75 % x 30/365 = 109.59; 640 x 12.25 % x 30/365 = 6.44; 116.03.
    # 2: 341.03 + 2,518.53 of INV-3190 paid: 7,938.68 x 12.75 % x 31/365 = 85.97; 640: 6.66; 92.63.
    # 3: INV-3190 5,079.12 x 12.75 % x 28/365 = 49.68; 640: 6.01; 55.69.
    # 4: INV-3190 2,219.56 x 12.75 % x 31/365 = 24.04; 640: 6.66; 30.70.
    assert [str(i.interest) for i in plan.instalments] == ["116.03", "92.63", "55.69", "30.70"]
    assert [str(i.amount) for i in plan.instalments] == ["2975.59", "2952.19", "2915.25", "2890.26"]
    assert plan.percent is None and [(b.key, str(b.percent)) for b in plan.rates] == [
        ("INV-3190", "12.75"),
        ("INV-3240", "12.25"),
    ]


def test_one_rate_for_every_debt_is_the_plans_rate() -> None:
    plan = schedule(
        Decimal("1100.00"),
        date(2026, 1, 1),
        date(2026, 2, 1),
        count=2,
        debts=(Bearing("A", Decimal("600.00"), Decimal("10")), Bearing("B", Decimal("400.00"), Decimal("10"))),
    )
    assert plan.percent == Decimal("10")
    assert plan.instalments[0].interest == Decimal("8.49")  # 1,000 x 10 % x 31/365: one base, not 5.10 + 3.40
