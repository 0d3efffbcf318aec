"""GET /v1/reports names a claim that cannot be read by its place in the portfolio, never by a server path."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from tests.conftest import copy_sample

from dossier.http import app as app_module


@pytest.fixture(scope="module")
def client() -> TestClient:
    return TestClient(app_module.app)


def test_an_unreadable_claim_is_named_without_the_server_path(
    client: TestClient, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    folder = tmp_path / "portfolio"
    copy_sample("be-b2b-fr", folder / "good")
    (folder / "broken").mkdir(parents=True)
    (folder / "broken" / "claim.yaml").write_text("reference: [\n", encoding="utf-8")
    monkeypatch.setenv(app_module.PORTFOLIO_ENV, str(folder))
    response = client.get("/v1/reports", params={"date": "2025-12-31"})
    assert response.status_code == 200, response.text
    assert str(tmp_path) not in response.text
    failed = response.json()["failed"]
    assert [f["claim"] for f in failed] == ["broken"]
    assert failed[0]["problems"][0]["file"] == "claim.yaml"
