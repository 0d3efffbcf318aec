"""The statement of account: what the debtor owes on a date, every figure with the rule behind it.

Events are typed (compensation falling due, a damages base measured, a payment) and processed in date order,
one day's in the named order of ``SameDay``; interest accrues up to and including a payment's day before it
is applied (``imputation``), then up to the as-of date. Same claim, same rules, same date: same statement.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from enum import IntEnum
from typing import ClassVar

from dossier.engine.accounts import Debt, Period
from dossier.engine.compensation import CompensationItem, allowed_amount
from dossier.engine.guard import calendar_bounded
from dossier.engine.imputation import AppliedPayment, apply_payment, debt_order
from dossier.engine.interest_plan import plan_interest
from dossier.engine.notes import Note
from dossier.engine.notices import find_notice, notice_kind
from dossier.engine.settlement import settle
from dossier.errors import ClaimError, RuleNotFound
from dossier.model import Claim, Payment
from dossier.money import ZERO, cents
from dossier.rules import DatedValue, Jurisdiction
from dossier.rules.schema import Imputation, Regime


@dataclass(frozen=True)
class InvoiceLine:
    number: str
    issued: date
    due_date: date
    amount: Decimal
    description: str | None
    regime: DatedValue
    interest_start: date | None
    periods: tuple[Period, ...]
    interest: Decimal
    compensation: Decimal
    paid: dict[str, Decimal]
    outstanding: dict[str, Decimal]
    daily_interest: Decimal


@dataclass(frozen=True)
class Statement:
    claim: Claim
    jurisdiction: str
    rules_version: str
    as_of: date
    currency: str
    invoices: tuple[InvoiceLine, ...]
    compensation: tuple[CompensationItem, ...]
    payments: tuple[AppliedPayment, ...]
    rules: tuple[DatedValue, ...]
    notes: tuple[str, ...]
    warnings: tuple[str, ...]
    totals: dict[str, Decimal] = field(default_factory=dict)
    outstanding: dict[str, Decimal] = field(default_factory=dict)
    credit: Decimal = ZERO
    daily_interest: Decimal = ZERO

    @property
    def due(self) -> Decimal:
        return self.totals["due"]

    def as_dict(self) -> dict[str, object]:
        """The JSON form (``dossier statement --json``, ``POST /v1/statements``): decimals as strings."""

        def money(values: dict[str, Decimal]) -> dict[str, str]:
            return {k: f"{v:.2f}" for k, v in values.items()}

        return {
            "reference": self.claim.reference,
            "jurisdiction": self.jurisdiction,
            "debtor_type": self.claim.debtor.type,
            "as_of": self.as_of.isoformat(),
            "currency": self.currency,
            "rules_version": self.rules_version,
            "totals": money(self.totals),
            "outstanding": money(self.outstanding),
            "credit": f"{self.credit:.2f}",
            "daily_interest": f"{self.daily_interest:.2f}",
            "invoices": [
                {
                    "number": line.number,
                    "date": line.issued.isoformat(),
                    "due_date": line.due_date.isoformat(),
                    "amount": f"{line.amount:.2f}",
                    "description": line.description,
                    "regime": line.regime.parameter,
                    "interest_start": line.interest_start.isoformat() if line.interest_start else None,
                    "periods": [p.as_dict() for p in line.periods],
                    "interest": f"{line.interest:.2f}",
                    "compensation": f"{line.compensation:.2f}",
                    "paid": money(line.paid),
                    "outstanding": money(line.outstanding),
                    "daily_interest": f"{line.daily_interest:.2f}",
                }
                for line in self.invoices
            ],
            "compensation": [c.as_dict() for c in self.compensation],
            "payments": [p.as_dict() for p in self.payments],
            "rules": [r.cite() for r in self.rules],
            "notes": list(self.notes),
            "warnings": list(self.warnings),
        }


class SameDay(IntEnum):
    """What comes first when several events fall on one day (lower first; events of one kind keep their order).

    - ``BASE_MEASURED``: damages whose base is the amount a notice stated (NL consumers, BW art. 6:96 lid 6: the
      14-day letter names the collection costs on the sum it demands) are measured on that sum, before a payment
      made on the letter's own day reduces it.
    - ``COMPENSATION_DUE``: compensation is due from the first day of lateness: per invoice the day after the due
      date (BE Law of 2 August 2002 art. 6, FR C.com. L441-10 and D441-5, GB Late Payment Act 1998 s.5A, NL BW
      art. 6:96 lid 4: due as soon as late-payment interest runs), after a notice the day after its period ends. A
      payment made on that day is a late payment: the compensation is owed before it and it pays it first.
    - ``PAYMENT``: a payment counts after every interest and compensation due on its day (interest accrues up
      to and including the payment day: the creditor did not have the money that day).
    """

    BASE_MEASURED = 0
    COMPENSATION_DUE = 1
    PAYMENT = 2


@dataclass
class _Group:
    """Invoices whose damages are owed together after one notice (e.g. one Book XIX first reminder)."""

    debts: list[Debt]
    regime: Regime
    notice_date: date
    rules: list[DatedValue]
    base: Decimal | None = None


@dataclass(frozen=True)
class CompensationDue:
    """An invoice's own compensation falls due (the day after its due date)."""

    day: date
    debt: Debt
    order: ClassVar[SameDay] = SameDay.COMPENSATION_DUE


