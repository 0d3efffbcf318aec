"""Attacks on the portal by a signed-in client (another tenant) and by a script guessing passwords."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
import yaml
from fastapi.testclient import TestClient
from tests.conftest import BASE_CLAIM
from tests.web.portal.conftest import csrf, sign_in

from dossier.http.portal import accounts, sessions


def _hand_in(client: TestClient, claim: dict) -> str:
    token = csrf(client.get("/portal/hand-in").text)
    files = {"files": ("claim.json", json.dumps(claim).encode(), "application/json")}
    return client.post("/portal/hand-in", data={"csrf": token}, files=files).text


def test_a_client_cannot_plant_a_claim_in_another_clients_portal(app: TestClient, portfolio: Path) -> None:
    """zon stands for its creditor by name; a claim with that name and acme's company number would be zon's
    and acme's: zon could put claims (and their figures, fees) into acme's list."""
    planted = copy.deepcopy(BASE_CLAIM) | {"reference": "PLANTED-1"}
    planted["creditor"] = planted["creditor"] | {"name": "Zonnepanelen Direct B.V."}  # acme's company number kept
    zon = sign_in(app, "jan@zon.example")
    answer = _hand_in(zon, planted)
    assert "creditor: is not a creditor of your account" in answer
    assert not (portfolio / "zon-PLANTED-1").exists()
    acme = sign_in(TestClient(app.app, base_url="http://127.0.0.1"), "marie@acme.example")
    assert "PLANTED-1" not in acme.get("/portal/claims", params={"q": "PLANTED"}).text


def test_a_handed_in_claim_may_not_name_files_in_its_events(app: TestClient, portfolio: Path) -> None:
    """The hand-in refuses claims that name files (pieces, history): a debtor event's ``file`` is one too."""
    claim = copy.deepcopy(BASE_CLAIM) | {"reference": "EVENT-FILE-1"}
    claim["events"] = [{"date": "2025-03-01", "type": "letter-received", "file": "../be-b2b-fr/claim.yaml"}]
    answer = _hand_in(sign_in(app, "marie@acme.example"), claim)
    assert "names files" in answer
    assert not (portfolio / "acme-EVENT-FILE-1").exists()


def test_a_sign_in_counts_before_the_password_is_checked(app: TestClient, portfolio: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """Requests sent together all passed the limit before any failure was written: the attempt must be counted
    before the (slow) password check, so that parallel guesses see each other."""
    seen: list[bool] = []
    check = accounts.Accounts.check_password

    def watched(self: accounts.Accounts, email: str, password: str) -> accounts.User | None:
        limits = [(f"email:{email.lower()}", 1)]
        seen.append(sessions.Limiter(portfolio).blocked(limits, 900))  # another request, at this moment
        return check(self, email, password)

    monkeypatch.setattr(accounts.Accounts, "check_password", watched)
    page = app.get("/portal/sign-in")
    app.post("/portal/sign-in", data={"email": "marie@acme.example", "password": "guess", "csrf": csrf(page.text)})
    assert seen == [True]
    sign_in(app, "marie@acme.example")  # a good password still signs in, and clears the e-mail's count from here
    assert not sessions.Limiter(portfolio).blocked([("pair:marie@acme.example|testclient", 1)], 900)


@pytest.mark.parametrize("path", ["/portal/api/claims", "/portal/api/claims/be-b2b-fr", "/portal/api/portfolio",
                                  "/portal/claims.csv", "/portal/api/claims/nope"])
def test_a_clients_data_is_never_kept_by_a_cache(app: TestClient, path: str) -> None:
    """The JSON and the CSV export are as private as the pages: no browser disk cache or shared proxy keeps them."""
    acme = sign_in(app, "marie@acme.example")
    answer = acme.get(path)
    assert answer.headers.get("cache-control") == "no-store", (path, answer.status_code)
    token = acme.get(path, headers={"Authorization": "Bearer dsr_acme_token_0123456789"})
    assert token.headers.get("cache-control") == "no-store"


def test_a_client_cannot_take_the_payment_reference_another_claim_prints(app: TestClient, portfolio: Path) -> None:
    """zon handing in a claim with the structured communication acme's letters print would have acme's claim given
    another one and its debtor's payments sent to review, with zon's claim among the candidates."""
    from dossier.context.payment import structured_communication

    victim = yaml.safe_load((portfolio / "be-b2b-fr" / "claim.yaml").read_text(encoding="utf-8"))
    printed = victim.get("payment_reference") or structured_communication(victim["reference"])
    squat = copy.deepcopy(BASE_CLAIM) | {"reference": "SQUAT-1", "payment_reference": printed}
    squat["creditor"] = {k: v for k, v in squat["creditor"].items() if k != "company_number"}
    squat["creditor"]["name"] = "Zonnepanelen Direct B.V."
    answer = _hand_in(sign_in(app, "jan@zon.example"), squat)
    assert "payment_reference: is a payment reference another claim of the portfolio prints" in answer
    assert not (portfolio / "zon-SQUAT-1").exists()
    squat["payment_reference"] = None
    del squat["payment_reference"]
    assert "SQUAT-1" in _hand_in(app, squat) and (portfolio / "zon-SQUAT-1").is_dir()  # without it, handed in
