"""The legal facts of one letter: amounts as of its sending date, its deadline, what is claimed if it stays
unpaid, the wording the law requires, and a pre-flight check of whether it may be sent now.

Everything here is computed; rendering only prints it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from dossier.engine.compensation import allowed_amount
from dossier.engine.deadlines import Deadline, compute_deadline
from dossier.engine.guard import calendar_bounded
from dossier.engine.instalments import Bearing, Schedule, schedule
from dossier.engine.interest_plan import plan_interest
from dossier.engine.notices import find_notice, notice_kind
from dossier.engine.pauses import open_dispute, returned_mail
from dossier.engine.settlement import (
    OFFER_KINDS,
    OfferRequest,
    check_offer,
    granted_until,
    met_offer,
    ran_out,
)
from dossier.engine.statement import Statement, compute_statement
from dossier.errors import ComputationError
from dossier.model import Claim, Offer
from dossier.money import ZERO
from dossier.rules import DatedValue, Jurisdiction
from dossier.rules.schema import Regime

#: the letters that demand the amount due: they say when an offer lapsed or an extension ran out
DEMANDS = ("reminder", "formal-notice")
KINDS = ("reminder", "formal-notice", "payment-plan", "statement", "settlement-offer", "deadline-extension")


@dataclass(frozen=True)
class PlanRequest:
    count: int | None = None
    amount: Decimal | None = None
    first: date | None = None
    frequency: str = "monthly"
    waive_interest: bool = False
    grace_days: int = 10


@dataclass(frozen=True)
class IfUnpaid:
    """What the creditor may add when the letter's period runs out unpaid."""

    compensation: Decimal
    rules: tuple[DatedValue, ...]
    interest_percent: Decimal | None
    interest_from: date | None


@dataclass(frozen=True)
class CostsDue:
    """Costs that became due because a sent letter's period ran out unpaid (NL art. 6:96 lid 6 BW): stated as due,
    in the total, never announced again."""

    amount: Decimal
    since: date
    notice: date  # the day the letter that opened the period was sent


@dataclass(frozen=True)
class LetterFacts:
    kind: str
    level: int
    sent: date
    channel: str
    sender_role: str
    statement: Statement
    deadline: Deadline | None
    if_unpaid: IfUnpaid | None
    mentions: tuple[DatedValue, ...]
    plan: Schedule | None
    plan_request: PlanRequest | None
    findings: tuple[str, ...] = field(default=())
    blockers: tuple[str, ...] = field(default=())
    book_xix_first_reminder: bool = False
    blocked_by: tuple[str, ...] = field(default=())  # the rules (parameter ids) the blockers cite, for ``forced``
    costs_due: CostsDue | None = None
    offer: OfferRequest | None = None  # a settlement offer's amount and date, an extension's new date
    lapsed: Offer | None = None  # a reminder or formal notice: the settlement offer that ran out unmet before it
    expired: Offer | None = None  # a reminder or formal notice: the deadline extension that ran out before it
    sending: DatedValue | None = None  # how a letter of this kind is sent in the jurisdiction (None: a statement)
    plan_waives: bool = False  # a plan waives interest that would run on its debts (not: no interest applies)
    plan_default: DatedValue | None = None  # the period a reminder of a missed instalment must leave (the law's)

    def payable(self) -> tuple[Decimal, date | None]:
        """What the payment box and the QR code ask for, and by when: a plan's first instalment, a settlement's
        reduced amount, the whole balance by an extension's new date; otherwise the amount due."""
        if self.kind == "payment-plan" and self.plan is not None and self.plan.instalments:
            first = self.plan.instalments[0]
            return first.amount, first.due
        if self.offer is not None:
            return self.offer.amount or self.statement.totals["due"], self.offer.until
        return self.statement.totals["due"], None


