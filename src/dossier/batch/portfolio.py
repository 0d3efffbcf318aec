"""A portfolio: a folder of claim folders, or a CSV / JSON Lines file with one claim per row.

CSV columns are the top-level fields of claim.yaml; nested fields (creditor, debtor, representative, terms,
invoices, payments, history, pieces, payment_plan) hold JSON in their cell. Each JSON Lines line is one claim
object. Claims from a file have no folder, so their history and pieces name no files.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dossier.errors import ClaimError
from dossier.model import CLAIM_FILES, Claim, claim_from_data, load_claim
from dossier.output.files import safe_name
from dossier.strictyaml import load_text

NESTED = ("creditor", "debtor", "representative", "terms", "invoices", "payments", "history", "pieces", "payment_plan")


@dataclass(frozen=True)
class Entry:
    """One claim of the portfolio, not yet loaded (loading happens in the worker, errors stay per claim)."""

    key: str
    label: str
    folder: str | None = None
    data: dict[str, Any] | None = None

    def load(self) -> Claim:
        if self.folder is not None:
            return load_claim(self.folder)
        if self.data is not None and set(self.data) == {"_invalid"}:  # a row that could not be parsed: say why
            invalid = self.data["_invalid"]
            reason = invalid if isinstance(invalid, str) else "must be a JSON object of claim fields"
            raise ClaimError(reason, file=self.label)
        return claim_from_data(self.data, file=self.label)


def entries(portfolio: Path) -> list[Entry]:
    """Every claim of the portfolio, in a stable order, with a unique key used for output names."""
    return list(iter_entries(portfolio))


def iter_entries(portfolio: Path) -> Iterator[Entry]:
    """``entries`` one at a time: a 100,000-row file is never held whole (``dossier payments import``)."""
    if portfolio.is_dir():
        folders = sorted(p for p in portfolio.iterdir() if p.is_dir() and any((p / n).is_file() for n in CLAIM_FILES))
        keys = _Keys(p.name for p in folders if safe_name(p.name) == p.name)  # a plain name keeps its own key
        yield from (Entry(keys.take(p.name), str(p), folder=str(p)) for p in folders)
        return
    if not portfolio.is_file():
        raise ClaimError("is neither a folder of claim folders nor a CSV or JSON Lines file", file=str(portfolio))
    keys = _Keys()
    for label, data in _rows(portfolio):
        key = keys.take(str(data.get("reference") or label) if isinstance(data, dict) else label)
        yield Entry(key, label, data=data if isinstance(data, dict) else {"_invalid": data})


class _Keys:
    """Unique keys: a claim's key names its journal folder, its index row, its payment account and its batch
    output, so two claims must never share one. ``safe_name`` makes ``a b``, ``a/b`` and ``a-b`` all ``a-b``:
    the first to come keeps it, the next get ``a-b-2``, ``a-b-3``..., skipping any key already given (a row whose
    own reference is ``a-b-2`` once took the key the second ``a-b`` got: both claims then shared one journal).
    ``reserved``: names that keep their key whatever comes before them (folders already named safely)."""

    def __init__(self, reserved: Iterable[str] = ()) -> None:
        self.reserved = set(reserved)
        self.given: set[str] = set()
        self.count: dict[str, int] = {}

    def take(self, text: str) -> str:
        base = safe_name(text)
        if base == text and base in self.reserved and base not in self.given:
            self.given.add(base)
            return base
        number = self.count.get(base, 0)
        while True:
            number += 1
            key = base if number == 1 else f"{base}-{number}"
            if key not in self.given and (key not in self.reserved or key == text):
                self.count[base] = number
                self.given.add(key)
                return key


def _rows(path: Path) -> Iterator[tuple[str, Any]]:
    """Every row; a file that is not UTF-8 text or not CSV is one clear error, a bad row is that row's error."""
    try:
        yield from _read_rows(path)
    except UnicodeDecodeError as exc:
        raise ClaimError(f"is not UTF-8 text (byte {exc.start})", file=path.name) from None
    except csv.Error as exc:
        raise ClaimError(f"is not a valid CSV file ({exc})", file=path.name) from None


def _read_rows(path: Path) -> Iterator[tuple[str, Any]]:
    name = path.name
    if path.suffix.lower() in {".jsonl", ".ndjson"}:
        for number, line in enumerate(_lines(path), start=1):
            if line.strip():
                yield f"{name}:{number}", _json(line, f"{name}:{number}")
        return
    if path.suffix.lower() != ".csv":
        raise ClaimError("a portfolio file must be .csv or .jsonl", file=name)
    with path.open(encoding="utf-8", newline="") as handle:
        for number, row in enumerate(csv.DictReader(handle), start=2):
            data: dict[str, Any] = {}
            for column, cell in row.items():
                if column is None or cell is None or cell == "":
                    continue
                if column in NESTED:
                    data[column] = _json(cell, f"{name}:{number}", column)
                else:
                    data[column] = cell
            yield f"{name}:{number}", data


def _lines(path: Path) -> Iterator[str]:
    """The file's lines, read one at a time (a UnicodeDecodeError's ``start`` counts from the file's start)."""
    offset = 0
    with path.open("rb") as handle:
        for raw in handle:
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                raise UnicodeDecodeError(exc.encoding, exc.object, offset + exc.start, offset + exc.end,
                                         exc.reason) from None
            offset += len(raw)
            yield from text.splitlines() or [""]


def _json(text: str, label: str, column: str | None = None) -> Any:
    """The parsed value, or the reason it cannot be parsed (kept as the claim's data: the claim then fails alone,
    with that reason). Parsed like claim.json: exact decimals, no duplicate keys, no NaN, no stack overflow."""
    try:
        return load_text(text, file=label, numbers="decimal", error=ClaimError, fmt="json")
    except ClaimError as exc:
        if column is None:
            return exc.message
        if exc.message.startswith("not valid JSON"):
            return exc.message.replace("not valid JSON", f"not valid JSON in column {column}", 1)
        return f"column {column}: {exc.message}"
