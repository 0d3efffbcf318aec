"""The HTTP API through FastAPI's test client and through a real uvicorn server on 127.0.0.1."""

from __future__ import annotations

import dataclasses
import io
import json
import os
import socket
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import httpx
import pytest
import yaml
from fastapi.testclient import TestClient
from pypdf import PdfReader
from tests.conftest import SAMPLES, copy_sample

from dossier.engine import compute_statement
from dossier.http import app as app_module
from dossier.model import load_claim
from dossier.rules import load_rules
from dossier.workflow.report import portfolio_report


def claim_json(name: str, *, keep_files: bool = False) -> dict:
    data = yaml.safe_load((SAMPLES / name / "claim.yaml").read_text())
    if not keep_files:
        data.pop("history", None)
        data.pop("pieces", None)
    return json.loads(json.dumps(data, default=str))


@pytest.fixture(scope="module")
def client() -> TestClient:
    return TestClient(app_module.app)


def test_health_and_jurisdictions(client: TestClient) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}
    assert [j["code"] for j in client.get("/v1/jurisdictions").json()] == ["BE", "FR", "GB-EAW", "NL"]
    assert client.get("/openapi.json").json()["info"]["title"] == "dossier"


def test_statement_is_the_same_as_the_cli_json(client: TestClient) -> None:
    body = client.post(
        "/v1/statements", json={"claim": claim_json("nl-consumer-nl", keep_files=True), "as_of": "2026-03-31"}
    ).json()
    claim = load_claim(SAMPLES / "nl-consumer-nl")
    from datetime import date

    expected = compute_statement(claim, load_rules("NL"), date(2026, 3, 31)).as_dict()
    assert body == json.loads(json.dumps(expected))


def test_documents_as_pdf_docx_and_manifest(client: TestClient) -> None:
    body = {"claim": claim_json("be-b2b-fr"), "doc": "formal-notice", "date": "2025-12-01"}
    pdf = client.post("/v1/documents", json=body)
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    assert "3 201,23 €" in PdfReader(io.BytesIO(pdf.content)).pages[0].extract_text().replace("\u202f", " ")
    docx = client.post("/v1/documents", json={**body, "format": "docx"})
    assert docx.headers["content-type"].startswith("application/vnd.openxmlformats")
    manifest = client.post("/v1/documents", json=body, headers={"Accept": "application/json"}).json()
    assert manifest["total_due"] == "3201.23" and manifest["deadline"] == "2025-12-16"
    assert manifest["sha256"] == pdf.headers["x-dossier-sha256"]


def test_bad_claim_is_a_422_with_the_field_path(client: TestClient) -> None:
    claim = claim_json("be-b2b-fr")
    claim["invoices"][1]["due_date"] = "2025-02-30"
    claim["debtor"]["tpye"] = "x"
    response = client.post("/v1/validate", json={"claim": claim})
    assert response.status_code == 422
    paths = {p["path"] for p in response.json()["problems"]}
    assert paths == {"invoices[1].due_date", "debtor.tpye"}


def test_bad_request_shape_is_a_422_not_a_500(client: TestClient) -> None:
    response = client.post("/v1/documents", json={"claim": claim_json("be-b2b-fr"), "doc": "letter"})
    assert response.status_code == 422
    assert response.json()["problems"][0]["path"] == "doc"
    premature = client.post(
        "/v1/documents",
        json={"claim": claim_json("be-consumer-nl", keep_files=False), "doc": "formal-notice", "date": "2025-12-10"},
    )
    assert premature.status_code == 422  # Book XIX pre-flight: no reminder in this claim's (empty) history


def test_body_over_the_limit_is_refused(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(app_module, "BOUNDS", dataclasses.replace(app_module.BOUNDS, body=1000))
    response = client.post("/v1/validate", json={"claim": claim_json("be-b2b-fr")})
    assert response.status_code == 413


def test_bundle_from_multipart(client: TestClient) -> None:
    claim = claim_json("be-b2b-fr", keep_files=True)
    files = {}
    for item in claim["history"] + claim["pieces"]:
        if item.get("file"):
            files[item["file"]] = (
                Path(item["file"]).name,
                (SAMPLES / "be-b2b-fr" / item["file"]).read_bytes(),
                "application/pdf",
            )
    response = client.post("/v1/bundles", data={"claim": json.dumps(claim), "date": "2026-01-15"}, files=files)
    assert response.status_code == 200, response.text
    reader = PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) == 12 and "Inventaire des pièces" in reader.pages[1].extract_text()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_up(base: str) -> None:
    """Until the server started by the test answers its health check (10 s at most)."""
    for _ in range(100):
        try:
            if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.1)
    pytest.fail("server did not start")


