"""dossier payments import: each claim's paid total and the review queue after an import, and after the same
transactions again (idempotent); each matching rule, what goes to review and why, debits, reversals, duplicates."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from tests.payments.conftest import claim, events, fr_claim, ledger, ogm, paid, portfolio, statement, tx

from dossier.context.payment import derived_reference
from dossier.errors import ClaimError
from dossier.output.lock import Busy
from dossier.payments.state import PaymentState
from dossier.workflow.payments import assign_payment, import_payments, review_queue


def _twice(book: Path, *statements):
    first = import_payments(book, list(statements))
    second = import_payments(book, list(statements))
    return first, second


def test_structured_communication_books_the_payment_once(tmp_path: Path) -> None:
    book = portfolio(tmp_path, claim("A-1"), claim("A-2"))
    s = statement(tx("r1", "250.00", structured=ogm("A-1")))
    first, second = _twice(book, s)
    assert first["imported"] == 1 and first["matched"] == {"ogm": 1} and first["queued"] == 0
    assert paid(book, "A-1") == Decimal("250.00") and paid(book, "A-2") == 0
    assert second["imported"] == 0 and second["duplicates"] == 1
    assert paid(book, "A-1") == Decimal("250.00") and review_queue(book) == []
    (entry,) = events(book, "A-1", "payment-imported")
    assert entry["match"] == {"rule": "ogm", "evidence": {"reference": entry["match"]["evidence"]["reference"],
                                                          "as_given": ogm("A-1"), "field": "structured"}}
    assert entry["value_date"] == "2025-06-02" and entry["amount"] == "250.00" and entry["invoice"] is None
    assert entry["statement"] == {"file": "s.xml", "sha256": "0" * 64, "format": "camt.053", "where": "Ntry[r1]"}


def test_ogm_typed_in_the_free_text(tmp_path: Path) -> None:
    book = portfolio(tmp_path, claim("A-1"))
    digits = ogm("A-1")
    text = f"paiement +++{digits[:3]}/{digits[3:7]}/{digits[7:]}+++ merci"
    import_payments(book, [statement(tx("r1", free_text=text))])
    assert paid(book, "A-1") == Decimal("100.00")


def test_rf_reference_outside_belgium(tmp_path: Path) -> None:
    book = portfolio(tmp_path, fr_claim("FR-2025-7"))
    rf = derived_reference("FR-2025-7", "rf")
    assert rf == "RF" + rf[2:4] + "FR20257"
    result = import_payments(book, [statement(tx("r1", structured=rf))])
    assert result["matched"] == {"rf": 1} and paid(book, "FR-2025-7") == Decimal("100.00")


def test_invoice_reference_designates_the_invoice(tmp_path: Path) -> None:
    data = claim("A-1")
    data["invoices"][0]["payment_reference"] = "+++090/9337/55493+++"
    book = portfolio(tmp_path, data)
    import_payments(book, [statement(tx("r1", structured="090933755493"))])
    (entry,) = events(book, "A-1", "payment-imported")
    assert entry["invoice"] == "INV-A-1"


def test_free_text_robust_to_spaces_punctuation_and_case(tmp_path: Path) -> None:
    book = portfolio(tmp_path, claim("ACME-2025-0042"), claim("B-1"))
    first, second = _twice(book, statement(tx("r1", free_text="Votre ref acme 2025/0042, merci")))
    assert first["matched"] == {"text": 1} and paid(book, "ACME-2025-0042") == Decimal("100.00")
    (entry,) = events(book, "ACME-2025-0042", "payment-imported")
    assert entry["match"]["evidence"] == {"text": "acme 2025/0042", "field": "free_text"}
    assert second["duplicates"] == 1 and paid(book, "ACME-2025-0042") == Decimal("100.00")


def test_free_text_never_matches_inside_a_longer_number(tmp_path: Path) -> None:
    book = portfolio(tmp_path, claim("B-1", invoice="1234"))
    result = import_payments(book, [statement(tx("r1", free_text="order 41234"), tx("r2", free_text="ref 9 1234"))])
    assert result["imported"] == 0 and result["queued"] == 2 and paid(book, "B-1") == 0


def test_ambiguous_text_goes_to_review_with_the_candidates(tmp_path: Path) -> None:
    book = portfolio(tmp_path, claim("A-1", invoice="2025-77"), claim("A-2", invoice="2025-77"))
    first, second = _twice(book, statement(tx("r1", free_text="invoice 2025-77")))
    assert first["queued"] == 1 and first["imported"] == 0
    (queued,) = review_queue(book)
    assert [c["claim"] for c in queued["candidates"]] == ["A-1", "A-2"]
    assert "ambiguous" in queued["reasons"][0]
    assert second["duplicates"] == 1 and len(review_queue(book)) == 1


def test_known_iban_with_an_amount_equal_to_an_invoice_is_proposed_not_booked(tmp_path: Path) -> None:
    data = claim("A-1", amount="300.00")
    data["debtor"]["ibans"] = ["NL91ABNA0417164300"]
    book = portfolio(tmp_path, data)
    import_payments(book, [statement(tx("r1", "300.00", counterparty_iban="NL91ABNA0417164300",
                                        value_date=date(2025, 2, 1), booking_date=date(2025, 2, 1)))])
    (queued,) = review_queue(book)
    assert queued["candidates"][0]["amount_equals"] == ["invoice INV-A-1", "the total due"]
    assert queued["match"]["rule"] == "iban" and paid(book, "A-1") == 0


def test_overpayment_and_payment_of_a_claim_paid_in_full_are_refunds_to_review(tmp_path: Path) -> None:
    book = portfolio(tmp_path, claim("A-1", amount="300.00"), claim("A-2", amount="300.00"))
    early = {"value_date": date(2025, 2, 1), "booking_date": date(2025, 2, 1)}  # before the due date: 300 due
    result = import_payments(book, [statement(tx("r1", "300.00", structured=ogm("A-1"), **early),
                                              tx("r2", "300.00", structured=ogm("A-1"), **early),
                                              tx("r3", "900.00", structured=ogm("A-2"), **early))])
    assert result["imported"] == 1 and result["queued"] == 2
    assert paid(book, "A-1") == Decimal("300.00") and paid(book, "A-2") == 0
    full, over = review_queue(book)
    assert full["refund"] and "refund to make" in full["reasons"][0]
    assert over["refund"] and over["reasons"] == ["overpayment: 900.00 is 600.00 above the 300.00 due on 2025-02-01"]
    assert [r["key"] for r in result["refunds"]] == [full["key"], over["key"]]


def test_foreign_currency_goes_to_review(tmp_path: Path) -> None:
    book = portfolio(tmp_path, claim("A-1"))
    result = import_payments(book, [statement(tx("r1", structured=ogm("A-1"), currency="USD"))])
    (queued,) = review_queue(book)
    assert result["queued"] == 1 and "currency USD" in queued["reasons"][0] and paid(book, "A-1") == 0


def test_a_debit_is_never_a_payment(tmp_path: Path) -> None:
    book = portfolio(tmp_path, claim("A-1"))
    first, second = _twice(book, statement(tx("r1", structured=ogm("A-1"), credit=False)))
    assert first["debits"] == 1 and first["imported"] == 0 and paid(book, "A-1") == 0
    assert second["duplicates"] == 1 and review_queue(book) == []


def test_a_reversal_undoes_the_payment_it_reverses(tmp_path: Path) -> None:
    book = portfolio(tmp_path, claim("A-1"))
    payment = tx("r1", "250.00", structured=ogm("A-1"), end_to_end="E2E-1")
    import_payments(book, [statement(payment)])
    assert paid(book, "A-1") == Decimal("250.00")
    back = replace(payment, bank_reference="r9", credit=False, reversal=True, value_date=date(2025, 6, 5))
    first, second = _twice(book, statement(back, name="s2.xml"))
    assert first["reversals"] == 1 and paid(book, "A-1") == 0
    (entry,) = events(book, "A-1", "payment-reversed")
    assert entry["key"] == payment.key and entry["payment"] == 1
    assert second["duplicates"] == 1 and paid(book, "A-1") == 0


def test_overlapping_statements_and_the_same_day_in_two_formats_add_nothing_twice(tmp_path: Path) -> None:
    book = portfolio(tmp_path, claim("A-1"))
    one, two, three = (tx(k, "10.00", structured=ogm("A-1"), free_text=k) for k in ("r1", "r2", "r3"))
    import_payments(book, [statement(one, two)])
    result = import_payments(book, [statement(two, three, name="s2.xml")])
    assert result["imported"] == 1 and result["duplicates"] == 1
    coda = [replace(t, bank_reference=f"CODA-{t.bank_reference}") for t in (one, two, three)]
    result = import_payments(book, [statement(*coda, fmt="coda", name="s.cod")])
    assert result["imported"] == 0 and result["duplicates"] == 3
    assert paid(book, "A-1") == Decimal("30.00") and len(events(book, "A-1", "payment-imported")) == 3


def test_a_run_stopped_after_the_journal_is_completed_without_a_second_entry(tmp_path: Path) -> None:
    book = portfolio(tmp_path, claim("A-1"))
    s = statement(tx("r1", structured=ogm("A-1")))
    import_payments(book, [s])
    (book.with_name("book_dossier") / "payments" / "transactions.jsonl").unlink()  # the ledger line never written
    result = import_payments(book, [s])
    assert result["matched"] == {"recovered": 1}
    assert len(events(book, "A-1", "payment-imported")) == 1 and paid(book, "A-1") == Decimal("100.00")
    assert [line["status"] for line in ledger(book)] == ["imported"]


def test_one_import_at_a_time_per_portfolio(tmp_path: Path) -> None:
    book = portfolio(tmp_path, claim("A-1"))
    with PaymentState(book.with_name("book_dossier") / "payments").lock(), \
            pytest.raises(Busy, match="this portfolio's payments is in use"):
        import_payments(book, [statement(tx("r1", structured=ogm("A-1")))])
    assert paid(book, "A-1") == 0


def test_free_text_that_looks_like_a_structured_communication_keeps_the_claim_readable(tmp_path: Path) -> None:
    book = portfolio(tmp_path, claim("ACME-2025-0042"))
    import_payments(book, [statement(tx("r1", free_text="+++ ACME-2025-0042 +++"),
                                     tx("r2", free_text="ACME-2025-0042\x07\nmerci"))])
    first, second = events(book, "ACME-2025-0042", "payment-imported")
    assert first["reference"] == "ACME-2025-0042 +++" and second["reference"] == "ACME-2025-0042 merci"
    assert paid(book, "ACME-2025-0042") == Decimal("200.00")


def test_an_amount_no_claim_can_hold_goes_to_review(tmp_path: Path) -> None:
    book = portfolio(tmp_path, claim("A-1"))
    result = import_payments(book, [statement(tx("r1", "0.00", structured=ogm("A-1")),
                                              tx("r2", "12.345", structured=ogm("A-1")))])
    assert result["queued"] == 2 and paid(book, "A-1") == 0
    queued = review_queue(book)
    assert all("cannot be booked" in entry["reasons"][0] for entry in queued)
    with pytest.raises(ClaimError, match=r"the amount 0\.00 cannot be booked"):
        assign_payment(book, queued[0]["key"], "A-1")


def test_journals_are_synced_once_per_batch_before_the_ledger_lines(tmp_path: Path, monkeypatch) -> None:
    import dossier.output.journal as journal_module
    import dossier.payments.importer as importer
    import dossier.payments.state as state_module

    calls: list[str] = []
    real_append, real_line = journal_module.append, state_module.append_line

    def append(journal, event, payload, *, sync=True):
        calls.append(f"journal sync={sync}")
        return real_append(journal, event, payload, sync=sync)

    monkeypatch.setattr(importer, "append", append)
    monkeypatch.setattr(importer.os, "sync", lambda: calls.append("sync"))
    monkeypatch.setattr(state_module, "append_line", lambda path, data: (calls.append("ledger"), real_line(path, data)))
    book = portfolio(tmp_path, claim("A-1"), claim("A-2"))
    import_payments(book, [statement(tx("r1", structured=ogm("A-1")), tx("r2", structured=ogm("A-2")))])
    assert calls == ["journal sync=False", "journal sync=False", "sync", "ledger"]
    assert paid(book, "A-1") == paid(book, "A-2") == Decimal("100.00")