@dataclass(frozen=True)
class BaseMeasured:
    """The day of a notice whose damages are computed on the sum it demanded."""

    day: date
    group: _Group
    order: ClassVar[SameDay] = SameDay.BASE_MEASURED


@dataclass(frozen=True)
class DamagesDue:
    """Damages on a group of invoices fall due (the day after the notice's period ends)."""

    day: date
    group: _Group
    order: ClassVar[SameDay] = SameDay.COMPENSATION_DUE


@dataclass(frozen=True)
class PaymentReceived:
    day: date
    payment: Payment
    order: ClassVar[SameDay] = SameDay.PAYMENT


Event = CompensationDue | BaseMeasured | DamagesDue | PaymentReceived


@dataclass
class _Ledger:
    """The debts of one statement as the events change them, and what the statement cites and notes."""

    claim: Claim
    rules: Jurisdiction
    as_of: date
    debts: list[Debt] = field(default_factory=list)  # one per invoice, oldest due first
    claim_debts: list[Debt] = field(default_factory=list)  # damages owed on a group of invoices
    compensation: list[CompensationItem] = field(default_factory=list)
    applied: list[AppliedPayment] = field(default_factory=list)
    used: dict[tuple[str, date], DatedValue] = field(default_factory=dict)
    notes: list[Note] = field(default_factory=list)

    def cite(self, values: Iterable[DatedValue | None]) -> None:
        for value in values:
            if value is not None:
                self.used.setdefault((value.parameter, value.start), value)

    def open_debts(self) -> None:
        """One debt per invoice, with its interest plan."""
        for invoice in sorted(self.claim.invoices, key=lambda i: (i.due_date, i.date, i.number)):
            plan = plan_interest(self.claim, self.rules, invoice, self.as_of)
            self.notes += plan.notes
            deadline = plan.notice.deadline if plan.notice else None
            self.cite([plan.regime, plan.fixed, deadline.rule if deadline else None])
            self.debts.append(Debt(key=invoice.number, invoice=invoice, principal=invoice.amount, plan=plan))

    def handle(self, event: Event, imputation: Imputation) -> None:
        match event:
            case CompensationDue():
                self._invoice_compensation(event)
            case BaseMeasured():
                event.group.base = sum((d.principal for d in event.group.debts), ZERO)
            case DamagesDue():
                self._group_damages(event)
            case PaymentReceived():
                order = debt_order(event.payment, self.claim_debts, self.debts)
                self.applied.append(apply_payment(event.payment, order, imputation))

    def accrue(self) -> None:
        """Interest up to the statement's date."""
        for debt in self.debts:
            debt.accrue(self.as_of)
            self.cite(p.rule for p in debt.periods)

    def _invoice_compensation(self, event: CompensationDue) -> None:
        debt = event.debt
        assert debt.plan is not None and debt.invoice is not None
        if debt.principal <= 0:
            return
        comp = debt.plan.regime.value.compensation
        amount, values, why = allowed_amount(
            comp, self.rules, debt.principal, debt.invoice.due_date, self.claim.terms.penalty, self.claim.creditor
        )
        self.cite(values)
        if amount > 0:
            debt.add_costs(amount)
            self.compensation.append(
                CompensationItem((debt.key,), comp.method, debt.principal, amount, event.day, tuple(values), why)
            )

    def _group_damages(self, event: DamagesDue) -> None:
        group = event.group
        outstanding = sum((d.principal for d in group.debts), ZERO)
        self.cite(group.rules)
        if outstanding <= 0:
            self.notes.append(Note("paid_within_period", day=group.notice_date))
            return
        base = group.base if group.base is not None else outstanding
        rule = group.regime.compensation
        amount, values, why = allowed_amount(
            rule, self.rules, base, group.notice_date, self.claim.terms.penalty, self.claim.creditor
        )
        self.cite(values)
        numbers = tuple(d.key for d in group.debts)
        if amount <= 0:
            self.notes.append(Note("no_damages", invoices=numbers, why=why))
            return
        damages = Debt(
            key=f"damages {group.notice_date.isoformat()}", invoice=None, principal=ZERO, notice=group.notice_date
        )
        damages.add_costs(amount)
        self.claim_debts.append(damages)
        self.compensation.append(CompensationItem(numbers, rule.method, base, amount, event.day, tuple(values), why))


