"""``POST /v1/documents`` with ``Accept: message/rfc822``: the ready e-mail, the document attached, for a caller
that sends mail itself."""

from __future__ import annotations

import email
import email.policy
import hashlib

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
