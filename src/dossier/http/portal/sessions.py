"""Sessions, CSRF tokens and the sign-in rate limit, shared by every ``dossier serve`` of a portfolio.

A session is a signed cookie (HMAC-SHA256): the user, the client, when it ends and a random nonce. The server keeps
no session state, so any instance behind a load balancer accepts it, provided they share the key: it is
``$DOSSIER_PORTAL_SECRET``, or ``<state>/portal.secret``, made once (32 random bytes, mode 0600) in the portfolio's
state folder they all share. Changing the key signs everyone out. A form's CSRF token is an HMAC of the session's
nonce (or, on the sign-in page, of a random pre-session cookie): a page of another site cannot know it.

Sign-in attempts are counted per e-mail and per client address in ``<state>/portal.sqlite`` (the instances share
it): past ``sign_in_attempts`` failures within the window, sign-in is refused (429) until the window has passed.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import hmac
import json
import os
import sqlite3
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from dossier.workflow.claims import state_folder

SECRET_ENV = "DOSSIER_PORTAL_SECRET"
SECRET_FILE = "portal.secret"
LIMITS_FILE = "portal.sqlite"
COOKIE = "dossier_session"
PRE_COOKIE = "dossier_pre"


@dataclass(frozen=True)
class Session:
    email: str
    client: str
    expires: int
    nonce: str


def secret(portfolio: Path) -> bytes:
    """The key sessions are signed with, made once in the state folder when the environment gives none."""
    if os.environ.get(SECRET_ENV):
        return os.environ[SECRET_ENV].encode()
    path = state_folder(portfolio) / SECRET_FILE
    with contextlib.suppress(FileNotFoundError):
        return bytes.fromhex(path.read_text(encoding="ascii").strip())
    path.parent.mkdir(parents=True, exist_ok=True)
    key = os.urandom(32)
    staged = path.with_name(f".{SECRET_FILE}.{os.getpid()}")
    fd = os.open(staged, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(key.hex())
    try:
        os.link(staged, path)  # the first instance's key wins; the others read it
    except FileExistsError:
        pass
    finally:
        staged.unlink()
    return bytes.fromhex(path.read_text(encoding="ascii").strip())


def _sign(key: bytes, text: str) -> str:
    return base64.urlsafe_b64encode(hmac.new(key, text.encode(), hashlib.sha256).digest()).decode().rstrip("=")


def issue(key: bytes, email: str, client: str, hours: int) -> tuple[str, Session]:
    session = Session(email, client, int(time.time()) + hours * 3600, os.urandom(16).hex())
    body = base64.urlsafe_b64encode(
        json.dumps([session.email, session.client, session.expires, session.nonce]).encode()
    ).decode()
    return f"{body}.{_sign(key, 'session:' + body)}", session


def read(key: bytes, cookie: str | None) -> Session | None:
    """The session a cookie carries, when its signature holds and it has not ended."""
    if not cookie or cookie.count(".") != 1 or len(cookie) > 4096:
        return None
    body, signature = cookie.split(".")
    if not hmac.compare_digest(signature, _sign(key, "session:" + body)):
        return None
    try:
        email, client, expires, nonce = json.loads(base64.urlsafe_b64decode(body.encode()))
    except (ValueError, TypeError):
        return None
    if not isinstance(expires, int) or expires < time.time():
        return None
    return Session(str(email), str(client), expires, str(nonce))


def csrf_token(key: bytes, nonce: str) -> str:
    return _sign(key, "csrf:" + nonce)


def csrf_ok(key: bytes, nonce: str | None, token: str | None) -> bool:
    return bool(nonce and token) and hmac.compare_digest(csrf_token(key, str(nonce)), str(token))


class Limiter:
    """Failed sign-ins per key (``email:…``, ``address:…``) in a small SQLite file the instances share."""

    def __init__(self, portfolio: Path) -> None:
        self.path = state_folder(portfolio) / LIMITS_FILE

    def _db(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        db = sqlite3.connect(self.path, timeout=10, isolation_level=None)
        db.execute("CREATE TABLE IF NOT EXISTS failures (key TEXT, at REAL)")
        db.execute("CREATE INDEX IF NOT EXISTS failures_key ON failures (key, at)")
        return db

    def blocked(self, keys: list[str], attempts: int, window: float) -> bool:
        since = time.time() - window
        db = self._db()
        try:
            return self._over(db, keys, attempts, since)
        finally:
            db.close()

    @staticmethod
    def _over(db: sqlite3.Connection, keys: list[str], attempts: int, since: float) -> bool:
        db.execute("DELETE FROM failures WHERE at < ?", (since,))
        sql = "SELECT COUNT(*) FROM failures WHERE key = ? AND at >= ?"
        return any(db.execute(sql, (key, since)).fetchone()[0] >= attempts for key in keys)

    def attempt(self, keys: list[str], attempts: int, window: float) -> list[int] | None:
        """Count a sign-in attempt as failed before its password is checked, in one transaction with the look-up
        of the limit: guesses sent together then see each other (checked first and written after the slow
        password check, they all passed). None when over the limit; else the rows written (``succeeded``)."""
        db = self._db()
        try:
            db.execute("BEGIN IMMEDIATE")
            if self._over(db, keys, attempts, time.time() - window):
                db.execute("COMMIT")
                return None
            now = time.time()
            rows = [db.execute("INSERT INTO failures VALUES (?, ?)", (k, now)).lastrowid or 0 for k in keys]
            db.execute("COMMIT")
            return rows
        finally:
            db.close()

    def succeeded(self, key: str, rows: Sequence[int] = ()) -> None:
        """A good password: the e-mail's failures are forgotten, and the attempt's own rows (its address's)."""
        db = self._db()
        try:
            db.execute("DELETE FROM failures WHERE key = ?", (key,))
            db.executemany("DELETE FROM failures WHERE rowid = ?", [(r,) for r in rows])
        finally:
            db.close()
