"""``dossier payments``: a portfolio's bank statements imported, its review queue listed and settled.

The portfolio's payment ledger is ``<state folder>/payments/transactions.jsonl`` (``payments.state``); each
claim's payments are entries of its own journal. One import or decision at a time per portfolio (an OS lock).
"""

from __future__ import annotations

import contextlib
import gc
import importlib
import os
import pickle
import tempfile
import weakref
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from dossier.bank import Statement
from dossier.batch.portfolio import Entry
from dossier.errors import ClaimError, DossierError
from dossier.model import Claim
from dossier.output.history import with_journal
from dossier.output.journal import Journal
from dossier.output.lock import FolderLock
from dossier.payments.accounts import Account, account
from dossier.payments.importer import Importer, ImportSummary
from dossier.payments.references import resolve
from dossier.payments.review import assign, ignore
from dossier.payments.state import FOLDER, PaymentState
from dossier.rules import Jurisdiction, load_rules
from dossier.workflow.claims import each_entry, journal_of, state_folder


def read_statements(files: list[Path]) -> list[Statement]:
    """Every file parsed whole (``dossier.bank.read_statement``) before anything is written: a damaged or unknown
    file stops the import with its error, and nothing of any file is imported."""
    bank = importlib.import_module("dossier.bank")
    reader = getattr(bank, "read_statement", None)
    if reader is None:
        raise DossierError("this installation has no bank statement parsers (dossier.bank.read_statement)")
    return [reader(Path(f)) for f in files]


def _locked(portfolio: Path) -> FolderLock:
    """The portfolio's payments lock (one import or decision at a time), taken before its ledger is read."""
    return PaymentState(state_folder(portfolio) / FOLDER).lock()


def load_accounts(portfolio: Path) -> tuple[list[Account], list[dict[str, Any]]]:
    """Every claim that can be read (completed from its journal, as ``workflow.claims.load_all`` does), as an
    account; the others with their problems (they match nothing). The rules are looked up once per
    jurisdiction and the state folder once: a 100,000-claim portfolio is loaded in one pass, one row at a time,
    and only what matching needs of each claim is kept."""
    accounts, failed = [], []
    rules: dict[str, Jurisdiction] = {}
    home = PortfolioHome(portfolio)
    for entry in each_entry(portfolio):
        journal = journal_of(entry, portfolio, home.state)
        try:
            claim = with_journal(entry.load(), journal)
            if claim.jurisdiction not in rules:
                rules[claim.jurisdiction] = load_rules(claim.jurisdiction)
        except DossierError as exc:
            failed.append({"claim": entry.label, "problems": [p.as_dict() for p in exc.problems]})
            continue
        row = home.keep(entry.data) if entry.data is not None else None
        accounts.append(account(entry.key, entry.label, claim, rules[claim.jurisdiction], home, row, journal))
    return accounts, failed


