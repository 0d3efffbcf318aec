"""POST /v1/bundles: only the files the claim names reach the bundle; odd part names are a 422, never a 500."""

from __future__ import annotations

import dataclasses
import io
import json
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from pypdf import PdfReader, PdfWriter
from tests.conftest import SAMPLES
from tests.web.test_app import claim_json

from dossier.http import app as app_module

SAMPLE = "be-b2b-fr"


@pytest.fixture(scope="module")
def client() -> TestClient:
    return TestClient(app_module.app)


def sample_parts() -> tuple[dict[str, Any], dict[str, tuple[str, bytes, str]]]:
    claim = claim_json(SAMPLE, keep_files=True)
    files = {
        item["file"]: (Path(item["file"]).name, (SAMPLES / SAMPLE / item["file"]).read_bytes(), "application/pdf")
        for item in claim["history"] + claim["pieces"]
        if item.get("file")
    }
    return claim, files


def raw_multipart(parts: list[tuple[bytes, bytes | None, bytes]]) -> tuple[bytes, dict[str, str]]:
    """A multipart body written by hand, so part names reach the server byte for byte (NUL included)."""
    boundary = b"dossierboundary"
    body = b""
    for name, filename, content in parts:
        disposition = b'form-data; name="' + name + b'"'
        if filename is not None:
            disposition += b'; filename="' + filename + b'"'
        body += b"--" + boundary + b"\r\nContent-Disposition: " + disposition + b"\r\n\r\n" + content + b"\r\n"
    body += b"--" + boundary + b"--\r\n"
    return body, {"content-type": "multipart/form-data; boundary=dossierboundary"}