@calendar_bounded
def compute_statement(claim: Claim, rules: Jurisdiction, as_of: date) -> Statement:
    """What ``claim`` amounts to on ``as_of`` under ``rules``."""
    if claim.currency != rules.currency:
        raise ClaimError(
            f"{claim.currency} differs from the currency of {rules.code} rules ({rules.currency})",
            file="claim.yaml",
            path="currency",
            hint="fixed sums and scales are defined in the jurisdiction's currency",
        )
    ledger = _Ledger(claim, rules, as_of)
    ledger.open_debts()
    imputation_value = rules.at(rules.meta.imputation, min(i.due_date for i in claim.invoices))
    ledger.cite([imputation_value])
    events = _compensation_events(ledger) + _payment_events(claim, as_of, ledger.notes)
    for event in sorted(events, key=lambda e: (e.day, e.order)):  # stable: one day's events of a kind keep order
        if event.day <= as_of:
            ledger.handle(event, imputation_value.value)
    ledger.accrue()
    return settle(_assemble(ledger), lambda settled, day: compute_statement(settled, rules, day))


def _compensation_events(ledger: _Ledger) -> list[Event]:
    """When each invoice's compensation, or each notice's damages, falls due under its regime."""
    events: list[Event] = []
    groups: dict[tuple[date, str], _Group] = {}
    for debt in ledger.debts:
        assert debt.plan is not None and debt.invoice is not None
        regime: Regime = debt.plan.regime.value
        comp = regime.compensation
        if comp.method == "per_invoice":
            events.append(CompensationDue(debt.invoice.due_date + timedelta(days=1), debt))
        elif comp.method in {"on_claim_after_notice", "contract_clause"}:
            assert comp.notice is not None
            kind = notice_kind(comp.notice)
            found = find_notice(ledger.claim, ledger.rules, comp.notice, debt.invoice.due_date, ledger.as_of, kind)
            if found is None:
                ledger.notes.append(Note("no_costs_before_notice", debt=debt.key, notice=comp.notice.history))
                continue
            key = (found.item.date, debt.plan.regime.parameter)
            group = groups.get(key)
            if group is None:
                deadline_rules = [found.deadline.rule] if found.deadline else []
                group = groups[key] = _Group([], regime, found.item.date, deadline_rules)
                if comp.base_at == "notice":
                    events.append(BaseMeasured(found.item.date, group))
                trigger = (found.deadline.last_day if found.deadline else found.item.date) + timedelta(days=1)
                events.append(DamagesDue(trigger, group))
            group.debts.append(debt)
    return events


