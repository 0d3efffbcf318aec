"""Sessions, CSRF tokens and the sign-in rate limit, shared by every ``dossier serve`` of a portfolio.

A session is a signed cookie (HMAC-SHA256): the user, the client, when it ends, a random nonce and a short
fingerprint of the user's password hash. Any instance behind a load balancer accepts it, provided they share the
key: it is ``$DOSSIER_PORTAL_SECRET``, or ``<state>/portal.secret``, made once (32 random bytes, mode 0600) in the
portfolio's state folder they all share. Changing the key signs everyone out; changing a user's password in
``portal.yaml`` signs that user out everywhere (the fingerprint no longer matches); signing out puts the session's
nonce on the revocation list of ``<state>/portal.sqlite`` (``store``), which every request checks. A form's CSRF
token is an HMAC of the session's nonce (or, on the sign-in page, of a random pre-session cookie): a page of
another site cannot know it.

Failed sign-ins are counted in ``portal.sqlite`` too, per (e-mail, address) pair, per address and per e-mail, each
against its own limit (``Limiter``): one address guessing is stopped after a few tries, but cannot lock the user
out of their own address; many addresses guessing one e-mail are stopped by its much higher limit.
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

from dossier.http.portal import store
from dossier.output.files import private_folder
from dossier.workflow.claims import state_folder

SECRET_ENV = "DOSSIER_PORTAL_SECRET"
SECRET_FILE = "portal.secret"
LIMITS_FILE = store.FILE
COOKIE = "dossier_session"
PRE_COOKIE = "dossier_pre"


@dataclass(frozen=True)
class Session:
    email: str
    client: str
    expires: int
    nonce: str
    fingerprint: str  # of the user's password hash when the session began


def secret(portfolio: Path) -> bytes:
    """The key sessions are signed with, made once in the state folder when the environment gives none."""
    if os.environ.get(SECRET_ENV):
        return os.environ[SECRET_ENV].encode()
    path = state_folder(portfolio) / SECRET_FILE
    with contextlib.suppress(FileNotFoundError):
        return bytes.fromhex(path.read_text(encoding="ascii").strip())
    private_folder(path.parent)
    key = os.urandom(32)
    staged = path.with_name(f".{SECRET_FILE}.{os.getpid()}")
    fd = os.open(staged, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    os.fchmod(fd, 0o600)  # whatever the umask
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


def fingerprint(key: bytes, password_hash: str) -> str:
    """A short keyed digest of a password hash: a session carries it, so a new password ends the old sessions
    (and the cookie, which its holder can read, tells nothing of the hash)."""
    return _sign(key, "user:" + password_hash)[:16]


def issue(key: bytes, email: str, client: str, hours: int, fingerprint: str) -> tuple[str, Session]:
    session = Session(email, client, int(time.time()) + hours * 3600, os.urandom(16).hex(), fingerprint)
    body = base64.urlsafe_b64encode(
        json.dumps([session.email, session.client, session.expires, session.nonce, session.fingerprint]).encode()
    ).decode()
    return f"{body}.{_sign(key, 'session:' + body)}", session


def read(key: bytes, cookie: str | None) -> Session | None:
    """The session a cookie carries, when its signature holds and it has not ended (revocation is checked by the
    caller, against the shared list)."""
    if not cookie or cookie.count(".") != 1 or len(cookie) > 4096:
        return None
    body, signature = cookie.split(".")
    if not hmac.compare_digest(signature, _sign(key, "session:" + body)):
        return None
    try:
        email, client, expires, nonce, print_ = json.loads(base64.urlsafe_b64decode(body.encode()))
    except (ValueError, TypeError):
        return None
    if not isinstance(expires, int) or expires < time.time():
        return None
    return Session(str(email), str(client), expires, str(nonce), str(print_))


def csrf_token(key: bytes, nonce: str) -> str:
    return _sign(key, "csrf:" + nonce)


def csrf_ok(key: bytes, nonce: str | None, token: str | None) -> bool:
    return bool(nonce and token) and hmac.compare_digest(csrf_token(key, str(nonce)), str(token))


class Limiter:
    """Failed sign-ins per key (``pair:…``, ``address:…``, ``email:…``), each with its own limit, in the shared
    ``portal.sqlite``."""

    def __init__(self, portfolio: Path) -> None:
        self.portfolio = portfolio
        self.path = store.path_of(portfolio)

    def blocked(self, limits: Sequence[tuple[str, int]], window: float) -> bool:
        with store.connect(self.portfolio) as db:
            return self._over(db, limits, time.time() - window)

    @staticmethod
    def _over(db: sqlite3.Connection, limits: Sequence[tuple[str, int]], since: float) -> bool:
        db.execute("DELETE FROM failures WHERE at < ?", (since,))
        sql = "SELECT COUNT(*) FROM failures WHERE key = ? AND at >= ?"
        return any(db.execute(sql, (key, since)).fetchone()[0] >= limit for key, limit in limits)

    def attempt(self, limits: Sequence[tuple[str, int]], window: float) -> list[int] | None:
        """Count a sign-in attempt as failed before its password is checked, in one transaction with the look-up
        of the limits: guesses sent together then see each other (checked first and written after the slow
        password check, they all passed). None when over a limit; else the rows written (``succeeded``)."""
        with store.transaction(self.portfolio) as db:
            if self._over(db, limits, time.time() - window):
                return None
            now = time.time()
            return [db.execute("INSERT INTO failures VALUES (?, ?)", (k, now)).lastrowid or 0 for k, _ in limits]

    def succeeded(self, key: str, rows: Sequence[int] = ()) -> None:
        """A good password: the failures of that key (the e-mail from this address) are forgotten, and the
        attempt's own rows; the e-mail's count from other addresses stays (a sign-in does not reset a
        distributed guess)."""
        with store.connect(self.portfolio) as db:
            db.execute("DELETE FROM failures WHERE key = ?", (key,))
            db.executemany("DELETE FROM failures WHERE rowid = ?", [(r,) for r in rows])
