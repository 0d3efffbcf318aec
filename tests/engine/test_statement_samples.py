"""The bundled samples, checked by hand against the rules; the arithmetic is in the comments."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from tests.conftest import JURISDICTIONS, SAMPLES

from dossier.engine import compute_statement
from dossier.model import load_claim
from dossier.rules import load_rules


def statement(name: str, as_of: date):
    claim = load_claim(SAMPLES / name)
    return compute_statement(claim, load_rules(claim.jurisdiction, JURISDICTIONS), as_of)


def amounts(line) -> list[tuple[str, str, int, str, str, str]]:
    return [
        (p.first.isoformat(), p.last.isoformat(), p.days, str(p.percent), f"{p.base}", f"{p.amount}")
        for p in line.periods
    ]


def test_be_b2b_sample() -> None:
    s = statement("be-b2b-fr", date(2025, 12, 31))
    f1, f14, f27 = s.invoices
    # F-2025-001: 1,210.00 due 9 Feb; 11.5 % (2025 H1). 10 Feb-15 Mar = 34 days: 1210 x 11.5 % x 34/365 = 12.96.
    # Payment of 400 on 15 Mar (designated): 40.00 compensation, 12.96 interest, 347.04 principal -> 862.96.
    # 16 Mar-30 Jun = 107 days: 862.96 x 11.5 % x 107/365 = 29.09; 1 Jul (10.5 %): 862.96 x 10.5 %/365 = 0.25.
    assert amounts(f1) == [
        ("2025-02-10", "2025-03-15", 34, "11.5", "1210.00", "12.96"),
        ("2025-03-16", "2025-06-30", 107, "11.5", "862.96", "29.09"),
        ("2025-07-01", "2025-07-01", 1, "10.5", "862.96", "0.25"),
    ]
    # Payment of 1,000 on 1 Jul, oldest first: F-001 interest 29.34 + principal 862.96; F-014 compensation 40.00,
    # interest 66.33 + 0.70 = 67.03, principal 0.67 -> 2,419.33 left.
    assert [(a.debt, a.part, str(a.amount)) for a in s.payments[1].applications] == [
        ("F-2025-001", "interest", "29.34"),
        ("F-2025-001", "principal", "862.96"),
        ("F-2025-014", "costs", "40.00"),
        ("F-2025-014", "interest", "67.03"),
        ("F-2025-014", "principal", "0.67"),
    ]
    # F-014 2 Jul-31 Dec = 183 days at 10.5 % on 2,419.33 = 127.36; F-027: 3.62 + 0.17 + 31.85.
    assert f14.periods[-1].amount == Decimal("127.36")
    assert f27.interest == Decimal("35.64")
    assert {k: str(v) for k, v in s.totals.items()} == {
        "principal": "4235.00",
        "paid": "1400.00",
        "interest": "272.33",
        "compensation": "120.00",
        "costs": "0.00",
        "due": "3227.33",
    }


def test_be_consumer_sample_book_xix() -> None:
    s = statement("be-consumer-nl", date(2026, 3, 31))
    # The free first reminder was posted Fri 28 Nov 2025: the period runs 3-16 Dec; interest and damages from 17 Dec.
    # 200 paid on 20 Oct went to principal (no interest yet): 250 + 320 + 230 = 800 outstanding.
    # Agreed 8 % (under the 10.5 % cap), 17 Dec-31 Mar = 105 days: 250 -> 5.75; 320 -> 7.36; 230 -> 5.29.
    # Damages: the clause grants the Book XIX scale on 800: 65 + 5 % x 300 = 80.00.
    assert [line.interest_start for line in s.invoices] == [date(2025, 12, 17)] * 3
    assert [str(line.interest) for line in s.invoices] == ["5.75", "7.36", "5.29"]
    assert [(c.invoices, str(c.base), str(c.amount)) for c in s.compensation] == [
        (("2025/0901", "2025/1001", "2025/1101"), "800.00", "80.00")
    ]
    assert s.due == Decimal("898.40")


def test_fr_b2b_sample() -> None:
    s = statement("fr-b2b-fr", date(2025, 12, 31))
    first = s.invoices[0]
    # ECB 3.15 % + 10 = 13.15 % (2025 H1); 6 Mar-2 Jun = 89 days: 3,600 x 13.15 % x 89/365 = 115.43.
    assert amounts(first)[0] == ("2025-03-06", "2025-06-02", 89, "13.15", "3600.00", "115.43")
    # 2025 H2: ECB 2.15 % + 10 = 12.15 %.
    assert amounts(first)[2][3] == "12.15"
    assert str(s.totals["compensation"]) == "120.00"  # 40 EUR per late invoice (D441-5)
    # FAC-0142 is reached by no payment: 11 May-30 Jun (51 days) 1,800 x 13.15 % = 33.07, then 1 Jul-31 Dec
    # (184 days) 1,800 x 12.15 % = 110.25.
    assert [str(p.amount) for p in s.invoices[1].periods] == ["33.07", "110.25"]
    assert str(s.due) == "4616.35"


def test_nl_consumer_sample_compounds_yearly_and_adds_wik_after_the_letter() -> None:
    s = statement("nl-consumer-nl", date(2026, 3, 31))
    first = s.invoices[0]
    # Interest from 16 Mar 2024 at 7 %; on 16 Mar 2025 the unpaid interest of the year
    # (19.33 + 69.74 + 24.04 = 113.11) joins the base: 1,976.31 + 113.11 = 2,089.42 (art. 6:119 lid 2 BW).
    assert amounts(first)[4] == ("2025-03-16", "2025-06-30", 107, "6.00", "2089.42", "36.75")
    # WIK on the principal stated in the 14-day letter of 7 Oct 2024: 1,976.31 + 180 = 2,156.31 x 15 % = 323.45.
    assert [(str(c.base), str(c.amount), c.due_from) for c in s.compensation] == [
        ("2156.31", "323.45", date(2024, 10, 24))
    ]
    # 4 % from 1 Jan 2026 (Besluit vaststelling wettelijke rente, version of 1-1-2026): 1 Jan-15 Mar 2026 = 74 days,
    # 2,089.42 x 4 % x 74/365 = 16.94; on 16 Mar 2026 the year's interest (36.75 + 63.20 + 16.94 = 116.89) joins the
    # base: 2,206.31, then 16 days x 4 % = 3.87.
    assert amounts(first)[6:] == [
        ("2026-01-01", "2026-03-15", 74, "4.00", "2089.42", "16.94"),
        ("2026-03-16", "2026-03-31", 16, "4.00", "2206.31", "3.87"),
    ]
    assert not s.warnings  # every rate used is sourced: no unconfirmed value


def test_gb_b2b_sample_rate_is_fixed_for_each_debt() -> None:
    s = statement("gb-eaw-b2b-en", date(2025, 12, 31))
    rates = {line.number: {p.percent for p in line.periods} for line in s.invoices}
    # Interest starting in 2025 H1: Bank Rate 4.75 % on 31 Dec 2024 + 8 = 12.75 %, kept after 1 July.
    # INV-3240 starts 1 Sep 2025: Bank Rate 4.25 % on 30 Jun 2025 + 8 = 12.25 %.
    assert rates == {
        "INV-3101": {Decimal("12.75")},
        "INV-3155": {Decimal("12.75")},
        "INV-3190": {Decimal("12.75")},
        "INV-3240": {Decimal("12.25")},
    }
    # s. 5A fixed sums: 850 -> 40; 4,200 -> 70; 12,500 -> 100; 640 -> 40.
    assert [str(c.amount) for c in s.compensation] == ["40.00", "70.00", "100.00", "40.00"]
    # INV-3101 is reached by no payment until 15 Sep, so one period: 20 Feb-15 Sep 2025 = 208 days,
    # 850 x 12.75 % x 208/365 = 61.76, then paid in full by the payment of 15 Sep.
    assert [(p.days, str(p.amount)) for p in s.invoices[0].periods] == [(208, "61.76")]
    assert str(s.due) == "11554.27"
