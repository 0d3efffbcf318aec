"""A payment plan lapses the day after an instalment's grace ends unpaid; paying ahead or late within the grace
keeps it alive."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from tests.engine.helpers import claim

from dossier.engine.plan_tracking import plan_status
from dossier.model import claim_from_data

PLAN = {
    "agreed": "2025-03-01",
    "grace_days": 5,
    "instalments": [
        {"due_date": "2025-04-01", "amount": "300.00"},
        {"due_date": "2025-05-01", "amount": "300.00"},
        {"due_date": "2025-06-01", "amount": "400.00"},
    ],
}


def status(payments: list[dict[str, str]], day: date):  # type: ignore[no-untyped-def]
    parsed = claim_from_data(claim(payments=payments, payment_plan=PLAN))
    assert parsed.payment_plan is not None
    return plan_status(parsed.payment_plan, parsed, day)


def test_paid_within_the_grace_is_honoured() -> None:
    result = status([{"date": "2025-04-06", "amount": "300.00"}], date(2025, 4, 20))
    assert result.state == "honoured"
    assert result.next_instalment == date(2025, 5, 1)
    assert result.due_so_far == Decimal("300.00")


def test_unpaid_after_the_grace_lapses_the_day_after() -> None:
    result = status([{"date": "2025-04-07", "amount": "300.00"}], date(2025, 4, 20))
    assert result.state == "lapsed"
    assert result.missed == date(2025, 4, 1)
    assert result.lapsed_on == date(2025, 4, 7)


def test_the_last_day_of_grace_is_not_yet_a_lapse() -> None:
    assert status([], date(2025, 4, 6)).state == "honoured"
    assert status([], date(2025, 4, 7)).state == "lapsed"


def test_paying_ahead_counts_for_later_instalments() -> None:
    result = status([{"date": "2025-04-01", "amount": "600.00"}], date(2025, 5, 20))
    assert result.state == "honoured"


def test_a_short_second_instalment_lapses_the_plan() -> None:
    payments = [{"date": "2025-04-01", "amount": "300.00"}, {"date": "2025-05-02", "amount": "250.00"}]
    result = status(payments, date(2025, 6, 1))
    assert (result.state, result.missed, result.lapsed_on) == ("lapsed", date(2025, 5, 1), date(2025, 5, 7))


def test_payments_before_the_agreement_do_not_count() -> None:
    result = status([{"date": "2025-02-20", "amount": "300.00"}], date(2025, 4, 10))
    assert result.state == "lapsed"


def test_fully_paid_plan_is_completed() -> None:
    payments = [{"date": "2025-04-01", "amount": "1000.00"}]
    assert status(payments, date(2025, 7, 1)).state == "completed"


def test_the_next_instalment_follows_the_payments_as_they_arrive() -> None:
    """Day by day as the instalments come in (grace 5 days): the next instalment is the first the payments do
    not cover, even when its date has passed within the grace, or later ones were paid ahead."""
    first = {"date": "2025-04-04", "amount": "300.00"}
    ahead = {"date": "2025-04-20", "amount": "350.00"}  # the second instalment, and 50.00 of the third
    last = {"date": "2025-06-01", "amount": "350.00"}
    seen = [
        (status([], date(2025, 4, 3)), "honoured", date(2025, 4, 1), "0.00"),  # unpaid, still within its grace
        (status([first], date(2025, 4, 10)), "honoured", date(2025, 5, 1), "300.00"),
        (status([first, ahead], date(2025, 4, 25)), "honoured", date(2025, 6, 1), "650.00"),
        (status([first, ahead, last], date(2025, 6, 2)), "completed", None, "1000.00"),
    ]
    assert [(s.state, s.next_instalment, str(s.paid_so_far)) for s, *_ in seen] == [tuple(x[1:]) for x in seen]
