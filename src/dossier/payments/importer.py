"""``dossier payments import``: statement transactions booked to claims (a ``payment-imported`` entry in the
claim's journal) or put in the review queue, each transaction once however often it is delivered.

Idempotent: a transaction whose key the portfolio's ledger (``payments.state``) has seen adds nothing, nor one
whose fingerprint came before in another format (the same day as CODA and as camt). Crash-safe by the order of the
writes: claim journals first (synced together, one ``os.sync`` per batch), then the ledger lines saying so. A run
killed between the two finds, on the next import, the transaction in the claim's journal (the index knows every key
journaled) and only writes the ledger line: nothing twice, nothing lost. A statement file is parsed whole before
anything of it is written (a damaged file imports nothing).

The writes of a batch (``Committer``) run in a thread of their own while the next batch is matched: batches are
committed one at a time, in order, each whole (journals, sync, ledger lines) before the next one starts.
"""

from __future__ import annotations

import os
from collections import Counter
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dossier.bank import BankTransaction, Statement
from dossier.model.limits import MAX_PAYMENT_REFERENCE
from dossier.output.journal import append, read
from dossier.payments.accounts import Account, Added
from dossier.payments.index import ReferenceIndex
from dossier.payments.match import Decision, Match, decide
from dossier.payments.state import Booked, PaymentState, fingerprint, tx_record

#: ledger lines and journal entries made durable together, every so many transactions
CHUNK = 2000


@dataclass
class ImportSummary:
    files: list[dict[str, Any]] = field(default_factory=list)
    imported: int = 0
    matched: Counter[str] = field(default_factory=Counter)
    queued: int = 0
    duplicates: int = 0
    debits: int = 0
    reversals: int = 0
    refunds: list[dict[str, str]] = field(default_factory=list)
    decisions: list[dict[str, Any]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "files": self.files,
            "imported": self.imported,
            "matched": dict(sorted(self.matched.items())),
            "queued": self.queued,
            "duplicates": self.duplicates,
            "debits": self.debits,
            "reversals": self.reversals,
            "refunds": self.refunds,
        }


def payment_payload(tx: dict[str, Any], match: dict[str, Any], invoice: str | None) -> dict[str, Any]:
    """THE ``payment-imported`` payload (docs/journal.md): the transaction, its statement, how it matched."""
    reference = tx.get("structured_shown") or _as_text(tx.get("remittance") or tx.get("bank_reference") or "")
    payload = {k: v for k, v in tx.items() if k not in ("credit", "reversal", "structured_shown")}
    return payload | {"reference": reference[:MAX_PAYMENT_REFERENCE] or None, "match": match, "invoice": invoice}


def _as_text(remittance: str) -> str:
    """Free text as the claim's payment reference: a claim reads ``+++...`` as a structured communication and
    refuses a wrong one, so text that only looks like one loses its leading ``+``; line breaks and control
    characters become spaces (a claim's text is printable, on one line)."""
    text = " ".join("".join(ch if ch.isprintable() else " " for ch in str(remittance)).split())
    return text.lstrip("+ ") if text.startswith("+++") else text


def _evidence(found: Match | None) -> dict[str, Any]:
    return {"rule": found.rule, "evidence": found.evidence} if found else {"rule": None, "evidence": {}}


class Journals:
    """The journal entries an import writes, gathered per claim and written together (``write``): each claim's
    entries in order, none synced by itself; then one ``os.sync`` makes them all durable at once before the ledger
    lines that rely on them are written (one sync per batch, not one ``fsync`` per claim). One thread writes them
    (``Committer``'s, while the next batch is matched): four of them passed the interpreter's lock back and forth
    at every system call, 40 to 50 times per claim (strace), which cost more than the calls they overlapped."""

    def __init__(self) -> None:
        self.pending: dict[str, tuple[Account, list[tuple[str, dict[str, Any]]]]] = {}

    def add(self, item: Account, event: str, payload: dict[str, Any]) -> None:
        self.pending.setdefault(item.key, (item, []))[1].append((event, payload))

    def take(self) -> list[tuple[Account, list[tuple[str, dict[str, Any]]]]]:
        """The entries gathered so far (to ``write``), and none pending any more."""
        work, self.pending = list(self.pending.values()), {}
        return work

    @staticmethod
    def write(work: list[tuple[Account, list[tuple[str, dict[str, Any]]]]]) -> None:
        """Write ``work`` and make it durable (nothing of the entries is kept: a reversal reads the ``n`` of the
        payment it undoes from the claim's journal)."""
        if not work:
            return
        for one in work:
            _write_claim(one)
        os.sync()


