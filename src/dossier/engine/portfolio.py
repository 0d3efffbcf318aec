"""Portfolio figures: what the claims of a portfolio add up to on a date. Pure, and built from the same
statements as ``dossier statement``, so a claim's figures here are its statement's.

Amounts are kept per currency (a portfolio may hold EUR and GBP claims); nothing is converted.
- Ageing: each invoice's outstanding balance (principal, interest and compensation) goes to the bucket of its
  days past due on the date; what is owed on the claim as a whole (compensation claimed after a notice) goes
  with its oldest unpaid invoice. The buckets therefore add up to the amount due.
- Recovery rate: collected / (collected + still due), per currency.
- Collected per month: the payments of each claim as its journal completes it, by the month they came in.
- Decisions: claims waiting for the creditor (proceedings, a lapsed plan, a pause, a refund to make).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from dossier.engine.ladder import NextStep
from dossier.engine.statement import Statement

ZERO = Decimal("0.00")
#: (label, lowest day, highest day) past due; "not_due" holds invoices whose due date is today or later
BUCKETS = (
    ("not_due", None, 0),
    ("0-30", 1, 30),
    ("31-60", 31, 60),
    ("61-90", 61, 90),
    ("91-180", 91, 180),
    ("over_180", 181, None),
)
TOTAL_KEYS = ("principal", "interest", "compensation", "costs", "paid", "due")


def bucket_of(days_past_due: int) -> str:
    for name, low, high in BUCKETS:
        if (low is None or days_past_due >= low) and (high is None or days_past_due <= high):
            return name
    raise AssertionError(days_past_due)  # pragma: no cover - the buckets cover every integer


@dataclass
class Tally:
    count: int = 0
    amounts: dict[str, Decimal] = field(default_factory=lambda: defaultdict(lambda: ZERO))

    def add(self, currency: str, amount: Decimal, count: int = 1) -> None:
        self.count += count
        self.amounts[currency] += amount

    def as_dict(self) -> dict[str, object]:
        return {"count": self.count, "amounts": {c: f"{a:.2f}" for c, a in sorted(self.amounts.items())}}


@dataclass(frozen=True)
class ClaimFigures:
    key: str
    reference: str
    jurisdiction: str
    debtor: str
    currency: str
    statement: Statement
    step: NextStep

    def as_dict(self) -> dict[str, object]:
        totals = self.statement.totals
        return {
            "key": self.key,
            "reference": self.reference,
            "jurisdiction": self.jurisdiction,
            "debtor": self.debtor,
            "currency": self.currency,
            "totals": {k: f"{totals[k]:.2f}" for k in TOTAL_KEYS},
            "status": self.step.status,
            "taken": self.step.taken.step.name if self.step.taken else None,
            "next": self.step.step.name if self.step.step else None,
            "earliest": self.step.earliest.isoformat() if self.step.earliest else None,
        }


@dataclass
class PortfolioFigures:
    day: date
    claims: list[ClaimFigures]
    failed: list[dict[str, object]]
    totals: dict[str, dict[str, Decimal]]
    ageing: dict[str, Tally]
    by_step: dict[str, Tally]
    by_status: dict[str, Tally]
    by_jurisdiction: dict[str, Tally]
    collected: dict[str, dict[str, Decimal]]  # month (YYYY-MM) -> currency -> amount
    recovery: dict[str, Decimal]  # currency -> percent
    decisions: list[dict[str, object]]

    def as_dict(self) -> dict[str, object]:
        def money(values: dict[str, Decimal]) -> dict[str, str]:
            return {k: f"{v:.2f}" for k, v in sorted(values.items())}

        return {
            "date": self.day.isoformat(),
            "claims": len(self.claims),
            "failed": self.failed,
            "totals": {c: {k: f"{v[k]:.2f}" for k in TOTAL_KEYS} for c, v in sorted(self.totals.items())},
            "ageing": {name: self.ageing[name].as_dict() for name, _, _ in BUCKETS},
            "by_step": {k: v.as_dict() for k, v in self.by_step.items()},
            "by_status": {k: v.as_dict() for k, v in self.by_status.items()},
            "by_jurisdiction": {k: v.as_dict() for k, v in sorted(self.by_jurisdiction.items())},
            "collected_per_month": {m: money(v) for m, v in sorted(self.collected.items())},
            "recovery_rate_percent": {c: f"{v:.1f}" for c, v in sorted(self.recovery.items())},
            "decisions": self.decisions,
            "per_claim": [c.as_dict() for c in self.claims],
        }


def portfolio_figures(day: date, claims: list[ClaimFigures], failed: list[dict[str, object]]) -> PortfolioFigures:
    totals: dict[str, dict[str, Decimal]] = defaultdict(lambda: dict.fromkeys(TOTAL_KEYS, ZERO))
    ageing = {name: Tally() for name, _, _ in BUCKETS}
    by_step: dict[str, Tally] = defaultdict(Tally)
    by_status: dict[str, Tally] = defaultdict(Tally)
    by_jurisdiction: dict[str, Tally] = defaultdict(Tally)
    collected: dict[str, dict[str, Decimal]] = defaultdict(lambda: defaultdict(lambda: ZERO))
    decisions: list[dict[str, object]] = []
    for figures in claims:
        statement, currency = figures.statement, figures.currency
        for key in TOTAL_KEYS:
            totals[currency][key] += statement.totals[key]
        due = statement.totals["due"]
        _age(statement, day, currency, ageing)
        position = "paid" if figures.step.status == "paid" else _position(figures.step)
        by_step[position].add(currency, due)
        by_status[figures.step.status].add(currency, due)
        by_jurisdiction[figures.jurisdiction].add(currency, due)
        for payment in statement.claim.payments:
            if payment.date <= day:
                collected[payment.date.strftime("%Y-%m")][currency] += payment.amount
        paused = figures.step.pauses[0] if figures.step.pauses else None
        if (
            figures.step.status in ("decision", "paused")
            or (figures.step.plan and figures.step.plan.state == "lapsed")
            or figures.step.refund_to_make
        ):
            since = paused.since if paused else figures.step.earliest
            decisions.append(
                {
                    "key": figures.key,
                    "reference": figures.reference,
                    "debtor": figures.debtor,
                    "currency": currency,
                    "due": f"{due:.2f}",
                    "since": since.isoformat() if since else None,
                    "decision": _decision(figures.step),
                    "paused": paused.kind if paused else None,
                    "reasons": list(figures.step.reasons),
                    "refund": f"{figures.step.refund:.2f}" if figures.step.refund_to_make else None,
                }
            )
    recovery = {}
    for currency, values in totals.items():
        base = values["paid"] + values["due"]
        recovery[currency] = (values["paid"] * 100 / base).quantize(Decimal("0.1")) if base > 0 else ZERO
    return PortfolioFigures(
        day,
        claims,
        failed,
        dict(totals),
        ageing,
        dict(by_step),
        dict(by_status),
        dict(by_jurisdiction),
        {m: dict(v) for m, v in collected.items()},
        recovery,
        sorted(decisions, key=lambda d: (str(d["since"]), str(d["reference"]))),
    )


def _decision(step: NextStep) -> str | None:
    """The decision a claim waits for: the next step of its ladder, or a refund to make (paid more than due)."""
    if step.refund_to_make:
        return "refund"
    return step.step.name if step.step else None


def _position(step: NextStep) -> str:
    if step.status == "plan":
        return "payment_plan"
    return step.taken.step.name if step.taken else "no_letter"


def _age(statement: Statement, day: date, currency: str, ageing: dict[str, Tally]) -> None:
    due = statement.totals["due"]
    if due <= ZERO:
        return
    lines = [(line.due_date, line.outstanding["total"]) for line in statement.invoices]
    unpaid = [(d, a) for d, a in lines if a > ZERO]
    placed = ZERO
    for due_date, amount in unpaid:
        ageing[bucket_of((day - due_date).days)].add(currency, amount)
        placed += amount
    rest = due - placed
    if rest != ZERO:
        oldest = min((d for d, _ in unpaid), default=min(d for d, _ in lines))
        ageing[bucket_of((day - oldest).days)].add(currency, rest, count=0 if unpaid else 1)
