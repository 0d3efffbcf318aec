"""Running balances of one debt (an invoice, or damages owed on a group of invoices).

Interest accrues on principal plus capitalised interest; payments are applied
to costs, interest and principal in the jurisdiction's order. A balance part
never goes below zero.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from dossier.engine.interest import anniversary, period_interest, year_days
from dossier.engine.interest_plan import InterestPlan
from dossier.model import Invoice
from dossier.money import ZERO
from dossier.rules import DatedValue


@dataclass(frozen=True)
class Period:
    """Interest on one base at one rate for a run of days, rounded once."""

    invoice: str
    first: date
    last: date
    days: int
    year_days: int
    percent: Decimal
    base: Decimal
    amount: Decimal
    source: str
    rule: DatedValue | None

    def as_dict(self) -> dict[str, object]:
        return {
            "from": self.first.isoformat(),
            "to": self.last.isoformat(),
            "days": self.days,
            "year_days": self.year_days,
            "rate": str(self.percent),
            "base": f"{self.base:.2f}",
            "amount": f"{self.amount:.2f}",
            "rate_source": self.source,
            "rule": self.rule.parameter if self.rule else None,
        }


@dataclass
class Debt:
    key: str
    invoice: Invoice | None
    principal: Decimal
    plan: InterestPlan | None = None
    notice: date | None = None  # damages owed on the claim: the day of the letter after which they are due
    costs: Decimal = ZERO
    interest_open: Decimal = ZERO
    interest_capitalised: Decimal = ZERO
    accrued_to: date | None = None
    periods: list[Period] = field(default_factory=list)
    paid: dict[str, Decimal] = field(default_factory=lambda: {"costs": ZERO, "interest": ZERO, "principal": ZERO})
    costs_total: Decimal = ZERO

    @property
    def interest(self) -> Decimal:
        return self.interest_open + self.interest_capitalised

    @property
    def interest_total(self) -> Decimal:
        return sum((p.amount for p in self.periods), ZERO)

    def owed(self, part: str) -> Decimal:
        return {"costs": self.costs, "interest": self.interest, "principal": self.principal}[part]

    def add_costs(self, amount: Decimal) -> None:
        self.costs += amount
        self.costs_total += amount

    def pay(self, part: str, amount: Decimal) -> None:
        if part == "costs":
            self.costs -= amount
        elif part == "principal":
            self.principal -= amount
        else:  # the oldest interest, capitalised, goes first
            from_capitalised = min(amount, self.interest_capitalised)
            self.interest_capitalised -= from_capitalised
            self.interest_open -= amount - from_capitalised
        self.paid[part] += amount

    def accrue(self, upto: date) -> None:
        """Add interest for every day from the last one accrued up to and including ``upto``."""
        plan = self.plan
        if plan is None or plan.start is None or upto < plan.start:
            return
        first = plan.start if self.accrued_to is None else max(plan.start, self.accrued_to + timedelta(days=1))
        if first > upto:
            return
        for segment in plan.segments(first, upto):
            for a, b in self._cuts(segment.first, segment.last):
                if plan.compounding == "yearly" and a != plan.start and self._is_anniversary(a):
                    self.interest_capitalised += self.interest_open
                    self.interest_open = ZERO
                base = self.principal + self.interest_capitalised
                if base <= 0:
                    continue
                days = (b - a).days + 1
                denominator = year_days(a, plan.day_count)
                amount = period_interest(base, segment.percent, days, denominator)
                self.periods.append(
                    Period(
                        self.key, a, b, days, denominator, segment.percent, base, amount, segment.source, segment.rule
                    )
                )
                self.interest_open += amount
        self.accrued_to = upto

    def daily_interest(self, day: date, rate_day: date | None = None) -> Decimal:
        """Interest one more day, ``day``, would add (for 'interest keeps running at ... per day'), at the rate in
        force on ``rate_day`` (default: ``day``)."""
        plan = self.plan
        if plan is None or plan.start is None or day < plan.start:
            return ZERO
        base = self.principal + self.interest_capitalised
        on = rate_day or day
        percent = plan.segments(on, on)[0].percent
        return base * percent / (Decimal(100) * year_days(day, plan.day_count))

    def _is_anniversary(self, day: date) -> bool:
        assert self.plan is not None and self.plan.start is not None
        years = day.year - self.plan.start.year
        return years > 0 and anniversary(self.plan.start, years) == day

    def _cuts(self, first: date, last: date) -> list[tuple[date, date]]:
        """Split ``[first, last]`` at year starts (actual/actual) and interest anniversaries (compounding)."""
        assert self.plan is not None and self.plan.start is not None
        starts = {first}
        for year in range(first.year + 1, last.year + 1):
            if self.plan.day_count == "actual/actual":
                starts.add(date(year, 1, 1))
        if self.plan.compounding == "yearly":
            n = 1
            while (day := anniversary(self.plan.start, n)) <= last:
                if day > first:
                    starts.add(day)
                n += 1
        ordered = sorted(starts)
        return [
            (a, (ordered[i + 1] - timedelta(days=1)) if i + 1 < len(ordered) else last) for i, a in enumerate(ordered)
        ]
