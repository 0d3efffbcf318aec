"""Per invoice: from when interest runs and at which rate, as the regime in force says.

The plan is decided once per invoice (start day, rate source, day count,
compounding); the statement then accrues it between events.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from dossier.engine.notes import Note
from dossier.engine.notices import NoticeFound, find_notice, notice_kind
from dossier.model import Claim, Invoice
from dossier.rules import DatedValue, Jurisdiction, Parameter, Regime

HUNDRED = Decimal(100)


@dataclass(frozen=True)
class RateSegment:
    first: date
    last: date
    percent: Decimal
    source: str  # statutory | contract | contract_capped | legal_fallback
    rule: DatedValue | None


@dataclass
class InterestPlan:
    invoice: Invoice
    regime: DatedValue
    start: date | None
    day_count: str
    compounding: str
    contract_percent: Decimal | None = None
    parameter: Parameter | None = None
    cap: Parameter | None = None
    source: str = "statutory"
    fixed: DatedValue | None = None
    notice: NoticeFound | None = None
    notes: list[str] = field(default_factory=list)

    def segments(self, first: date, last: date) -> list[RateSegment]:
        """Rates over ``[first, last]``, split wherever the rate in force changes."""
        if self.contract_percent is not None and self.cap is None:
            return [RateSegment(first, last, self.contract_percent, "contract", None)]
        if self.contract_percent is not None and self.cap is not None:
            out = []
            for a, b, cap in self.cap.segments(first, last):
                if self.contract_percent <= cap.value:
                    out.append(RateSegment(a, b, self.contract_percent, "contract", cap))
                else:
                    out.append(RateSegment(a, b, cap.value, "contract_capped", cap))
            return out
        if self.fixed is not None:
            return [RateSegment(first, last, self.fixed.value, self.source, self.fixed)]
        assert self.parameter is not None
        return [RateSegment(a, b, v.value, self.source, v) for a, b, v in self.parameter.segments(first, last)]


def plan_interest(claim: Claim, rules: Jurisdiction, invoice: Invoice, as_of: date) -> InterestPlan:
    regime_value = rules.regime(claim.debtor.type, invoice.due_date)
    regime: Regime = regime_value.value
    rule = regime.interest
    plan = InterestPlan(
        invoice=invoice, regime=regime_value, start=None, day_count=rule.day_count, compounding=rule.compounding
    )

    if rule.starts == "day_after_due_date":
        plan.start = invoice.due_date + timedelta(days=1)
    else:
        assert rule.notice is not None
        found = find_notice(claim, rules, rule.notice, invoice.due_date, as_of, notice_kind(rule.notice))
        plan.notice = found
        label = rule.notice.history
        if found is None:
            plan.notes.append(Note("no_notice_no_interest", invoice=invoice.number, notice=label))
        elif rule.starts == "day_after_notice":
            plan.start = found.item.date + timedelta(days=1)
        else:
            assert found.deadline is not None
            plan.start = found.deadline.last_day + timedelta(days=1)
        if found is not None and found.channel_assumed:
            plan.notes.append(Note("channel_assumed", invoice=invoice.number, notice=label, day=found.item.date))

    contract = claim.terms.interest_rate
    use_contract = contract is not None and rule.contract_rate != "ignored"
    if use_contract:
        assert contract is not None
        percent = contract * HUNDRED
        if rule.contract_rate == "capped":
            assert rule.cap is not None
            cap = rules.parameter(rule.cap)
            if rule.cap_excess == "void":
                at = plan.start or invoice.due_date + timedelta(days=1)
                cap_value = cap.at(at)
                if percent > cap_value.value:
                    assert rule.void_fallback is not None
                    plan.parameter = rules.parameter(rule.void_fallback)
                    plan.source = "legal_fallback"
                    plan.notes.append(
                        Note(
                            "rate_void",
                            invoice=invoice.number,
                            percent=str(percent.normalize()),
                            cap=str(cap_value.value),
                            cap_rule=cap_value.parameter,
                            fallback=rule.void_fallback,
                        )
                    )
                    return plan
                plan.contract_percent = percent
            else:
                plan.contract_percent = percent
                plan.cap = cap
        else:
            plan.contract_percent = percent
        return plan

    rate = rule.rate_by_creditor.get(claim.creditor.type, rule.rate)
    if rate is None:
        if plan.start is not None:
            plan.notes.append(Note("no_interest", invoice=invoice.number))
        plan.start = None
        return plan
    plan.parameter = rules.parameter(rate)
    if rule.rate_fixed_at_start and plan.start is not None:
        plan.fixed = plan.parameter.at(plan.start)
    return plan
