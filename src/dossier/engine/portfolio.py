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
from typing import Any

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
IDENTITY = ("key", "reference", "jurisdiction", "debtor", "currency")


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


@dataclass(frozen=True, slots=True)
class ClaimFigures:
    """One claim's figures on a day, as plain values: what the report, ``dossier next`` and the portal's list
    need, so that the portfolio index can keep them and give them back without computing the statement again."""

    key: str
    reference: str
    jurisdiction: str
    debtor: str
    currency: str
    creditor: str
    creditor_number: str | None
    totals: dict[str, Decimal]
    invoices: tuple[tuple[date, Decimal], ...]  # each invoice's due date and what is still owed on it
    payments: tuple[tuple[date, Decimal], ...]
    step: dict[str, Any]  # NextStep.as_dict()
    labels: dict[str, dict[str, str]]  # the taken and next steps' names -> language -> label
    sent: dict[str, int] = field(default_factory=dict)  # letters the journal records as sent, per kind (fees)

    @classmethod
    def of(cls, key: str, statement: Statement, step: NextStep, sent: dict[str, int] | None = None) -> ClaimFigures:
        claim = statement.claim
        steps = [s for s in (step.taken.step if step.taken else None, step.step) if s is not None]
        return cls(
            key,
            claim.reference,
            step.jurisdiction,
            claim.debtor.name,
            statement.currency,
            claim.creditor.name,
            claim.creditor.company_number,
            {k: statement.totals[k] for k in TOTAL_KEYS},
            tuple((line.due_date, line.outstanding["total"]) for line in statement.invoices),
            tuple((p.date, p.amount) for p in claim.payments),
            step.as_dict(),
            {s.name: {lang: str(text) for lang, text in s.label.items()} for s in steps},
            dict(sent or {}),
        )

    @property
    def status(self) -> str:
        return str(self.step["status"])

    @property
    def taken(self) -> str | None:
        return self.step["taken"]["step"] if self.step.get("taken") else None

    @property
    def next(self) -> str | None:
        return self.step["next"]["step"] if self.step.get("next") else None

    @property
    def earliest(self) -> date | None:
        return date.fromisoformat(self.step["earliest"]) if self.step.get("earliest") else None

    @property
    def pause(self) -> dict[str, Any] | None:
        """The most binding reason the ladder is paused (kind, since, until, reason)."""
        return self.step["paused"][0] if self.step.get("paused") else None

    @property
    def reasons(self) -> list[str]:
        return list(self.step.get("reasons") or [])

    def label(self, name: str | None, language: str) -> str:
        return self.labels.get(name or "", {}).get(language, "") if name else ""

    def as_dict(self) -> dict[str, object]:
        return {k: getattr(self, k) for k in IDENTITY} | {
            "totals": {k: f"{self.totals[k]:.2f}" for k in TOTAL_KEYS},
            "status": self.status,
            "taken": self.taken,
            "next": self.next,
            "earliest": self.step.get("earliest"),
        }

    def as_row(self) -> dict[str, Any]:
        """JSON-ready (amounts as strings, dates ISO), read back by ``from_row``."""
        return {k: getattr(self, k) for k in (*IDENTITY, "creditor", "creditor_number")} | {
            "totals": {k: str(v) for k, v in self.totals.items()},
            "invoices": [[d.isoformat(), str(a)] for d, a in self.invoices],
            "payments": [[d.isoformat(), str(a)] for d, a in self.payments],
            "step": self.step,
            "labels": self.labels,
            "sent": self.sent,
        }

    @classmethod
    def from_row(cls, row: dict[str, Any], shared: dict[object, Any] | None = None) -> ClaimFigures:
        """The figures ``as_row`` gave; equal dates and amounts taken from ``shared`` when given (immutable values,
        kept once for the many claims a server holds)."""
        pool: dict[object, Any] = {} if shared is None else shared

        def one(kind: type[date] | type[Decimal], text: str) -> Any:
            found = pool.get((kind, text))
            if found is None:
                found = pool[(kind, text)] = date.fromisoformat(text) if kind is date else Decimal(text)
            return found

        def dated(pairs: list[list[str]]) -> tuple[tuple[date, Decimal], ...]:
            return tuple((one(date, d), one(Decimal, a)) for d, a in pairs)

        return cls(
            row["key"],
            row["reference"],
            row["jurisdiction"],
            row["debtor"],
            row["currency"],
            row["creditor"],
            row["creditor_number"],
            {k: one(Decimal, v) for k, v in row["totals"].items()},
            dated(row["invoices"]),
            dated(row["payments"]),
            row["step"],
            row["labels"],
            row.get("sent", {}),
        )


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
        currency = figures.currency
        for key in TOTAL_KEYS:
            totals[currency][key] += figures.totals[key]
        due = figures.totals["due"]
        _age(figures, day, ageing)
        by_step[_position(figures)].add(currency, due)
        by_status[figures.status].add(currency, due)
        by_jurisdiction[figures.jurisdiction].add(currency, due)
        for paid_on, amount in figures.payments:
            if paid_on <= day:
                collected[paid_on.strftime("%Y-%m")][currency] += amount
        paused = figures.pause
        plan = figures.step.get("plan") or {}
        refund = figures.step.get("refund")
        if figures.status in ("decision", "paused") or plan.get("state") == "lapsed" or refund:
            since = paused["since"] if paused else figures.step.get("earliest")
            decisions.append(
                {
                    "key": figures.key,
                    "reference": figures.reference,
                    "debtor": figures.debtor,
                    "currency": currency,
                    "due": f"{due:.2f}",
                    "since": since,
                    "decision": "refund" if refund else figures.next,
                    "paused": paused["kind"] if paused else None,
                    "reasons": figures.reasons,
                    "refund": refund,
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


def _position(figures: ClaimFigures) -> str:
    if figures.status in ("paid", "plan"):
        return {"paid": "paid", "plan": "payment_plan"}[figures.status]
    return figures.taken or "no_letter"


def _age(figures: ClaimFigures, day: date, ageing: dict[str, Tally]) -> None:
    due, currency = figures.totals["due"], figures.currency
    if due <= ZERO:
        return
    lines = list(figures.invoices)
    unpaid = [(d, a) for d, a in lines if a > ZERO]
    placed = ZERO
    for due_date, amount in unpaid:
        ageing[bucket_of((day - due_date).days)].add(currency, amount)
        placed += amount
    rest = due - placed
    if rest != ZERO:
        oldest = min((d for d, _ in unpaid), default=min(d for d, _ in lines))
        ageing[bucket_of((day - oldest).days)].add(currency, rest, count=0 if unpaid else 1)
