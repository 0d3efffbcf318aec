"""What the engine says about a statement (why no damages, why a rate was set aside), as keys with values.

A ``Note`` reads as its English sentence wherever a string is expected (the JSON output, logs, tests), and
carries its ``key`` and ``values`` so that a French or Dutch table or document words it in its own language
(``dossier.cli.table``) instead of printing English.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any

#: the English sentence of each note; ``{name}`` is a value (amounts with 2 decimals, dates in ISO form)
ENGLISH: Mapping[str, str] = {
    "no_clause": "no penalty clause in the contract",
    "clause_required": "the law allows damages only if the contract provides them; it does not",
    "clause": "penalty clause on {base}",
    "clause_within": "penalty clause on {base} ({agreed}), within the legal maximum {legal}",
    "clause_void": (
        "the penalty clause ({agreed}) exceeds the legal maximum ({legal}) and is therefore deemed unwritten"
    ),
    "clause_reduced": "penalty clause ({agreed}) reduced to the legal maximum {legal}",
    "fixed_sum": "fixed sum set by law",
    "legal_scale": "legal scale applied to {base}",
    "with_vat": "{why}, plus VAT at {vat} % (the creditor cannot reclaim VAT)",
    "no_costs_before_notice": "{debt}: no damages or collection costs before a {notice} has been sent",
    "payments_after": "payments after {day} are not counted in this statement",
    "paid_within_period": "paid within the period of the letter of {day}: no damages due",
    "no_damages": "{invoices}: no damages: {why}",
    "no_notice_no_interest": (
        "{invoice}: no {notice} sent after the due date in the claim's history; under this regime interest runs "
        "only after it"
    ),
    "channel_assumed": "{invoice}: the {notice} of {day} has no sending channel; counted as posted",
    "rate_void": (
        "{invoice}: the agreed rate {percent} % exceeds the cap of {cap} % ({cap_rule}): the clause is deemed "
        "unwritten and the rate of {fallback} applies"
    ),
    "no_interest": "{invoice}: no statutory interest for this debtor and no agreed rate",
}

#: the names of the letters notes mention (``notice``), in English
NOTICES_EN: Mapping[str, str] = {"formal_notice": "formal notice", "reminder": "reminder"}


class Note(str):
    """A note: its English sentence as a string, its ``key`` and ``values`` for other languages."""

    key: str
    values: dict[str, Any]

    def __new__(cls, key: str, **values: Any) -> Note:
        note = super().__new__(cls, ENGLISH[key].format(**{k: english(k, v) for k, v in values.items()}))
        note.key = key
        note.values = values
        return note

    def __reduce__(self) -> tuple[Any, ...]:  # batches send statements between processes
        return (_rebuild, (self.key, self.values))


def _rebuild(key: str, values: dict[str, Any]) -> Note:
    return Note(key, **values)


def english(name: str, value: Any) -> str:
    """One value of a note in the English sentence."""
    if name == "notice":
        return NOTICES_EN.get(str(value), str(value).replace("_", " "))
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, tuple | list):
        return ", ".join(str(v) for v in value)
    return str(value)
