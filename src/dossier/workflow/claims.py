"""Where a portfolio keeps its workflow state, and each claim loaded with the letters its ledger records.

- a claim folder's ledger is ``CLAIM/out/ledger.jsonl`` (the one ``dossier render`` writes);
- a claim that is a row of a CSV / JSON Lines file has no folder: its ledger is kept in the state folder,
  ``<portfolio>_dossier/ledgers/<key>/``;
- the documents of ``dossier run`` go to ``<state>/runs/<date>/`` (one folder per run: the day's mail).
The state folder is ``PORTFOLIO/_dossier`` for a folder of claim folders (ignored as a claim: it has no
claim file), ``<name>_dossier`` beside a CSV or JSON Lines file, and ``CLAIM/out`` for a single claim folder.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from dossier.batch.portfolio import Entry, entries
from dossier.errors import ClaimError, DossierError, Problem
from dossier.model import CLAIM_FILES, Claim
from dossier.output.files import safe_name
from dossier.output.ledger import with_ledger
from dossier.rules import Jurisdiction, load_rules

STATE = "_dossier"


def state_folder(portfolio: Path) -> Path:
    if is_claim_folder(portfolio):
        return portfolio / "out"
    if portfolio.is_dir():
        return portfolio / STATE
    return portfolio.with_name(f"{portfolio.stem}{STATE}")


def is_claim_folder(path: Path) -> bool:
    return path.is_dir() and any((path / name).is_file() for name in CLAIM_FILES)


def portfolio_entries(path: Path) -> list[Entry]:
    """A single claim folder is a portfolio of one."""
    if is_claim_folder(path):
        return [Entry(safe_name(path.name), str(path), folder=str(path))]
    found = entries(path)
    if not found:
        raise ClaimError(
            "holds no claim",
            file=str(path),
            hint="a claim folder, a folder of claim folders (each with claim.yaml), or a .csv / .jsonl file",
        )
    return found


def ledger_folder(entry: Entry, portfolio: Path) -> Path:
    if entry.folder is not None:
        return Path(entry.folder) / "out"
    return state_folder(portfolio) / "ledgers" / entry.key


@dataclass(frozen=True)
class Loaded:
    entry: Entry
    ledger: Path
    claim: Claim | None = None
    rules: Jurisdiction | None = None
    problems: tuple[Problem, ...] = ()


def load_all(portfolio: Path) -> Iterator[Loaded]:
    """Each claim with its ledger's letters in its history; a bad claim comes back with its problems."""
    for entry in portfolio_entries(portfolio):
        folder = ledger_folder(entry, portfolio)
        try:
            claim = with_ledger(entry.load(), folder)
            rules = load_rules(claim.jurisdiction)
        except DossierError as exc:
            yield Loaded(entry, folder, problems=tuple(exc.problems))
            continue
        yield Loaded(entry, folder, claim, rules)
