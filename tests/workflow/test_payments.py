"""Imported payments count everywhere the claim is read: a claim paid in full by a bank transfer gets nothing
from dossier next or dossier run."""

from __future__ import annotations

import tempfile
from datetime import date
from decimal import Decimal
from pathlib import Path

from tests.conftest import copy_sample
from tests.payments.conftest import claim, ogm, portfolio, statement, tx

from dossier.api import next_steps, run
from dossier.workflow.payments import import_payments, load_accounts

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


def test_a_rows_data_waits_in_a_scratch_file_not_in_memory(tmp_path: Path) -> None:
    book = portfolio(tmp_path, claim("A-1"), claim("A-2", amount="250.00"))
    accounts, failed = load_accounts(book)
    assert not failed and all(isinstance(a.row, int) for a in accounts)  # where, not the data
    assert [a.claim.principal for a in accounts] == [Decimal("1000.00"), Decimal("250.00")]
    assert all(a._imported is None and a._reversed is None and a._added is None for a in accounts)
    assert sorted(p.name for p in (tmp_path / "book_dossier").iterdir()) == []  # the scratch file has no name


def test_rows_stay_in_memory_where_no_scratch_file_can_be_written(tmp_path: Path, monkeypatch) -> None:
    def refused(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(tempfile, "TemporaryFile", refused)
    book = portfolio(tmp_path, claim("A-1"))
    (item,), failed = load_accounts(book)
    assert not failed and isinstance(item.row, bytes) and item.claim.reference == "A-1"
