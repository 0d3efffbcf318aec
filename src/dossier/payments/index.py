"""The references of a portfolio's claims, indexed once per import: matching a transaction is then a few dictionary
look-ups, never a pass over the claims.

- structured references (compact: OGM digits, ``RF..``, betalingskenmerk digits): the one each claim's letters
  print now, the one derived from its reference before another was assigned (a letter may carry it: a payment with
  it is ambiguous when another claim prints it now), and each invoice's own ``payment_reference``;
- texts: each claim reference and invoice number as letters and digits only, upper case, found in a
  transaction's free text however the debtor spaced or punctuated it (``acme 2025/0042``), never inside a longer
  number; a text shorter than 4 characters, or without a digit, is not indexed (``F1`` or ``ACME`` would match
  anywhere);
- IBANs: the debtor's known IBANs and those earlier payments to the claim came from.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field

from dossier.context.payment import derived_reference, reference_for
from dossier.model.references import parse_reference
from dossier.payments.accounts import Account

#: the shortest text (letters and digits) searched for in a transaction's free text
MIN_TEXT = 4
#: the most runs of letters or digits one indexed text may span (``ACME-2025-0042``: 3)
MAX_RUNS = 8
_RUN = re.compile(r"[^\W\d_]+|\d+")


@dataclass(frozen=True, slots=True)
class Target:
    """A claim (``key``) a reference points to, the invoice it names if any, and how (``letter``, ``superseded``:
    derived before another was assigned, ``invoice``, ``reference`` the claim reference, ``number`` an invoice
    number)."""

    key: str
    invoice: str | None
    via: str


def runs(text: str) -> list[re.Match[str]]:
    """The maximal runs of letters or of digits, upper case: what text matching compares."""
    return list(_RUN.finditer(text.upper()))


def compact_text(text: str) -> str:
    return "".join(m.group() for m in runs(text))


#: what a reference points to: one target (nearly always), or several
Targets = Target | tuple[Target, ...]


def _with(found: Targets | None, target: Target) -> Targets:
    if found is None:
        return target
    return (*(found if isinstance(found, tuple) else (found,)), target)


def targets(found: Targets | None) -> tuple[Target, ...]:
    """The targets a look-up found, as a tuple (empty when none)."""
    if found is None:
        return ()
    return found if isinstance(found, tuple) else (found,)


@dataclass
class ReferenceIndex:
    """A reference maps to its one target, not a list of one: 100,000 claims index 300,000 references."""

    accounts: dict[str, Account]
    structured: dict[str, Targets] = field(default_factory=dict)
    text: dict[str, Targets] = field(default_factory=dict)
    ibans: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    imported: dict[str, str] = field(default_factory=dict)  # transaction key -> claim key (journals)
    max_runs: int = 1

    @classmethod
    def build(cls, accounts: list[Account]) -> ReferenceIndex:
        index = cls({a.key: a for a in accounts})
        for item in accounts:
            index.add(item)
        return index

    def add(self, item: Account) -> None:
        facts = item.facts
        _, current = reference_for(facts.reference, facts.payment_reference, item.kind)
        self._structured(current, Target(item.key, None, "letter"))
        derived = derived_reference(facts.reference, item.kind)
        if derived != current:
            self._structured(derived, Target(item.key, None, "superseded"))
        for number, printed in facts.invoices:
            if printed:
                self._structured(parse_reference(printed)[1], Target(item.key, number, "invoice"))
            self._text(number, Target(item.key, number, "number"))
        self._text(facts.reference, Target(item.key, None, "reference"))
        for iban in facts.ibans:
            self.ibans[iban].add(item.key)
        for key, entry in item.imported.items():
            self.imported[key] = item.key
            if entry.counterparty_iban:
                self.ibans[entry.counterparty_iban].add(item.key)

    def _structured(self, compact: str, target: Target) -> None:
        self.structured[compact] = _with(self.structured.get(compact), target)

    def _text(self, value: str, target: Target) -> None:
        found = runs(value)
        compact = "".join(m.group() for m in found)
        if len(compact) < MIN_TEXT or not any(ch.isdigit() for ch in compact) or len(found) > MAX_RUNS:
            return
        self.text[compact] = _with(self.text.get(compact), target)
        self.max_runs = max(self.max_runs, len(found))
