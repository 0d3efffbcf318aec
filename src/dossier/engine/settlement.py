"""Settlement offers and deadline extensions (issue 15): what they do to the statement and to the ladder.

A settlement offer says: pay ``amount`` from the day the letter went out until ``until`` (inclusive) and the rest
of the claim is written off; otherwise the offer lapses and the full amount stays due. Payments count towards
the offer on the days they were made; the claim is settled on the day they first reach the amount. The
statement is then the statement of that day (interest stops there), with what was still due written off.

An offer or an extension also holds the ladder: the next step waits until the day after ``until``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from dossier.errors import ComputationError
from dossier.model import Claim, Offer
from dossier.money import ZERO

if TYPE_CHECKING:
    from dossier.engine.statement import Statement

#: letter kinds that carry an offer, and the kind of offer each one records
OFFER_KINDS = {"settlement-offer": "settlement", "deadline-extension": "extension"}


@dataclass(frozen=True)
class OfferRequest:
    """What the creditor offers in a letter: ``until`` always, ``amount`` for a settlement."""

    until: date
    amount: Decimal | None = None

    def as_dict(self) -> dict[str, str | None]:
        """The journal's ``offer`` payload."""
        return {"amount": f"{self.amount:.2f}" if self.amount is not None else None, "until": self.until.isoformat()}


def check_offer(kind: str, offer: OfferRequest | None, sent: date, due: Decimal) -> OfferRequest:
    """The offer of a ``settlement-offer`` or ``deadline-extension`` letter, checked against the amount due."""
    what = "a settlement offer" if kind == "settlement-offer" else "a deadline extension"
    if offer is None:
        raise ComputationError(f"{what} needs the day it runs until (and a settlement its amount)", path="offer")
    if offer.until <= sent:
        raise ComputationError(
            f"{what} must run until a day after the letter ({sent}), not {offer.until}", path="until"
        )
    if kind == "deadline-extension":
        if offer.amount is not None:
            raise ComputationError("a deadline extension has no reduced amount", path="offer.amount")
        return offer
    if offer.amount is None:
        raise ComputationError("a settlement offer needs the reduced amount it accepts", path="offer.amount")
    if not ZERO < offer.amount < due:
        raise ComputationError(
            f"a settlement offer's amount ({offer.amount:.2f}) must be above 0 and below the amount due ({due:.2f})",
            path="offer.amount",
        )
    return offer


def settled_on(claim: Claim, offer: Offer, as_of: date) -> date | None:
    """The day the payments made while ``offer`` ran first reach its amount (None: not met, or not by ``as_of``)."""
    if offer.kind != "settlement" or offer.amount is None:
        return None
    paid = ZERO
    for payment in sorted(claim.payments, key=lambda p: p.date):
        if offer.date <= payment.date <= min(offer.until, as_of):
            paid += payment.amount
            if paid >= offer.amount:
                return payment.date
    return None


def met_offer(claim: Claim, as_of: date) -> tuple[date, Offer] | None:
    """The settlement offer met first by ``as_of`` and the day it was met (None: the claim is not settled)."""
    met = [(day, o) for o in claim.offers if (day := settled_on(claim, o, as_of)) is not None]
    return min(met, key=lambda m: m[0], default=None)


def ran_out(claim: Claim, day: date, kind: str) -> Offer | None:
    """The newest offer of ``kind`` (``settlement``, ``extension``) sent before ``day`` if it ran out (unmet)
    before ``day``: a later letter says a settlement offer lapsed, and demands the full amount, never the reduced
    one; and that the extra time an extension gave is over."""
    sent = [o for o in claim.offers if o.kind == kind and o.date < day]
    newest = max(sent, key=lambda o: (o.date, o.until), default=None)
    if newest is None or newest.until >= day or settled_on(claim, newest, day) is not None:
        return None
    return newest


def settle(statement: Statement, compute: Callable[[Claim, date], Statement]) -> Statement:
    """``statement`` with the first settlement offer met by its ``as_of``: the statement of the day it was met
    (``compute`` on the claim without its offers), the balance of that day written off (``totals.written_off``),
    nothing due, later payments a credit."""
    claim, as_of = statement.claim, statement.as_of
    met = met_offer(claim, as_of)
    if met is None:
        return statement
    day, offer = met
    base = compute(claim.model_copy(update={"offers": []}), day)
    later = sum((p.amount for p in claim.payments if day < p.date <= as_of), ZERO)
    written_off = base.totals["due"]
    totals = dict(base.totals, paid=base.totals["paid"] + later, due=ZERO, written_off=written_off)
    note = (
        f"settled on {day}: the payments from {offer.date} reached the {offer.amount:.2f} offered on {offer.date} "
        f"(until {offer.until}); {written_off:.2f} written off"
    )
    return replace(
        base,
        claim=claim,
        as_of=as_of,
        totals=totals,
        outstanding=dict.fromkeys(base.outstanding, ZERO),
        credit=base.credit + later,
        daily_interest=ZERO,
        notes=(*base.notes, note),
    )


def granted_until(claim: Claim, day: date) -> Offer | None:
    """The offer or extension sent by ``day`` that runs the longest: the ladder waits until the day after it."""
    running = [o for o in claim.offers if o.date <= day]
    return max(running, key=lambda o: o.until, default=None)


def ladder_hold(claim: Claim, day: date, earliest: date, reasons: list[str]) -> date:
    """``earliest`` moved past the period an offer or extension granted (adds why to ``reasons``)."""
    offer = granted_until(claim, day)
    if offer is None or offer.until < earliest:
        return earliest
    what = "a deadline extension" if offer.kind == "extension" else "a settlement offer"
    reasons.append(f"{what} sent on {offer.date} gave until {offer.until}")
    return offer.until + timedelta(days=1)
