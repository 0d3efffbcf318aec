"""Unique payment references within a portfolio (issue 14 item 5): detect and resolve.

A claim's letters print the reference derived from its claim reference (``context.payment.derived_reference``):
an RF reference carries the claim reference itself, so it is unique when the claim references are; a Belgian OGM
has room for ten digits only, a hash, and two claims of a large portfolio can share one (about 40 % for 100,000
claims). Before every import the portfolio is checked: when claims print the same reference, the claim that
printed it first keeps it (one given in claim.yaml or assigned before; else the oldest first document in its
journal; else the first in the portfolio's order),
and each other gets the next derived one that no claim prints (``attempt`` 1, 2...), journaled as
``reference-assigned``: its next letters print that. A payment carrying the shared reference stays ambiguous (a
letter may have printed it) and goes to the review queue (``payments.index``: ``superseded``)."""

from __future__ import annotations

from collections import defaultdict

from dossier.context.payment import derived_reference, reference_for
from dossier.model.references import shown_reference
from dossier.output.journal import append
from dossier.payments.accounts import Account

#: attempts at a fresh reference before giving up (each collides with odds of n / 10^10)
ATTEMPTS = 100


def _order(item: Account, position: int) -> tuple[bool, int, str, int]:
    """Who keeps a shared reference: one given in claim.yaml or assigned before, then the oldest letters."""
    fixed = item.facts.payment_reference is None
    return (fixed, 0, item.first_document, position) if item.first_document else (fixed, 1, "", position)


def resolve(accounts: list[Account]) -> list[tuple[Account, str]]:
    """Give every claim that shares its letters' reference with another a fresh one, journaled; returns the claims
    changed and their new reference (as printed)."""
    printed: dict[str, list[tuple[int, Account]]] = defaultdict(list)
    for position, item in enumerate(accounts):
        facts = item.facts
        printed[reference_for(facts.reference, facts.payment_reference, item.kind)[1]].append((position, item))
    taken = set(printed)
    changed = []
    for sharing in printed.values():
        if len(sharing) < 2:
            continue
        sharing.sort(key=lambda pair: _order(pair[1], pair[0]))
        for _, item in sharing[1:]:
            if item.facts.payment_reference is not None:
                continue  # given in claim.yaml, or assigned: fixed (payments with it stay ambiguous)
            fresh = next(
                (r for a in range(1, ATTEMPTS) if (r := derived_reference(item.facts.reference, item.kind, a))
                 not in taken),
                None,
            )
            if fresh is None:  # pragma: no cover - 100 collisions in a row
                continue
            taken.add(fresh)
            shown = shown_reference(item.kind, fresh)
            append(item.writable, "reference-assigned", {"reference": shown, "kind": item.kind,
                                                          "why": "another claim of the portfolio printed the same"})
            item.assign_reference(shown)
            changed.append((item, shown))
    return changed
