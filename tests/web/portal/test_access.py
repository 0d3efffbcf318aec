"""Every portal route, for two clients: each sees its own claims, and another client's claim, document or export
is the same 404 as a claim that does not exist; without a session, nothing but the sign-in page."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from tests.web.portal.conftest import ACME, TOKENS, ZON, sign_in

from dossier.output.journal import Journal, read

PAGES = ("/portal/claims", "/portal/portfolio", "/portal/fees", "/portal/hand-in", "/portal/claims/be-b2b-fr")
API = ("/portal/api/claims", "/portal/api/portfolio", "/portal/api/claims/be-b2b-fr", "/portal/claims.csv")


def first_file(portfolio: Path, key: str) -> str:
    record = next(r for r in read(Journal.of_claim(portfolio / key)).records if r.event == "document-rendered")
    return f"/portal/claims/{key}/files/{record.data['n']}/0"


@pytest.mark.parametrize("path", PAGES)
def test_pages_need_a_session(app: TestClient, path: str) -> None:
    answer = app.get(path, follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"] == "/portal/sign-in"


@pytest.mark.parametrize("path", API)
def test_json_needs_a_session_or_a_token(app: TestClient, path: str) -> None:
    assert app.get(path, headers={"Authorization": "Bearer wrong"}).status_code == 401


def test_each_client_lists_its_own_claims_only(app: TestClient) -> None:
    acme = sign_in(app, "marie@acme.example").get("/portal/claims").text
    for reference in ("ACME-2025-0042",):
        assert reference in acme
    assert "Zonnepanelen" not in acme and "Thames" not in acme and "Fitness" not in acme
    keys = set(re.findall(r'href="/portal/claims/([^"/?]+)"', acme))
    assert keys == set(ACME)


def test_tokens_give_the_same_claims_as_json(app: TestClient) -> None:
    for email, mine in (("marie@acme.example", ACME), ("jan@zon.example", ZON)):
        headers = {"Authorization": f"Bearer {TOKENS[email]}"}
        body = app.get("/portal/api/claims", headers=headers).json()
        assert {c["key"] for c in body["claims"]} == set(mine)
        text = app.get("/portal/claims.csv", headers=headers).text.lstrip("\ufeff")
        exported = list(csv.DictReader(io.StringIO(text)))
        assert len(exported) == len(mine)


@pytest.mark.parametrize("owner_key", ["be-b2b-fr", "fr-b2b-fr"])
def test_another_clients_claim_is_not_found(app: TestClient, portfolio: Path, owner_key: str) -> None:
    zon = sign_in(app, "jan@zon.example")
    missing = zon.get("/portal/claims/no-such-claim")
    assert missing.status_code == 404
    for path in (f"/portal/claims/{owner_key}", f"/portal/api/claims/{owner_key}"):
        answer = zon.get(path)
        assert answer.status_code == 404, path
        assert "ACME" not in answer.text and "Lumière" not in answer.text
    if owner_key == "be-b2b-fr":
        document = first_file(portfolio, owner_key)
        acme = sign_in(TestClient(app.app, base_url="http://127.0.0.1"), "marie@acme.example")
        assert acme.get(document).status_code == 200
        assert zon.get(document).status_code == 404
        token = {"Authorization": f"Bearer {TOKENS['jan@zon.example']}"}
        assert app.get(document, headers=token).status_code == 404


def test_another_clients_claim_is_not_in_exports_or_reports(app: TestClient) -> None:
    zon = sign_in(app, "jan@zon.example")
    export = zon.get("/portal/claims.csv", params={"q": "ACME"})
    assert export.status_code == 200 and "ACME" not in export.text
    assert "ACME" not in zon.get("/portal/portfolio").text
    assert "ACME" not in zon.get("/portal/api/portfolio").text
    assert "ACME" not in zon.get("/portal/fees").text
    found = zon.get("/portal/claims", params={"q": "ACME"}).text
    assert "/portal/claims/be-b2b-fr" not in found and "Boulangerie" not in found


@pytest.mark.parametrize(
    "path",
    [
        "/portal/claims/be-b2b-fr/files/1/5",
        "/portal/claims/be-b2b-fr/files/999/0",
        "/portal/claims/..%2Fnl-consumer-nl",
        "/portal/claims/%2E%2E/files/1/0",
        "/portal/claims/nl-consumer-nl/files/1/0",
    ],
)
def test_guessed_ids_and_dot_dots_are_not_found(app: TestClient, path: str) -> None:
    acme = sign_in(app, "marie@acme.example")
    assert acme.get(path).status_code == 404


def test_a_journal_line_naming_a_file_outside_the_claim_is_not_served(app: TestClient, portfolio: Path) -> None:
    from dossier.output.journal import append

    journal = Journal.of_claim(portfolio / "fr-b2b-fr")
    entry = append(journal, "debtor-event", {"type": "call", "date": "2025-12-02", "note": "x",
                                             "file": {"name": "c", "file": "../nl-consumer-nl/claim.yaml",
                                                      "sha256": "0" * 64, "bytes": 1}})
    acme = sign_in(app, "marie@acme.example")
    assert acme.get(f"/portal/claims/fr-b2b-fr/files/{entry['n']}/0").status_code == 404


def test_nothing_of_the_configuration_shows(app: TestClient) -> None:
    acme = sign_in(app, "marie@acme.example")
    for path in PAGES:
        text = acme.get(path).text
        assert "argon2" not in text and "sha256:" not in text and "Zonnepanelen" not in text, path
        assert "zon" not in re.findall(r"client[^<]{0,40}", text)


def test_a_creditor_taken_from_a_client_in_portal_yaml_is_gone_at_once(app: TestClient, portfolio: Path) -> None:
    import yaml

    path = portfolio / "_dossier" / "portal.yaml"
    original = path.read_text(encoding="utf-8")
    acme = sign_in(app, "marie@acme.example")
    assert acme.get("/portal/claims/fr-b2b-fr").status_code == 200
    changed = yaml.safe_load(original)  # the same password hashes: a new one would end the session
    changed["clients"][0]["creditors"] = changed["clients"][0]["creditors"][:1]
    try:
        path.write_text(yaml.safe_dump(changed) + "# changed\n", encoding="utf-8")
        assert acme.get("/portal/claims/fr-b2b-fr", follow_redirects=False).status_code == 404
        assert "/portal/claims/fr-b2b-fr" not in acme.get("/portal/claims").text
    finally:
        path.write_text(original, encoding="utf-8")
