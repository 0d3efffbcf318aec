"""What holds a claim's ladder back, from the debtor events recorded outside dossier (``dossier record``): an
open dispute, a promise to pay not yet due, mail returned without a new address.

Pure: the claim (its ``events`` and payments), the ladder and the day are the only inputs.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from dossier.model import Claim, DebtorEvent
from dossier.rules.schema import Ladder

#: what a pause can be, most binding first
KINDS = ("dispute", "address-needed", "promise")


@dataclass(frozen=True)
class Pause:
    """One reason the ladder stops: since ``since``, until ``until`` (None: until an event ends it)."""

    kind: str
    since: date
    until: date | None
    reason: str

    def as_dict(self) -> dict[str, object]:
        return {
            "kind": self.kind,
            "since": self.since.isoformat(),
            "until": self.until.isoformat() if self.until else None,
            "reason": self.reason,
        }


@dataclass(frozen=True)
class Resumed:
    """A pause that has ended: the ladder may go on from ``day`` at the earliest, for ``reason``."""

    day: date
    reason: str


def _known(claim: Claim, day: date) -> list[DebtorEvent]:
    return [e for e in claim.events if e.date <= day]


def _unanswered(claim: Claim, day: date, opened: str, closed: str) -> DebtorEvent | None:
    """The newest ``opened`` event recorded by ``day`` that no ``closed`` event on or after it answers."""
    events = _known(claim, day)
    found = [e for e in events if e.type == opened]
    if not found:
        return None
    last = max(found, key=lambda e: e.date)
    answered = any(e.type == closed and e.date >= last.date for e in events)
    return None if answered else last


def open_dispute(claim: Claim, day: date) -> DebtorEvent | None:
    """The newest dispute recorded by ``day`` that no ``dispute-resolved`` on or after it closes."""
    return _unanswered(claim, day, "dispute", "dispute-resolved")


def returned_mail(claim: Claim, day: date) -> DebtorEvent | None:
    """The newest returned mail recorded by ``day`` that no ``address-changed`` on or after it answers."""
    return _unanswered(claim, day, "returned-mail", "address-changed")


def promise_kept(claim: Claim, promise: DebtorEvent, due: Decimal) -> bool:
    """Paid in full, or payments from the promise's day to the promised day cover the amount promised."""
    if due <= 0:
        return True
    if promise.amount is None or promise.until is None:
        return False
    paid = sum((p.amount for p in claim.payments if promise.date <= p.date <= promise.until), Decimal("0"))
    return paid >= promise.amount


def pauses(claim: Claim, ladder: Ladder, day: date, due: Decimal) -> tuple[list[Pause], list[Resumed]]:
    """The pauses in force on ``day`` (most binding first), and the ended ones that still hold the next step
    back to a day (a resolved dispute: its resolution; a broken promise: the promised day plus the grace)."""
    found: list[Pause] = []
    resumed: list[Resumed] = []
    dispute = open_dispute(claim, day)
    if dispute is not None:
        found.append(
            Pause(
                "dispute",
                dispute.date,
                None,
                f"the debtor disputed the claim on {dispute.date}: the ladder is paused until the dispute is "
                "resolved (dossier record --event dispute-resolved)",
            )
        )
    else:
        closed = [e for e in _known(claim, day) if e.type == "dispute-resolved"]
        if closed:
            last = max(closed, key=lambda e: e.date)
            resumed.append(Resumed(last.date, f"the dispute was resolved on {last.date}: the ladder resumes"))
    returned = returned_mail(claim, day)
    if returned is not None:
        found.append(
            Pause(
                "address-needed",
                returned.date,
                None,
                f"mail came back on {returned.date}: an address is needed before any further letter "
                "(dossier record --event address-changed)",
            )
        )
    promises = [e for e in _known(claim, day) if e.type == "promise" and e.until is not None]
    if promises:
        promise = max(promises, key=lambda e: e.date)
        assert promise.until is not None
        end = promise.until + timedelta(days=ladder.promise_grace_days)
        amount = f"{promise.amount:.2f}" if promise.amount is not None else "what is due"
        if promise_kept(claim, promise, due):
            pass  # kept: the promise no longer holds the ladder back
        elif day <= end:
            found.append(
                Pause(
                    "promise",
                    promise.date,
                    end,
                    f"the debtor promised on {promise.date} to pay {amount} by {promise.until}: the ladder is "
                    f"paused until {end} (the promised day plus {ladder.promise_grace_days} day(s) of grace)",
                )
            )
        else:
            resumed.append(
                Resumed(
                    end + timedelta(days=1),
                    f"the promise made on {promise.date} to pay {amount} by {promise.until} was not kept "
                    f"(grace of {ladder.promise_grace_days} day(s) included)",
                )
            )
    found.sort(key=lambda p: KINDS.index(p.kind))
    return found, resumed