def assert_error_shape(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error", "problems", "request_id"}
    assert body["request_id"] == response.headers["x-request-id"]
    for p in body["problems"]:
        assert set(p) == {"file", "path", "message", "hint"}
    return body


def test_a_planted_ledger_part_is_refused_and_no_server_file_reaches_the_bundle(
    client: TestClient, tmp_path: Path
) -> None:
    secret = tmp_path / "server-secret.pdf"
    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    writer.add_metadata({"/Title": "SERVER SECRET"})
    with secret.open("wb") as out:
        writer.write(out)
    claim, files = sample_parts()
    ledger = {
        "kind": "reminder",
        "sent": "2025-03-01",
        "channel": "post",
        "files": [{"name": str(secret), "path": str(secret), "format": "pdf", "sha256": "0" * 64}],
    }
    for name in ("out/ledger.jsonl", "out/../out/ledger.jsonl", "./out/ledger.jsonl"):
        planted = {**files, name: ("ledger.jsonl", json.dumps(ledger).encode() + b"\n", "application/json")}
        response = client.post("/v1/bundles", data={"claim": json.dumps(claim), "date": "2026-01-15"}, files=planted)
        body = assert_error_shape(response, 422)
        assert body["problems"][0]["file"] == "request"
        assert body["problems"][0]["path"] == "files" or "not a piece or history file" in body["problems"][0]["message"]
        assert str(tmp_path) not in response.text


def test_a_journal_part_is_refused_even_when_the_claim_names_it_as_a_piece(client: TestClient) -> None:
    """The journal of a request's claim is dossier's own: a caller cannot plant one, under any spelling."""
    claim, files = sample_parts()
    for name in ("journal.jsonl", "./journal.jsonl"):
        named = {**claim, "pieces": [*claim["pieces"], {"file": name, "title": "Journal", "date": "2025-01-10"}]}
        planted = {**files, name: ("journal.jsonl", b'{"n":1}\n', "application/json")}
        response = client.post("/v1/bundles", data={"claim": json.dumps(named), "date": "2026-01-15"}, files=planted)
        body = assert_error_shape(response, 422)
        assert "is not a piece or history file of this claim" in body["problems"][0]["message"], body


@pytest.mark.parametrize("name", ["claim.json/x.pdf", "claim.yaml/x.pdf", "journal.jsonl/x.pdf", "out/x.pdf"])
def test_a_part_inside_a_claim_file_or_the_journal_is_refused_not_a_500(client: TestClient, name: str) -> None:
    """A part named under a claim file's or the journal's name would make a folder of it (claim.json, written
    after the parts, then failed with a 500): it is refused like the file itself."""
    claim, files = sample_parts()
    named = {**claim, "pieces": [*claim["pieces"], {"file": name, "title": "X", "date": "2025-01-10"}]}
    planted = {**files, name: ("x.pdf", files["documents/F-2025-001.pdf"][1], "application/pdf")}
    response = client.post("/v1/bundles", data={"claim": json.dumps(named), "date": "2026-01-15"}, files=planted)
    body = assert_error_shape(response, 422)
    assert "is not a piece or history file of this claim" in body["problems"][0]["message"], body


def test_a_malformed_message_among_the_parts_is_a_422_not_a_500(client: TestClient) -> None:
    claim, files = sample_parts()
    mail = {"file": "mail.eml", "type": "email_received", "date": "2025-03-02"}
    named = {**claim, "history": [*claim["history"], mail]}
    planted = {**files, "mail.eml": ("mail.eml", b"Message-ID: <[\r\n\r\nhello\r\n", "message/rfc822")}
    response = client.post("/v1/bundles", data={"claim": json.dumps(named), "date": "2026-01-15"}, files=planted)
    body = assert_error_shape(response, 422)
    assert "mail.eml: the message cannot be read" in body["problems"][0]["message"], body


def test_a_part_the_claim_does_not_name_is_refused(client: TestClient) -> None:
    claim, files = sample_parts()
    for name in ("documents/extra.pdf", "claim.json", "../documents/F-2025-001.pdf", "/etc/passwd"):
        extra = {**files, name: ("x.pdf", files["documents/F-2025-001.pdf"][1], "application/pdf")}
        response = client.post("/v1/bundles", data={"claim": json.dumps(claim), "date": "2026-01-15"}, files=extra)
        body = assert_error_shape(response, 422)
        assert body["problems"][0]["path"].startswith("files"), body
        assert "/etc/passwd" not in response.text


@pytest.mark.parametrize("name", [b"", b".", b"a\x00b", b"documents/\x00.pdf", b"/", b"documents/"])
def test_odd_part_names_are_a_422_not_a_500(client: TestClient, name: bytes) -> None:
    claim, _ = sample_parts()
    body, headers = raw_multipart([(b"claim", None, json.dumps(claim).encode()), (name, b"x.pdf", b"%PDF-1.4\n")])
    response = client.post("/v1/bundles", content=body, headers=headers)
    problem = assert_error_shape(response, 422)["problems"][0]
    assert "\x00" not in response.text and "\\u0000" not in response.text
    assert problem["file"] == "request"


def test_unknown_text_fields_and_bad_flags_are_refused(client: TestClient) -> None:
    claim, files = sample_parts()
    response = client.post("/v1/bundles", data={"claim": json.dumps(claim), "colour": "red"}, files=files)
    assert assert_error_shape(response, 422)["problems"][0]["path"] == "form"
    response = client.post("/v1/bundles", data={"claim": json.dumps(claim), "skip_bad": "maybe"}, files=files)
    assert assert_error_shape(response, 422)["problems"][0]["path"] == "skip_bad"
    response = client.post("/v1/bundles", data={"claim": "[" * 100_000}, files=files)
    assert_error_shape(response, 422)


def test_a_bad_piece_hint_names_the_form_field_not_the_cli_flag(client: TestClient) -> None:
    claim, files = sample_parts()
    files["documents/F-2025-014.pdf"] = ("F-2025-014.pdf", b"this is not a pdf", "application/pdf")
    response = client.post("/v1/bundles", data={"claim": json.dumps(claim), "date": "2026-01-15"}, files=files)
    body = assert_error_shape(response, 422)
    hints = " ".join(p["hint"] or "" for p in body["problems"])
    assert "skip_bad=true" in hints and "--" not in hints
    skipped = client.post(
        "/v1/bundles", data={"claim": json.dumps(claim), "date": "2026-01-15", "skip_bad": "true"}, files=files
    )
    assert skipped.status_code == 200, skipped.text
    assert len(PdfReader(io.BytesIO(skipped.content)).pages) > 5


def test_too_many_or_too_large_parts_are_refused(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    claim, files = sample_parts()
    monkeypatch.setattr(app_module, "BOUNDS", dataclasses.replace(app_module.BOUNDS, parts=3))
    response = client.post("/v1/bundles", data={"claim": json.dumps(claim)}, files=files)
    assert_error_shape(response, 400)
    monkeypatch.setattr(app_module, "BOUNDS", dataclasses.replace(app_module.BOUNDS, parts=50, part=100))
    response = client.post("/v1/bundles", data={"claim": json.dumps(claim)}, files=files)
    assert assert_error_shape(response, 413)["problems"][0]["path"].startswith("files")
