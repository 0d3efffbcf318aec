"""One claim as payment matching sees it: the claim completed from its journal, its jurisdiction's reference kind,
and what its journal already says about payments (the transactions imported, the ones reversed)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from dossier.engine.statement import Statement, compute_statement
from dossier.model import Claim, Payment
from dossier.output.journal import Journal, read
from dossier.rules import Jurisdiction


@dataclass
class Account:
    """A claim of the portfolio, as one import sees it. ``imported``: transaction key -> its ``payment-imported``
    entry in the claim's journal (a re-run after a crash finds them and journals nothing twice); ``added``: the
    payments this import journaled, not yet in ``claim.payments``."""

    key: str
    label: str
    claim: Claim
    journal: Journal | None  # None: matching only, nothing is journaled (POST /v1/payments/matches)
    rules: Jurisdiction
    imported: dict[str, dict[str, Any]] = field(default_factory=dict)
    reversed_keys: set[str] = field(default_factory=set)
    first_document: str | None = None
    added: list[Payment] = field(default_factory=list)

    @property
    def writable(self) -> Journal:
        """The claim's journal, for an import that books (never for matching only)."""
        if self.journal is None:
            raise ValueError(f"claim {self.key} is loaded for matching only: nothing may be journaled")
        return self.journal

    @property
    def kind(self) -> str:
        """The reference kind the claim's letters print (``ogm`` or ``rf``: jurisdiction data)."""
        return self.rules.meta.payment_reference

    @property
    def least_due(self) -> Decimal:
        """A floor of what the claim owes on any day: the principal less every payment known (interest,
        compensation and costs only add to it), so a payment up to it is never an overpayment."""
        paid = sum((p.amount for p in (*self.claim.payments, *self.added)), Decimal(0))
        return self.claim.principal - paid

    def statement(self, day: date) -> Statement:
        """What is owed on ``day``, with the payments this import added."""
        claim = self.claim
        if self.added:
            claim = claim.model_copy(update={"payments": sorted([*claim.payments, *self.added], key=lambda p: p.date)})
        return compute_statement(claim, self.rules, day)


def account(key: str, label: str, claim: Claim, journal: Journal | None, rules: Jurisdiction) -> Account:
    """The account of ``claim`` (already completed from ``journal`` by ``output.history.with_journal``), with the
    payment entries of its journal and the time of its first document (who keeps a reference two claims share)."""
    found = Account(key, label, claim, journal, rules)
    if journal is None or not journal.path.exists():
        return found
    for record in read(journal).records:
        data = record.data
        if record.event == "payment-imported" and isinstance(data.get("key"), str):
            found.imported.setdefault(data["key"], data)
        elif record.event == "payment-reversed" and isinstance(data.get("key"), str):
            found.reversed_keys.add(data["key"])
        elif record.event == "document-rendered" and found.first_document is None and not record.legacy:
            found.first_document = str(data.get("at"))
    return found