class PortfolioHome:
    """Where a portfolio's claims and journals are (``payments.accounts.Home``): a claim folder is read from its
    files, a row from its data as ``load_accounts`` read it, pickled into a scratch file (``keep``; its account
    holds where: one int). A row's parsed data is several kB of objects, its pickle half of one: 100,000 of them
    were 50 MB in memory. The scratch file has no name (``tempfile.TemporaryFile``, in the state folder, beside
    the portfolio's data) and goes when the home does; where it cannot be written, rows stay in memory."""

    def __init__(self, portfolio: Path) -> None:
        self.portfolio = portfolio
        self.state = state_folder(portfolio)
        self._rows: Any = None  # the scratch file, made for the first row; False when it cannot be
        self._size = 0

    def keep(self, data: dict[str, Any]) -> int | bytes:
        """``data`` pickled into the scratch file; returns where (offset and size, in one int). Where no scratch
        file can be written (a read-only portfolio: the portal reads one), the pickle itself, kept in memory."""
        blob = pickle.dumps(data, protocol=pickle.HIGHEST_PROTOCOL)
        if self._rows is False:
            return blob
        try:
            if self._rows is None:
                self.state.mkdir(parents=True, exist_ok=True)
                self._rows = tempfile.TemporaryFile(dir=self.state, prefix=".rows.", buffering=0)  # noqa: SIM115
                weakref.finalize(self, self._rows.close)  # closed with its home (never a leaked descriptor)
            if self._rows.write(blob) != len(blob):  # unbuffered: a row handed out is in the file
                raise OSError("short write")
        except OSError:
            self._rows = False
            return blob
        where = self._size << 32 | len(blob)
        self._size += len(blob)
        return where

    def _row(self, where: int | bytes) -> dict[str, Any]:
        if isinstance(where, int):
            where = os.pread(self._rows.fileno(), where & 0xFFFFFFFF, where >> 32)
        data: dict[str, Any] = pickle.loads(where)  # our own bytes, written by keep()
        return data

    def _entry(self, item: Account, *, data: bool = False) -> Entry:
        """The portfolio entry of ``item``: a claim folder's label is its path; a row's data is unpickled when
        ``data`` is wanted (our own bytes, from ``load_accounts``)."""
        if item.row is None:
            return Entry(item.key, item.label, folder=item.label)
        return Entry(item.key, item.label, data=self._row(item.row) if data else None)  # type: ignore[arg-type]

    def journal(self, item: Account) -> Journal:
        return journal_of(self._entry(item), self.portfolio, self.state)

    def load(self, item: Account) -> Claim:
        return with_journal(self._entry(item, data=True).load(), self.journal(item))


def import_payments(portfolio: Path, statements: list[Statement]) -> dict[str, Any]:
    """Import parsed statements into ``portfolio``: references made unique, then every transaction booked or
    queued (``payments.importer``); returns the summary (``dossier payments import --json``)."""
    with _locked(portfolio):
        state = PaymentState.load(state_folder(portfolio))  # as it is now that we hold the lock
        with _frozen_heap():
            accounts, failed = load_accounts(portfolio)
            changed = resolve(accounts)
            importer = Importer(accounts, state)
            gc.freeze()
            summary: ImportSummary = importer.run(statements)
    return summary.as_dict() | {
        "references_assigned": [{"claim": a.key, "reference": r} for a, r in changed],
        "unreadable_claims": failed,
    }


@contextlib.contextmanager
def _frozen_heap() -> Iterator[None]:
    """The claims, the index and the ledger, once built, left out of the garbage collector's full passes
    (``gc.freeze``) while the transactions are matched: they live until the end of the import, and each full pass
    over their millions of objects found nothing to free (a tenth of an import's time). Thawed at the end."""
    try:
        yield
    finally:
        gc.unfreeze()


def unique_references(portfolio: Path) -> list[dict[str, str]]:
    """Give each claim that shares its letters' payment reference with another a fresh one, journaled
    (``payments.references``): ``dossier run`` does it before it prints any letter, every import before it
    matches."""
    with _locked(portfolio):
        accounts, _ = load_accounts(portfolio)
        return [{"claim": a.key, "reference": r} for a, r in resolve(accounts)]


def review_queue(portfolio: Path) -> list[dict[str, Any]]:
    """The transactions waiting for a person, oldest first."""
    return PaymentState.load(state_folder(portfolio)).queue()


def _account_named(accounts: list[Account], name: str) -> Account:
    found = [a for a in accounts if name in (a.key, a.facts.reference, a.label)]
    if len(found) != 1:
        known = "no claim" if not found else f"{len(found)} claims"
        raise ClaimError(f"{known} of the portfolio is {name!r} (give its key or reference)", path="CLAIM")
    return found[0]


def assign_payment(portfolio: Path, key: str, claim: str, invoice: str | None = None) -> dict[str, Any]:
    """Book the queued transaction ``key`` to ``claim`` (its key or reference), journaled in both places."""
    with _locked(portfolio):
        state = PaymentState.load(state_folder(portfolio))
        accounts, _ = load_accounts(portfolio)
        return assign(state, key, _account_named(accounts, claim), invoice)


def ignore_payment(portfolio: Path, key: str, reason: str) -> dict[str, Any]:
    """Take ``key`` out of the review queue, with the reason, in the portfolio's payment ledger."""
    with _locked(portfolio):
        return ignore(PaymentState.load(state_folder(portfolio)), key, reason)
