"""The Python API: thin functions over the layers, the same ones the CLI and HTTP use."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from dossier.engine import Deadline, Statement, compute_deadline, compute_statement
from dossier.model import Claim
from dossier.model import load_claim as _load_claim
from dossier.rules import Jurisdiction
from dossier.rules import load_rules as _load_rules


def load_claim(folder: str | Path) -> Claim:
    """Read and validate a claim folder (``claim.yaml`` or ``claim.json`` and the files it names)."""
    return _load_claim(folder)


def load_rules(jurisdiction: str) -> Jurisdiction:
    """Load the dated rules of a jurisdiction (``BE``, ``FR``, ``NL``, ``GB-EAW``)."""
    return _load_rules(jurisdiction)


def statement(claim: Claim, as_of: date | None = None) -> Statement:
    """What the debtor owes on ``as_of`` (default: today), with periods, payments and the rules used."""
    return compute_statement(claim, _load_rules(claim.jurisdiction), as_of or date.today())


def deadline(claim: Claim, kind: str, sent: date, channel: str) -> Deadline:
    """The last day to pay that a letter of ``kind`` sent on ``sent`` gives this claim's debtor."""
    return compute_deadline(_load_rules(claim.jurisdiction), kind, claim.debtor.type, sent, channel)