@calendar_bounded
def letter_facts(
    claim: Claim,
    rules: Jurisdiction,
    kind: str,
    sent: date,
    channel: str = "post",
    *,
    level: int = 1,
    plan: PlanRequest | None = None,
    offer: OfferRequest | None = None,
) -> LetterFacts:
    """Everything a letter of ``kind`` sent on ``sent`` states, computed from the claim and the rules."""
    if kind not in KINDS:
        raise ComputationError(f"{kind!r} is not a document kind ({', '.join(KINDS)})", path="doc")
    if level not in (1, 2, 3):
        raise ComputationError(f"reminder level {level} (expected 1, 2 or 3)", path="level")
    statement = compute_statement(claim, rules, sent)
    if kind != "statement":
        _not_settled(claim, kind, sent)
    if kind in OFFER_KINDS:
        offer = check_offer(kind, offer, sent, statement.totals["due"])
    elif offer is not None:
        raise ComputationError(f"a {kind} carries no offer", path="offer")
    debtor = claim.debtor.type
    sender = claim.representative.role if claim.representative else "creditor"
    regime: Regime = rules.regime(debtor, max(i.due_date for i in claim.invoices)).value
    findings = [w if "unconfirmed" not in w else f"unconfirmed rule: {w}" for w in statement.warnings]
    findings += claim.warnings
    if kind != "statement":
        findings += unsigned(claim)
    refusals: list[tuple[str, str]] = []  # (rule id, why): the pre-flight's, each citing a rule from the data

    deadline = None
    if kind in ("reminder", "formal-notice"):
        deadline_kind = (
            "formal_notice" if kind == "formal-notice" else ("reminder" if level == 1 else "reminder_followup")
        )
        deadline = compute_deadline(rules, deadline_kind, debtor, sent, channel)

    notice_rule = regime.compensation.notice or regime.interest.notice
    xix_first = bool(
        kind == "reminder"
        and level == 1
        and notice_rule is not None
        and notice_rule.history == "reminder"
        and notice_rule.deadline is not None
        and deadline is not None
        and deadline.rule.parameter.endswith(notice_rule.deadline)
    )
    if kind != "statement":
        refusals += _state_preflight(claim, rules, sent)
    if kind in ("reminder", "formal-notice"):
        refusals += _granted_time(claim, rules, sent)
    if xix_first and deadline is not None:
        refusals += _second_free_reminder(claim, deadline, sent)
    if notice_rule is not None and notice_rule.history == "reminder" and not xix_first and kind != "statement":
        refusals += _book_xix_preflight(claim, rules, statement, sent)
    elif kind == "formal-notice":
        refusals += _reminder_period(claim, rules, sent)
    if kind != "statement" and statement.totals["due"] <= 0:
        findings.append("nothing is due on the sending date")

    costs_due = _costs_due(claim, rules, statement, regime)
    if_unpaid = None
    if deadline is not None and costs_due is None:
        if_unpaid = _if_unpaid(claim, rules, statement, regime, deadline)

    sending = rules.sending(kind, sent)
    findings += channel_findings(kind, channel, sending, rules.code)

    costs = "due" if costs_due is not None else "announced"
    mentions = tuple(rules.mentions(kind, debtor, sender, sent, level if kind == "reminder" else None, costs))
    findings += [f"unconfirmed wording: {m.parameter}: {m.note}" for m in mentions if m.status == "unconfirmed"]

    schedule_, waives, plan_default = None, False, None
    if kind == "payment-plan" or (kind == "formal-notice" and plan is not None):
        if plan is None:  # the schedule is the creditor's offer: never one dossier made up
            raise ComputationError(
                "a payment plan needs its schedule: a number of instalments or an amount per instalment",
                path="plan",
            )
        request = plan
        first = request.first or sent + timedelta(days=30)
        bearing = _plan_debts(claim, rules, statement, sent)
        waives = request.waive_interest and bool(bearing)
        plan_default = rules.plan_default(debtor, sent)
        schedule_ = schedule(
            statement.totals["due"],
            sent,
            first,
            count=request.count,
            amount=request.amount,
            frequency=request.frequency,
            debts=() if request.waive_interest else bearing,
        )
        plan = request
    return LetterFacts(
        kind=kind,
        level=level,
        sent=sent,
        channel=channel,
        sender_role=sender,
        statement=statement,
        deadline=deadline,
        if_unpaid=if_unpaid,
        mentions=mentions,
        plan=schedule_,
        plan_request=plan,
        findings=tuple(dict.fromkeys(findings)),
        blockers=tuple(dict.fromkeys(why for _, why in refusals)),
        book_xix_first_reminder=xix_first,
        blocked_by=tuple(dict.fromkeys(rule for rule, _ in refusals)),
        costs_due=costs_due,
        offer=offer,
        lapsed=ran_out(claim, sent, "settlement") if kind in DEMANDS else None,
        expired=ran_out(claim, sent, "extension") if kind in DEMANDS else None,
        sending=sending,
        plan_waives=waives,
        plan_default=plan_default,
    )


def _not_settled(claim: Claim, kind: str, sent: date) -> None:
    """A claim a settlement offer settled gets no further letter: nothing is due, and nothing may be demanded."""
    met = met_offer(claim, sent)
    if met is None:
        return
    day, offer = met
    raise ComputationError(
        f"no {kind}: the claim was settled on {day} (the payments reached the {offer.amount:.2f} offered on "
        f"{offer.date}, until {offer.until}); a statement shows what was written off",
        path="doc",
    )


