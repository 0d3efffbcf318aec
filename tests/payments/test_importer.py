"""How an import writes its batches: committed in a thread of their own while the next batch is matched, one at a
time and in order (journals, then the ledger lines relying on them); a write that fails leaves the ledger saying
nothing it cannot stand by, and the next import completes the rest, each payment once."""

from __future__ import annotations

import gc
import threading
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest
from tests.payments.conftest import claim, events, ledger, ogm, paid, portfolio, statement, tx

import dossier.payments.importer as importer
from dossier.output.files import OutputError
from dossier.workflow.payments import import_payments

CLAIMS = [f"A-{n}" for n in range(1, 7)]


def _day(book: Path) -> list:
    return [statement(*(tx(f"r{n}", structured=ogm(ref)) for n, ref in enumerate(CLAIMS, start=1)))]


def test_the_next_batch_is_matched_while_one_is_written(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(importer, "CHUNK", 1)
    matched_second = threading.Event()
    real_decide, real_append = importer.decide, importer.append
    overlapped = []

    def decide(tx, index):
        if tx.bank_reference == "r2":
            matched_second.set()
        return real_decide(tx, index)

    def append(journal, event, payload, *, sync=True):
        if payload.get("bank_reference") == "r1":  # the first batch's write waits for the second's matching
            overlapped.append(matched_second.wait(timeout=5))
        return real_append(journal, event, payload, sync=sync)

    monkeypatch.setattr(importer, "decide", decide)
    monkeypatch.setattr(importer, "append", append)
    book = portfolio(tmp_path, *(claim(ref) for ref in CLAIMS[:2]))
    result = import_payments(book, [statement(tx("r1", structured=ogm("A-1")), tx("r2", structured=ogm("A-2")))])
    assert overlapped == [True]
    assert result["imported"] == 2 and [line["status"] for line in ledger(book)] == ["imported", "imported"]


def test_a_failed_write_keeps_later_batches_out_and_the_next_import_completes_the_rest(
    tmp_path: Path, monkeypatch
) -> None:
    monkeypatch.setattr(importer, "CHUNK", 2)
    real_append = importer.append

    def failing(journal, event, payload, *, sync=True):
        if payload.get("bank_reference") == "r3":
            raise OutputError("cannot write here (the disk is full)", file=str(journal.folder))
        return real_append(journal, event, payload, sync=sync)

    monkeypatch.setattr(importer, "append", failing)
    book = portfolio(tmp_path, *(claim(ref) for ref in CLAIMS))
    with pytest.raises(OutputError, match="the disk is full"):
        import_payments(book, _day(book))
    assert [line["tx"]["bank_reference"] for line in ledger(book)] == ["r1", "r2"]  # the first batch only
    assert all(not events(book, ref, "payment-imported") for ref in CLAIMS[4:])  # nothing of a later batch
    assert paid(book, "A-3") == 0

    monkeypatch.setattr(importer, "append", real_append)
    result = import_payments(book, _day(book))
    assert result["duplicates"] == 2 and result["imported"] == 4
    for ref in CLAIMS:
        assert len(events(book, ref, "payment-imported")) == 1 and paid(book, ref) == Decimal("100.00")
    assert sorted(line["tx"]["bank_reference"] for line in ledger(book)) == [f"r{n}" for n in range(1, 7)]
    assert import_payments(book, _day(book))["duplicates"] == 6


def test_the_claims_are_left_out_of_full_collections_while_matching(tmp_path: Path, monkeypatch) -> None:
    frozen = []
    real_decide = importer.decide
    monkeypatch.setattr(importer, "decide", lambda tx, index: (frozen.append(gc.get_freeze_count()),
                                                               real_decide(tx, index))[1])
    book = portfolio(tmp_path, claim("A-1"))
    import_payments(book, [statement(tx("r1", structured=ogm("A-1")))])
    assert frozen and frozen[0] > 0 and gc.get_freeze_count() == 0


def test_a_reversal_in_the_same_statement_names_the_entry_of_the_payment_it_undoes(tmp_path: Path) -> None:
    book = portfolio(tmp_path, claim("A-1"))
    import_payments(book, [statement(tx("r1", "40.00", structured=ogm("A-1")))])
    payment = tx("r2", "250.00", structured=ogm("A-1"), end_to_end="E2E-2")
    back = replace(payment, bank_reference="r9", credit=False, reversal=True)
    result = import_payments(book, [statement(payment, back, name="s2.xml")])
    assert result["imported"] == 1 and result["reversals"] == 1 and paid(book, "A-1") == Decimal("40.00")
    (entry,) = events(book, "A-1", "payment-reversed")
    second = events(book, "A-1", "payment-imported")[1]
    assert entry["key"] == payment.key and entry["payment"] == second["n"] == 2


def test_one_thread_writes_the_journals_not_the_matching_one(tmp_path: Path, monkeypatch) -> None:
    writers = set()
    real_append = importer.append

    def append(journal, event, payload, *, sync=True):
        writers.add(threading.get_ident())
        return real_append(journal, event, payload, sync=sync)

    monkeypatch.setattr(importer, "append", append)
    refs = [f"B-{n}" for n in range(12)]
    book = portfolio(tmp_path, *(claim(ref) for ref in refs))
    result = import_payments(book, [statement(*(tx(f"r{n}", structured=ogm(ref)) for n, ref in enumerate(refs)))])
    assert result["imported"] == 12 and len(writers) == 1 and threading.get_ident() not in writers
