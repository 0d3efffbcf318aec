"""A portfolio with two clients of the firm (and a claim of a third creditor that has no portal account)."""

from __future__ import annotations

import hashlib
import re
from datetime import date
from pathlib import Path

import pytest
import yaml
from fastapi.testclient import TestClient
from tests.conftest import copy_sample, send_drafts

from dossier.http.portal import accounts

PASSWORDS = {"marie@acme.example": "acme-secret-1", "jan@zon.example": "zon-secret-2"}
TOKENS = {"marie@acme.example": "dsr_acme_token_0123456789", "jan@zon.example": "dsr_zon_token_0123456789"}
OPERATOR = "dsr_firm_operator_token_0123456789"  # the firm's own reporting: the whole portfolio over /v1
ACME = ("be-b2b-fr", "fr-b2b-fr")
ZON = ("nl-consumer-nl", "gb-eaw-b2b-en")


def config(secure: bool = False) -> dict:
    held = {**TOKENS, "operator": OPERATOR}
    digest = {e: "sha256:" + hashlib.sha256(t.encode()).hexdigest() for e, t in held.items()}
    return {
        "secure_cookies": secure,
        "sign_in_attempts": 3,
        "sign_in_attempts_per_address": 8,
        "sign_in_attempts_per_email": 6,
        "clients": [
            {
                "id": "acme",
                "name": "ACME SRL",
                "creditors": [{"company_number": "BE 0403.170.701"}, {"name": "Imprimerie Lumière SAS"}],
                "fees": "standard",
            },
            {
                "id": "zon",
                "name": "Zonnepanelen Direct B.V.",
                "creditors": [{"name": "Zonnepanelen Direct B.V."}, {"name": "Thames Valley Joinery Ltd"}],
            },
        ],
        "users": [
            {"email": email, "client": client, "password": HASHES[email], "tokens": [digest[email]]}
            for email, client in (("marie@acme.example", "acme"), ("jan@zon.example", "zon"))
        ],
        "operators": [{"name": "Firm reporting", "tokens": [digest["operator"]]}],
        "fees": {
            "standard": {
                "commission_percent": "10",
                "per_document": {"formal-notice": "25.00", "reminder": "7.50"},
            }
        },
    }


HASHES = {email: accounts.hash_password(pw) for email, pw in PASSWORDS.items()}


def make_portfolio(folder: Path, secure: bool = False) -> Path:
    from dossier.api import render

    for name in (*ACME, *ZON, "be-consumer-nl"):
        copy_sample(name, folder / name)
    for name, doc in (("be-b2b-fr", "formal-notice"), ("nl-consumer-nl", "reminder")):
        render(str(folder / name), doc, sent=date(2025, 12, 1))
        send_drafts(folder / name)
    (folder / "_dossier").mkdir(exist_ok=True)
    (folder / "_dossier" / "portal.yaml").write_text(yaml.safe_dump(config(secure)), encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def portfolio(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_portfolio(tmp_path_factory.mktemp("portal") / "portfolio")


@pytest.fixture
def app(portfolio: Path, monkeypatch: pytest.MonkeyPatch) -> TestClient:
    from dossier.http.app import app as the_app

    monkeypatch.setenv("DOSSIER_PORTFOLIO", str(portfolio))
    monkeypatch.delenv("DOSSIER_PORTAL", raising=False)
    monkeypatch.delenv("DOSSIER_INDEX", raising=False)
    sessions_file = portfolio / "_dossier" / "portal.sqlite"
    sessions_file.unlink(missing_ok=True)  # no failed sign-ins left from another test
    return TestClient(the_app, base_url="http://127.0.0.1")


def csrf(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found, html[:500]
    return found.group(1)


def sign_in(client: TestClient, email: str, password: str | None = None) -> TestClient:
    page = client.get("/portal/sign-in")
    answer = client.post(
        "/portal/sign-in",
        data={"email": email, "password": password or PASSWORDS[email], "csrf": csrf(page.text)},
        follow_redirects=False,
    )
    assert answer.status_code == 303, answer.text
    return client
