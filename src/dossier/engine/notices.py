"""Finding the letter in a claim's history that a rule waits for, and the period it opened."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from dossier.engine.deadlines import CHANNELS, Deadline, compute_deadline
from dossier.model import Claim, HistoryItem
from dossier.rules import Jurisdiction
from dossier.rules.schema import Notice


@dataclass(frozen=True)
class NoticeFound:
    item: HistoryItem
    channel: str
    deadline: Deadline | None
    channel_assumed: bool


def find_notice(
    claim: Claim, rules: Jurisdiction, notice: Notice, due_date: date, as_of: date, kind: str
) -> NoticeFound | None:
    """The first letter of the notice's type sent after ``due_date`` and by ``as_of``, with its period."""
    for item in claim.sent_history(notice.history):
        if due_date < item.date <= as_of:
            assumed = item.channel not in CHANNELS
            channel = "post" if assumed else str(item.channel)
            deadline = None
            if notice.deadline is not None:
                deadline = compute_deadline(rules, kind, claim.debtor.type, item.date, channel)
            return NoticeFound(item=item, channel=channel, deadline=deadline, channel_assumed=assumed)
    return None


def notice_kind(notice: Notice) -> str:
    """The deadline kind a notice's history type stands for."""
    return "reminder" if notice.history == "reminder" else "formal_notice"
