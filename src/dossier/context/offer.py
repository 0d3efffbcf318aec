"""What a settlement offer or a deadline extension shows: the reduced amount, the day, the full amount."""

from __future__ import annotations

from typing import Any

from dossier.context.formatting import Formatter
from dossier.context.words import amount_in_words
from dossier.engine.letters import LetterFacts
from dossier.model import Claim, Offer


def offer_context(facts: LetterFacts, f: Formatter, claim: Claim, locale: str) -> dict[str, Any] | None:
    """The offer's figures, formatted (None for the other letters): ``amount`` (a settlement's), ``until``, the
    ``full`` amount that stays due otherwise and what the settlement ``waives``."""
    offer = facts.offer
    if offer is None:
        return None
    full = facts.statement.totals["due"]
    amount = offer.amount if offer.amount is not None else full
    return {
        "amount": f.money(amount),
        "amount_words": amount_in_words(amount, claim.currency, locale),
        "until": f.date(offer.until),
        "full": f.money(full),
        "full_words": amount_in_words(full, claim.currency, locale),
        "waives": f.money(full - amount),
        "settlement": offer.amount is not None,
    }


def ran_out_context(offer: Offer | None, f: Formatter) -> dict[str, str] | None:
    """A settlement offer a reminder or formal notice says lapsed (``lapsed``), or the extension whose time ran out
    (``expired``); None: none did. The day it was sent and its last day; a settlement's reduced amount is not
    repeated: only the full amount is demanded."""
    if offer is None:
        return None
    return {"date": f.date(offer.date), "until": f.date(offer.until)}
