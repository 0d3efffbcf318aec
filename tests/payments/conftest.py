"""Portfolios and statements built in memory for the payment tests (the parsers are tested in tests/bank)."""

from __future__ import annotations

import copy
import json
from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from tests.conftest import BASE_CLAIM

from dossier.bank import BankTransaction, Statement
from dossier.context.payment import derived_reference
from dossier.model import claim_from_data
from dossier.output.history import with_journal
from dossier.output.journal import Journal, read
from dossier.workflow.claims import journal_of, portfolio_entries, state_folder

ACCOUNT = "BE71096123456769"
FR_CREDITOR = {
    "name": "Durand SARL",
    "type": "business",
    "address": {"street": "1 rue de Rivoli", "postal_code": "75001", "city": "Paris", "country": "FR"},
    "iban": "FR1420041010050500013M02606",
}


def claim(reference: str, *, amount: str = "1000.00", invoice: str | None = None, **extra: Any) -> dict[str, Any]:
    data = copy.deepcopy(BASE_CLAIM)
    data["reference"] = reference
    data["invoices"][0]["amount"] = amount
    data["invoices"][0]["number"] = invoice or f"INV-{reference}"
    return data | extra


def fr_claim(reference: str) -> dict[str, Any]:
    data = claim(reference)
    data.update(jurisdiction="FR", creditor=copy.deepcopy(FR_CREDITOR))
    data["debtor"]["address"] = {"street": "2 rue Neuve", "postal_code": "69001", "city": "Lyon", "country": "FR"}
    return data


def portfolio(tmp_path: Path, *claims: dict[str, Any]) -> Path:
    path = tmp_path / "book.jsonl"
    path.write_text("".join(json.dumps(c) + "\n" for c in claims), encoding="utf-8")
    return path


def ogm(reference: str) -> str:
    return derived_reference(reference, "ogm")


def tx(key: str, amount: str = "100.00", **extra: Any) -> BankTransaction:
    base = BankTransaction(
        account=ACCOUNT,
        booking_date=date(2025, 6, 2),
        value_date=date(2025, 6, 2),
        amount=Decimal(amount),
        currency="EUR",
        credit=True,
        bank_reference=key,
        source="test",
        where=f"Ntry[{key}]",
    )
    return replace(base, **extra)


def statement(*transactions: BankTransaction, fmt: str = "camt.053", name: str = "s.xml") -> Statement:
    return Statement(name, fmt, "0" * 64, tuple(transactions))


def journal(book: Path, key: str) -> Journal:
    entry = next(e for e in portfolio_entries(book) if e.key == key)
    return journal_of(entry, book)


def events(book: Path, key: str, event: str) -> list[dict[str, Any]]:
    return [r.data for r in read(journal(book, key)).records if r.event == event]


def paid(book: Path, key: str) -> Decimal:
    """The claim's paid total as the statement sees it (claim.yaml plus its journal)."""
    entry = next(e for e in portfolio_entries(book) if e.key == key)
    completed = with_journal(entry.load(), journal_of(entry, book))
    return sum((p.amount for p in completed.payments), Decimal("0.00"))


def ledger(book: Path) -> list[dict[str, Any]]:
    path = state_folder(book) / "payments" / "transactions.jsonl"
    return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []


__all__ = ["claim_from_data"]
