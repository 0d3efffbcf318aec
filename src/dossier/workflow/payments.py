"""``dossier payments``: a portfolio's bank statements imported, its review queue listed and settled.

The portfolio's payment ledger is ``<state folder>/payments/transactions.jsonl`` (``payments.state``); each
claim's payments are entries of its own journal. One import or decision at a time per portfolio (an OS lock).
"""

from __future__ import annotations

import importlib
import pickle
from dataclasses import replace
from pathlib import Path
from typing import Any

from dossier.bank import Statement
from dossier.batch.portfolio import Entry
from dossier.errors import ClaimError, DossierError
from dossier.model import Claim
from dossier.output.history import with_journal
from dossier.output.journal import Journal
from dossier.payments.accounts import Account, account
from dossier.payments.importer import Importer, ImportSummary
from dossier.payments.references import resolve
from dossier.payments.review import assign, ignore
from dossier.payments.state import PaymentState
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


def load_accounts(portfolio: Path) -> tuple[list[Account], list[dict[str, Any]]]:
    """Every claim that can be read (completed from its journal, as ``workflow.claims.load_all`` does), as an
    account; the others with their problems (they match nothing). The rules are looked up once per
    jurisdiction and the state folder once: a 100,000-claim portfolio is loaded in one pass."""
    accounts, failed = [], []
    rules: dict[str, Jurisdiction] = {}
    state = state_folder(portfolio)
    for entry in each_entry(portfolio):
        journal = journal_of(entry, portfolio, state)
        try:
            claim = with_journal(entry.load(), journal)
            if claim.jurisdiction not in rules:
                rules[claim.jurisdiction] = load_rules(claim.jurisdiction)
        except DossierError as exc:
            failed.append({"claim": entry.label, "problems": [p.as_dict() for p in exc.problems]})
            continue
        reload = Reload(entry, journal)
        accounts.append(account(entry.key, entry.label, claim, journal, rules[claim.jurisdiction], reload))
    return accounts, failed


class Reload:
    """Reads a claim again when a payment needs its statement: a claim folder from its files, a row from its
    data kept pickled (a row's parsed data is several kB of objects, its pickle one)."""

    __slots__ = ("entry", "journal", "packed")

    def __init__(self, entry: Entry, journal: Journal) -> None:
        self.journal = journal
        self.packed = pickle.dumps(entry.data) if entry.data is not None else None
        self.entry = replace(entry, data=None) if entry.data is not None else entry

    def __call__(self) -> Claim:
        entry = self.entry
        if self.packed is not None:
            entry = replace(entry, data=pickle.loads(self.packed))  # our own bytes, made just above
        return with_journal(entry.load(), self.journal)


def import_payments(portfolio: Path, statements: list[Statement]) -> dict[str, Any]:
    """Import parsed statements into ``portfolio``: references made unique, then every transaction booked or
    queued (``payments.importer``); returns the summary (``dossier payments import --json``)."""
    state = PaymentState.load(state_folder(portfolio))
    with state.lock():
        state = PaymentState.load(state_folder(portfolio))  # as it is now that we hold the lock
        accounts, failed = load_accounts(portfolio)
        changed = resolve(accounts)
        summary: ImportSummary = Importer(accounts, state).run(statements)
    return summary.as_dict() | {
        "references_assigned": [{"claim": a.key, "reference": r} for a, r in changed],
        "unreadable_claims": failed,
    }


def unique_references(portfolio: Path) -> list[dict[str, str]]:
    """Give each claim that shares its letters' payment reference with another a fresh one, journaled
    (``payments.references``): ``dossier run`` does it before it prints any letter, every import before it
    matches."""
    state = PaymentState.load(state_folder(portfolio))
    with state.lock():
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
    state = PaymentState.load(state_folder(portfolio))
    with state.lock():
        state = PaymentState.load(state_folder(portfolio))
        accounts, _ = load_accounts(portfolio)
        return assign(state, key, _account_named(accounts, claim), invoice)


def ignore_payment(portfolio: Path, key: str, reason: str) -> dict[str, Any]:
    """Take ``key`` out of the review queue, with the reason, in the portfolio's payment ledger."""
    state = PaymentState.load(state_folder(portfolio))
    with state.lock():
        return ignore(PaymentState.load(state_folder(portfolio)), key, reason)
