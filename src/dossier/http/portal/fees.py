"""What the firm charges a client, per claim and in total, from its fee schedule (``portal.yaml``: ``fees``) and
the same figures as the report (the index): a commission on what was collected, a fixed fee per letter sent
(counted from the journal's ``document-sent`` lines, a letter sent twice once). The costs the debtor owes by law
or contract (compensation, recovery costs) are the creditor's to recover, shown apart, never added to the fees.
Money is Decimal, rounded to the cent half-up per claim; the total is the sum of the claims' rounded fees."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from dossier.engine.portfolio import ClaimFigures
from dossier.http.portal.accounts import FeeSchedule

CENT = Decimal("0.01")
#: a journal's document kind -> the schedule's per_document key
KINDS = {"reminder": "reminder", "formal-notice": "formal-notice", "payment-plan": "payment-plan",
         "statement": "statement", "bundle": "bundle"}


@dataclass(frozen=True)
class ClaimFees:
    figures: ClaimFigures
    collected: Decimal
    commission: Decimal
    letters: Decimal
    recoverable: Decimal  # compensation and costs the debtor owes: the creditor's, apart from the fees

    @property
    def total(self) -> Decimal:
        return self.commission + self.letters


def claim_fees(figures: ClaimFigures, schedule: FeeSchedule) -> ClaimFees:
    collected = figures.totals["paid"]
    commission = (collected * schedule.commission_percent / 100).quantize(CENT, ROUND_HALF_UP)
    letters = sum(
        (schedule.per_document.get(KINDS.get(kind, ""), Decimal(0)) * count for kind, count in figures.sent.items()),
        Decimal(0),
    ).quantize(CENT, ROUND_HALF_UP)  # type: ignore[call-overload]
    recoverable = figures.totals["compensation"] + figures.totals["costs"]
    return ClaimFees(figures, collected, commission, letters, recoverable)


def totals(fees: list[ClaimFees]) -> dict[str, dict[str, Decimal]]:
    """Per currency: collected, commission, letters, fees, recoverable."""
    out: dict[str, dict[str, Decimal]] = {}
    for f in fees:
        t = out.setdefault(f.figures.currency, dict.fromkeys(("collected", "commission", "letters", "total",
                                                                 "recoverable"), Decimal("0.00")))
        t["collected"] += f.collected
        t["commission"] += f.commission
        t["letters"] += f.letters
        t["total"] += f.total
        t["recoverable"] += f.recoverable
    return out
