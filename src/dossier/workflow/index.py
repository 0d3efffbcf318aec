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

A cold build (a new day, new rules or code) costs what computing every claim costs, no more: claims are computed
``CHUNK`` at a time (on one process per core from ``PARALLEL_FROM`` claims, each looking the rules up once per
chunk) and each chunk is written in one transaction as it comes, so an interrupted build keeps what it computed.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import marshal
import multiprocessing
import os
import sqlite3
import stat
import threading
import time
from collections import Counter
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
from dossier.output.files import private_file, private_folder, safe_name
from dossier.output.history import with_journal
from dossier.output.journal import JOURNAL, Journal, read
from dossier.output.ledger import LEDGER
from dossier.rules import Jurisdiction, load_rules
from dossier.rules.load import data_root
from dossier.workflow.claims import is_claim_folder, journal_of, portfolio_entries, state_folder

INDEX = "index.sqlite"
INDEX_ENV = "DOSSIER_INDEX"
PROBLEM_KEYS = {"file", "path", "message", "hint"}
SCHEMA = "2"  # rows are marshal dumps of ClaimFigures.as_row() (JSON types only): fast to read
RACY = 2.0  # seconds: more than any filesystem's timestamp granularity
PARALLEL_FROM = 2000  # stale claims from which the index is built on several processes
CHUNK = 500  # claims computed, then written in one transaction, at a time
KEEP_DAYS = 3  # days whose figures are kept (the portal's today, a report's --date...)
#: the code a claim's figures come from (the generation changes with it)
CODE = ("engine", "rules", "model", "output")
CODE_FILES = ("batch/portfolio.py", "workflow/claims.py", "workflow/index.py")
LEGACY = f"out/{LEDGER}"  # the older ledger, read and never written (Journal.legacy)


@dataclass(frozen=True, slots=True)
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
    """Every claim of the portfolio on ``day``, in the portfolio's order, from the index where it is fresh.

    A process also keeps the rows it read in memory (by signature, as the file): a server answers from there
    after one ``stat`` sweep of the portfolio."""
    started = time.time_ns()
    scanned = scan(portfolio)
    path = index_path(portfolio)
    current = generation()
    with _lock:
        memo = _memo(f"{portfolio.resolve()}|{path}|{day.isoformat()}|{current}")
        missing = [(e, s) for e, s in scanned if memo.rows.get(e.key, ("",))[0] != s]
        if missing:
            _refresh(memo, missing, portfolio, Store.open(path, current), day, started, workers)
        return [memo.rows[e.key][1] for e, _ in scanned]


class Memo:
    """A process's rows of one portfolio on one day: key -> (signature, Indexed), and the values many claims
    repeat (legal sources, step labels, names of steps and statuses) kept once: a server holding 100,000 claims
    would otherwise keep 100,000 copies of each."""

    __slots__ = ("rows", "shared")

    def __init__(self) -> None:
        self.rows: dict[str, tuple[str, Indexed]] = {}
        self.shared: dict[object, Any] = {}


_lock = threading.Lock()
_memos: dict[str, Memo] = {}
MEMOS = 4  # portfolios x days a process keeps in memory


def _memo(name: str) -> Memo:
    if name not in _memos:
        while len(_memos) >= MEMOS:
            _memos.pop(next(iter(_memos)))
        _memos[name] = Memo()
    return _memos[name]


def _refresh(
    memo: Memo,
    missing: list[tuple[Entry, str]],
    portfolio: Path,
    store: Store,
    day: date,
    started: int,
    workers: int | None,
) -> None:
    """Read the missing claims' rows from the file, compute the stale ones, keep both. Computed rows are written
    a chunk at a time, each in one transaction, while the next chunks are computed: an interrupted build keeps
    what it computed."""
    try:
        known = store.rows(day, None if len(missing) > 500 else [e.key for e, _ in missing], memo.shared)
        for entry, sig in missing:
            if known.get(entry.key, ("",))[0] == sig:
                memo.rows[entry.key] = (sig, _indexed(entry, known[entry.key][1]))
        stale = [(e, s) for e, s in missing if known.get(e.key, ("",))[0] != s]
        done = 0
        for rows in computed([e for e, _ in stale], portfolio, day, workers):
            part = stale[done : done + len(rows)]
            done += len(rows)
            kept = [(e.key, _kept(s, started), row) for (e, s), row in zip(part, rows, strict=True)]
            store.write(day, kept)
            for (entry, _), (_, sig, row) in zip(part, kept, strict=True):
                memo.rows[entry.key] = (sig, _indexed(entry, _decoded(row, memo.shared)))
    finally:
        store.close()