#: representatives whose letters a person signs in their own name (a lawyer's, a bailiff's): without that name
#: the letter would be signed by the firm alone
SIGNED_BY_A_PERSON = ("lawyer", "bailiff")


def unsigned(claim: Claim) -> list[str]:
    """A warning for the user (never text for the debtor) when a lawyer's or bailiff's letter names nobody to sign
    it: the letter then carries the firm's name alone under the closing formula."""
    agent = claim.representative
    if agent is None or agent.role not in SIGNED_BY_A_PERSON or agent.signatory:
        return []
    who = agent.role.replace("_", " ")
    return [
        f"representative.signatory: a letter from a {who} ({agent.name}) names no signatory: add the {who} who "
        f"signs it (representative.signatory in claim.yaml); it is signed with the firm's name alone"
    ]


#: how the warnings name a channel and a letter kind
CHANNEL_WORDS = {"post": "ordinary post", "registered": "registered post", "email": "e-mail"}


def channel_findings(kind: str, channel: str, sending: DatedValue | None, code: str) -> list[str]:
    """Warnings for the user (never text for the debtor) when a letter goes on a channel the jurisdiction's data
    does not allow for it, or by ordinary post where registered post is customary."""
    if sending is None:
        return []
    rule = sending.value
    what = kind.replace("-", " ")
    if channel not in rule.allowed:
        allowed = ", ".join(CHANNEL_WORDS[c] for c in rule.allowed)
        return [
            f"a {what} by {CHANNEL_WORDS.get(channel, channel)} is not among the channels the {code} data allows "
            f"for it ({allowed}) ({_cited(sending)})"
        ]
    if channel == "post" and rule.customary == "registered":
        return [
            f"a {what} by ordinary post where registered post is customary in {code}: send it registered "
            f"(--channel registered) to prove it ({_cited(sending)})"
        ]
    return []


def _cited(rule: DatedValue) -> str:
    """How a refusal names its rule: the parameter and its first source."""
    return f"{rule.parameter}: {rule.sources[0].title}" if rule.sources else rule.parameter


def _state_preflight(claim: Claim, rules: Jurisdiction, sent: date) -> list[tuple[str, str]]:
    """No letter while the debtor's dispute is open, nor after mail came back, until an address change: what
    the ladder data says pauses it (``dossier record``)."""
    ladder = rules.ladder(claim.debtor.type, sent)
    out = []
    dispute = open_dispute(claim, sent)
    if dispute is not None:
        out.append(
            (
                ladder.parameter,
                f"the debtor disputed the claim on {dispute.date} and the dispute is open: no letter before it is "
                f"resolved (dossier record --event dispute-resolved) ({_cited(ladder)}; the ladder pauses)",
            )
        )
    returned = returned_mail(claim, sent)
    if returned is not None:
        out.append(
            (
                ladder.parameter,
                f"mail came back on {returned.date}: an address is needed before any further letter "
                f"(dossier record --event address-changed) ({_cited(ladder)}; the ladder pauses)",
            )
        )
    return out


def _granted_time(claim: Claim, rules: Jurisdiction, sent: date) -> list[tuple[str, str]]:
    """No reminder or formal notice while a deadline extension or settlement offer the creditor sent still runs:
    the ladder waits until the day after it (``dossier.engine.settlement``)."""
    offer = granted_until(claim, sent)
    if offer is None or offer.until < sent:
        return []
    ladder = rules.ladder(claim.debtor.type, sent)
    what = "a deadline extension" if offer.kind == "extension" else "a settlement offer"
    return [
        (
            ladder.parameter,
            f"{what} sent on {offer.date} gives until {offer.until}: no reminder or formal notice before "
            f"{offer.until + timedelta(days=1)} ({_cited(ladder)}; the ladder waits)",
        )
    ]


def _second_free_reminder(claim: Claim, deadline: Deadline, sent: date) -> list[tuple[str, str]]:
    """Book XIX: the first reminder is free once; a second one would repeat a free period the first has run."""
    earlier = [h for h in claim.sent_history("reminder") if h.date < sent]  # one on ``sent``: this one, redone
    if not earlier:
        return []
    return [
        (
            deadline.rule.parameter,
            f"a first reminder was already sent on {earlier[0].date}: the free first reminder is sent once; the "
            f"next step is the formal notice once its period has run ({_cited(deadline.rule)})",
        )
    ]


