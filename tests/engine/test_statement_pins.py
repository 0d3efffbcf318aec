"""Worked examples that pin the statement's behaviours no other test covered (issue 14 item 7, issue 15
"Tests that would have caught these"). Every expected figure is computed by hand in the comments, from the law
and the rates in jurisdictions/ (each source named), never read back from the engine: a change to the
behaviour makes the test fail."""

from __future__ import annotations

from datetime import date
from typing import Any

from tests.engine.helpers import D, claim, fr_creditor, run

NL_CREDITOR = {
    "name": "Drukkerij Zon BV",
    "type": "business",
    "address": {"street": "Europalaan 40", "postal_code": "3526", "city": "Utrecht", "country": "NL"},
}
NL_DEBTOR = {
    "name": "Bakkerij De Vries BV",
    "type": "business",
    "address": {"street": "Kerkstraat 1", "postal_code": "1017", "city": "Amsterdam", "country": "NL"},
}
GB_CREDITOR = {
    "name": "Harbour Supplies Ltd",
    "type": "business",
    "address": {"street": "1 Quay Street", "postal_code": "BS1 4DJ", "city": "Bristol", "country": "GB"},
}
GB_DEBTOR = {
    "name": "Pennine Print Ltd",
    "type": "business",
    "address": {"street": "2 Mill Lane", "postal_code": "LS1 1AA", "city": "Leeds", "country": "GB"},
}


def gb_claim(**changes: Any) -> dict[str, Any]:
    parties = {"creditor": GB_CREDITOR, "debtor": GB_DEBTOR}
    return claim(jurisdiction="GB-EAW", language="en", currency="GBP", **parties, **changes)


def test_a_payment_on_the_day_compensation_falls_due_pays_the_compensation_first() -> None:
    """BE B2B, Law of 2 August 2002: interest runs from the day after the due date (art. 5) and the 40 EUR fixed
    compensation is due whenever late-payment interest is (art. 6). Invoice of 1,000.00 due Sunday 9 February
    2025, paid in full on 10 February: paid late, by one day.

    - 10 February: compensation 40.00 falls due; interest for that day at 11.5 % (2025 H1):
      1,000.00 x 11.5 % x 1/365 = 0.315 -> 0.32.
    - The payment of 1,000.00 then goes to costs 40.00, interest 0.32, principal 959.68; principal left 40.32.
    - 11 February to 12 March (30 days): 40.32 x 11.5 % x 30/365 = 0.381 -> 0.38. Due: 40.32 + 0.38 = 40.70.
    """
    s = run(claim(payments=[{"date": "2025-02-10", "amount": "1000.00"}]), date(2025, 3, 12))
    assert [(str(c.amount), c.due_from) for c in s.compensation] == [("40.00", date(2025, 2, 10))]
    assert [(a.part, a.amount) for a in s.payments[0].applications] == [
        ("costs", D("40.00")),
        ("interest", D("0.32")),
        ("principal", D("959.68")),
    ]
    assert [(p.first, p.days, p.base, p.amount) for p in s.invoices[0].periods] == [
        (date(2025, 2, 10), 1, D("1000.00"), D("0.32")),
        (date(2025, 2, 11), 30, D("40.32"), D("0.38")),
    ]
    assert s.totals["due"] == D("40.70")


def nl_statement(as_of: date) -> Any:
    """NL B2B (BW art. 6:119a, compounding yearly, lid 3): 10,000.00 due 31 December 2023, interest from
    1 January 2024 at the handelsrente; 1,500.00 paid on 1 March 2025."""
    data = claim(
        jurisdiction="NL",
        language="nl",
        creditor=NL_CREDITOR,
        debtor=NL_DEBTOR,
        invoices=[{"number": "N1", "date": "2023-12-01", "due_date": "2023-12-31", "amount": "10000.00"}],
        payments=[{"date": "2025-03-01", "amount": "1500.00"}],
    )
    return run(data, as_of)