class Committer:
    """Commits the batches of an import in a thread of its own, one at a time and in order: a batch's claim
    journals written and made durable together, then its ledger lines (what relies on them). ``submit`` hands
    over what was gathered and returns at once (after the batch before it is done), so matching the next batch
    overlaps writing this one. A failed write is raised by the next ``submit`` or ``wait``, and nothing of a
    later batch is written."""

    def __init__(self, journals: Journals, state: PaymentState) -> None:
        self.journals = journals
        self.state = state
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="dossier-payments")
        self._running: Future[None] | None = None

    def submit(self) -> None:
        self.wait()
        work, lines = self.journals.take(), self.state.take()
        if work or lines:
            self._running = self._pool.submit(self._commit, work, lines)

    def _commit(self, work: list[tuple[Account, list[tuple[str, dict[str, Any]]]]], lines: list[dict[str, Any]]
                ) -> None:
        Journals.write(work)
        self.state.write(lines)

    def wait(self) -> None:
        """Until the batch handed over last is committed."""
        running, self._running = self._running, None
        if running is not None:
            running.result()

    def close(self) -> None:
        """Waits for a batch still being written (it is committed whole), then lets the thread go."""
        self._pool.shutdown(wait=True)


def _write_claim(work: tuple[Account, list[tuple[str, dict[str, Any]]]]) -> None:
    item, entries = work
    journal = item.writable
    for event, payload in entries:
        append(journal, event, payload, sync=False)


