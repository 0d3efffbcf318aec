"""Proposed matches for a statement and claims given with it, nothing written (``POST /v1/payments/matches``):
what ``dossier payments import`` would do with each transaction on a portfolio of those claims with no payment
history of its own."""

from __future__ import annotations

from typing import Any

from dossier.bank import Statement
from dossier.payments.accounts import Account, Added
from dossier.payments.index import ReferenceIndex
from dossier.payments.match import decide
from dossier.payments.state import tx_record


def propose(statement: Statement, accounts: list[Account]) -> list[dict[str, Any]]:
    """One line per transaction, in file order: ``status`` (``matched``, ``queued``, ``debit``, ``reversal``,
    ``duplicate`` of a key earlier in the file), the claim (its key), rule and evidence, invoice, reasons and
    candidates. Payments matched earlier in the file count towards what the claim still owes."""
    index = ReferenceIndex.build(accounts)
    seen: set[str] = set()
    out = []
    for tx in statement.transactions:
        line: dict[str, Any] = {"tx": tx_record(tx, statement)}
        if tx.key in seen:
            out.append(line | {"status": "duplicate"})
            continue
        seen.add(tx.key)
        if tx.reversal or not tx.credit:
            out.append(line | {"status": "reversal" if tx.reversal else "debit"})
            continue
        decision = decide(tx, index)
        found = decision.match
        line |= {
            "status": decision.status,
            "claim": decision.claim,
            "invoice": decision.invoice,
            "match": {"rule": found.rule, "evidence": found.evidence} if found else None,
            "reasons": decision.reasons,
            "candidates": decision.candidates,
            "refund": decision.refund,
        }
        if decision.status == "matched" and decision.claim is not None:
            index.accounts[decision.claim].add(tx.key, Added(tx.value_date, tx.amount, None, decision.invoice))
        out.append(line)
    return out
