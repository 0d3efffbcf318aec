"""What a client may see: its claims from the portfolio index (the list), one claim computed live (the claim
page), the files its journal archived, and the report's figures over its claims alone.

Every look-up goes through ``client_claims``: a claim whose creditor the client does not stand for is, to that
client, a claim that does not exist (``NotFound``, answered 404 like an unknown one).
"""

from __future__ import annotations

import csv
import io
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from dossier.engine.portfolio import TOTAL_KEYS, ClaimFigures, PortfolioFigures, bucket_of, portfolio_figures
from dossier.engine.statement import Statement, compute_statement
from dossier.errors import DossierError
from dossier.http.portal.accounts import Client, owns
from dossier.output.history import with_journal
from dossier.output.journal import Journal, Record, read
from dossier.paths import existing_file
from dossier.rules import load_rules
from dossier.workflow.claims import journal_of
from dossier.workflow.index import Indexed, indexed

PAGE = 50
SORTS = ("reference", "debtor", "jurisdiction", "status", "earliest", "age", *TOTAL_KEYS)
MIME = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "eml": "message/rfc822",
    "jpeg": "image/jpeg",
    "jpg": "image/jpeg",
    "png": "image/png",
}


class NotFound(Exception):
    """No such claim or document for this client (whether it exists for another is not said)."""


@dataclass(frozen=True)
class Filters:
    status: str = ""
    step: str = ""
    jurisdiction: str = ""
    age: str = ""  # an ageing bucket of the oldest unpaid invoice
    q: str = ""
    sort: str = "reference"
    order: str = "asc"
    page: int = 1

    def matches(self, f: ClaimFigures, day: date) -> bool:
        if self.status and f.status != self.status:
            return False
        if self.step and (f.taken or "no_letter") != self.step:
            return False
        if self.jurisdiction and f.jurisdiction != self.jurisdiction:
            return False
        if self.age and age_bucket(f, day) != self.age:
            return False
        if self.q:
            needle = self.q.casefold()
            return needle in f.reference.casefold() or needle in f.debtor.casefold()
        return True


def age_bucket(f: ClaimFigures, day: date) -> str:
    unpaid = [d for d, amount in f.invoices if amount > 0]
    return bucket_of((day - min(unpaid)).days) if unpaid else "not_due"


def days_past_due(f: ClaimFigures, day: date) -> int:
    unpaid = [d for d, amount in f.invoices if amount > 0]
    return max((day - min(unpaid)).days, 0) if unpaid else 0


_owned: dict[tuple[str, str, str], bool] = {}
_lock = threading.Lock()


def client_claims(portfolio: Path, client: Client, day: date) -> list[Indexed]:
    """The client's claims (from the index, never older than the files), in the portfolio's order."""
    out = []
    who = f"{client.id}|{client.creditors!r}"  # what ownership depends on (a reloaded file may change it)
    for item in indexed(portfolio, day):
        f = item.figures
        if f is None:
            continue  # a claim that cannot be read names no creditor: nobody's, the firm sees it in its report
        cache_key = (f.creditor, f.creditor_number or "", who)
        with _lock:
            mine = _owned.get(cache_key)
            if mine is None:
                mine = _owned[cache_key] = owns(client, f.creditor, f.creditor_number)
        if mine:
            out.append(item)
    return out


def listing(claims: list[Indexed], filters: Filters, day: date) -> tuple[list[ClaimFigures], int]:
    """One page of the filtered, sorted claims, and how many matched."""
    rows = [i.figures for i in claims if i.figures is not None and filters.matches(i.figures, day)]
    rows.sort(key=_sort_key(filters.sort, day), reverse=filters.order == "desc")
    start = (max(filters.page, 1) - 1) * PAGE
    return rows[start : start + PAGE], len(rows)


def matching(claims: list[Indexed], filters: Filters, day: date) -> list[ClaimFigures]:
    rows = [i.figures for i in claims if i.figures is not None and filters.matches(i.figures, day)]
    rows.sort(key=_sort_key(filters.sort, day), reverse=filters.order == "desc")
    return rows


def _sort_key(name: str, day: date) -> Any:
    if name in TOTAL_KEYS:
        return lambda f: (f.totals[name], f.reference)
    if name == "age":
        return lambda f: (days_past_due(f, day), f.reference)
    if name == "earliest":
        return lambda f: (f.step.get("earliest") or "9999", f.reference)
    if name == "status":
        return lambda f: (f.status, f.reference)
    if name in ("debtor", "jurisdiction"):
        return lambda f: (getattr(f, name).casefold(), f.reference)
    return lambda f: f.reference.casefold()


CSV_COLUMNS = ("reference", "debtor", "jurisdiction", "currency", "status", "step_reached", "next_step", "next_date",
               *TOTAL_KEYS, "paused")


def csv_text(rows: list[ClaimFigures]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for f in rows:
        pause = f.pause
        writer.writerow(
            [_cell(f.reference), _cell(f.debtor), f.jurisdiction, f.currency, f.status, f.taken or "", f.next or "",
             f.step.get("earliest") or "", *(f"{f.totals[k]:.2f}" for k in TOTAL_KEYS),
             _cell(pause["reason"]) if pause else ""]
        )
    return out.getvalue()


def _cell(text: str) -> str:
    """A cell a spreadsheet will not run as a formula."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def find(claims: list[Indexed], key: str) -> Indexed:
    for item in claims:
        if item.entry.key == key:
            return item
    raise NotFound(key)


@dataclass(frozen=True)
class ClaimView:
    item: Indexed
    journal: Journal
    statement: Statement
    records: list[Record]


def claim_view(portfolio: Path, item: Indexed, day: date) -> ClaimView:
    """The claim computed live (its statement on ``day``) with its journal's records."""
    journal = journal_of(item.entry, portfolio)
    claim = with_journal(item.entry.load(), journal)
    statement = compute_statement(claim, load_rules(claim.jurisdiction), day)
    return ClaimView(item, journal, statement, [r for r in read(journal).records if not r.legacy])


def archived(record: Record) -> Iterator[dict[str, Any]]:
    """Every file a journal record names (documents, proofs, e-mails, scans), in a stable order."""

    def walk(value: Any) -> Iterator[dict[str, Any]]:
        if isinstance(value, dict):
            if isinstance(value.get("file"), str) and isinstance(value.get("sha256"), str):
                yield value
                return
            for key in sorted(value):
                yield from walk(value[key])
        elif isinstance(value, list):
            for item in value:
                yield from walk(item)

    yield from walk({k: v for k, v in record.data.items() if k not in ("prev", "digest", "cut")})


def document(portfolio: Path, item: Indexed, n: int, index: int) -> tuple[Path, dict[str, Any]]:
    """The ``index``-th file of the claim's journal line ``n``, through the containment check."""
    journal = journal_of(item.entry, portfolio)
    record = next((r for r in read(journal).records if not r.legacy and r.data.get("n") == n), None)
    files = list(archived(record)) if record else []
    if not 0 <= index < len(files):
        raise NotFound(f"{n}/{index}")
    try:
        path = existing_file(journal.folder, files[index]["file"], file="journal.jsonl", field="file")
    except DossierError:
        raise NotFound(f"{n}/{index}") from None
    return path, files[index]


def client_figures(claims: list[Indexed], day: date) -> PortfolioFigures:
    return portfolio_figures(day, [i.figures for i in claims if i.figures is not None], [])