class Importer:
    """One import: the index built once, the ledger read once, then every transaction of every statement."""

    def __init__(self, accounts: list[Account], state: PaymentState) -> None:
        self.index = ReferenceIndex.build(accounts)
        self.state = state
        self.summary = ImportSummary()
        self.journals = Journals()
        self.committer = Committer(self.journals, state)

    def run(self, statements: list[Statement]) -> ImportSummary:
        try:
            for statement in statements:
                counts = Counter[str]()
                for number, tx in enumerate(statement.transactions, start=1):
                    counts[self.one(tx, statement)] += 1
                    if number % CHUNK == 0:
                        self.committer.submit()
                self.committer.submit()
                shown = {"file": Path(statement.file).name, "format": statement.format, "sha256": statement.sha256}
                self.summary.files.append(shown | {"transactions": len(statement.transactions)} | dict(counts))
            self.flush()
        finally:
            self.committer.close()
        return self.summary

    def flush(self) -> None:
        """Everything gathered committed: claim journals durable first, then the ledger lines that rely on them."""
        self.committer.submit()
        self.committer.wait()

    def one(self, tx: BankTransaction, statement: Statement) -> str:
        record = tx_record(tx, statement)
        seen = self.state.latest.get(tx.key)
        if seen is not None:
            self.summary.duplicates += 1
            return "duplicate"
        mark = fingerprint(tx)
        formats = self.state.formats(mark)
        if any(f != statement.format for f in formats):
            self.summary.duplicates += 1
            self.state.record("duplicate", record, fingerprint=mark, of="the same transaction in another format")
            return "duplicate"
        if tx.reversal:
            return self.reversal(tx, record, mark)
        if not tx.credit:
            self.summary.debits += 1
            self.state.record("debit", record, fingerprint=mark)
            return "debit"
        known = self.index.imported.get(tx.key)
        if known is not None:  # journaled by a run that stopped before its ledger line
            return self.book(tx, record, mark, known, None, "recovered", None)
        decision = decide(tx, self.index)
        if decision.status == "matched" and decision.claim is not None and decision.match is not None:
            return self.book(tx, record, mark, decision.claim, decision.match, decision.match.rule, decision.invoice)
        return self.queue(record, mark, decision)

    def book(self, tx: BankTransaction, record: dict[str, Any], mark: str, key: str, found: Match | None, rule: str,
             invoice: str | None) -> str:
        item = self.index.accounts[key]
        if record["key"] not in item.imported and self.index.imported.get(record["key"]) != key:
            payload = payment_payload(shown_structured(record, found), _evidence(found), invoice)
            self.journals.add(item, "payment-imported", payload)
            self.index.imported[record["key"]] = key
            item.add(record["key"], as_payment(payload, item, tx))
        if record.get("counterparty_iban"):
            self.index.ibans[record["counterparty_iban"]].add(key)
        self.summary.imported += 1
        self.summary.matched[rule] += 1
        self.state.record("imported", record, fingerprint=mark, claim=key, rule=rule, invoice=invoice)
        return "imported"

    def queue(self, record: dict[str, Any], mark: str, decision: Decision) -> str:
        self.summary.queued += 1
        details = {"reasons": decision.reasons, "candidates": decision.candidates, "refund": decision.refund,
                   "match": _evidence(decision.match)}
        if decision.refund and decision.claim:
            self.summary.refunds.append({"claim": decision.claim, "key": record["key"], "amount": record["amount"]})
        self.state.record("queued", record, fingerprint=mark, **details)
        return "queued"

    def reversal(self, tx: BankTransaction, record: dict[str, Any], mark: str) -> str:
        """A reversal undoes the imported payment it reverses (a ``payment-reversed`` entry); it is never one."""
        self.summary.reversals += 1
        self.flush()  # the reversed payment's entry may be waiting
        original = self._reversed(tx)
        if original is None:
            self.state.record("reversal", record, fingerprint=mark, of=None)
            return "reversal"
        item = self.index.accounts[original["claim"]]
        if original["key"] not in item.reversed_keys:
            payload = {"key": original["key"], "payment": _payment_n(item, original["key"]), "reversal": record}
            self.journals.add(item, "payment-reversed", payload)
            item.note_reversed(original["key"])
        self.state.record("reversal", record, fingerprint=mark, of=original["key"], claim=original["claim"])
        return "reversal"

    def _reversed(self, tx: BankTransaction) -> dict[str, Any] | None:
        """The newest imported payment on the same account, of the same amount and currency, that this reverses:
        same end-to-end id when both carry one, else the same sender's IBAN or structured reference."""
        amount = f"{tx.amount:.2f}"
        for key, old in reversed(self.state.latest.items()):
            if not isinstance(old, Booked) or old.account != tx.account or old.amount != amount:
                continue
            if old.currency != tx.currency:
                continue
            if old.value_date > tx.value_date.isoformat():
                continue
            if tx.end_to_end and old.end_to_end:
                if tx.end_to_end == old.end_to_end:
                    return {"key": key, "claim": old.claim}
                continue
            same_iban = tx.counterparty_iban and tx.counterparty_iban == old.counterparty_iban
            same_ref = tx.structured and tx.structured == old.structured
            if same_iban or same_ref:
                return {"key": key, "claim": old.claim}
        return None


def shown_structured(record: dict[str, Any], found: Match | None) -> dict[str, Any]:
    """The record with the structured reference as a letter prints it (the claim's payment reference)."""
    if found is not None and "reference" in found.evidence:
        return record | {"structured_shown": found.evidence["reference"]}
    return record


def _payment_n(item: Account, key: str) -> int | None:
    """The ``n`` of the claim's ``payment-imported`` entry for transaction ``key``: known from the journal as it
    was when the import began, else read from it (booked by this import: reversals are rare, so the ``n`` of
    100,000 entries is not kept for them)."""
    known = item.imported.get(key)
    if known is not None:
        return known.n
    for entry in read(item.writable).records:
        if entry.event == "payment-imported" and entry.data.get("key") == key and not entry.legacy:
            n = entry.data.get("n")
            return n if isinstance(n, int) else None
    return None


def as_payment(payload: dict[str, Any], item: Account, tx: BankTransaction) -> Added:
    """The payment a ``payment-imported`` payload adds to the claim (as ``output.history`` reads it back); its date
    and amount are the transaction's own objects (shared, not parsed again for each of 100,000 payments)."""
    numbers = {number for number, _ in item.facts.invoices}
    invoice = payload.get("invoice") if payload.get("invoice") in numbers else None
    return Added(tx.value_date, tx.amount, payload.get("reference"), invoice)
