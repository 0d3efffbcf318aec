"""Payment application (imputation, appropriation): which debt and which part of it a payment pays.

The jurisdiction's ``imputation`` rule decides, as data: the debt the debtor designates (a payment naming an
invoice) comes first, then damages owed on the claim as a whole, then the invoices oldest first; within each
debt the parts go in the rule's ``order`` (costs, interest, principal everywhere today). Under
``designation: debt`` a designation names the whole debt, so its costs and interest are paid before its
principal (BE old C.civ. art. 1254, FR C.civ. art. 1343-1, NL BW art. 6:44, GB Late Payment Act 1998 s.1(2):
statutory interest counts as contractual interest); ``principal_first`` would let it name the principal.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from dossier.engine.accounts import Debt
from dossier.errors import ClaimError
from dossier.model import Payment
from dossier.rules.schema import Imputation


@dataclass(frozen=True)
class Application:
    """One part of one debt paid by a payment."""

    debt: str
    part: str
    amount: Decimal
    notice: date | None = None  # damages owed on the claim: their letter's date (documents name them by it)


@dataclass(frozen=True)
class AppliedPayment:
    payment: Payment
    applications: tuple[Application, ...]
    unapplied: Decimal  # more than everything owed on the day: a credit (a refund to make)

    def as_dict(self) -> dict[str, object]:
        return {
            "date": self.payment.date.isoformat(),
            "amount": f"{self.payment.amount:.2f}",
            "reference": self.payment.reference,
            "invoice": self.payment.invoice,
            "applied": [{"debt": a.debt, "part": a.part, "amount": f"{a.amount:.2f}"} for a in self.applications],
            "unapplied": f"{self.unapplied:.2f}",
        }


def debt_order(payment: Payment, claim_debts: list[Debt], invoice_debts: list[Debt]) -> list[Debt]:
    """The debts in the order ``payment`` reaches them: the designated invoice, then ``claim_debts`` (damages
    owed on the claim as a whole), then ``invoice_debts`` as given (oldest due first)."""
    designated = [d for d in invoice_debts if payment.invoice is not None and d.key == payment.invoice]
    if payment.invoice is not None and not designated:  # claim files are checked on load; this guards the rest
        raise ClaimError(
            f"the payment of {payment.amount:.2f} on {payment.date} names {payment.invoice}, which is not an "
            "invoice of this claim",
            path="payments",
        )
    return designated + [d for d in claim_debts + invoice_debts if d not in designated]


def part_order(debt: Debt, payment: Payment, imputation: Imputation) -> list[str]:
    """The parts of ``debt`` in the order ``payment`` pays them."""
    order = list(imputation.order)
    if imputation.designation == "principal_first" and payment.invoice == debt.key:
        order.remove("principal")
        order.insert(0, "principal")
    return order


def apply_payment(payment: Payment, debts: list[Debt], imputation: Imputation) -> AppliedPayment:
    """Apply ``payment`` to ``debts`` (in :func:`debt_order`), accruing each debt it reaches up to its day."""
    remaining = payment.amount
    applications: list[Application] = []
    for debt in debts:
        debt.accrue(payment.date)  # only debts a payment reaches get a period boundary on its day
        for part in part_order(debt, payment, imputation):
            take = min(remaining, debt.owed(part))
            if take > 0:
                debt.pay(part, take)
                applications.append(Application(debt.key, part, take, debt.notice))
                remaining -= take
        if remaining == 0:
            break
    return AppliedPayment(payment, tuple(applications), remaining)
