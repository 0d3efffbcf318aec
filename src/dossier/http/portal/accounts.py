"""The portal's clients, users, API tokens and fee schedules, from one YAML file the firm keeps
(``<state>/portal.yaml`` by default, see ``config_path``).

A client owns the claims whose creditor it names (by company number, or by exact name). Passwords are argon2
hashes (``dossier portal hash-password``); API tokens are kept as their sha256 (a token is 32 random bytes, so a
fast hash is enough), made by ``dossier portal new-token``. Operators are the firm's own systems: their tokens
open ``GET /v1/reports`` on the whole portfolio (a user's token there gets its client's claims only). The file is
read again whenever it changes.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any, Literal, TypeVar

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from dossier.errors import DossierError
from dossier.strictyaml import load_file
from dossier.validation import problems_from
from dossier.workflow.claims import state_folder

CONFIG = "portal.yaml"
CONFIG_ENV = "DOSSIER_PORTAL"
HASHER = PasswordHasher()
#: verified against when the e-mail is unknown, so that an unknown user takes as long as a wrong password
DUMMY_HASH = HASHER.hash("not a password of anyone")
Money = Annotated[Decimal, Field(ge=0, le=Decimal("1000000"), decimal_places=2)]


class ConfigError(DossierError):
    """The portal's configuration file is missing or wrong."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Creditor(_Strict):
    """A creditor the client stands for: its company number, or its exact name."""

    company_number: str | None = Field(default=None, min_length=2, max_length=40)
    name: str | None = Field(default=None, min_length=1, max_length=200)

    @model_validator(mode="after")
    def _one(self) -> Creditor:
        if (self.company_number is None) == (self.name is None):
            raise ValueError("give either company_number or name")
        return self


class FeeSchedule(_Strict):
    """What the firm charges a client: a share of what it collects, fixed fees per letter or ladder step."""

    currency: str = Field(default="EUR", pattern=r"^[A-Z]{3}$")
    commission_percent: Annotated[Decimal, Field(ge=0, le=100, decimal_places=2)] = Decimal("0")
    per_document: dict[Literal["reminder", "formal-notice", "payment-plan", "statement", "bundle"], Money] = {}
    per_step: dict[Annotated[str, Field(min_length=1, max_length=60)], Money] = {}
    note: str | None = Field(default=None, max_length=500)


class Client(_Strict):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]{0,39}$")
    name: str = Field(min_length=1, max_length=200)
    creditors: list[Creditor] = Field(min_length=1, max_length=1000)
    fees: str | None = Field(default=None, max_length=60, description="a schedule under fees:")


class User(_Strict):
    email: str = Field(pattern=r"^[^@\s]+@[^@\s]+$", max_length=200)
    client: str
    password: str = Field(pattern=r"^\$argon2(id|i|d)\$", description="an argon2 hash (dossier portal hash-password)")
    name: str | None = Field(default=None, max_length=200)
    language: Literal["fr", "nl", "en"] | None = None
    tokens: list[Annotated[str, Field(pattern=r"^sha256:[0-9a-f]{64}$")]] = Field(default=[], max_length=20)


Token = Annotated[str, Field(pattern=r"^sha256:[0-9a-f]{64}$")]


class Operator(_Strict):
    """A system of the firm itself (its reporting, its books): sees the whole portfolio through ``/v1``."""

    name: str = Field(min_length=1, max_length=200)
    tokens: list[Token] = Field(min_length=1, max_length=20)


class Settings(_Strict):
    session_hours: Annotated[int, Field(ge=1, le=24 * 30)] = 8
    secure_cookies: bool = True
    sign_in_attempts: Annotated[int, Field(ge=1, le=1000)] = 5  # per e-mail from one address, per window
    sign_in_attempts_per_address: Annotated[int, Field(ge=1, le=10000)] = 20  # any e-mail, from one address
    sign_in_attempts_per_email: Annotated[int, Field(ge=1, le=100000)] = 50  # one e-mail, from any address
    sign_in_window_minutes: Annotated[int, Field(ge=1, le=24 * 60)] = 15
    hand_in_claims_per_day: Annotated[int, Field(ge=0, le=1000000)] = 1000  # per client
    hand_in_max_bytes: Annotated[int, Field(ge=1, le=1024**3)] = 5 * 1024 * 1024  # the files of one hand-in
    clients: list[Client] = Field(max_length=10000)
    users: list[User] = Field(max_length=100000)
    operators: list[Operator] = Field(default=[], max_length=100)
    fees: dict[str, FeeSchedule] = {}

    @model_validator(mode="after")
    def _references(self) -> Settings:
        ids = [c.id for c in self.clients]
        if len(set(ids)) != len(ids):
            raise ValueError("clients: two clients have the same id")
        emails = [u.email.lower() for u in self.users]
        if len(set(emails)) != len(emails):
            raise ValueError("users: two users have the same e-mail")
        for n, user in enumerate(self.users):
            if user.client not in ids:
                raise ValueError(f"users[{n}].client: {user.client!r} is not a client id")
        for n, client in enumerate(self.clients):
            if client.fees is not None and client.fees not in self.fees:
                raise ValueError(f"clients[{n}].fees: {client.fees!r} is not a schedule under fees")
        users = {t for u in self.users for t in u.tokens}
        for n, operator in enumerate(self.operators):
            if users & set(operator.tokens):
                raise ValueError(f"operators[{n}].tokens: a token of a user cannot be an operator's")
        return self