Decoded = ClaimFigures | tuple[dict[str, Any], ...]  # a claim's figures, or the problems that kept it from being read


def _readable(key: str, blob: bytes, shared: dict[object, Any]) -> Decoded | None:
    """The row kept for ``key`` when it reads back as that claim's figures (or problems); a damaged, foreign or
    planted row (marshal data of any shape) is None, computed again: never a traceback on every page."""
    try:
        row = marshal.loads(blob)
        if not isinstance(row, dict):
            return None
        if "problems" in row:
            problems = row["problems"]
            return tuple(problems) if isinstance(problems, list) and all(map(_problem, problems)) else None
        figures = _decoded(row, shared)
        return figures if isinstance(figures, ClaimFigures) and figures.key == key else None
    except (ValueError, EOFError, TypeError, KeyError, AttributeError, ArithmeticError):
        return None


def _decoded(row: dict[str, Any], shared: dict[object, Any]) -> Decoded:
    """A row (``figures_row``'s dict) as the figures it holds, its repeated values taken from ``shared``."""
    if "problems" in row:
        return tuple(row["problems"])
    step = row["step"]
    for name, value in step.items():
        step[name] = _one(value, shared)
    for name in ("jurisdiction", "currency", "creditor", "creditor_number"):
        row[name] = _one(row[name], shared)
    labels = row["labels"]
    key = ("labels", *((n, *sorted(t.items())) for n, t in labels.items()))
    row["labels"] = shared.setdefault(key, labels)
    return ClaimFigures.from_row(row, shared)


_PLAIN = (str, int, type(None))


def _one(value: Any, shared: dict[object, Any]) -> Any:
    """The copy of ``value`` kept in ``shared`` (text, a list of texts, a mapping of plain values): the first one
    seen; anything else as it is. (Nobody changes a row's values: the list page and reports only read them.)"""
    if isinstance(value, str):
        return shared.setdefault(value, value)
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return shared.setdefault(("list", *value), value)
    if isinstance(value, dict) and all(type(v) in _PLAIN for v in value.values()):  # not bool: True == 1
        return shared.setdefault(("dict", *value.items()), value)
    return value


def _problem(item: object) -> bool:
    """Whether ``item`` reads back as a ``Problem.as_dict()``."""
    return isinstance(item, dict) and set(item) == PROBLEM_KEYS and isinstance(item["message"], str)


def _indexed(entry: Entry, decoded: Decoded) -> Indexed:
    if isinstance(decoded, ClaimFigures):
        return Indexed(entry, decoded)
    return Indexed(entry, None, decoded)


# -- signatures


def scan(portfolio: Path) -> list[tuple[Entry, str]]:
    """The portfolio's claims (as ``portfolio_entries`` gives them) with their signatures; a folder of claim
    folders with one ``stat`` per file and no more."""
    if not portfolio.is_dir() or is_claim_folder(portfolio):
        return [(e, signature(e, portfolio)) for e in portfolio_entries(portfolio)]
    root = str(portfolio)
    found = []
    with os.scandir(root) as listing:
        names = sorted(d.name for d in listing if d.is_dir())
    for name in names:
        folder = os.path.join(root, name)
        sig = _folder_signature(folder)
        if sig is not None:
            found.append((Entry(_key(name), folder, folder=folder), sig))
    if not found:
        return [(e, signature(e, portfolio)) for e in portfolio_entries(portfolio)]  # its error, said once
    return found


