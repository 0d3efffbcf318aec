"""The next collection step: worked examples from the law's periods, counted by hand."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from tests.conftest import JURISDICTIONS
from tests.engine.helpers import claim

from dossier.engine.ladder import next_step
from dossier.model import claim_from_data
from dossier.rules import load_rules


def step(data: dict[str, Any], day: date):  # type: ignore[no-untyped-def]
    parsed = claim_from_data(data)
    return next_step(parsed, load_rules(parsed.jurisdiction, JURISDICTIONS), day)


def consumer(data: dict[str, Any]) -> dict[str, Any]:
    data["debtor"] = dict(data["debtor"], type="consumer", name="Jan Peeters")
    data["debtor"].pop("company_number", None)
    return data


def test_no_letter_yet_the_first_reminder_may_follow_the_due_date() -> None:
    result = step(claim(), date(2025, 3, 1))
    assert (result.status, result.step.name, result.earliest) == ("due", "first-reminder", date(2025, 2, 10))
    assert result.taken is None


def test_an_invoice_not_yet_due_waits() -> None:
    data = claim(invoices=[{"number": "F1", "date": "2025-01-10", "due_date": "2025-03-31", "amount": "500.00"}])
    result = step(data, date(2025, 3, 1))
    assert (result.status, result.earliest) == ("waiting", date(2025, 4, 1))


def test_be_book_xix_formal_notice_only_after_the_first_reminder_period() -> None:
    """SPF Economie (Book XIX): 14 calendar days from the third working day after a paper reminder is sent.
    Sent Friday 28 November 2025: working days Mon 1, Tue 2, Wed 3 December; the period runs 3-16 December."""
    data = consumer(claim(history=[{"date": "2025-11-28", "type": "reminder", "channel": "post"}]))
    data["invoices"][0].update(date="2025-10-01", due_date="2025-10-31")
    waiting = step(data, date(2025, 12, 16))
    assert (waiting.status, waiting.step.name, waiting.earliest) == ("waiting", "formal-notice", date(2025, 12, 17))
    assert waiting.taken.deadline == date(2025, 12, 16)
    assert any("Livre XIX" in s for s in waiting.sources)
    assert step(data, date(2025, 12, 17)).status == "due"


def test_gb_letter_of_claim_gives_thirty_days_before_proceedings() -> None:
    """Pre-Action Protocol for Debt Claims: 30 days from the date of the Letter of Claim. Sent Monday 3 March
    2025: the 30 days end Wednesday 2 April 2025; proceedings may be decided from 3 April."""
    data = consumer(claim(jurisdiction="GB-EAW", language="en", currency="GBP"))
    data["creditor"] = dict(data["creditor"], company_number=None, iban=None)
    data["creditor"]["address"] = {
        "street": "1 High St",
        "postal_code": "M1 1AA",
        "city": "Manchester",
        "country": "GB",
    }
    data["debtor"]["address"] = {"street": "2 Low St", "postal_code": "M2 2BB", "city": "Manchester", "country": "GB"}
    data["history"] = [
        {"date": "2025-02-20", "type": "reminder", "channel": "email"},
        {"date": "2025-03-03", "type": "formal_notice", "channel": "post"},
    ]
    result = step(data, date(2025, 4, 2))
    assert (result.status, result.step.name, result.earliest) == ("waiting", "proceedings", date(2025, 4, 3))
    assert result.taken.step.name == "formal-notice"
    decided = step(data, date(2025, 4, 3))
    assert decided.status == "decision" and not decided.actionable


def test_nl_fourteen_day_letter_runs_from_the_day_after_receipt() -> None:
    """HR 25 November 2016 (ECLI:NL:HR:2016:2704): 14 days from the day after receipt; a posted letter arrives on
    the second delivery day. Posted Monday 3 March 2025: received Wednesday 5 March, period 6-19 March."""
    data = consumer(claim(jurisdiction="NL", language="nl"))
    data["creditor"] = dict(data["creditor"], company_number=None)
    data["creditor"]["address"] = {"street": "Dam 1", "postal_code": "1012 JS", "city": "Amsterdam", "country": "NL"}
    data["debtor"]["address"] = {"street": "Kade 2", "postal_code": "3011 AA", "city": "Rotterdam", "country": "NL"}
    data["history"] = [{"date": "2025-03-03", "type": "formal_notice", "channel": "post"}]
    result = step(data, date(2025, 3, 10))
    assert (result.step.name, result.earliest, result.taken.deadline) == (
        "proceedings",
        date(2025, 3, 20),
        date(2025, 3, 19),
    )


def test_second_reminder_waits_for_the_period_and_the_ladder_minimum() -> None:
    """BE B2B: a reminder gives 14 days from the day after sending; the ladder adds at least 7 days."""
    data = claim(history=[{"date": "2025-03-03", "type": "reminder", "channel": "email"}])
    result = step(data, date(2025, 3, 10))
    assert (result.step.name, result.earliest) == ("second-reminder", date(2025, 3, 18))
    assert result.reasons == (
        "the first-reminder sent on 2025-03-03 (email) gave until 2025-03-17 to pay",
        "the ladder waits at least 7 day(s) after the first-reminder",
    )


def test_paid_in_full_has_no_next_step() -> None:
    data = claim(payments=[{"date": "2025-02-01", "amount": "1000.00"}])
    result = step(data, date(2025, 6, 1))
    assert (result.status, result.step) == ("paid", None)


PLAN = {
    "agreed": "2025-04-01",
    "grace_days": 10,
    "instalments": [{"due_date": "2025-05-01", "amount": "500.00"}, {"due_date": "2025-06-01", "amount": "560.00"}],
}


def test_an_honoured_plan_has_no_next_step() -> None:
    data = claim(
        history=[{"date": "2025-03-01", "type": "reminder", "channel": "post"}],
        payment_plan=PLAN,
        payments=[{"date": "2025-05-05", "amount": "500.00"}],
    )
    result = step(data, date(2025, 5, 20))
    assert (result.status, result.step, result.plan.state) == ("plan", None, "honoured")


def test_a_lapsed_plan_resumes_the_ladder_at_the_formal_notice() -> None:
    """Only a first reminder was sent, but a broken plan goes straight to the formal notice (ladder data:
    plan_lapse), from the day after the grace ended."""
    data = claim(history=[{"date": "2025-03-01", "type": "reminder", "channel": "post"}], payment_plan=PLAN)
    result = step(data, date(2025, 5, 20))
    assert (result.status, result.step.name, result.earliest) == ("due", "formal-notice", date(2025, 5, 12))
    assert result.plan.state == "lapsed" and "lapsed on 2025-05-12" in result.reasons[0]


def test_a_belgian_consumer_plan_lapsed_asks_for_a_reminder_before_the_formal_notice() -> None:
    """Book XIX (CDE art. XIX.2) voids a clause that makes a consumer's balance due without a reminder and 14 days
    (jurisdictions/be/jurisdiction.yaml plan_default): after the instalment of 1 May 2025 was missed, the ladder
    does not send the formal notice by itself; the user sends the reminder, then decides."""
    data = consumer(claim(history=[{"date": "2025-03-01", "type": "reminder", "channel": "post"}], payment_plan=PLAN))
    result = step(data, date(2025, 5, 20))
    assert (result.status, result.step.name, result.earliest) == ("decision", "formal-notice", date(2025, 5, 12))
    assert result.reasons[-1] == (
        "the plan's balance falls due only once a reminder of the instalment of 2025-05-01 has left its period "
        "unpaid (BE:deadlines/book_xix_first_reminder; jurisdiction.yaml plan_default): send that reminder, then "
        "decide"
    )


def test_a_letter_after_the_plan_supersedes_it() -> None:
    data = claim(
        history=[
            {"date": "2025-03-01", "type": "reminder", "channel": "post"},
            {"date": "2025-05-15", "type": "formal_notice", "channel": "registered"},
        ],
        payment_plan=PLAN,
    )
    result = step(data, date(2025, 7, 1))
    assert (result.status, result.step.name, result.plan) == ("decision", "proceedings", None)


def test_paid_more_than_due_is_a_refund_to_make_and_no_letter() -> None:
    """1,000.00 due 9 February 2025, 1,150.00 paid on 1 February (before the due date: no interest, no
    compensation): 150.00 more than due, to pay back from 1 February (issue 14 item 4)."""
    data = claim(payments=[{"date": "2025-02-01", "amount": "1150.00"}])
    result = step(data, date(2025, 6, 1))
    assert (result.status, result.step, result.actionable) == ("paid", None, False)
    assert (result.refund, result.earliest) == (Decimal("150.00"), date(2025, 2, 1))
    assert result.reasons == ("nothing is due on 2025-06-01: paid 150.00 EUR more than due, a refund to make",)
    assert result.as_dict()["refund"] == "150.00"


def test_paid_exactly_has_no_refund() -> None:
    result = step(claim(payments=[{"date": "2025-02-01", "amount": "1000.00"}]), date(2025, 6, 1))
    assert (result.refund, result.as_dict()["refund"], result.earliest) == (Decimal("0.00"), None, None)
