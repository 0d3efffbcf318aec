"""The portfolio index: each claim's figures on a day (its statement's totals, the step reached and the next one,
why it is paused), kept so that ``dossier report``, ``dossier next`` and the portal's claims list read them
instead of computing every statement again.

Where: ``<state>/index.sqlite`` (``PORTFOLIO/_dossier/`` for a folder, ``<name>_dossier/`` beside a CSV or JSON
Lines file; see ``claims.state_folder``), or the file ``$DOSSIER_INDEX`` names. A single claim folder has none.

Never older than the files: a row is used only while its claim's *signature* is unchanged. The signature of a
claim folder is the (inode, size, modification and change time in ns) of its claim file, its journal and an older
``out/ledger.jsonl``; a row of a CSV / JSON Lines portfolio is the sha256 of its data with its journal's. As in
git's "racy" check, a row computed less than ``RACY`` seconds after one of its files was last written is kept with
a signature that matches nothing (a second change within the clock's granularity would keep the same stat), so it
is computed again the next time. The rules data (every file under ``jurisdictions/``) and dossier's code make a
*generation*: a change empties the index. Figures are per day (interest runs daily), so a new day computes every
claim once. The index is a cache: deleting it loses nothing. A claim that cannot be read is kept with its
problems (the same file state gives the same problems).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import multiprocessing
import os
import sqlite3
import time
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from dossier.batch.portfolio import Entry
from dossier.engine.ladder import next_step
from dossier.engine.portfolio import ClaimFigures
from dossier.engine.statement import compute_statement
from dossier.errors import DossierError
from dossier.model import CLAIM_FILES
from dossier.output.history import with_journal
from dossier.rules import load_rules
from dossier.rules.load import data_root
from dossier.workflow.claims import is_claim_folder, journal_of, portfolio_entries, state_folder

INDEX = "index.sqlite"
INDEX_ENV = "DOSSIER_INDEX"
SCHEMA = "1"
RACY = 2.0  # seconds: more than any filesystem's timestamp granularity
PARALLEL_FROM = 2000  # stale claims from which the index is built on several processes
KEEP_DAYS = 3  # days whose figures are kept (the portal's today, a report's --date...)


@dataclass(frozen=True)
class Indexed:
    """One claim of the portfolio on a day: its figures, or the problems that kept it from being read."""

    entry: Entry
    figures: ClaimFigures | None
    problems: tuple[dict[str, Any], ...] = ()

    def failed(self) -> dict[str, object]:
        return {"claim": self.entry.label, "problems": list(self.problems)}


def index_path(portfolio: Path) -> Path | None:
    """Where the portfolio's index lives; None for a single claim folder (computed live)."""
    if os.environ.get(INDEX_ENV):
        return Path(os.environ[INDEX_ENV])
    return None if is_claim_folder(portfolio) else state_folder(portfolio) / INDEX


def indexed(portfolio: Path, day: date, *, workers: int | None = None) -> list[Indexed]:
    """Every claim of the portfolio on ``day``, in the portfolio's order, from the index where it is fresh."""
    entries = portfolio_entries(portfolio)
    started = time.time_ns()
    signatures = [signature(e, portfolio) for e in entries]
    store = Store.open(index_path(portfolio))
    try:
        known = store.rows(day)
        stale = [i for i, (e, s) in enumerate(zip(entries, signatures, strict=True)) if known.get(e.key, ("",))[0] != s]
        fresh = compute([entries[i] for i in stale], portfolio, day, workers)
        store.write(day, [(entries[i].key, _kept(signatures[i], started), fresh[n]) for n, i in enumerate(stale)])
    finally:
        store.close()
    rows = {entries[i].key: fresh[n] for n, i in enumerate(stale)}
    return [_indexed(e, rows[e.key] if e.key in rows else known[e.key][1]) for e in entries]


def _indexed(entry: Entry, row: dict[str, Any]) -> Indexed:
    if "problems" in row:
        return Indexed(entry, None, tuple(row["problems"]))
    return Indexed(entry, ClaimFigures.from_row(row))


# -- signatures


def signature(entry: Entry, portfolio: Path) -> str:
    """What the claim's figures depend on, cheaply: stats of its files (or its row's data) and its journal's."""
    journal = journal_of(entry, portfolio)
    files = [journal.path, journal.legacy]
    if entry.folder is not None:
        head = "f"
        files = [Path(entry.folder) / name for name in CLAIM_FILES] + files
    else:
        head = hashlib.sha256(json.dumps(entry.data, sort_keys=True, default=str).encode()).hexdigest()
    return "|".join([head, *(_stat(f) for f in files)])


def _stat(path: Path) -> str:
    try:
        st = os.stat(path)
    except OSError:
        return "-"
    return f"{st.st_ino}:{st.st_size}:{st.st_mtime_ns}:{st.st_ctime_ns}"


