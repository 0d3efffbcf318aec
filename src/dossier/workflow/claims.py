"""Where a portfolio keeps its workflow state, and each claim loaded with the letters its journal records.

- a claim folder's journal is ``CLAIM/journal.jsonl`` (the one ``dossier render`` writes), its letters in
  ``CLAIM/out/``;
- a claim that is a row of a CSV / JSON Lines file has no folder: its journal and letters are kept in the state
  folder, ``<portfolio>_dossier/ledgers/<key>/``;
- an older ``ledger.jsonl`` beside the letters is still read (never written);
- the documents of ``dossier run`` go to ``<state>/runs/<date>/`` (one folder per run: the day's mail).
The state folder is ``PORTFOLIO/_dossier`` for a folder of claim folders (ignored as a claim: it has no
claim file), ``<name>_dossier`` beside a CSV or JSON Lines file, and ``CLAIM/out`` for a single claim folder.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from dossier.batch.portfolio import Entry, iter_entries
from dossier.errors import ClaimError, DossierError, Problem
from dossier.model import CLAIM_FILES, Claim
from dossier.output.files import open_to_others, safe_name
from dossier.output.history import with_journal
from dossier.output.journal import Journal
from dossier.rules import Jurisdiction, load_rules

STATE = "_dossier"


def state_folder(portfolio: Path) -> Path:
    if is_claim_folder(portfolio):
        return portfolio / "out"
    if portfolio.is_dir():
        return portfolio / STATE
    return portfolio.with_name(f"{portfolio.stem}{STATE}")


def exposed(portfolio: Path, *more: Path) -> list[Path]:
    """The state folder (and ``more``: ``portal.yaml``) when group or others may write them: whoever can write
    them decides which client sees which claim, and who signs in (``dossier serve`` warns at start-up)."""
    return [path for path in (state_folder(portfolio), *more) if open_to_others(path)]


def is_claim_folder(path: Path) -> bool:
    return path.is_dir() and any((path / name).is_file() for name in CLAIM_FILES)


def portfolio_entries(path: Path) -> list[Entry]:
    """A single claim folder is a portfolio of one."""
    return list(each_entry(path))


def each_entry(path: Path) -> Iterator[Entry]:
    """``portfolio_entries`` one at a time (a 100,000-row file is never held whole)."""
    if is_claim_folder(path):
        yield Entry(safe_name(path.name), str(path), folder=str(path))
        return
    found = False
    for entry in iter_entries(path):
        found = True
        yield entry
    if not found:
        raise ClaimError(
            "holds no claim",
            file=str(path),
            hint="a claim folder, a folder of claim folders (each with claim.yaml), or a .csv / .jsonl file",
        )


def journal_of(entry: Entry, portfolio: Path, state: Path | None = None) -> Journal:
    """``state``: the portfolio's state folder when the caller has it (one look-up for many claims)."""
    if entry.folder is not None:
        return Journal.of_claim(Path(entry.folder))
    return Journal.of_state((state or state_folder(portfolio)).joinpath("ledgers", entry.key))


@dataclass(frozen=True)
class Loaded:
    entry: Entry
    journal: Journal
    claim: Claim | None = None
    rules: Jurisdiction | None = None
    problems: tuple[Problem, ...] = ()


def load_all(portfolio: Path) -> Iterator[Loaded]:
    """Each claim with its journal's letters in its history; a bad claim comes back with its problems."""
    for entry in portfolio_entries(portfolio):
        folder = journal_of(entry, portfolio)
        try:
            claim = with_journal(entry.load(), folder)
            rules = load_rules(claim.jurisdiction)
        except DossierError as exc:
            yield Loaded(entry, folder, problems=tuple(exc.problems))
            continue
        yield Loaded(entry, folder, claim, rules)
