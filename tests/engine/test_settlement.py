"""Settlement offers and deadline extensions (issue 15): worked examples on the Belgian B2B sample.

The sample owes 3,201.23 EUR on 1 December 2025 (tests/engine/test_statement_samples.py) and 0.87 EUR a day of
interest after it: 3,213.42 EUR on 15 December (14 more days of interest, 12.19 EUR, counted period by period).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from tests.conftest import JURISDICTIONS, SAMPLES

from dossier.engine.ladder import next_step
from dossier.engine.letters import letter_facts
from dossier.engine.settlement import OfferRequest, check_offer
from dossier.engine.statement import compute_statement
from dossier.errors import ComputationError
from dossier.model import Offer, Payment, load_claim
from dossier.rules import load_rules

OFFERED = date(2025, 12, 1)
UNTIL = date(2025, 12, 20)


def sample(payments: list[tuple[date, str]], offers: list[Offer]):  # type: ignore[no-untyped-def]
    claim = load_claim(SAMPLES / "be-b2b-fr")
    extra = [Payment(date=day, amount=Decimal(amount), reference="offer") for day, amount in payments]
    return claim.model_copy(update={"payments": [*claim.payments, *extra], "offers": offers})


def settlement(amount: str = "2500.00") -> Offer:
    return Offer(date=OFFERED, kind="settlement", until=UNTIL, amount=Decimal(amount))


def test_a_payment_meeting_the_offer_by_its_date_settles_the_claim_and_writes_off_the_rest() -> None:
    """Due on 15 December 2025: 3,213.42; the debtor pays the 2,500.00 offered: 713.42 is written off, and on 31
    December nothing is due and no interest runs (without the offer: 713.42 + 16 days of interest)."""
    claim = sample([(date(2025, 12, 15), "2500.00")], [settlement()])
    statement = compute_statement(claim, load_rules("BE", JURISDICTIONS), date(2025, 12, 31))
    totals = {k: str(v) for k, v in statement.totals.items()}
    assert totals == {
        "principal": "4235.00",
        "paid": "3900.00",  # 400 + 1,000 + 2,500
        "interest": "258.42",  # up to 15 December only: 246.23 + 12.19
        "compensation": "120.00",
        "costs": "0.00",
        "due": "0.00",
        "written_off": "713.42",  # 4,235.00 + 258.42 + 120.00 − 3,900.00
    }
    assert statement.daily_interest == Decimal("0.00")
    assert statement.outstanding["total"] == Decimal("0.00")
    assert "settled on 2025-12-15" in statement.notes[-1] and "713.42 written off" in statement.notes[-1]
    assert next_step(claim, load_rules("BE", JURISDICTIONS), date(2025, 12, 31)).status == "paid"


def test_instalments_towards_the_offer_count_on_the_day_they_reach_it() -> None:
    """1,000.00 on 5 December (after 4 days of interest at 0.87: 249.72 in all), then 0.61 a day on what is left,
    and 1,500.00 on 19 December: settled on the 19th. Interest 258.32; 4,235.00 + 258.32 + 120.00 − 3,900.00 =
    713.32 written off; what is paid after the 19th is a credit."""
    claim = sample(
        [(date(2025, 12, 5), "1000.00"), (date(2025, 12, 19), "1500.00"), (date(2026, 1, 5), "50.00")], [settlement()]
    )
    statement = compute_statement(claim, load_rules("BE", JURISDICTIONS), date(2026, 1, 10))
    assert {k: str(statement.totals[k]) for k in ("interest", "paid", "due", "written_off")} == {
        "interest": "258.32",
        "paid": "3950.00",
        "due": "0.00",
        "written_off": "713.32",
    }
    assert statement.credit == Decimal("50.00")
    assert "settled on 2025-12-19" in statement.notes[-1]


def test_an_offer_paid_after_its_date_lapses_and_the_full_amount_stays_due() -> None:
    late = sample([(date(2025, 12, 21), "2500.00")], [settlement()])
    short = sample([(date(2025, 12, 15), "2499.99")], [settlement()])
    rules = load_rules("BE", JURISDICTIONS)
    for claim in (late, short):
        statement = compute_statement(claim, rules, date(2025, 12, 31))
        assert "written_off" not in statement.totals
        plain = compute_statement(claim.model_copy(update={"offers": []}), rules, date(2025, 12, 31))
        assert statement.totals == plain.totals
    assert compute_statement(late, rules, date(2025, 12, 31)).totals["due"] > Decimal("700")


def test_before_the_payment_the_offer_changes_nothing() -> None:
    claim = sample([(date(2025, 12, 15), "2500.00")], [settlement()])
    statement = compute_statement(claim, load_rules("BE", JURISDICTIONS), date(2025, 12, 14))
    assert statement.totals["due"] == Decimal("3212.54")  # 3,201.23 + 13 days of interest
    assert "written_off" not in statement.totals


def test_an_extension_moves_the_ladder_to_the_day_after_its_date() -> None:
    """The sample's last reminder (15 April 2025) makes the formal notice due; an extension sent on 1 December
    2025 until 15 January 2026 holds it until 16 January."""
    rules = load_rules("BE", JURISDICTIONS)
    extension = Offer(date=OFFERED, kind="extension", until=date(2026, 1, 15))
    claim = sample([], [extension])
    before = next_step(claim.model_copy(update={"offers": []}), rules, date(2025, 12, 2))
    assert before.status == "due"
    waiting = next_step(claim, rules, date(2025, 12, 2))
    assert (waiting.status, waiting.step.name, waiting.earliest) == ("waiting", before.step.name, date(2026, 1, 16))
    assert "a deadline extension sent on 2025-12-01 gave until 2026-01-15" in waiting.reasons
    assert next_step(claim, rules, date(2026, 1, 16)).status == "due"


@pytest.mark.parametrize(
    ("kind", "offer", "message"),
    [
        ("settlement-offer", OfferRequest(until=UNTIL, amount=Decimal("3201.23")), "below the amount due (3201.23)"),
        ("settlement-offer", OfferRequest(until=UNTIL), "needs the reduced amount"),
        ("settlement-offer", OfferRequest(until=OFFERED, amount=Decimal("10")), "a day after the letter"),
        ("deadline-extension", OfferRequest(until=UNTIL, amount=Decimal("10")), "no reduced amount"),
        ("deadline-extension", None, "needs the day it runs until"),
    ],
)
def test_an_offer_that_makes_no_sense_is_refused(kind: str, offer: OfferRequest | None, message: str) -> None:
    with pytest.raises(ComputationError) as caught:
        check_offer(kind, offer, OFFERED, Decimal("3201.23"))
    assert message in caught.value.problems[0].message


def test_the_claim_model_checks_an_offer() -> None:
    with pytest.raises(ValueError, match="has an amount"):
        Offer(date=OFFERED, kind="settlement", until=UNTIL)
    with pytest.raises(ValueError, match="before the letter"):
        Offer(date=OFFERED, kind="extension", until=date(2025, 11, 30))


def test_no_formal_notice_while_an_extension_runs() -> None:
    rules = load_rules("BE", JURISDICTIONS)
    claim = sample([], [Offer(date=OFFERED, kind="extension", until=date(2026, 1, 15))])
    facts = letter_facts(claim, rules, "formal-notice", date(2026, 1, 15))
    assert facts.blockers == (
        "a deadline extension sent on 2025-12-01 gives until 2026-01-15: no reminder or formal notice before "
        "2026-01-16 (BE:ladders/business: " + rules.ladder("business", date(2026, 1, 15)).sources[0].title
        + "; the ladder waits)",
    )
    assert facts.blocked_by == ("BE:ladders/business",)
    assert not letter_facts(claim, rules, "formal-notice", date(2026, 1, 16)).blockers
    assert not letter_facts(claim, rules, "statement", date(2026, 1, 15)).blockers
