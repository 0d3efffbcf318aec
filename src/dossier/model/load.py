"""Reading a claim folder: ``claim.yaml`` (or ``claim.json``) plus the files it names.

All problems are collected and raised together as one ``ClaimError``, each
naming the file and the field path, so a paralegal fixes a claim in one pass.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from dossier.errors import ClaimError, Problem
from dossier.model.claim import Claim
from dossier.paths import existing_file
from dossier.strictyaml import load_file
from dossier.validation import problems_from

CLAIM_FILES = ("claim.yaml", "claim.yml", "claim.json")


def load_claim(folder: str | Path) -> Claim:
    """Load and validate the claim in ``folder``; raise ``ClaimError`` listing every problem."""
    root = Path(folder)
    if not root.is_dir():
        raise ClaimError("is not a folder (expected a claim folder holding claim.yaml)", file=str(root))
    present = [name for name in CLAIM_FILES if (root / name).is_file()]
    if not present:
        raise ClaimError(
            "no claim.yaml or claim.json in this folder", file=str(root), hint="see README: claim folder format"
        )
    if len(present) > 1:
        raise ClaimError(f"holds both {' and '.join(present)}; keep one", file=str(root))
    name = present[0]
    # a claim file planted as a link to another claim's would have that claim's data put into this claim's letters
    path = existing_file(root, name, file=name)
    data = load_file(path, numbers="decimal", error=ClaimError, label=name)
    return claim_from_data(data, file=name, folder=root)


def claim_from_data(data: Any, *, file: str = "claim", folder: Path | None = None) -> Claim:
    """Validate an already parsed claim object (from YAML, JSON or an HTTP body)."""
    if not isinstance(data, Mapping):
        raise ClaimError("must be a mapping of fields (reference, jurisdiction, invoices, ...)", file=file)
    try:
        claim = Claim.model_validate(dict(data))
    except ValidationError as exc:
        raise ClaimError("invalid claim", problems=problems_from(exc, file)) from None
    problems = list(_cross_checks(claim, file))
    if folder is not None:
        problems += _file_checks(claim, file, folder)
    if problems:
        raise ClaimError("invalid claim", problems=problems)
    return claim


def _cross_checks(claim: Claim, file: str) -> Iterable[Problem]:
    numbers: set[str] = set()
    for i, invoice in enumerate(claim.invoices):
        if invoice.number in numbers:
            yield Problem(f"{invoice.number} appears twice", file=file, path=f"invoices[{i}].number")
        numbers.add(invoice.number)
    first_issue = min(i.date for i in claim.invoices)
    for i, payment in enumerate(claim.payments):
        if payment.invoice is not None and payment.invoice not in numbers:
            yield Problem(
                f"{payment.invoice} is not the number of an invoice of this claim",
                file=file,
                path=f"payments[{i}].invoice",
            )
        if payment.date < first_issue:
            yield Problem(
                f"{payment.date} is before the first invoice ({first_issue})", file=file, path=f"payments[{i}].date"
            )


def _file_checks(claim: Claim, file: str, folder: Path) -> Iterable[Problem]:
    """Every file the claim names must be a file inside the claim folder (``dossier.paths``: symlinks
    resolved, no server path in the message)."""
    named = [(f"history[{i}].file", h.file) for i, h in enumerate(claim.history) if h.file]
    named += [(f"pieces[{i}].file", p.file) for i, p in enumerate(claim.pieces)]
    for path, rel in named:
        try:
            existing_file(folder, rel, file=file, field=path)
        except ClaimError as exc:
            yield from exc.problems
