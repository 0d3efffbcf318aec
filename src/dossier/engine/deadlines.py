"""The last day to pay, counted as the jurisdiction's data says, with the trail that explains it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from dossier.engine.guard import calendar_bounded
from dossier.errors import ComputationError
from dossier.rules import DatedValue, DeadlineRule, Jurisdiction

CHANNELS = ("post", "registered", "email")


@dataclass(frozen=True)
class Deadline:
    kind: str
    sent: date
    channel: str
    first_day: date
    last_day: date
    unrolled_last_day: date
    skipped: tuple[tuple[date, str], ...]
    rule: DatedValue
    trail: tuple[str, ...]

    def as_dict(self) -> dict[str, object]:
        return {
            "kind": self.kind,
            "sent": self.sent.isoformat(),
            "channel": self.channel,
            "first_day": self.first_day.isoformat(),
            "last_day": self.last_day.isoformat(),
            "trail": list(self.trail),
            "rule": self.rule.parameter,
        }


@calendar_bounded
def compute_deadline(rules: Jurisdiction, kind: str, debtor_type: str, sent: date, channel: str) -> Deadline:
    """The period a letter of ``kind`` sent on ``sent`` by ``channel`` gives a debtor of ``debtor_type``."""
    return count_deadline(rules, rules.deadline_rule(kind, debtor_type, sent), kind, sent, channel)


@calendar_bounded
def missed_instalment(rules: Jurisdiction, debtor_type: str, sent: date, channel: str) -> Deadline | None:
    """The period a reminder of a missed payment-plan instalment, sent on ``sent`` by ``channel``, leaves the
    debtor before the whole balance falls due (the day after its last day); None where the law sets none."""
    dated = rules.plan_default(debtor_type, sent)
    return None if dated is None else count_deadline(rules, dated, "plan_default", sent, channel)


def count_deadline(rules: Jurisdiction, dated: DatedValue, kind: str, sent: date, channel: str) -> Deadline:
    """Count the period of the deadline rule ``dated`` from ``sent``, with the trail that explains it."""
    if channel not in CHANNELS:
        raise ComputationError(f"{channel!r} is not a sending channel ({', '.join(CHANNELS)})", path="channel")
    rule: DeadlineRule = dated.value
    calendar = rules.calendar
    trail = [f"sent on {sent.isoformat()} by {channel}"]
    day = sent
    for step in rule.first_day[channel]:  # type: ignore[index]
        day = calendar.add(day, step.add, step.unit)
        trail.append(f"+ {step.add} {step.unit.replace('_', ' ')} -> {day.isoformat()}")
    first_day = day
    unrolled = first_day + timedelta(days=rule.length - 1)
    trail.append(f"day 1 of {rule.length} is {first_day.isoformat()}; day {rule.length} is {unrolled.isoformat()}")
    last_day, skipped = calendar.next_working_day(unrolled) if rule.roll_forward else (unrolled, [])
    for skipped_day, why in skipped:
        trail.append(f"{skipped_day.isoformat()} is not a working day ({why})")
    if skipped:
        trail.append(f"moved to the next working day: {last_day.isoformat()}")
    return Deadline(
        kind=kind,
        sent=sent,
        channel=channel,
        first_day=first_day,
        last_day=last_day,
        unrolled_last_day=unrolled,
        skipped=tuple(skipped),
        rule=dated,
        trail=tuple(trail),
    )
