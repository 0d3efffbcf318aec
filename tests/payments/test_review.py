"""dossier payments review / assign / ignore: the queue settled by a person, journaled in the claim and in the
portfolio's payment ledger."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from tests.payments.conftest import claim, events, ledger, paid, portfolio, statement, tx

from dossier.errors import ClaimError
from dossier.workflow.payments import assign_payment, ignore_payment, import_payments, review_queue


def _queued(tmp_path: Path) -> tuple[Path, str]:
    book = portfolio(tmp_path, claim("A-1"), claim("A-2"))
    import_payments(book, [statement(tx("r1", "75.00", free_text="no reference at all"))])
    (entry,) = review_queue(book)
    return book, entry["key"]


def test_assign_books_the_payment_with_rule_manual(tmp_path: Path) -> None:
    book, key = _queued(tmp_path)
    assign_payment(book, key, "A-2", invoice="INV-A-2")
    (entry,) = events(book, "A-2", "payment-imported")
    assert entry["match"] == {"rule": "manual", "evidence": {}} and entry["invoice"] == "INV-A-2"
    assert paid(book, "A-2") == Decimal("75.00") and review_queue(book) == []
    assert [(line["status"], line.get("claim")) for line in ledger(book)] == [("queued", None), ("imported", "A-2")]
    result = import_payments(book, [statement(tx("r1", "75.00", free_text="no reference at all"))])
    assert result["duplicates"] == 1 and paid(book, "A-2") == Decimal("75.00")
    with pytest.raises(ClaimError, match="is imported, not in the review queue"):
        assign_payment(book, key, "A-1")


def test_assign_refuses_an_unknown_invoice_or_claim(tmp_path: Path) -> None:
    book, key = _queued(tmp_path)
    with pytest.raises(ClaimError, match="has no invoice 'X'"):
        assign_payment(book, key, "A-2", invoice="X")
    with pytest.raises(ClaimError, match="no claim of the portfolio is 'Z-9'"):
        assign_payment(book, key, "Z-9")
    with pytest.raises(ClaimError, match="no transaction 'nope'"):
        assign_payment(book, "nope", "A-2")
    assert len(review_queue(book)) == 1


def test_ignore_takes_it_out_of_the_queue_with_the_reason(tmp_path: Path) -> None:
    book, key = _queued(tmp_path)
    ignore_payment(book, key, "refund of a supplier, not a debtor")
    assert review_queue(book) == []
    last = ledger(book)[-1]
    assert last["status"] == "ignored" and last["reason"] == "refund of a supplier, not a debtor"
    with pytest.raises(ClaimError, match="one printable line"):
        ignore_payment(book, key, "  ")
    assign_payment(book, key, "A-1")  # changed mind: an ignored transaction can still be booked
    assert paid(book, "A-1") == Decimal("75.00")