def test_reports_on_the_portfolio_the_service_is_pointed_at(
    client: TestClient, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv(app_module.PORTFOLIO_ENV, raising=False)
    missing = client.get("/v1/reports")
    assert missing.status_code == 404 and missing.json()["problems"][0]["path"] == "portfolio"
    folder = tmp_path / "portfolio"
    for name in ("be-b2b-fr", "gb-eaw-b2b-en"):
        copy_sample(name, folder / name)
    monkeypatch.setenv(app_module.PORTFOLIO_ENV, str(folder))
    response = client.get("/v1/reports", params={"date": "2025-12-31"})
    assert response.status_code == 200
    assert response.json() == json.loads(json.dumps(portfolio_report(folder, date(2025, 12, 31)).as_dict()))
    assert response.json()["totals"]["GBP"]["due"] == "11554.27"
    assert client.get("/v1/reports", params={"date": "2025-13-01"}).status_code == 422


def test_real_server_on_loopback(tmp_path: Path) -> None:
    port = free_port()
    copy_sample("fr-b2b-fr", tmp_path / "portfolio" / "fr")
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "dossier.cli.main",
            "serve",
            "--port",
            str(port),
            "--portfolio",
            str(tmp_path / "portfolio"),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        wait_until_up(base)
        response = httpx.post(
            f"{base}/v1/statements", json={"claim": claim_json("gb-eaw-b2b-en"), "as_of": "2025-12-31"}, timeout=30
        )
        assert response.json()["totals"]["due"] == "11554.27"
        bad = httpx.post(f"{base}/v1/statements", json={"claim": {"reference": "x"}}, timeout=30)
        assert bad.status_code == 422 and "Traceback" not in bad.text
        report = httpx.get(f"{base}/v1/reports", params={"date": "2025-12-31"}, timeout=30).json()
        assert report["claims"] == 1 and report["decisions"][0]["reference"] == "LUM-2025-0217"
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_the_server_logs_each_5xx_as_a_json_line_with_the_request_id(tmp_path: Path) -> None:
    port = free_port()
    log = tmp_path / "stderr.log"
    env = {**os.environ, "DOSSIER_TIME_LIMIT": "0"}
    with log.open("wb") as stderr:
        server = subprocess.Popen(
            [sys.executable, "-m", "dossier.cli.main", "serve", "--port", str(port), "--jobs", "1"],
            stdout=subprocess.DEVNULL,
            stderr=stderr,
            env=env,
        )
    try:
        base = f"http://127.0.0.1:{port}"
        wait_until_up(base)
        response = httpx.post(f"{base}/v1/validate", json={"claim": claim_json("be-b2b-fr")}, timeout=30)
        assert response.status_code == 504
        rid = response.headers["x-request-id"]
        assert response.json()["request_id"] == rid
        for _ in range(50):
            lines = [json.loads(line) for line in log.read_text().splitlines() if line.startswith("{")]
            if lines:
                break
            time.sleep(0.1)
        (line,) = [entry for entry in lines if entry.get("request_id") == rid]
        assert line["logger"] == "dossier.http" and line["status"] == 504 and line["level"] == "ERROR"
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_a_payment_plan_without_its_schedule_is_a_422_not_six_made_up_instalments(client: TestClient) -> None:
    body = {"claim": claim_json("be-b2b-fr"), "doc": "payment-plan", "date": "2025-12-01"}
    response = client.post("/v1/documents", json=body)
    assert response.status_code == 422
    assert response.json()["problems"][0]["path"] == "options.plan"
    body["options"] = {"plan": {"instalments": 3}}
    assert client.post("/v1/documents", json=body).status_code == 200


def test_a_settlement_offer_and_an_extension_take_their_offer_in_the_options(client: TestClient) -> None:
    body = {"claim": claim_json("be-b2b-fr"), "doc": "settlement-offer", "date": "2025-12-01"}
    missing = client.post("/v1/documents", json=body)
    assert missing.status_code == 422 and missing.json()["problems"][0]["path"] == "options.offer"
    body["options"] = {"offer": {"amount": "2500.00", "until": "2025-12-20"}}
    manifest = client.post("/v1/documents", json=body, headers={"Accept": "application/json"}).json()
    assert (manifest["total_due"], manifest["deadline"]) == ("3201.23", "2025-12-20")
    pdf = client.post("/v1/documents", json=body)
    text = PdfReader(io.BytesIO(pdf.content)).pages[0].extract_text().replace("\u202f", " ").replace("\n", " ")
    assert "2 500,00 €" in text and "renonce alors au solde de 701,23 €" in text
    too_much = {**body, "options": {"offer": {"amount": "3300.00", "until": "2025-12-20"}}}
    refused = client.post("/v1/documents", json=too_much)
    assert refused.status_code == 422 and refused.json()["problems"][0]["path"] == "offer.amount"
    extension = {**body, "doc": "deadline-extension", "options": {"offer": {"until": "2026-01-15"}}}
    manifest = client.post("/v1/documents", json=extension, headers={"Accept": "application/json"}).json()
    assert manifest["deadline"] == "2026-01-15"