def _kept(sig: str, started: int) -> str:
    """The signature to store: one that matches nothing when a file changed within ``RACY`` s of the reading."""
    edge = started - int(RACY * 1e9)
    for part in sig.split("|")[1:]:
        if part != "-" and int(part.split(":")[2]) >= edge:
            return "racy:" + sig
    return sig


# -- computing


def figures_row(entry: Entry, portfolio: Path, day: date) -> dict[str, Any]:
    """The claim's row on ``day``: its figures, or ``{"problems": [...]}``."""
    try:
        claim = with_journal(entry.load(), journal_of(entry, portfolio))
        rules = load_rules(claim.jurisdiction)
        statement = compute_statement(claim, rules, day)
        step = next_step(claim, rules, day, statement)
    except DossierError as exc:
        return {"problems": [p.as_dict() for p in exc.problems]}
    return ClaimFigures.of(entry.key, statement, step).as_row()


def _chunk(args: tuple[list[Entry], str, date]) -> list[dict[str, Any]]:
    entries, portfolio, day = args
    return [figures_row(e, Path(portfolio), day) for e in entries]


def compute(entries: Sequence[Entry], portfolio: Path, day: date, workers: int | None = None) -> list[dict[str, Any]]:
    """The rows of ``entries``; many of them on several processes (one per core by default)."""
    count = workers or os.cpu_count() or 1
    if count < 2 or len(entries) < PARALLEL_FROM:
        return [figures_row(e, portfolio, day) for e in entries]
    size = max(200, len(entries) // (count * 8))
    chunks = [(list(entries[i : i + size]), str(portfolio), day) for i in range(0, len(entries), size)]
    with ProcessPoolExecutor(count, mp_context=multiprocessing.get_context("spawn")) as pool:
        return [row for rows in pool.map(_chunk, chunks) for row in rows]


# -- storage


def generation() -> str:
    """Changes when the rules data or dossier's code changes: every row is then computed again."""
    digest = hashlib.sha256(SCHEMA.encode())
    for root, pattern in ((data_root(), "*"), (Path(__file__).resolve().parents[1], "*.py")):
        for path in sorted(root.rglob(pattern)):
            if path.is_file():
                digest.update(f"{path.relative_to(root)}:{_stat(path)}\n".encode())
    return digest.hexdigest()


class Store:
    """The SQLite file (WAL: readers never wait for a writer), or nothing when it cannot be opened (a read-only
    portfolio): the figures are then computed every time, never wrong."""

    def __init__(self, db: sqlite3.Connection | None) -> None:
        self.db = db

    @classmethod
    def open(cls, path: Path | None) -> Store:
        if path is None:
            return cls(None)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            db = sqlite3.connect(path, timeout=30, isolation_level=None)
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
            db.execute("CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT)")
            db.execute(
                "CREATE TABLE IF NOT EXISTS rows (key TEXT, day TEXT, signature TEXT, row TEXT, "
                "PRIMARY KEY (key, day))"
            )
            store = cls(db)
            store._check_generation()
            return store
        except (OSError, sqlite3.Error):
            return cls(None)

    def _check_generation(self) -> None:
        assert self.db is not None
        current = generation()
        found = self.db.execute("SELECT value FROM meta WHERE name = 'generation'").fetchone()
        if found is None or found[0] != current:
            with self._transaction() as db:
                db.execute("DELETE FROM rows")
                db.execute("INSERT OR REPLACE INTO meta VALUES ('generation', ?)", (current,))

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        assert self.db is not None
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield self.db
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    def rows(self, day: date) -> dict[str, tuple[str, dict[str, Any]]]:
        """key -> (signature, row) of the rows kept for ``day``."""
        if self.db is None:
            return {}
        try:
            found = self.db.execute("SELECT key, signature, row FROM rows WHERE day = ?", (day.isoformat(),))
            return {key: (sig, json.loads(row)) for key, sig, row in found}
        except sqlite3.Error:
            return {}

    def write(self, day: date, rows: list[tuple[str, str, dict[str, Any]]]) -> None:
        if self.db is None or not rows:
            return
        iso = day.isoformat()
        try:
            with self._transaction() as db:
                db.executemany(
                    "INSERT OR REPLACE INTO rows VALUES (?, ?, ?, ?)",
                    [(key, iso, sig, json.dumps(row, separators=(",", ":"))) for key, sig, row in rows],
                )
                db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (f"used:{iso}", str(time.time())))
                used = db.execute("SELECT name FROM meta WHERE name LIKE 'used:%' ORDER BY value DESC").fetchall()
                for (name,) in used[KEEP_DAYS:]:
                    db.execute("DELETE FROM rows WHERE day = ?", (name[5:],))
                    db.execute("DELETE FROM meta WHERE name = ?", (name,))
        except sqlite3.Error:
            return  # busy past the timeout, disk full: the figures were computed, only not kept

    def close(self) -> None:
        if self.db is not None:
            self.db.close()