def _reminder_period(claim: Claim, rules: Jurisdiction, sent: date) -> list[tuple[str, str]]:
    """A formal notice only once the period the last reminder gave has run."""
    reminders = [h for h in claim.sent_history("reminder") if h.date <= sent]
    if not reminders:
        return []
    last = reminders[-1]
    kind = "reminder" if len(reminders) == 1 else "reminder_followup"
    channel = last.channel if last.channel in ("post", "registered", "email") else "post"
    period = compute_deadline(rules, kind, claim.debtor.type, last.date, str(channel))
    if sent > period.last_day:
        return []
    return [
        (
            period.rule.parameter,
            f"the reminder sent on {last.date} gave until {period.last_day} to pay; no formal notice before then "
            f"({_cited(period.rule)})",
        )
    ]


def _book_xix_preflight(claim: Claim, rules: Jurisdiction, statement: Statement, sent: date) -> list[tuple[str, str]]:
    """Book XIX: no letter other than the free first reminder before its period has run."""
    out = []
    for line in statement.invoices:
        regime: Regime = line.regime.value
        notice = regime.compensation.notice
        if notice is None or notice.history != "reminder" or notice.deadline is None:
            continue
        found = find_notice(claim, rules, notice, line.due_date, sent, "reminder")
        if found is None:
            out.append(
                (
                    line.regime.parameter,
                    f"{line.number}: the free first reminder (Book XIX) has not been sent; send it first "
                    f"(dossier render --doc reminder) ({_cited(line.regime)})",
                )
            )
        elif found.deadline is not None and sent <= found.deadline.last_day:
            out.append(
                (
                    found.deadline.rule.parameter,
                    f"{line.number}: the first reminder's period runs until {found.deadline.last_day}; "
                    f"no further step before then ({_cited(found.deadline.rule)})",
                )
            )
    return out


def _if_unpaid(
    claim: Claim, rules: Jurisdiction, statement: Statement, regime: Regime, deadline: Deadline
) -> IfUnpaid | None:
    """For letters that open a period after which costs become due (Book XIX, the Dutch 14-day letter)."""
    comp = regime.compensation
    notice = comp.notice
    if comp.method != "on_claim_after_notice" or notice is None or notice.deadline is None:
        return None
    if not deadline.rule.parameter.endswith(notice.deadline):
        return None
    base = statement.outstanding["principal"]
    amount, used, _ = allowed_amount(comp, rules, base, deadline.sent, claim.terms.penalty, claim.creditor)
    percent = None
    interest_from = deadline.last_day + timedelta(days=1)
    if regime.interest.starts == "day_after_notice_period":
        invoice = max(claim.invoices, key=lambda i: i.due_date)
        plan = plan_interest(claim, rules, invoice, interest_from)
        if plan.contract_percent is not None or plan.parameter is not None:
            percent = plan.segments(interest_from, interest_from)[0].percent
    return IfUnpaid(amount, tuple(used), percent, interest_from if percent is not None else None)


def _costs_due(claim: Claim, rules: Jurisdiction, statement: Statement, regime: Regime) -> CostsDue | None:
    """The costs a sent letter's period made due (the statement counts them once that period ran out unpaid)."""
    comp = regime.compensation
    if comp.method != "on_claim_after_notice" or comp.notice is None:
        return None
    items = [c for c in statement.compensation if c.method == comp.method]
    if not items:
        return None
    first = min(items, key=lambda c: c.due_from)
    due_date = min(i.due_date for i in claim.invoices if i.number in first.invoices)
    found = find_notice(claim, rules, comp.notice, due_date, statement.as_of, notice_kind(comp.notice))
    assert found is not None  # the statement counted these costs because it found this letter
    return CostsDue(sum((c.amount for c in items), ZERO), first.due_from, found.item.date)


def _plan_debts(claim: Claim, rules: Jurisdiction, statement: Statement, day: date) -> tuple[Bearing, ...]:
    """What keeps bearing interest during a plan: each invoice's outstanding principal at the rate its regime
    applies to it on ``day`` (a rate fixed when its interest started stays that rate), oldest first."""
    invoices = {i.number: i for i in claim.invoices}
    out = []
    for line in statement.invoices:
        if line.outstanding["principal"] <= 0:
            continue
        plan = plan_interest(claim, rules, invoices[line.number], day)
        if (plan.start is None and plan.contract_percent is None) or (
            plan.contract_percent is None and plan.parameter is None
        ):
            continue
        percent = plan.segments(day, day)[0].percent
        out.append(Bearing(line.number, line.outstanding["principal"], percent, plan.day_count))
    return tuple(out)
