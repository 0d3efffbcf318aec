"""Hand-in quotas: claims per client and day (counted in the shared portal.sqlite) and bytes per hand-in, refused
in the user's language."""

from __future__ import annotations

import copy
from datetime import date
from pathlib import Path

import pytest
import yaml
from fastapi.testclient import TestClient
from tests.conftest import BASE_CLAIM
from tests.web.portal.conftest import config, csrf, sign_in
from tests.web.portal.test_pages import _csv

from dossier.http.portal import pages, store


def _portal(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, **settings: int) -> None:
    path = tmp_path / "portal.yaml"
    path.write_text(yaml.safe_dump(config() | settings), encoding="utf-8")
    monkeypatch.setenv("DOSSIER_PORTAL", str(path))


def _claims(*references: str) -> bytes:
    return _csv([copy.deepcopy(BASE_CLAIM) | {"reference": r} for r in references])


def _hand_in(client: TestClient, content: bytes) -> tuple[int, str]:
    token = csrf(client.get("/portal/hand-in").text)
    answer = client.post("/portal/hand-in", data={"csrf": token}, files={"files": ("claims.csv", content, "text/csv")})
    return answer.status_code, answer.text


def test_a_client_hands_in_no_more_claims_a_day_than_its_quota(
    app: TestClient, portfolio: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _portal(tmp_path, monkeypatch, hand_in_claims_per_day=2)
    acme = sign_in(app, "marie@acme.example")
    status, text = _hand_in(acme, _claims("QUOTA-1", "QUOTA-2", "QUOTA-3"))
    refused = pages.texts("en")["handin_quota"].format(n=2)
    assert status == 422 and f"claims.csv:4: {refused}" in text
    assert (portfolio / "acme-QUOTA-2").is_dir() and not (portfolio / "acme-QUOTA-3").exists()
    status, text = _hand_in(acme, _claims("QUOTA-4"))
    assert status == 422 and refused in text and not (portfolio / "acme-QUOTA-4").exists()


def test_a_claim_refused_for_another_reason_does_not_count(
    app: TestClient, portfolio: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _portal(tmp_path, monkeypatch, hand_in_claims_per_day=1)
    acme = sign_in(app, "marie@acme.example")
    (portfolio / "acme-TAKEN-1").mkdir()  # already handed in: refused when written, so given back
    status, text = _hand_in(acme, _claims("TAKEN-1"))
    assert "already handed in" in text
    status, text = _hand_in(acme, _claims("TAKEN-2"))
    assert status == 200 and (portfolio / "acme-TAKEN-2").is_dir()


@pytest.mark.parametrize("lang", ["en", "fr", "nl"])
def test_a_hand_in_over_its_size_is_refused_in_the_users_language(
    app: TestClient, portfolio: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, lang: str
) -> None:
    _portal(tmp_path, monkeypatch, hand_in_max_bytes=1024 * 1024)
    acme = sign_in(app, "marie@acme.example")
    acme.get("/portal/language", params={"lang": lang, "next": "/portal/hand-in"})
    content = _claims(f"BIG-{lang}") + b"\n" * (1024 * 1024)
    status, text = _hand_in(acme, content)
    assert status == 413 and pages.texts(lang)["handin_too_large"].format(mb="1") in text.replace("&#39;", "'")
    assert not (portfolio / f"acme-BIG-{lang}").exists()


def test_the_quota_is_per_client_and_day_and_taken_at_once(portfolio: Path) -> None:
    (portfolio / "_dossier" / "portal.sqlite").unlink(missing_ok=True)
    day = date(2026, 1, 15)
    acme = store.Quota(portfolio, "acme", 3, day)
    assert acme.take(2) == 2 and acme.take(2) == 1 and acme.take(1) == 0
    acme.give_back(1)
    assert acme.take(5) == 1
    assert store.Quota(portfolio, "zon", 3, day).take(3) == 3
    assert store.Quota(portfolio, "acme", 3, date(2026, 1, 16)).take(3) == 3
