"""Which claim a credit transfer pays, and whether to book it or ask a person (issue 14 item 3).

In this order, the first that finds something decides: (a) a Belgian structured communication (OGM) printed on a
claim's letters or carried by one of its invoices, in the structured field or typed in the free text; (b) an ISO
11649 RF reference (and a Dutch betalingskenmerk), the same way; (c) a claim reference or invoice number in the
free text; (d) the sender's IBAN known for a claim. (a), (b) and (c) pointing to exactly one claim book the payment
(``matched``), unless its currency is not the claim's, or it is more than the claim owes that day (an overpayment,
or a claim already paid in full: a refund to make): those, (c) pointing to several claims, (d) and a transaction
nothing matched go to the review queue (``queued``) with the candidates and why.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from dossier.bank import BankTransaction
from dossier.model.limits import MAX_AMOUNT
from dossier.model.references import parse_reference, shown_reference
from dossier.payments.accounts import Account
from dossier.payments.index import ReferenceIndex, Target, runs, targets

_OGM_TEXT = re.compile(r"[+*]{3}\s*(\d{3})\s*/?\s*(\d{4})\s*/?\s*(\d{5})\s*[+*]{3}|(?<!\d)(\d{12})(?!\d)")
_RF_TEXT = re.compile(r"RF\d\d(?: ?[0-9A-Z]){1,21}")
_NUMBER_JOINERS = " .,-/'"


@dataclass(frozen=True)
class Match:
    """What pointed to which claims: the rule (``ogm``, ``rf``, ``kenmerk``, ``text``, ``iban``), the evidence (the
    reference as printed, or the span of free text, and the field it was found in) and the targets."""

    rule: str
    evidence: dict[str, str]
    targets: tuple[Target, ...]

    @property
    def keys(self) -> list[str]:
        return list(dict.fromkeys(t.key for t in self.targets))


@dataclass
class Decision:
    """``matched`` (book it to ``claim``), ``queued`` (a person decides: ``reasons``, ``candidates``)."""

    status: str
    match: Match | None = None
    claim: str | None = None
    invoice: str | None = None
    reasons: list[str] = field(default_factory=list)
    candidates: list[dict[str, Any]] = field(default_factory=list)
    refund: bool = False


def _structured_hits(tx: BankTransaction) -> list[tuple[str, str, str, str]]:
    """``(kind, compact, as printed, field)`` of each valid structured reference the transaction carries: its
    structured field first, then what the debtor typed in the free text."""
    hits = []
    if tx.structured:
        try:
            kind, compact = parse_reference(tx.structured)
            hits.append((kind, compact, tx.structured, "structured"))
        except ValueError:
            pass
    text = tx.free_text.upper()
    for found in _OGM_TEXT.finditer(text):
        digits = "".join(g for g in found.groups() if g)
        try:
            hits.append((*parse_reference(digits), found.group(), "free_text"))
        except ValueError:
            continue
    for found in _RF_TEXT.finditer(text):
        candidate = found.group()
        while len(candidate) > 4:
            try:
                hits.append((*parse_reference(candidate), candidate, "free_text"))
                break
            except ValueError:
                candidate = candidate[:-1].rstrip()
    return hits


def _by_structured(tx: BankTransaction, index: ReferenceIndex) -> Match | None:
    for kind, compact, printed, where in _structured_hits(tx):
        found = targets(index.structured.get(compact))
        if found:
            evidence = {"reference": shown_reference(kind, compact), "as_given": printed, "field": where}
            return Match(kind, evidence, found)
    return None


def _inside_number(text: str, found: list[re.Match[str]], first: int, last: int) -> bool:
    """Whether the digits at the ends of runs ``first``..``last`` continue a number beyond them (``41234`` or
    ``4 1234`` around ``1234``)."""
    before = first > 0 and found[first].group()[0].isdigit() and found[first - 1].group()[-1].isdigit()
    if before and text[found[first - 1].end() : found[first].start()] in _NUMBER_JOINERS:
        return True
    after = last + 1 < len(found) and found[last].group()[-1].isdigit() and found[last + 1].group()[0].isdigit()
    return after and text[found[last].end() : found[last + 1].start()] in _NUMBER_JOINERS


def _by_text(tx: BankTransaction, index: ReferenceIndex) -> Match | None:
    text = tx.free_text.upper()
    found = runs(text)
    hits: list[tuple[int, int, str]] = []
    for first in range(len(found)):
        joined = ""
        for last in range(first, min(first + index.max_runs, len(found))):
            joined += found[last].group()
            if joined in index.text and not _inside_number(text, found, first, last):
                hits.append((first, last, joined))
    # a hit inside a longer one (``0042`` in ``ACME-2025-0042``) is not evidence of its own
    kept = [h for h in hits if not any(o != h and o[0] <= h[0] and h[1] <= o[1] for o in hits)]
    if not kept:
        return None
    pointed = tuple(t for _, _, joined in kept for t in targets(index.text[joined]))
    spans = "; ".join(tx.free_text[found[a].start() : found[b].end()] for a, b, _ in kept)
    return Match("text", {"text": spans, "field": "free_text"}, pointed)


def find(tx: BankTransaction, index: ReferenceIndex) -> Match | None:
    """The first rule that points somewhere: structured reference, free text, then known IBAN."""
    found = _by_structured(tx, index) or _by_text(tx, index)
    if found is not None:
        return found
    keys = index.ibans.get(tx.counterparty_iban or "")
    if keys:
        pointed = tuple(Target(k, None, "iban") for k in sorted(keys))
        return Match("iban", {"iban": str(tx.counterparty_iban), "field": "counterparty_iban"}, pointed)
    return None


def decide(tx: BankTransaction, index: ReferenceIndex) -> Decision:
    """Book (``matched``) or ask (``queued``) for one incoming transfer."""
    if not (0 < tx.amount <= MAX_AMOUNT) or tx.amount != tx.amount.quantize(Decimal("0.01")):
        return _unbookable(tx)
    found = find(tx, index)
    if found is None:
        return Decision("queued", reasons=["no reference, claim reference, invoice number or known IBAN found"])
    keys = found.keys
    if found.rule == "iban":
        return _by_amount(tx, index, found)
    if len(keys) > 1:
        why = f"ambiguous: the {found.rule} evidence points to {len(keys)} claims"
        return Decision("queued", found, reasons=[why], candidates=[_candidate(index, t) for t in found.targets])
    target = found.targets[0]
    invoices = {t.invoice for t in found.targets if t.invoice}
    invoice = invoices.pop() if len(invoices) == 1 else None
    checked = _checks(tx, index, target.key)
    if checked:
        reasons, refund = checked
        return Decision("queued", found, target.key, invoice, reasons, [_candidate(index, target)], refund)
    return Decision("matched", found, target.key, invoice)


def _unbookable(tx: BankTransaction) -> Decision:
    """An amount a claim cannot hold (zero, beyond dossier's largest, or with more than two decimals)."""
    return Decision("queued", reasons=[f"the amount {tx.amount} {tx.currency} cannot be booked to a claim as it is"])


def _checks(tx: BankTransaction, index: ReferenceIndex, key: str) -> tuple[list[str], bool] | None:
    """Why a payment found for one claim cannot be booked by itself: not the claim's currency, or more than it
    owes on the value date (``True``: a refund to make)."""
    item = index.accounts[key]
    if tx.currency != item.facts.currency:
        return [f"currency {tx.currency} is not the claim's ({item.facts.currency})"], False
    if tx.amount <= item.least_due:
        return None  # within the principal still unpaid: no statement needed to know it is not too much
    due = item.statement(tx.value_date).due
    if due <= 0:
        return [f"the claim was already paid in full on {tx.value_date}: refund to make ({tx.amount:.2f})"], True
    if tx.amount > due:
        extra = tx.amount - due
        return [f"overpayment: {tx.amount:.2f} is {extra:.2f} above the {due:.2f} due on {tx.value_date}"], True
    return None


def _by_amount(tx: BankTransaction, index: ReferenceIndex, found: Match) -> Decision:
    """(d): the sender's IBAN is known; the amounts it equals (an open invoice, the next instalment, the total)."""
    reasons, candidates = [], []
    for target in found.targets:
        item = index.accounts[target.key]
        equal = _equal_amounts(item, tx) if tx.currency == item.facts.currency else []
        candidates.append(_candidate(index, target) | {"amount_equals": equal})
        what = ", ".join(equal) if equal else "no open amount"
        known = f"IBAN {tx.counterparty_iban} is known for claim {item.facts.reference}"
        reasons.append(f"{known}; the amount equals {what}")
    return Decision("queued", found, reasons=reasons, candidates=candidates)


def _equal_amounts(item: Account, tx: BankTransaction) -> list[str]:
    statement = item.statement(tx.value_date)
    equal = [f"invoice {line.number}" for line in statement.invoices if line.outstanding["total"] == tx.amount]
    plan = item.claim.payment_plan
    upcoming = [i for i in plan.instalments if i.due_date >= tx.value_date] if plan else []
    if upcoming and upcoming[0].amount == tx.amount:
        equal.append(f"the instalment of {upcoming[0].due_date}")
    if statement.due == tx.amount:
        equal.append("the total due")
    return equal


def _candidate(index: ReferenceIndex, target: Target) -> dict[str, Any]:
    item = index.accounts[target.key]
    return {"claim": target.key, "reference": item.facts.reference, "label": item.label, "invoice": target.invoice,
            "via": target.via, "currency": item.facts.currency}


def amount_text(value: Decimal) -> str:
    return f"{value:.2f}"
