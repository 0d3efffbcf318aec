"""Unique payment references in a portfolio: two claims printing the same are detected at import, the later one
gets a fresh reference (journaled, printed by its next letters), and a payment with the shared one is reviewed."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

from tests.payments.conftest import claim, events, ogm, paid, portfolio, statement, tx

from dossier.api import run
from dossier.context.payment import derived_reference
from dossier.model.references import parse_reference, shown_reference
from dossier.workflow.payments import import_payments, review_queue


def test_a_shared_reference_is_resolved_and_journaled(tmp_path: Path) -> None:
    shared = shown_reference("ogm", ogm("B-1"))
    book = portfolio(tmp_path, claim("A-1", payment_reference=shared), claim("B-1"))
    result = import_payments(book, [statement(tx("r1", structured=ogm("B-1")))])
    fresh = derived_reference("B-1", "ogm", 1)
    assert result["references_assigned"] == [{"claim": "B-1", "reference": shown_reference("ogm", fresh)}]
    (assigned,) = events(book, "B-1", "reference-assigned")
    assert parse_reference(assigned["reference"]) == ("ogm", fresh) and assigned["kind"] == "ogm"
    (queued,) = review_queue(book)  # a letter of B-1 may have printed it: a person decides
    assert sorted(c["claim"] for c in queued["candidates"]) == ["A-1", "B-1"]
    again = import_payments(book, [statement(tx("r2", structured=fresh))])
    assert again["references_assigned"] == [] and again["matched"] == {"ogm": 1}
    assert paid(book, "B-1") == Decimal("100.00") and paid(book, "A-1") == 0


def test_rf_references_carry_the_claim_reference_so_they_are_unique(tmp_path: Path) -> None:
    refs = {derived_reference(f"X-{n}", "rf") for n in range(2000)}
    assert len(refs) == 2000 and all(parse_reference(r)[0] == "rf" for r in refs)


def test_run_makes_references_unique_before_printing_letters(tmp_path: Path) -> None:
    shared = shown_reference("ogm", ogm("B-1"))
    book = portfolio(tmp_path, claim("A-1", payment_reference=shared), claim("B-1"))
    run(book, date(2025, 1, 1), workers=1)  # nothing due yet: no letter, but the references are settled
    (assigned,) = events(book, "B-1", "reference-assigned")
    assert parse_reference(assigned["reference"]) == ("ogm", derived_reference("B-1", "ogm", 1))
    run(book, date(2025, 1, 2), workers=1)
    assert len(events(book, "B-1", "reference-assigned")) == 1