@functools.lru_cache(maxsize=1 << 18)
def _key(name: str) -> str:
    return safe_name(name)


def _folder_signature(folder: str) -> str | None:
    """The folder (a claim file appearing or replaced changes it), its claim file, journal and older ledger;
    None when it holds no claim file. (The hot path of a warm read: one ``stat`` per file, nothing else.)"""
    for name in CLAIM_FILES:
        try:
            st = os.stat(f"{folder}/{name}")
        except OSError:
            continue
        if stat.S_ISREG(st.st_mode):
            return f"f|{_stat(folder)}|{_of(st)}|{_stat(f'{folder}/{JOURNAL}')}|{_stat(f'{folder}/{LEGACY}')}"
    return None


def signature(entry: Entry, portfolio: Path) -> str:
    """What the claim's figures depend on, cheaply: stats of its files (or its row's data) and its journal's."""
    if entry.folder is not None:
        return _folder_signature(entry.folder) or "missing"
    journal = journal_of(entry, portfolio)
    head = hashlib.sha256(json.dumps(entry.data, sort_keys=True, default=str).encode()).hexdigest()
    return "|".join([head, _stat(journal.path), _stat(journal.legacy)])


def _stat(path: Path | str) -> str:
    try:
        return _of(os.stat(path))
    except OSError:
        return "-"


def _of(st: os.stat_result) -> str:
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
    journal = journal_of(entry, portfolio)
    try:
        claim = with_journal(entry.load(), journal)
        rules = _rules(claim.jurisdiction)
        statement = compute_statement(claim, rules, day)
        step = next_step(claim, rules, day, statement)
    except DossierError as exc:
        return {"problems": [p.as_dict() for p in exc.problems]}
    return ClaimFigures.of(entry.key, statement, step, sent_letters(journal, day)).as_row()


def sent_letters(journal: Journal, day: date) -> dict[str, int]:
    """How many letters of each kind the journal records as sent by ``day`` (what a firm's fixed fees count)."""
    if not journal.path.is_file():
        return {}
    sent = {
        (str(r.data.get("kind")), r.data.get("document"))
        for r in read(journal).records
        if r.event == "document-sent" and not r.legacy and str(r.data.get("date")) <= day.isoformat()
    }  # a letter sent twice (post, then e-mail) is one letter
    return dict(Counter(kind for kind, _ in sent))


def _chunk(args: tuple[list[Entry], str, date]) -> list[dict[str, Any]]:
    entries, portfolio, day = args
    with _rules_once():
        return [figures_row(e, Path(portfolio), day) for e in entries]


