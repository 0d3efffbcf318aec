"""``POST /v1/documents`` with ``Accept: message/rfc822``: the ready e-mail, the document attached, for a caller
that sends mail itself."""

from __future__ import annotations

import email
import email.policy
import hashlib
from datetime import date
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from tests.web.test_app import claim_json

from dossier.http import app as app_module

EML = {"Accept": "message/rfc822"}


@pytest.fixture(scope="module")
def client() -> TestClient:
    return TestClient(app_module.app)


def test_the_document_as_a_ready_email(client: TestClient) -> None:
    body = {"claim": claim_json("be-b2b-fr"), "doc": "formal-notice", "date": "2025-12-01"}
    response = client.post("/v1/documents", json={**body, "to": "Compta Dubois <compta@dubois.example>"}, headers=EML)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("message/rfc822")
    assert b"\r\n" in response.content and b"\n" not in response.content.replace(b"\r\n", b"")
    message = email.message_from_bytes(response.content, policy=email.policy.default)
    assert message["To"] == "Compta Dubois <compta@dubois.example>"
    assert message["From"] == "compta@acme.be"  # no sending settings: the creditor's address
    assert message["Subject"] == "Mise en demeure – dossier ACME-2025-0042"
    assert message["Message-ID"] == response.headers["x-dossier-message-id"]
    [attachment] = [part for part in message.walk() if part.get_filename()]
    assert attachment.get_filename() == "2025-12-01_formal-notice_ACME-2025-0042.pdf"
    pdf = attachment.get_payload(decode=True)
    assert pdf.startswith(b"%PDF") and hashlib.sha256(pdf).hexdigest() == response.headers["x-dossier-sha256"]
    default = client.post("/v1/documents", json=body, headers=EML)
    assert default.status_code == 200
    assert email.message_from_bytes(default.content, policy=email.policy.default)["To"] == "info@boulangerie-dubois.be"


def test_an_email_without_a_recipient_is_a_422(client: TestClient) -> None:
    claim = claim_json("be-b2b-fr")
    del claim["debtor"]["email"]
    body = {"claim": claim, "doc": "reminder", "date": "2025-12-01"}
    response = client.post("/v1/documents", json=body, headers=EML)
    assert response.status_code == 422
    assert response.json()["problems"][0]["path"] == "to"
    bad = client.post("/v1/documents", json={**body, "to": "not an address"}, headers=EML)
    assert bad.status_code == 422 and bad.json()["problems"][0]["path"] == "to"


def test_a_recipient_with_a_control_character_is_a_422(client: TestClient) -> None:
    """``to`` comes from the request, unchecked by the claim model: a NUL in it must not reach the To: header."""
    body = {"claim": claim_json("be-b2b-fr"), "doc": "reminder", "date": "2025-12-01"}
    for to in ("Compta\x00Dubois <compta@dubois.example>", "Compta\x1b[31m <compta@dubois.example>"):
        response = client.post("/v1/documents", json={**body, "to": to}, headers=EML)
        assert response.status_code == 422, response.text
        assert response.json()["problems"][0]["path"] == "to"


def test_a_dkim_key_never_signs_a_from_taken_from_the_posted_claim(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With a DKIM key and no DOSSIER_SMTP_FROM, the From was the posted claim's creditor e-mail: any caller got
    the firm's signature on a message from any address (ceo@ the firm's own domain included)."""
    from tests.cli.test_send import rsa_key

    from dossier.http import work
    from dossier.http.problems import Refused
    from dossier.http.schemas import DocumentBody

    key, _ = rsa_key(tmp_path)
    for name, value in {"SELECTOR": "s1", "DOMAIN": "cabinet.example", "KEY": str(key)}.items():
        monkeypatch.setenv(f"DOSSIER_DKIM_{name}", value)
    monkeypatch.delenv("DOSSIER_SMTP_FROM", raising=False)
    monkeypatch.setenv("DOSSIER_SETTINGS", str(tmp_path / "none.toml"))
    (tmp_path / "none.toml").write_text("")
    claim = claim_json("be-b2b-fr")
    claim["creditor"]["email"] = "ceo@cabinet.example"
    body = DocumentBody(claim=claim, doc="reminder", date="2025-12-01")
    with pytest.raises(Refused) as caught:
        work.email(body, date(2025, 12, 1))
    assert caught.value.status == 422 and caught.value.body["problems"][0]["path"] == "smtp.from"
    monkeypatch.setenv("DOSSIER_SMTP_FROM", "Cabinet <office@cabinet.example>")
    data, _ = work.email(body, date(2025, 12, 1))
    message = email.message_from_bytes(data, policy=email.policy.default)
    assert data.startswith(b"DKIM-Signature:") and message["From"] == "Cabinet <office@cabinet.example>"
