"""The portal's shared state, ``<state>/portal.sqlite``: every ``dossier serve`` of a portfolio reads and writes the
same file, so a limit or a sign-out holds across instances behind a load balancer.

- ``failures``: failed sign-ins per key (see ``sessions.Limiter``);
- ``revoked``: the nonces of sessions signed out before they end, kept until then (a primary-key look-up on each
  request; rows past their end are pruned on each sign-out);
- ``handins``: claims handed in per client and day (``Quota``).

The folder is made 0700 and the file 0600 (set, whatever the umask): whoever could write it could lift a limit
or bring a signed-out session back.
"""

from __future__ import annotations

import contextlib
import sqlite3
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path

from dossier.output.files import private_file, private_folder
from dossier.workflow.claims import state_folder

FILE = "portal.sqlite"
SCHEMA = (
    "CREATE TABLE IF NOT EXISTS failures (key TEXT, at REAL)",
    "CREATE INDEX IF NOT EXISTS failures_key ON failures (key, at)",
    "CREATE TABLE IF NOT EXISTS revoked (nonce TEXT PRIMARY KEY, expires INTEGER)",
    "CREATE TABLE IF NOT EXISTS handins (client TEXT, day TEXT, claims INTEGER, PRIMARY KEY (client, day))",
)


def path_of(portfolio: Path) -> Path:
    return state_folder(portfolio) / FILE


@contextlib.contextmanager
def connect(portfolio: Path) -> Iterator[sqlite3.Connection]:
    """The shared file, made (privately) on first use, with its tables."""
    path = path_of(portfolio)
    private_folder(path.parent)
    private_file(path)
    db = sqlite3.connect(path, timeout=10, isolation_level=None)
    try:
        for statement in SCHEMA:
            db.execute(statement)
        yield db
    finally:
        db.close()


@contextlib.contextmanager
def transaction(portfolio: Path) -> Iterator[sqlite3.Connection]:
    """One write transaction: what is read in it cannot change before it is written (other instances wait)."""
    with connect(portfolio) as db:
        db.execute("BEGIN IMMEDIATE")
        try:
            yield db
        except BaseException:
            db.execute("ROLLBACK")
            raise
        db.execute("COMMIT")


def revoke(portfolio: Path, nonce: str, expires: int) -> None:
    """A session signed out: refused from now on by every instance, until it would have ended anyway."""
    with transaction(portfolio) as db:
        db.execute("DELETE FROM revoked WHERE expires < ?", (int(time.time()),))
        db.execute("INSERT OR REPLACE INTO revoked VALUES (?, ?)", (nonce, expires))


def is_revoked(portfolio: Path, nonce: str) -> bool:
    """Whether the session was signed out (one indexed look-up; no file yet: nothing was)."""
    if not path_of(portfolio).exists():
        return False
    with connect(portfolio) as db:
        return db.execute("SELECT 1 FROM revoked WHERE nonce = ?", (nonce,)).fetchone() is not None


class Quota:
    """Claims a client may still hand in today: taken before they are written (in one transaction, so two
    hand-ins sent together cannot both pass the limit), and what could not be written given back."""

    def __init__(self, portfolio: Path, client: str, limit: int, day: date) -> None:
        self.portfolio, self.client, self.limit, self.day = portfolio, client, limit, day.isoformat()

    def take(self, wanted: int) -> int:
        """How many of ``wanted`` claims may be written (counted as handed in now)."""
        with transaction(self.portfolio) as db:
            db.execute("DELETE FROM handins WHERE day < ?", (self.day,))
            row = db.execute("SELECT claims FROM handins WHERE client = ? AND day = ?", (self.client, self.day))
            used = (row.fetchone() or (0,))[0]
            granted = max(min(wanted, self.limit - used), 0)
            db.execute("INSERT OR REPLACE INTO handins VALUES (?, ?, ?)", (self.client, self.day, used + granted))
        return granted

    def give_back(self, count: int) -> None:
        if count <= 0:
            return
        with transaction(self.portfolio) as db:
            db.execute(
                "UPDATE handins SET claims = MAX(claims - ?, 0) WHERE client = ? AND day = ?",
                (count, self.client, self.day),
            )
