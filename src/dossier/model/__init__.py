"""The claim model: what a claim folder holds, validated (no law here)."""

from dossier.model.claim import (
    Address,
    Claim,
    DebtorEvent,
    HistoryItem,
    Invoice,
    Offer,
    Party,
    Payment,
    Penalty,
    Piece,
    Representative,
    Terms,
)
from dossier.model.load import CLAIM_FILES, claim_from_data, load_claim

__all__ = [
    "CLAIM_FILES",
    "Address",
    "Claim",
    "DebtorEvent",
    "HistoryItem",
    "Invoice",
    "Offer",
    "Party",
    "Payment",
    "Penalty",
    "Piece",
    "Representative",
    "Terms",
    "claim_from_data",
    "load_claim",
]