@dataclass(frozen=True)
class Accounts:
    settings: Settings

    def client(self, client_id: str) -> Client:
        return next(c for c in self.settings.clients if c.id == client_id)

    def user(self, email: str) -> User | None:
        wanted = email.strip().lower()
        return next((u for u in self.settings.users if u.email.lower() == wanted), None)

    def check_password(self, email: str, password: str) -> User | None:
        """The user, when ``password`` is theirs; the same work is done for an unknown e-mail."""
        user = self.user(email)
        try:
            HASHER.verify(user.password if user else DUMMY_HASH, password)
        except (VerificationError, InvalidHashError):
            return None
        return user

    def by_token(self, token: str) -> User | None:
        return _holder(self.settings.users, token)

    def operator(self, token: str) -> Operator | None:
        """The firm's system holding ``token``, if any."""
        return _holder(self.settings.operators, token)

    def fees(self, client: Client) -> FeeSchedule | None:
        return self.settings.fees.get(client.fees) if client.fees else None


H = TypeVar("H", User, Operator)


def _holder(holders: list[H], token: str) -> H | None:
    digest = "sha256:" + hashlib.sha256(token.encode("utf-8", "replace")).hexdigest()
    for holder in holders:
        if any(hmac.compare_digest(digest, t) for t in holder.tokens):
            return holder
    return None


def config_path(portfolio: Path) -> Path:
    return Path(os.environ[CONFIG_ENV]) if os.environ.get(CONFIG_ENV) else state_folder(portfolio) / CONFIG


_cache: dict[Path, tuple[tuple[int, int, int, int], Accounts]] = {}


def load_accounts(portfolio: Path) -> Accounts:
    """The configuration, read again when the file changes; a wrong file is an error naming the field."""
    path = config_path(portfolio)
    try:
        st = path.stat()
    except OSError:
        hint = "see README: the creditors' portal"
        raise ConfigError("the portal has no configuration", file=CONFIG, hint=hint) from None
    stamp = (st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)
    cached = _cache.get(path)
    if cached and cached[0] == stamp:
        return cached[1]
    data = load_file(path, numbers="decimal", error=ConfigError, label=CONFIG)
    try:
        accounts = Accounts(Settings.model_validate(data))
    except ValidationError as exc:
        raise ConfigError("invalid", problems=problems_from(exc, CONFIG)) from None
    _cache[path] = (stamp, accounts)
    return accounts


def hash_password(password: str) -> str:
    return HASHER.hash(password)


def new_token() -> tuple[str, str]:
    """A new API token and the line to keep in the user's ``tokens``."""
    token = "dsr_" + os.urandom(32).hex()
    return token, "sha256:" + hashlib.sha256(token.encode()).hexdigest()


def owns(client: Client, creditor: str, number: str | None) -> bool:
    """Whether the claim's creditor is one the client stands for."""
    for c in client.creditors:
        if c.company_number is not None and number and _digits(c.company_number) == _digits(number):
            return True
        if c.name is not None and c.name == creditor:
            return True
    return False


def _digits(number: str) -> str:
    return re.sub(r"[^0-9A-Za-z]", "", number).upper()


def example(client: str, creditor: str, email: str, password: str) -> dict[str, Any]:
    """A minimal configuration: one client owning one creditor by name, one user (benchmarks, tests)."""
    return {
        "secure_cookies": False,
        "clients": [{"id": client, "name": creditor, "creditors": [{"name": creditor}]}],
        "users": [{"email": email, "client": client, "password": hash_password(password)}],
    }
