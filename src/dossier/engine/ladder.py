"""The next collection step of a claim: which step of the jurisdiction's ladder was taken last, which comes next,
the earliest day it may be taken, and why (the rules and their sources).

Pure: the claim's history (with the letters of its ledger already added) and the rules are the only inputs.
A step may follow a letter once the period that letter gave has run out (its deadline, computed by the same
rules as the letter) and the ladder's minimum wait has passed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from dossier.engine.deadlines import compute_deadline
from dossier.engine.guard import calendar_bounded
from dossier.engine.pauses import Pause, pauses
from dossier.engine.plan_tracking import PlanStatus, plan_status
from dossier.engine.settlement import ladder_hold
from dossier.engine.statement import Statement, compute_statement
from dossier.model import Claim
from dossier.rules import Jurisdiction
from dossier.rules.parameter import DatedValue
from dossier.rules.schema import Ladder, LadderStep

ZERO = Decimal("0.00")
#: what ``next_step`` can say of a claim
STATUSES = ("due", "decision", "waiting", "plan", "paid", "paused")


def deadline_kind(document: str, level: int) -> str:
    """The deadline rule a letter uses (see ``jurisdiction.yaml``: deadlines)."""
    if document == "formal-notice":
        return "formal_notice"
    return "reminder" if level == 1 else "reminder_followup"


@dataclass(frozen=True)
class Taken:
    """A letter of the ladder that was sent."""

    step: LadderStep
    sent: date
    channel: str
    deadline: date | None
    rule: DatedValue | None = field(default=None, repr=False)  # the deadline rule that gave ``deadline``

    def as_dict(self) -> dict[str, object]:
        return {
            "step": self.step.name,
            "document": self.step.document,
            "level": self.step.level,
            "sent": self.sent.isoformat(),
            "channel": self.channel,
            "deadline": self.deadline.isoformat() if self.deadline else None,
        }


@dataclass(frozen=True)
class NextStep:
    reference: str
    jurisdiction: str
    debtor_type: str
    day: date
    status: str
    due: Decimal
    currency: str
    taken: Taken | None
    step: LadderStep | None
    earliest: date | None
    reasons: tuple[str, ...]
    sources: tuple[str, ...]
    plan: PlanStatus | None = None
    ladder: DatedValue | None = field(default=None, repr=False)
    pauses: tuple[Pause, ...] = ()  # why the ladder is paused (status "paused"), most binding first
    refund: Decimal = ZERO  # paid more than due (status "paid"): what the creditor must pay back

    @property
    def refund_to_make(self) -> bool:
        return self.refund > ZERO

    @property
    def actionable(self) -> bool:
        """A letter to send on ``day`` (what ``dossier run`` generates)."""
        return self.status == "due" and self.step is not None and self.step.document is not None

    def label(self, language: str = "en") -> str:
        return self.step.label[language] if self.step else ""  # type: ignore[index]

    def as_dict(self) -> dict[str, object]:
        return {
            "reference": self.reference,
            "jurisdiction": self.jurisdiction,
            "debtor_type": self.debtor_type,
            "date": self.day.isoformat(),
            "status": self.status,
            "due": f"{self.due:.2f}",
            "currency": self.currency,
            "taken": self.taken.as_dict() if self.taken else None,
            "next": (
                {
                    "step": self.step.name,
                    "document": self.step.document,
                    "level": self.step.level,
                    "label": self.step.label["en"],
                }
                if self.step
                else None
            ),
            "earliest": self.earliest.isoformat() if self.earliest else None,
            "reasons": list(self.reasons),
            "sources": list(self.sources),
            "plan": self.plan.as_dict() if self.plan else None,
            "ladder": self.ladder.parameter if self.ladder else None,
            "paused": [p.as_dict() for p in self.pauses],
            "refund": f"{self.refund:.2f}" if self.refund_to_make else None,
        }


def taken_steps(claim: Claim, rules: Jurisdiction, ladder: Ladder) -> list[Taken]:
    """The ladder's letters found in the claim's history, oldest first; the k-th reminder is level k."""
    by_level = {s.level: s for s in ladder.steps if s.level is not None}
    notice = next((s for s in ladder.steps if s.document == "formal-notice"), None)
    out: list[Taken] = []
    reminders = 0
    for item in sorted(claim.history, key=lambda h: h.date):
        if item.type == "reminder" and by_level:
            reminders += 1
            step = by_level.get(reminders) or by_level[max(by_level)]
        elif item.type == "formal_notice" and notice is not None:
            step = notice
        else:
            continue
        channel = item.channel if item.channel in ("post", "registered", "email") else "post"
        kind = deadline_kind(str(step.document), step.level or 1)
        deadline = compute_deadline(rules, kind, claim.debtor.type, item.date, str(channel))
        out.append(Taken(step, item.date, str(channel), deadline.last_day, deadline.rule))
    return out


@calendar_bounded
def next_step(claim: Claim, rules: Jurisdiction, day: date, statement: Statement | None = None) -> NextStep:
    """What comes next for ``claim`` on ``day``: a letter that is due or not yet, a decision, or nothing."""
    statement = statement or compute_statement(claim, rules, day)
    dated = rules.ladder(claim.debtor.type, day)
    ladder: Ladder = dated.value
    steps = ladder.steps
    taken = taken_steps(claim, rules, ladder)
    last = max(taken, key=lambda t: (steps.index(t.step), t.sent)) if taken else None
    due = statement.totals["due"]
    sources = [f"{dated.parameter}: {s.title}" for s in dated.sources]

    def result(
        status: str,
        step: LadderStep | None,
        earliest: date | None,
        reasons: list[str],
        plan: PlanStatus | None,
        paused: tuple[Pause, ...] = (),
        refund: Decimal = ZERO,
    ) -> NextStep:
        return NextStep(
            claim.reference,
            rules.code,
            claim.debtor.type,
            day,
            status,
            due,
            statement.currency,
            last,
            step,
            earliest,
            tuple(reasons),
            tuple(dict.fromkeys(sources)),
            plan,
            dated,
            paused,
            refund,
        )

    if due <= ZERO:
        return _paid(statement, day, result)

    reasons: list[str] = []
    index = steps.index(last.step) + 1 if last else 0
    earliest = None
    if last is not None:
        earliest = _after(last, steps[index], reasons)
        if last.rule is not None:
            sources += [f"{last.rule.parameter}: {s.title}" for s in last.rule.sources]
    else:
        earliest = _first(statement, steps[0], reasons)

    plan, needs_reminder = None, False
    if claim.payment_plan is not None and (last is None or last.sent <= claim.payment_plan.agreed):
        plan = plan_status(claim.payment_plan, claim, day)
        if plan.state in ("honoured", "completed"):
            reasons = [f"a payment plan agreed on {plan.agreed} is being honoured"]
            if plan.next_instalment:
                reasons.append(f"next instalment on {plan.next_instalment}")
            return result("plan", None, None, reasons, plan)
        assert plan.lapsed_on is not None
        lapse_index = next(i for i, s in enumerate(steps) if s.name == ladder.plan_lapse)
        index = max(index, lapse_index)
        earliest = max(plan.lapsed_on, earliest)
        reasons = [
            f"the payment plan agreed on {plan.agreed} lapsed on {plan.lapsed_on}: the instalment of {plan.missed} "
            f"was not paid by its date plus {plan.grace_days} day(s) of grace",
            f"the ladder resumes at {ladder.plan_lapse} at the earliest",
        ]
        default = rules.plan_default(claim.debtor.type, plan.agreed)
        if default is not None:  # the law voids a plan's "balance due at once": a reminder and its period first
            reasons.append(
                f"the plan's balance falls due only once a reminder of the instalment of {plan.missed} has left "
                f"its period unpaid ({default.parameter}; jurisdiction.yaml plan_default): send that reminder, "
                f"then decide"
            )
            needs_reminder = True
    step = steps[index]
    assert earliest is not None
    earliest = ladder_hold(claim, day, earliest, reasons)
    held, resumed = pauses(claim, ladder, day, due)
    for item in resumed:
        earliest = max(earliest, item.day)
        reasons.append(item.reason)
    if held:
        ends = [p.until for p in held]
        until = None if None in ends else max(e for e in ends if e is not None) + timedelta(days=1)
        reasons = [p.reason for p in held] + reasons
        return result("paused", step, max(earliest, until) if until else None, reasons, plan, tuple(held))
    status = "waiting" if earliest > day else ("decision" if step.document is None or needs_reminder else "due")
    return result(status, step, earliest, reasons, plan)


def _paid(statement: Statement, day: date, result: Callable[..., NextStep]) -> NextStep:
    """Nothing is due: no letter. Paid more than due (a payment the claim had no debt left for): a refund to
    make, from the day the first such payment came in (collecting what is not owed is forbidden)."""
    over = [p for p in statement.payments if p.unapplied > ZERO]
    if not over:
        return result("paid", None, None, [f"nothing is due on {day} (paid in full)"], None)
    credit = statement.credit
    reason = f"nothing is due on {day}: paid {credit:.2f} {statement.currency} more than due, a refund to make"
    return result("paid", None, over[0].payment.date, [reason], None, refund=credit)


def _first(statement: Statement, step: LadderStep, reasons: list[str]) -> date:
    unpaid = [line for line in statement.invoices if line.outstanding["principal"] > ZERO]
    oldest = min((line.due_date for line in unpaid), default=min(line.due_date for line in statement.invoices))
    earliest = oldest + timedelta(days=1 + step.min_days)
    reasons.append(
        f"no letter of the ladder sent yet; the oldest unpaid invoice fell due on {oldest}"
        + (f", and the ladder waits {step.min_days} day(s) after it" if step.min_days else "")
    )
    return earliest


def _after(last: Taken, step: LadderStep, reasons: list[str]) -> date:
    candidates = []
    if last.deadline is not None:
        candidates.append(last.deadline + timedelta(days=1))
        reasons.append(f"the {last.step.name} sent on {last.sent} ({last.channel}) gave until {last.deadline} to pay")
    if step.min_days:
        candidates.append(last.sent + timedelta(days=step.min_days))
        reasons.append(f"the ladder waits at least {step.min_days} day(s) after the {last.step.name}")
    return max(candidates) if candidates else last.sent + timedelta(days=1)
