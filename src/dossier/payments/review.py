"""The review queue settled by a person: ``dossier payments assign TX CLAIM [--invoice N]`` books a queued (or
ignored) transaction to a claim (a ``payment-imported`` entry with rule ``manual`` in the claim's journal, then
the ledger line); ``dossier payments ignore TX --reason TEXT`` takes it out of the queue (a ledger line with the
reason). Both are refused for a transaction already booked: a booked payment is undone by its reversal, not by
a click."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from dossier.errors import ClaimError
from dossier.model.limits import MAX_AMOUNT
from dossier.output.journal import append
from dossier.payments.accounts import Account
from dossier.payments.importer import payment_payload
from dossier.payments.state import PaymentState, status_of

SETTLEABLE = ("queued", "ignored")


def _entry(state: PaymentState, key: str, settleable: tuple[str, ...] = SETTLEABLE) -> dict[str, Any]:
    seen = state.latest.get(key)
    if seen is None:
        raise ClaimError(f"no transaction {key!r} was imported into this portfolio", path="TX",
                         hint="dossier payments review lists the queue with each transaction's key")
    if not isinstance(seen, dict) or status_of(seen) not in settleable:  # a settleable line is kept whole
        raise ClaimError(f"transaction {key} is {status_of(seen)}, not in the review queue", path="TX")
    return seen


def assign(state: PaymentState, key: str, item: Account, invoice: str | None, note: str | None = None
           ) -> dict[str, Any]:
    """Book the queued transaction ``key`` to the claim of ``item`` (and ``invoice``, one of its invoices)."""
    entry = _entry(state, key)
    tx = entry["tx"]
    numbers = [i.number for i in item.claim.invoices]
    if invoice is not None and invoice not in numbers:
        raise ClaimError(f"claim {item.claim.reference} has no invoice {invoice!r} ({', '.join(numbers)})",
                         path="invoice")
    amount = Decimal(tx["amount"])
    if not 0 < amount <= MAX_AMOUNT or amount != amount.quantize(Decimal("0.01")):
        raise ClaimError(f"the amount {tx['amount']} cannot be booked to a claim", path="TX")
    if tx["currency"] != item.claim.currency:
        raise ClaimError(f"the payment is in {tx['currency']}, the claim in {item.claim.currency}: book the amount "
                         "credited in the claim's currency by hand in claim.yaml", path="TX")
    if key not in item.imported:
        match = {"rule": "manual", "evidence": {"note": note} if note else {}}
        append(item.writable, "payment-imported", payment_payload(tx, match, invoice))
    line = state.record("imported", tx, fingerprint=entry.get("fingerprint"), claim=item.key, rule="manual",
                        invoice=invoice, decided=True)
    state.flush()
    return line


def ignore(state: PaymentState, key: str, reason: str) -> dict[str, Any]:
    """Take ``key`` out of the queue, with why (a refund made, not a payment of any claim...)."""
    reason = reason.strip()
    if not reason or not reason.isprintable() or len(reason) > 500:
        raise ClaimError("must be one printable line of at most 500 characters", path="reason")
    entry = _entry(state, key, ("queued",))
    line = state.record("ignored", entry["tx"], fingerprint=entry.get("fingerprint"), reason=reason, decided=True)
    state.flush()
    return line
