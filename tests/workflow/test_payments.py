"""Imported payments count everywhere the claim is read: a claim paid in full by a bank transfer gets nothing
from dossier next or dossier run."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

from tests.conftest import copy_sample
from tests.payments.conftest import ogm, statement, tx

from dossier.api import next_steps, run
from dossier.workflow.payments import import_payments

DAY = date(2025, 12, 15)


def test_next_and_run_send_nothing_to_a_claim_paid_by_an_imported_payment(tmp_path: Path) -> None:
    book = tmp_path / "book"
    copy_sample("be-b2b-fr", book / "acme")
    (before,) = next_steps(book, date(2025, 12, 20))
    assert before.as_dict()["status"] == "due"
    full = tx("r1", "3213.42", structured=ogm("ACME-2025-0042"), value_date=DAY, booking_date=DAY)
    assert import_payments(book, [statement(full)])["matched"] == {"ogm": 1}
    (after,) = next_steps(book, date(2025, 12, 20))
    assert after.as_dict()["status"] == "paid" and after.as_dict()["due"] == "0.00"
    result = run(book, date(2025, 12, 20), workers=1)
    assert result.summary.total == 0 and result.recorded == []
    assert Decimal(after.as_dict()["due"]) == 0
