"""How each regime treats a claim: when interest starts, caps, clauses, imputation, overpayment."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from tests.engine.helpers import D, claim, fr_creditor, money, run

from dossier.engine import Statement

CONSUMER = {
    "name": "Jan Peeters",
    "type": "consumer",
    "address": {"street": "Naamsestraat 87", "postal_code": "3000", "city": "Leuven", "country": "BE"},
}
INVOICE = [{"number": "C1", "date": "2025-09-01", "due_date": "2025-09-15", "amount": "1000.00"}]
REMINDER = [{"date": "2025-11-28", "type": "reminder", "channel": "post"}]


def test_be_b2b_forty_euros_per_late_invoice_and_none_when_paid_on_time() -> None:
    data = claim(
        invoices=[
            {"number": "A", "date": "2025-01-10", "due_date": "2025-02-09", "amount": "100.00"},
            {"number": "B", "date": "2025-01-10", "due_date": "2025-02-09", "amount": "100.00"},
        ],
        payments=[{"date": "2025-02-09", "amount": "100.00", "invoice": "B"}],
    )
    s = run(data, date(2025, 3, 1))
    assert [(c.invoices, str(c.amount)) for c in s.compensation] == [(("A",), "40.00")]
    assert s.invoices[1].periods == ()  # B was paid on its due date


def test_be_consumer_without_reminder_owes_nothing_but_the_principal() -> None:
    s = run(
        claim(debtor=CONSUMER, invoices=INVOICE, terms={"interest_rate": "0.08", "penalty": {"rate": "0.05"}}),
        date(2026, 3, 31),
    )
    assert money(s)["due"] == "1000.00"
    assert any("no reminder sent after the due date" in n for n in s.notes)


def test_be_consumer_nothing_during_the_waiting_period() -> None:
    s = run(
        claim(debtor=CONSUMER, invoices=INVOICE, history=REMINDER, terms={"interest_rate": "0.08"}), date(2025, 12, 16)
    )  # last day of the period
    assert money(s)["due"] == "1000.00"


def test_be_consumer_rate_above_the_cap_is_void_and_the_legal_rate_applies() -> None:
    # Book XIX: an agreed rate above the Law of 2 August 2002 rate (10.5 % in 2025 H2) is deemed unwritten.
    s = run(
        claim(debtor=CONSUMER, invoices=INVOICE, history=REMINDER, terms={"interest_rate": "0.12"}), date(2025, 12, 31)
    )
    (period,) = s.invoices[0].periods
    # legal rate 2025: 4.5 %; 17-31 Dec = 15 days: 1,000 x 4.5 % x 15/365 = 1.85
    assert (period.percent, period.source, period.amount) == (D("4.50"), "legal_fallback", D("1.85"))
    assert any("deemed unwritten" in n for n in s.notes)


def test_be_consumer_without_penalty_clause_gets_no_damages() -> None:
    s = run(claim(debtor=CONSUMER, invoices=INVOICE, history=REMINDER), date(2025, 12, 31))
    assert s.compensation == ()
    assert any("only if the contract provides them" in n for n in s.notes)


def test_be_consumer_penalty_clause_above_the_scale_is_void() -> None:
    # 10 % of 1,000 = 100 > the Book XIX maximum of 90: the clause is deemed unwritten, no damages.
    s = run(
        claim(debtor=CONSUMER, invoices=INVOICE, history=REMINDER, terms={"penalty": {"rate": "0.10"}}),
        date(2025, 12, 31),
    )
    assert s.compensation == ()
    assert any("deemed unwritten" in n for n in s.notes)


def test_be_consumer_penalty_clause_within_the_scale_applies_as_written() -> None:
    s = run(
        claim(debtor=CONSUMER, invoices=INVOICE, history=REMINDER, terms={"penalty": {"rate": "0.05"}}),
        date(2025, 12, 31),
    )
    assert [str(c.amount) for c in s.compensation] == ["50.00"]


def test_be_consumer_who_pays_within_the_period_owes_no_damages() -> None:
    s = run(
        claim(
            debtor=CONSUMER,
            invoices=INVOICE,
            history=REMINDER,
            terms={"penalty": {"statutory_scale": True}},
            payments=[{"date": "2025-12-10", "amount": "1000.00"}],
        ),
        date(2026, 1, 31),
    )
    assert s.compensation == () and money(s)["due"] == "0.00"


def test_fr_consumer_interest_runs_from_the_formal_notice_at_the_legal_rate() -> None:
    data = claim(
        jurisdiction="FR",
        debtor={**CONSUMER, "address": {**CONSUMER["address"], "country": "FR"}},
        creditor=fr_creditor(),
        invoices=INVOICE,
        history=[{"date": "2025-10-06", "type": "formal_notice", "channel": "registered"}],
    )
    s = run(data, date(2025, 12, 31))
    (period,) = s.invoices[0].periods
    # Code civil 1231-6 and 1344-1: from 7 Oct 2025, 'other cases' rate 2.76 % (2025 H2); 86 days:
    # 1,000 x 2.76 % x 86/365 = 6.50
    assert (period.first, period.days, period.percent, period.amount) == (date(2025, 10, 7), 86, D("2.76"), D("6.50"))
    assert s.compensation == ()


def test_fr_actual_actual_day_count_in_a_leap_year() -> None:
    data = claim(
        jurisdiction="FR",
        creditor=fr_creditor(),
        invoices=[{"number": "X", "date": "2023-12-01", "due_date": "2023-12-31", "amount": "10000.00"}],
    )
    s = run(data, date(2024, 1, 31))
    # 2024 is a leap year: 31 days at 14.50 % (ECB 4.50 + 10) over 366: 10,000 x 14.5 % x 31/366 = 122.81
    (period,) = s.invoices[0].periods
    assert (period.year_days, period.amount) == (366, D("122.81"))


def test_contract_rate_replaces_the_statutory_rate_in_b2b() -> None:
    s = run(claim(terms={"interest_rate": "0.12"}), date(2025, 3, 11))
    (period,) = s.invoices[0].periods
    # 10 Feb-11 Mar = 30 days, 1,000 x 12 % x 30/365 = 9.86
    assert (period.percent, period.source, period.amount) == (D("12.00"), "contract", D("9.86"))


def test_designated_payment_goes_to_its_invoice_first() -> None:
    data = claim(
        invoices=[
            {"number": "OLD", "date": "2025-01-01", "due_date": "2025-01-31", "amount": "500.00"},
            {"number": "NEW", "date": "2025-02-01", "due_date": "2025-03-03", "amount": "500.00"},
        ],
        payments=[{"date": "2025-03-03", "amount": "500.00", "invoice": "NEW"}],
    )
    s = run(data, date(2025, 3, 3))
    assert [(a.debt, a.part) for a in s.payments[0].applications] == [("NEW", "principal")]
    assert s.invoices[0].outstanding["principal"] == D("500.00")


def test_overpayment_becomes_credit_and_nothing_goes_negative() -> None:
    s = run(claim(payments=[{"date": "2025-02-01", "amount": "1500.00"}]), date(2025, 6, 30))
    assert s.credit == D("500.00")
    assert money(s)["due"] == "0.00"
    assert all(v >= 0 for line in s.invoices for v in line.outstanding.values())


def test_payments_after_the_as_of_date_are_left_out() -> None:
    s = run(claim(payments=[{"date": "2025-08-01", "amount": "100.00"}]), date(2025, 6, 30))
    assert s.payments == () and money(s)["paid"] == "0.00"


def test_currency_must_match_the_jurisdiction() -> None:
    import pytest

    from dossier.errors import ClaimError

    with pytest.raises(ClaimError, match="USD differs from the currency of BE rules"):
        run(claim(currency="USD"), date(2025, 6, 30))


def test_nl_business_wik_per_invoice_with_vat_when_creditor_cannot_reclaim_it() -> None:
    data = claim(
        jurisdiction="NL",
        creditor={
            **claim()["creditor"],
            "company_number": None,
            "vat_recoverable": False,
            "address": {"street": "Europalaan 40", "postal_code": "3526", "city": "Utrecht", "country": "NL"},
        },
        invoices=[{"number": "N1", "date": "2025-01-01", "due_date": "2025-01-31", "amount": "1000.00"}],
    )
    s = run(data, date(2025, 3, 1))
    # WIK on 1,000 = 150.00, plus 21 % VAT = 181.50 (Besluit BIK art. 3)
    assert [str(c.amount) for c in s.compensation] == ["181.50"]


def test_the_rules_list_cites_every_value_used_with_sources() -> None:
    s = run(claim(), date(2025, 12, 31))
    ids = {r.parameter for r in s.rules}
    assert {
        "BE:interest/commercial_late_payment",
        "BE:regimes/business",
        "BE:compensation/fixed_b2b",
        "BE:imputation",
    } <= ids
    assert all(r.sources for r in s.rules)


def test_decimal_end_to_end() -> None:
    s = run(claim(), date(2025, 12, 31))
    assert all(isinstance(v, Decimal) for v in s.totals.values())
    assert all(isinstance(p.amount, Decimal) and isinstance(p.base, Decimal) for p in s.invoices[0].periods)


def _fr_private_loan(creditor_type: str) -> Statement:
    """6,000 owed to a creditor of ``creditor_type`` by a consumer, formal notice on 31 Dec 2024."""
    data = claim(
        jurisdiction="FR",
        debtor={**CONSUMER, "address": {**CONSUMER["address"], "country": "FR"}},
        creditor={
            **claim()["creditor"],
            "type": creditor_type,
            "company_number": None,
            "address": {"street": "1 rue X", "postal_code": "75001", "city": "Paris", "country": "FR"},
        },
        invoices=[{"number": "P1", "date": "2024-11-15", "due_date": "2024-12-15", "amount": "6000.00"}],
        history=[{"date": "2024-12-31", "type": "formal_notice", "channel": "registered"}],
    )
    return run(data, date(2025, 12, 31))


def test_fr_legal_rate_follows_the_creditors_status() -> None:
    # CMF L313-2: one legal rate when the creditor is a natural person not acting for professional purposes, one in
    # all other cases. Interest from 1 Jan 2025 (day after the notice) to 31 Dec 2025 on 6,000, actual/actual:
    # particuliers 7.21 % x 181/365 = 214.52 and 6.65 % x 184/365 = 201.14: 415.66;
    # other cases  3.71 % x 181/365 = 110.39 and 2.76 % x 184/365 =  83.48: 193.87. The difference is 221.79.
    private = _fr_private_loan("consumer")
    assert [(str(p.percent), str(p.amount)) for p in private.invoices[0].periods] == [
        ("7.21", "214.52"),
        ("6.65", "201.14"),
    ]
    assert private.totals["interest"] == D("415.66")
    professional = _fr_private_loan("business")
    assert [(str(p.percent), str(p.amount)) for p in professional.invoices[0].periods] == [
        ("3.71", "110.39"),
        ("2.76", "83.48"),
    ]
    assert private.totals["interest"] - professional.totals["interest"] == D("221.79")
