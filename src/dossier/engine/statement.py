"""The statement of account: what the debtor owes on a date, every figure with the rule behind it.

Events are processed in date order: compensation falling due, payments (after
interest has accrued up to and including the payment day), then interest up to
the as-of date. Same claim, same rules, same date: same statement.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from dossier.engine.accounts import Debt, Period
from dossier.engine.compensation import CompensationItem, allowed_amount
from dossier.engine.guard import calendar_bounded
from dossier.engine.interest_plan import plan_interest
from dossier.engine.notes import Note
from dossier.engine.notices import find_notice, notice_kind
from dossier.errors import ClaimError, RuleNotFound
from dossier.model import Claim, Payment
from dossier.money import ZERO, cents
from dossier.rules import DatedValue, Jurisdiction
from dossier.rules.schema import Imputation, Regime


@dataclass(frozen=True)
class Application:
    debt: str
    part: str
    amount: Decimal
    notice: date | None = None  # damages owed on the claim: their letter's date (documents name them by it)


@dataclass(frozen=True)
class AppliedPayment:
    payment: Payment
    applications: tuple[Application, ...]
    unapplied: Decimal

    def as_dict(self) -> dict[str, object]:
        return {
            "date": self.payment.date.isoformat(),
            "amount": f"{self.payment.amount:.2f}",
            "reference": self.payment.reference,
            "invoice": self.payment.invoice,
            "applied": [{"debt": a.debt, "part": a.part, "amount": f"{a.amount:.2f}"} for a in self.applications],
            "unapplied": f"{self.unapplied:.2f}",
        }


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


@dataclass
class _Group:
    """Invoices whose damages are owed together after one notice (e.g. one Book XIX first reminder)."""

    debts: list[Debt]
    regime: Regime
    regime_value: DatedValue
    notice_date: date
    trigger: date
    rules: list[DatedValue]
    base: Decimal | None = None


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
    used: dict[tuple[str, date], DatedValue] = {}
    notes: list[str] = []

    def cite(values: Iterable[DatedValue | None]) -> None:
        for value in values:
            if value is not None:
                used.setdefault((value.parameter, value.start), value)

    invoices = sorted(claim.invoices, key=lambda i: (i.due_date, i.date, i.number))
    debts: list[Debt] = []
    for invoice in invoices:
        plan = plan_interest(claim, rules, invoice, as_of)
        notes += plan.notes
        cite([plan.regime, plan.fixed])
        if plan.notice is not None and plan.notice.deadline is not None:
            cite([plan.notice.deadline.rule])
        debts.append(Debt(key=invoice.number, invoice=invoice, principal=invoice.amount, plan=plan))
    by_number = {d.key: d for d in debts}

    imputation_value = rules.at(rules.meta.imputation, min(i.due_date for i in invoices))
    cite([imputation_value])
    imputation: Imputation = imputation_value.value

    # events: (day, order, sequence, action); compensation falls due before same-day payments
    events: list[tuple[date, int, int, object]] = []
    groups: dict[tuple[date, str], _Group] = {}
    for debt in debts:
        assert debt.plan is not None and debt.invoice is not None
        regime: Regime = debt.plan.regime.value
        comp = regime.compensation
        if comp.method == "per_invoice":
            events.append((debt.invoice.due_date + timedelta(days=1), 0, len(events), ("invoice", debt)))
        elif comp.method in {"on_claim_after_notice", "contract_clause"}:
            assert comp.notice is not None
            found = find_notice(claim, rules, comp.notice, debt.invoice.due_date, as_of, notice_kind(comp.notice))
            if found is None:
                notes.append(Note("no_costs_before_notice", debt=debt.key, notice=comp.notice.history))
                continue
            trigger = (found.deadline.last_day if found.deadline else found.item.date) + timedelta(days=1)
            key = (found.item.date, debt.plan.regime.parameter)
            group = groups.get(key)
            if group is None:
                group = _Group(
                    [],
                    regime,
                    debt.plan.regime,
                    found.item.date,
                    trigger,
                    [found.deadline.rule] if found.deadline else [],
                )
                groups[key] = group
                if comp.base_at == "notice":
                    events.append((found.item.date, -1, len(events), ("measure", group)))
                events.append((trigger, 0, len(events), ("group", group)))
            group.debts.append(debt)
    counted_payments = sorted(
        (p for p in claim.payments if p.date <= as_of), key=lambda p: (p.date, p.invoice or "", p.amount)
    )
    if len(counted_payments) < len(claim.payments):
        notes.append(Note("payments_after", day=as_of))
    for payment in counted_payments:
        events.append((payment.date, 1, len(events), ("payment", payment)))
    events.sort(key=lambda e: (e[0], e[1], e[2]))

    compensation: list[CompensationItem] = []
    applied: list[AppliedPayment] = []
    group_debts: list[Debt] = []
    for day, _, _, (kind, subject) in events:  # type: ignore[misc]
        if day > as_of:
            continue
        if kind == "invoice":
            debt = subject
            if debt.principal > 0:
                comp = debt.plan.regime.value.compensation
                amount, values, why = allowed_amount(
                    comp, rules, debt.principal, debt.invoice.due_date, claim.terms.penalty, claim.creditor
                )
                cite(values)
                if amount > 0:
                    debt.add_costs(amount)
                    compensation.append(
                        CompensationItem((debt.key,), comp.method, debt.principal, amount, day, tuple(values), why)
                    )
        elif kind == "measure":
            subject.base = sum((d.principal for d in subject.debts), ZERO)
        elif kind == "group":
            group: _Group = subject
            outstanding = sum((d.principal for d in group.debts), ZERO)
            cite(group.rules)
            if outstanding <= 0:
                notes.append(Note("paid_within_period", day=group.notice_date))
                continue
            base = group.base if group.base is not None else outstanding
            amount, values, why = allowed_amount(
                group.regime.compensation, rules, base, group.notice_date, claim.terms.penalty, claim.creditor
            )
            cite(values)
            numbers = tuple(d.key for d in group.debts)
            if amount > 0:
                damages = Debt(
                    key=f"damages {group.notice_date.isoformat()}",
                    invoice=None,
                    principal=ZERO,
                    notice=group.notice_date,
                )
                damages.add_costs(amount)
                group_debts.append(damages)
                compensation.append(
                    CompensationItem(numbers, group.regime.compensation.method, base, amount, day, tuple(values), why)
                )
            else:
                notes.append(Note("no_damages", invoices=numbers, why=why))
        else:
            payment: Payment = subject
            applied.append(_apply(payment, group_debts, debts, by_number, imputation))

    for debt in debts:
        debt.accrue(as_of)
        assert debt.plan is not None
        cite(p.rule for p in debt.periods)

    return _assemble(claim, rules, as_of, debts, group_debts, compensation, applied, used, notes)


def _apply(
    payment: Payment, group_debts: list[Debt], debts: list[Debt], by_number: dict[str, Debt], imputation: Imputation
) -> AppliedPayment:
    """Apply one payment: the designated invoice first, then damages owed on the claim, then oldest first."""
    order: list[Debt] = []
    if payment.invoice is not None:
        order.append(by_number[payment.invoice])
    order += [d for d in group_debts + debts if d not in order]
    remaining = payment.amount
    applications: list[Application] = []
    for debt in order:
        debt.accrue(payment.date)  # only debts a payment reaches get a period boundary on its day
        for part in imputation.order:
            take = min(remaining, debt.owed(part))
            if take > 0:
                debt.pay(part, take)
                applications.append(Application(debt.key, part, take, debt.notice))
                remaining -= take
        if remaining == 0:
            break
    return AppliedPayment(payment, tuple(applications), remaining)


def _assemble(
    claim: Claim,
    rules: Jurisdiction,
    as_of: date,
    debts: list[Debt],
    group_debts: list[Debt],
    compensation: list[CompensationItem],
    applied: list[AppliedPayment],
    used: dict[tuple[str, date], DatedValue],
    notes: list[str],
) -> Statement:
    per_day, per_day_warning = _per_day(debts, as_of)
    lines = []
    for debt in debts:
        assert debt.invoice is not None and debt.plan is not None
        lines.append(
            InvoiceLine(
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
                daily_interest=cents(per_day[debt.key]),
            )
        )
    everything = debts + group_debts
    paid_total = sum((p.payment.amount for p in applied), ZERO)
    credit = sum((p.unapplied for p in applied), ZERO)
    outstanding = {
        "principal": sum((d.principal for d in everything), ZERO),
        "interest": sum((d.interest for d in everything), ZERO),
        "compensation": sum((d.costs for d in everything), ZERO),
        "costs": ZERO,
    }
    outstanding["total"] = sum(outstanding.values(), ZERO)
    totals = {
        "principal": claim.principal,
        "paid": paid_total,
        "interest": sum((d.interest_total for d in debts), ZERO),
        "compensation": sum((c.amount for c in compensation), ZERO),
        "costs": ZERO,
        "due": outstanding["total"],
    }
    rules_used = tuple(sorted(used.values(), key=lambda v: (v.parameter, v.start)))
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
        invoices=tuple(lines),
        compensation=tuple(compensation),
        payments=tuple(applied),
        rules=rules_used,
        notes=tuple(dict.fromkeys(notes)),
        warnings=warnings,
        totals=totals,
        outstanding=outstanding,
        credit=credit,
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
