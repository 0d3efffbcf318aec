"""Every error answer has the documented shape and a request id; every 5xx is logged as a JSON line with it."""

from __future__ import annotations

import json
import logging

import pytest
from fastapi.testclient import TestClient
from tests.web.test_app import claim_json
from tests.web.test_bundles import assert_error_shape

from dossier.http import app as app_module
from dossier.http.problems import JsonLines, for_http, http_hint


@pytest.fixture(scope="module")
def client() -> TestClient:
    return TestClient(app_module.app)


def test_404_405_and_400_use_the_documented_shape(client: TestClient) -> None:
    assert assert_error_shape(client.get("/v1/nothing"), 404)["error"] == "NotFound"
    not_allowed = client.put("/v1/validate")
    assert assert_error_shape(not_allowed, 405)["error"] == "MethodNotAllowed"
    assert "POST" in not_allowed.headers["allow"]
    garbage = client.post(
        "/v1/bundles", content=b"garbage", headers={"content-type": "multipart/form-data; boundary=x"}
    )
    assert assert_error_shape(garbage, 400)["error"] == "BadRequest"
    bad_json = client.post("/v1/validate", content=b"{bad", headers={"content-type": "application/json"})
    assert "not valid JSON" in assert_error_shape(bad_json, 422)["problems"][0]["message"]


def test_success_carries_a_request_id_and_a_client_id_is_kept(client: TestClient) -> None:
    assert len(client.get("/healthz").headers["x-request-id"]) == 32
    assert client.get("/healthz", headers={"X-Request-ID": "lb-1234"}).headers["x-request-id"] == "lb-1234"
    odd = client.get("/healthz", headers={"X-Request-ID": "a b\tc" * 40}).headers["x-request-id"]
    assert odd != "a b\tc" * 40


def test_an_unexpected_failure_is_a_logged_500_without_traceback(
    client: TestClient, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(*_: object, **__: object) -> None:
        raise RuntimeError("boom at /srv/secret/place")

    monkeypatch.setattr(app_module, "_checked", broken)
    with caplog.at_level(logging.ERROR, logger="dossier.http"):
        response = client.post("/v1/validate", json={"claim": claim_json("be-b2b-fr")})
    body = assert_error_shape(response, 500)
    assert "boom" not in response.text and "Traceback" not in response.text and "/srv" not in response.text
    (record,) = [r for r in caplog.records if r.name == "dossier.http"]
    assert record.request_id == body["request_id"] and record.status == 500
    line = json.loads(JsonLines().format(record))
    assert line["request_id"] == body["request_id"] and line["path"] == "/v1/validate"
    assert "boom at /srv/secret/place" in line["traceback"]


def test_a_504_is_logged_with_its_request_id(
    client: TestClient, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(app_module, "TIME_LIMIT", 0.0)
    with caplog.at_level(logging.ERROR, logger="dossier.http"):
        response = client.post("/v1/validate", json={"claim": claim_json("be-b2b-fr")})
    body = assert_error_shape(response, 504)
    assert [r.request_id for r in caplog.records if r.name == "dossier.http"] == [body["request_id"]]


def test_hints_name_what_an_http_client_sends_not_cli_flags(client: TestClient) -> None:
    premature = client.post(
        "/v1/documents",
        json={"claim": claim_json("be-consumer-nl"), "doc": "formal-notice", "date": "2025-12-10"},
    )
    hints = [p["hint"] for p in assert_error_shape(premature, 422)["problems"]]
    assert hints and all("--" not in (h or "") for h in hints)
    assert any('"force": true' in (h or "") for h in hints)
    assert http_hint("fix the file, or pass --skip-bad") == "fix the file, or send the form field skip_bad=true"
    assert "--" not in (http_hint("use --made-up-flag") or "")
    missing = client.get("/v1/reports")
    if missing.status_code == 404:
        assert "--" not in (missing.json()["problems"][0]["hint"] or "")


def test_an_error_body_never_carries_a_server_path() -> None:
    body = for_http(
        {
            "error": "BundleError",
            "problems": [
                {
                    "file": "/srv/claims/c1/claim.yaml",
                    "path": "pieces[0].file",
                    "message": "/etc/passwd: not a PDF; reference +++090/9337/55493+++ of 01/02/2025",
                    "hint": "fix the file, or pass --skip-bad",
                }
            ],
        }
    )
    (found,) = body["problems"]
    assert "/srv" not in json.dumps(body) and "/etc" not in json.dumps(body)
    assert found["message"] == "(a server path): not a PDF; reference +++090/9337/55493+++ of 01/02/2025"
    assert found["hint"] == "fix the file, or send the form field skip_bad=true"
