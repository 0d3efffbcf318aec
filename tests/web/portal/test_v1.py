"""``/v1`` under a portal: the report needs a token and shows the token's client alone (an operator's: the whole
portfolio); the stateless endpoints, which read only the request, stay open to everyone alike."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from fastapi.testclient import TestClient
from tests.conftest import BASE_CLAIM, copy_sample
from tests.web.portal.conftest import ACME, OPERATOR, TOKENS, ZON

CLAIM = json.loads(json.dumps(BASE_CLAIM, default=str))
WHO = {
    "nobody": None,
    "acme": TOKENS["marie@acme.example"],
    "zon": TOKENS["jan@zon.example"],
    "operator": OPERATOR,
    "forged": "dsr_" + "0" * 64,
}
#: what each caller's report lists (be-consumer-nl's creditor is no client's: the firm's alone)
SEES = {"acme": set(ACME), "zon": set(ZON), "operator": {*ACME, *ZON, "be-consumer-nl"}}
OPEN: list[tuple[str, str, dict[str, Any], int]] = [
    ("get", "/healthz", {}, 200),
    ("get", "/v1/jurisdictions", {}, 200),
    ("get", "/openapi.json", {}, 200),
    ("post", "/v1/validate", {"json": {"claim": CLAIM}}, 200),
    ("post", "/v1/statements", {"json": {"claim": CLAIM, "as_of": "2026-01-15"}}, 200),
    ("post", "/v1/documents", {"json": {"doc": "reminder"}}, 422),  # the request's own problem, not 401
    ("post", "/v1/bundles", {"data": {"date": "2026-01-15"}}, 422),
    ("post", "/v1/payments/matches", {"data": {"claims": "[]"}}, 422),
]


def _headers(who: str) -> dict[str, str]:
    token = WHO[who]
    return {"Authorization": f"Bearer {token}"} if token else {}


@pytest.mark.parametrize("who", ["nobody", "forged"])
def test_the_report_needs_a_token_under_a_portal(app: TestClient, who: str) -> None:
    answer = app.get("/v1/reports", headers=_headers(who))
    assert answer.status_code == 401
    assert answer.headers["www-authenticate"] == "Bearer"
    body = answer.json()
    assert body["error"] == "Unauthorized" and body["problems"][0]["path"] == "Authorization"
    assert "Zonnepanelen" not in answer.text and "ACME" not in answer.text


def test_a_token_of_another_scheme_is_no_token(app: TestClient) -> None:
    answer = app.get("/v1/reports", headers={"Authorization": f"Basic {OPERATOR}"})
    assert answer.status_code == 401


@pytest.mark.parametrize("who", ["acme", "zon", "operator"])
def test_the_report_shows_the_tokens_client_alone(app: TestClient, who: str) -> None:
    answer = app.get("/v1/reports", headers=_headers(who), params={"date": "2026-01-15"})
    assert answer.status_code == 200, answer.text
    report = answer.json()
    assert {c["key"] for c in report["per_claim"]} == SEES[who]
    assert report["claims"] == len(SEES[who])
    if who != "operator":
        others = {"acme": "Zonnepanelen", "zon": "Lumière"}[who]
        assert others not in answer.text and "be-consumer-nl" not in answer.text


@pytest.mark.parametrize(("method", "path", "request_args", "status"), OPEN)
def test_the_stateless_endpoints_answer_everyone_alike(
    app: TestClient, method: str, path: str, request_args: dict[str, Any], status: int
) -> None:
    answers = {who: getattr(app, method)(path, headers=_headers(who), **request_args) for who in WHO}
    assert {who: a.status_code for who, a in answers.items()} == dict.fromkeys(WHO, status)


def test_without_a_portal_the_report_is_the_firms_as_before(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from dossier.http.app import app as the_app

    copy_sample("be-b2b-fr", tmp_path / "portfolio" / "be-b2b-fr")
    monkeypatch.setenv("DOSSIER_PORTFOLIO", str(tmp_path / "portfolio"))
    monkeypatch.delenv("DOSSIER_PORTAL", raising=False)
    answer = TestClient(the_app).get("/v1/reports", params={"date": "2026-01-15"})
    assert answer.status_code == 200 and answer.json()["claims"] == 1


def test_a_portal_yaml_that_cannot_be_read_closes_the_report(
    portfolio: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from dossier.http.app import app as the_app

    broken = tmp_path / "portal.yaml"
    broken.write_text("clients: 3\n", encoding="utf-8")
    monkeypatch.setenv("DOSSIER_PORTFOLIO", str(portfolio))
    monkeypatch.setenv("DOSSIER_PORTAL", str(broken))
    answer = TestClient(the_app).get("/v1/reports", headers=_headers("operator"))
    assert answer.status_code == 503 and "clients" not in answer.text


def test_a_users_token_cannot_also_be_an_operators(tmp_path: Path) -> None:
    from tests.web.portal.conftest import config

    from dossier.http.portal.accounts import ConfigError, load_accounts

    settings = config()
    settings["operators"][0]["tokens"] = settings["users"][0]["tokens"]
    (tmp_path / "_dossier").mkdir()
    (tmp_path / "_dossier" / "portal.yaml").write_text(yaml.safe_dump(settings), encoding="utf-8")
    with pytest.raises(ConfigError) as refused:
        load_accounts(tmp_path)
    assert "operators[0].tokens" in str(refused.value.as_dict())
