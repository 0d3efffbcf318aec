"""Whether an agreed payment plan is honoured: each instalment must be paid, cumulatively, by its date plus the
grace the agreement gives. The first instalment that is not lapses the plan the day after its grace ends."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from dossier.model import Claim
from dossier.model.claim import AgreedPlan

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class PlanStatus:
    state: str  # "honoured", "lapsed" or "completed"
    agreed: date
    grace_days: int
    due_so_far: Decimal  # instalments whose grace has ended by the day checked
    paid_so_far: Decimal  # payments since the plan was agreed, up to the day checked
    lapsed_on: date | None = None
    missed: date | None = None  # the instalment (its date) that was not paid in time
    next_instalment: date | None = None

    def as_dict(self) -> dict[str, object]:
        return {
            "state": self.state,
            "agreed": self.agreed.isoformat(),
            "grace_days": self.grace_days,
            "due_so_far": f"{self.due_so_far:.2f}",
            "paid_so_far": f"{self.paid_so_far:.2f}",
            "lapsed_on": self.lapsed_on.isoformat() if self.lapsed_on else None,
            "missed": self.missed.isoformat() if self.missed else None,
            "next_instalment": self.next_instalment.isoformat() if self.next_instalment else None,
        }


def plan_status(plan: AgreedPlan, claim: Claim, day: date) -> PlanStatus:
    """The plan as it stands on ``day``: payments from the day it was agreed count, oldest first."""
    grace = timedelta(days=plan.grace_days)
    payments = sorted((p for p in claim.payments if plan.agreed <= p.date <= day), key=lambda p: p.date)
    cumulative = ZERO
    for instalment in plan.instalments:
        cumulative += instalment.amount
        limit = instalment.due_date + grace
        if limit >= day:
            break
        paid = sum((p.amount for p in payments if p.date <= limit), ZERO)
        if paid < cumulative:
            return PlanStatus(
                "lapsed",
                plan.agreed,
                plan.grace_days,
                cumulative,
                sum((p.amount for p in payments), ZERO),
                lapsed_on=limit + timedelta(days=1),
                missed=instalment.due_date,
            )
    due = sum((i.amount for i in plan.instalments if i.due_date + grace < day), ZERO)
    paid = sum((p.amount for p in payments), ZERO)
    total = sum((i.amount for i in plan.instalments), ZERO)
    state = "completed" if paid >= total else "honoured"
    return PlanStatus(state, plan.agreed, plan.grace_days, due, paid, next_instalment=_first_uncovered(plan, paid))


def _first_uncovered(plan: AgreedPlan, paid: Decimal) -> date | None:
    """The first instalment the payments so far do not cover in full: the one to pay next, even if its date has
    passed (it is still within its grace) or later ones were paid ahead."""
    cumulative = ZERO
    for instalment in plan.instalments:
        cumulative += instalment.amount
        if paid < cumulative:
            return instalment.due_date
    return None