def test_nl_capitalised_interest_is_paid_before_the_open_interest_of_the_running_year() -> None:
    """Interest of 2024: 1 Jan-30 Jun at 12.50 %: 10,000 x 12.5 % x 182/365 = 623.29; 1 Jul-31 Dec at 12.25 %:
    10,000 x 12.25 % x 184/365 = 617.53; 1,240.82 added to the base on 1 January 2025 (art. 6:119a lid 3).
    1 Jan-1 Mar 2025 (60 days) at 11.15 %: 11,240.82 x 11.15 % x 60/365 = 206.03, open interest.
    Collection costs (WIK scale, Besluit BIK art. 2): 15 % of 2,500 + 10 % of 2,500 + 5 % of 5,000 = 875.00.
    The payment of 1,500.00 goes to costs 875.00, then 625.00 to interest (art. 6:44 lid 1): to the capitalised
    interest first (the oldest and, bearing interest itself, the more burdensome: art. 6:43 lid 2), leaving
    615.82 capitalised and the 206.03 open. 2-31 March (30 days): 10,615.82 x 11.15 % x 30/365 = 97.29.
    (Open interest first would leave 821.85 capitalised: 10,821.85 x 11.15 % x 30/365 = 99.18.)"""
    s = nl_statement(date(2025, 3, 31))
    assert [(a.part, a.amount) for a in s.payments[0].applications] == [
        ("costs", D("875.00")),
        ("interest", D("625.00")),
    ]
    last = s.invoices[0].periods[-1]
    assert (last.first, last.days, last.base, last.amount) == (date(2025, 3, 2), 30, D("10615.82"), D("97.29"))
    # open 206.03 + 97.29 = 303.32, capitalised 615.82: interest outstanding 919.14
    assert s.invoices[0].outstanding["interest"] == D("919.14")


def test_nl_interest_per_day_runs_on_the_principal_plus_capitalised_interest() -> None:
    """From 1 April 2025 (same claim): (10,000.00 + 615.82) x 11.15 % / 365 = 3.243 -> 3.24 a day; on the
    principal alone it would be 3.05."""
    s = nl_statement(date(2025, 3, 31))
    assert s.daily_interest == D("3.24")
    assert s.invoices[0].daily_interest == D("3.24")


def test_actual_actual_cuts_a_contract_rate_period_at_1_january() -> None:
    """FR B2B, agreed rate 12 % (C.com. L441-10 II: the agreed rate replaces ECB + 10), day count exact/exact
    (each day over the days of its own year). 10,000.00 due 15 December 2023, to 31 January 2024:
    16-31 Dec 2023: 10,000 x 12 % x 16/365 = 52.60; 1-31 Jan 2024 (leap year): 10,000 x 12 % x 31/366 = 101.64.
    One uncut period would give 10,000 x 12 % x 47/365 = 154.52 instead of 154.24."""
    data = claim(
        jurisdiction="FR",
        creditor=fr_creditor(),
        invoices=[{"number": "X", "date": "2023-11-15", "due_date": "2023-12-15", "amount": "10000.00"}],
        terms={"interest_rate": "0.12"},
    )
    s = run(data, date(2024, 1, 31))
    assert [(p.first, p.days, p.year_days, p.source, p.amount) for p in s.invoices[0].periods] == [
        (date(2023, 12, 16), 16, 365, "contract", D("52.60")),
        (date(2024, 1, 1), 31, 366, "contract", D("101.64")),
    ]
    assert s.totals["interest"] == D("154.24")


def test_gb_rate_is_fixed_at_the_half_year_in_which_interest_starts() -> None:
    """Late Payment Act 1998 s.4(2) and s.6, SI 2002/1675 art. 4: 8 % over the Bank Rate on 30 June before
    interest starts in the second half-year (30 June 2024: 5.25 %), for the life of the debt. 1,000.00 due
    15 December 2024, interest from 16 December 2024 at 13.25 %, still 13.25 % after 1 January 2025 (when a new
    debt would get 12.75 %): 16 Dec-31 Mar, 106 days: 1,000 x 13.25 % x 106/365 = 38.48 (rates by half-year
    would give 5.81 + 31.44 = 37.25)."""
    data = gb_claim(invoices=[{"number": "INV-1", "date": "2024-11-15", "due_date": "2024-12-15", "amount": "1000.00"}])
    s = run(data, date(2025, 3, 31))
    assert [(p.first, p.days, p.percent, p.amount) for p in s.invoices[0].periods] == [
        (date(2024, 12, 16), 106, D("13.25"), D("38.48"))
    ]
