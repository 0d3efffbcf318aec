"""The Python API: thin functions over the layers, the same ones the CLI and HTTP use."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from dossier.engine import Deadline, Statement, compute_deadline, compute_statement
from dossier.engine.letters import PlanRequest
from dossier.model import Claim
from dossier.model import load_claim as _load_claim
from dossier.output.produce import Produced, Producer
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


def render(
    folder: str | Path,
    doc: str,
    *,
    sent: date | None = None,
    channel: str = "post",
    level: int = 1,
    formats: tuple[str, ...] = ("pdf",),
    out: str | Path | None = None,
    templates: str | Path | None = None,
    plan: PlanRequest | None = None,
    pdfa: bool = False,
    force: bool = False,
) -> Produced:
    """Render a document of the claim in ``folder``, write it under ``out`` (default ``folder/out``) with a new
    file name, and record it in the claim's ledger. Returns the files with their sha256 and the ledger entry."""
    claim = _load_claim(folder)
    rules = _load_rules(claim.jurisdiction)
    producer = Producer(Path(templates) if templates else None)
    rendered = producer.render(
        claim,
        rules,
        doc,
        sent or date.today(),
        channel=channel,
        level=level,
        plan=plan,
        formats=formats,
        pdfa=pdfa,
        force=force,
    )
    out_dir = Path(out) if out else Path(folder) / "out"
    return producer.write(rendered, claim, out_dir, ledger_dir=Path(folder) / "out")