def computed(
    entries: Sequence[Entry], portfolio: Path, day: date, workers: int | None = None
) -> Iterator[list[dict[str, Any]]]:
    """The rows of ``entries`` in their order, a chunk at a time (for the caller to keep as they come); many of
    them on several processes (one per core by default), each loading the rules once."""
    count = workers or os.cpu_count() or 1
    if count < 2 or len(entries) < PARALLEL_FROM:
        for i in range(0, len(entries), CHUNK):
            yield _chunk((list(entries[i : i + CHUNK]), str(portfolio), day))
        return
    size = min(CHUNK, max(50, len(entries) // (count * 4)))
    chunks = [(list(entries[i : i + size]), str(portfolio), day) for i in range(0, len(entries), size)]
    # fork is cheapest, but only safe in a process with no other thread (a server's: spawn)
    method = "fork" if threading.active_count() == 1 else "spawn"
    pool = ProcessPoolExecutor(count, mp_context=multiprocessing.get_context(method))
    try:
        yield from pool.map(_chunk, chunks)
    finally:
        pool.shutdown(cancel_futures=True)  # stopped early (an error, an interrupt): no chunk left running


_build = threading.local()


@contextlib.contextmanager
def _rules_once() -> Iterator[None]:
    """Within a chunk, each jurisdiction's rules are looked up once (``load_rules`` resolves the data folder's
    path on every call: about 8% of a claim's time)."""
    _build.rules = {}
    try:
        yield
    finally:
        _build.rules = None


def _rules(code: str) -> Jurisdiction:
    cache: dict[str, Jurisdiction] | None = getattr(_build, "rules", None)
    if cache is None:
        return load_rules(code)
    if code not in cache:
        cache[code] = load_rules(code)  # an unknown one raises each time, with its own error
    return cache[code]


# -- storage


def generation() -> str:
    """Changes when the rules data or dossier's code changes: every row is then computed again."""
    digest = hashlib.sha256(SCHEMA.encode())
    package = Path(__file__).resolve().parents[1]
    files = [p for p in data_root().rglob("*") if p.is_file()]
    files += [p for part in CODE for p in (package / part).rglob("*.py")] + [package / f for f in CODE_FILES]
    for path in sorted(files):
        digest.update(f"{path}:{_stat(path)}\n".encode())
    return digest.hexdigest()


class Store:
    """The SQLite file (WAL: readers never wait for a writer), or nothing when it cannot be opened (a read-only
    portfolio): the figures are then computed every time, never wrong."""

    def __init__(self, db: sqlite3.Connection | None) -> None:
        self.db = db

    @classmethod
    def open(cls, path: Path | None, current: str) -> Store:
        if path is None or path.is_symlink():  # a link planted in the state folder: SQLite would write through it
            return cls(None)  # (tables added to, rows deleted from, a database elsewhere); computed each time
        try:
            return cls._open(path, current)
        except sqlite3.DatabaseError:  # not a database (damaged, or another file): a cache, so made again
            with contextlib.suppress(OSError):
                for stale in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
                    stale.unlink(missing_ok=True)
        except OSError:
            return cls(None)
        try:
            return cls._open(path, current)
        except (OSError, sqlite3.Error):
            return cls(None)

    @classmethod
    def _open(cls, path: Path, current: str) -> Store:
        private_folder(path.parent)
        private_file(path)
        db = sqlite3.connect(path, timeout=30, isolation_level=None)
        try:
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
            db.execute("CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT)")
            db.execute(
                "CREATE TABLE IF NOT EXISTS rows (key TEXT, day TEXT, signature TEXT, row BLOB, PRIMARY KEY (key, day))"
            )
            store = cls(db)
            store._check_generation(current)
        except BaseException:
            db.close()
            raise
        return store

    def _check_generation(self, current: str) -> None:
        assert self.db is not None
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

    def rows(
        self, day: date, keys: list[str] | None = None, shared: dict[object, Any] | None = None
    ) -> dict[str, tuple[str, Decoded]]:
        """key -> (signature, figures or problems) of the rows kept for ``day`` (of ``keys``, or all: one
        SELECT); a row that does not read back is left out (computed again)."""
        if self.db is None:
            return {}
        iso = day.isoformat()
        try:
            if keys is None:
                found = self.db.execute("SELECT key, signature, row FROM rows WHERE day = ?", (iso,)).fetchall()
            else:
                found = []
                for i in range(0, len(keys), 500):
                    chunk = keys[i : i + 500]
                    marks = ",".join("?" * len(chunk))
                    sql = f"SELECT key, signature, row FROM rows WHERE day = ? AND key IN ({marks})"
                    found += self.db.execute(sql, (iso, *chunk)).fetchall()
        except sqlite3.Error:
            return {}
        shared = {} if shared is None else shared
        out = {}
        for key, sig, blob in found:
            decoded = _readable(key, blob, shared)
            if decoded is not None:
                out[key] = (sig, decoded)
        return out

    def write(self, day: date, rows: list[tuple[str, str, dict[str, Any]]]) -> None:
        if self.db is None or not rows:
            return
        iso = day.isoformat()
        try:
            with self._transaction() as db:
                db.executemany(
                    "INSERT OR REPLACE INTO rows VALUES (?, ?, ?, ?)",
                    [(key, iso, sig, marshal.dumps(row)) for key, sig, row in rows],
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

