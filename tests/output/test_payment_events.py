"""The journal's payment events complete the claim (output.history.with_journal): imported payments join
claim.payments from their value date, a reversed one does not, an assigned reference is the letters'."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from dossier.errors import ClaimError
from dossier.model import claim_from_data
from dossier.output.history import with_journal
from dossier.output.journal import Journal, append


def _imported(key: str, amount: str, day: str, invoice: str | None = None) -> dict[str, Any]:
    return {"key": key, "value_date": day, "amount": amount, "currency": "EUR", "reference": "+++090/9337/55493+++",
            "invoice": invoice, "match": {"rule": "ogm", "evidence": {}}}


def test_imported_not_reversed_payments_join_the_claim(tmp_path: Path, claim_data: dict[str, Any]) -> None:
    journal = Journal.of_state(tmp_path)
    append(journal, "payment-imported", _imported("k1", "100.00", "2025-03-01", "F1"))
    append(journal, "payment-imported", _imported("k2", "50.00", "2025-03-02", "NOT-AN-INVOICE"))
    append(journal, "payment-imported", _imported("k1", "100.00", "2025-03-01"))  # the same transaction again
    append(journal, "payment-reversed", {"key": "k2", "payment": 2})
    append(journal, "reference-assigned", {"reference": "+++090/9337/55493+++", "kind": "ogm"})
    claim = with_journal(claim_from_data(claim_data), journal)
    (payment,) = claim.payments
    assert (payment.date, payment.amount, payment.invoice) == (date(2025, 3, 1), Decimal("100.00"), "F1")
    assert claim.payment_reference == "+++090/9337/55493+++"


def test_a_malformed_imported_payment_is_named(tmp_path: Path, claim_data: dict[str, Any]) -> None:
    journal = Journal.of_state(tmp_path)
    append(journal, "payment-imported", _imported("k1", "-5", "2025-03-01"))
    with pytest.raises(ClaimError, match="is not a valid imported payment") as info:
        with_journal(claim_from_data(claim_data), journal)
    assert info.value.problems[0].path == "line 1: amount"