def _payment_events(claim: Claim, as_of: date, notes: list[Note]) -> list[Event]:
    """The payments made by ``as_of``, in date order (one day's by the invoice they name, then amount)."""
    counted = sorted((p for p in claim.payments if p.date <= as_of), key=lambda p: (p.date, p.invoice or "", p.amount))
    if len(counted) < len(claim.payments):
        notes.append(Note("payments_after", day=as_of))
    return [PaymentReceived(p.date, p) for p in counted]


def _invoice_line(debt: Debt, per_day: Decimal) -> InvoiceLine:
    assert debt.invoice is not None and debt.plan is not None
    return InvoiceLine(
        number=debt.key,
        issued=debt.invoice.date,
        due_date=debt.invoice.due_date,
        amount=debt.invoice.amount,
        description=debt.invoice.description,
        regime=debt.plan.regime,
        interest_start=debt.plan.start,
        periods=tuple(debt.periods),
        interest=debt.interest_total,
        compensation=debt.costs_total,
        paid=dict(debt.paid),
        outstanding={
            "principal": debt.principal,
            "interest": debt.interest,
            "compensation": debt.costs,
            "total": debt.principal + debt.interest + debt.costs,
        },
        daily_interest=cents(per_day),
    )


def _assemble(ledger: _Ledger) -> Statement:
    claim, rules, as_of, debts = ledger.claim, ledger.rules, ledger.as_of, ledger.debts
    per_day, per_day_warning = _per_day(debts, as_of)
    everything = debts + ledger.claim_debts
    outstanding = {
        "principal": sum((d.principal for d in everything), ZERO),
        "interest": sum((d.interest for d in everything), ZERO),
        "compensation": sum((d.costs for d in everything), ZERO),
        "costs": ZERO,
    }
    outstanding["total"] = sum(outstanding.values(), ZERO)
    totals = {
        "principal": claim.principal,
        "paid": sum((p.payment.amount for p in ledger.applied), ZERO),
        "interest": sum((d.interest_total for d in debts), ZERO),
        "compensation": sum((c.amount for c in ledger.compensation), ZERO),
        "costs": ZERO,
        "due": outstanding["total"],
    }
    rules_used = tuple(sorted(ledger.used.values(), key=lambda v: (v.parameter, v.start)))
    warnings = tuple(
        f"{v.parameter} ({v.start.isoformat()} to {v.end.isoformat() if v.end else 'open'}) is unconfirmed: "
        f"{v.note or 'check it against the official publication'}"
        for v in rules_used
        if v.status == "unconfirmed"
    ) + ((per_day_warning,) if per_day_warning else ())
    return Statement(
        claim=claim,
        jurisdiction=rules.code,
        rules_version=rules.version,
        as_of=as_of,
        currency=claim.currency,
        invoices=tuple(_invoice_line(d, per_day[d.key]) for d in debts),
        compensation=tuple(ledger.compensation),
        payments=tuple(ledger.applied),
        rules=rules_used,
        notes=tuple(dict.fromkeys(ledger.notes)),
        warnings=warnings,
        totals=totals,
        outstanding=outstanding,
        credit=sum((p.unapplied for p in ledger.applied), ZERO),
        daily_interest=cents(sum(per_day.values(), ZERO)),
    )


def _per_day(debts: list[Debt], as_of: date) -> tuple[dict[str, Decimal], str | None]:
    """Interest per day after ``as_of``, per debt. On the last day the rules data covers, the rate of the next day
    is not known yet: the figure then uses the rate in force on ``as_of``, and says so (a warning)."""
    tomorrow = as_of + timedelta(days=1)
    try:
        return {d.key: d.daily_interest(tomorrow) for d in debts}, None
    except RuleNotFound as exc:
        figures = {d.key: d.daily_interest(tomorrow, rate_day=as_of) for d in debts}
        return figures, (
            f"the rules data has no rate in force on {tomorrow.isoformat()} yet ({exc.file}): the interest per day "
            f"after {as_of.isoformat()} is given at the rate in force on {as_of.isoformat()}; it changes if the rate "
            "published for that day differs"
        )
