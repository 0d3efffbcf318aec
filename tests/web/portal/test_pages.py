"""What the portal's pages show: never older than the files, hand-in row by row, fees that match the report,
the user's language."""

from __future__ import annotations

import copy
import csv
import io
import json
import os
import re
from decimal import Decimal
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from tests.conftest import BASE_CLAIM
from tests.web.portal.conftest import csrf, sign_in

from dossier.http.portal import pages
from dossier.workflow.report import portfolio_report

HOUR = 3600 * 10**9


def test_the_list_is_never_older_than_the_claim_file(app: TestClient, portfolio: Path) -> None:
    claim = portfolio / "fr-b2b-fr" / "claim.yaml"
    for path in claim.parent.rglob("*"):  # written an hour ago: past the index's racy window
        st = path.stat()
        os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns - HOUR))
    acme = sign_in(app, "marie@acme.example")
    first = acme.get("/portal/api/claims", params={"q": "Lumière"}).json()["claims"]
    assert not first  # the debtor, not the creditor, is searched
    before = {c["key"]: c for c in acme.get("/portal/api/claims").json()["claims"]}["fr-b2b-fr"]
    acme.get("/portal/claims")  # the index now holds it, in the file and in memory
    st = claim.stat()
    text = claim.read_text(encoding="utf-8")
    amount = re.search(r'amount: "?(\d+)\.00"?', text)
    assert amount is not None
    changed = str(int(amount.group(1)) + 1).rjust(len(amount.group(1)), "0")[-len(amount.group(1)):]
    claim.write_text(text.replace(amount.group(0), amount.group(0).replace(amount.group(1), changed), 1), "utf-8")
    os.utime(claim, ns=(st.st_atime_ns, st.st_mtime_ns))  # same size, same modification time: only ctime moved
    after = {c["key"]: c for c in acme.get("/portal/api/claims").json()["claims"]}["fr-b2b-fr"]
    assert Decimal(after["totals"]["principal"]) - Decimal(before["totals"]["principal"]) == 1
    from dossier.context.formatting import Formatter

    page = acme.get("/portal/claims", params={"q": after["reference"]}, headers={"Accept-Language": "en"}).text
    assert Formatter("en_GB", "EUR").money(Decimal(after["totals"]["principal"])) in page


def _csv(rows: list[dict]) -> bytes:
    out = io.StringIO()
    columns = list(rows[0])
    writer = csv.DictWriter(out, fieldnames=columns)
    writer.writeheader()
    for row in rows:
        writer.writerow({k: json.dumps(v) if isinstance(v, dict | list) else v for k, v in row.items()})
    return out.getvalue().encode("utf-8")


def test_hand_in_adds_the_good_rows_and_names_the_bad_ones(app: TestClient, portfolio: Path) -> None:
    good = copy.deepcopy(BASE_CLAIM) | {"reference": "HAND-1"}
    bad = copy.deepcopy(BASE_CLAIM) | {"reference": "HAND-2"}
    bad["invoices"] = [{"number": "F2", "date": "2025-01-10", "due_date": "2025-02-30", "amount": "10.00"}]
    foreign = copy.deepcopy(BASE_CLAIM) | {"reference": "HAND-3"}
    foreign["creditor"] = foreign["creditor"] | {"name": "Zonnepanelen Direct B.V.", "company_number": None}
    del foreign["creditor"]["company_number"]
    acme = sign_in(app, "marie@acme.example")
    token = csrf(acme.get("/portal/hand-in").text)
    answer = acme.post("/portal/hand-in", data={"csrf": token},
                       files={"files": ("claims.csv", _csv([good, bad, foreign]), "text/csv")})
    assert answer.status_code == 422
    assert "claims.csv:3: invoices[0].due_date: 2025-02-30 is not a valid date (expected YYYY-MM-DD)" in answer.text
    assert "claims.csv:4: creditor: is not a creditor of your account" in answer.text
    assert (portfolio / "acme-HAND-1" / "claim.yaml").is_file()
    assert not (portfolio / "acme-HAND-2").exists() and not (portfolio / "acme-HAND-3").exists()
    assert not [p for p in portfolio.iterdir() if p.name.startswith(".handin")]
    assert "HAND-1" in acme.get("/portal/claims", params={"q": "HAND"}).text
    again = acme.post("/portal/hand-in", data={"csrf": token},
                      files={"files": ("claims.csv", _csv([good]), "text/csv")})
    assert "already handed in" in again.text


def test_hand_in_of_a_claim_file_gives_the_errors_of_dossier_validate(app: TestClient, tmp_path: Path) -> None:
    from click.testing import CliRunner

    from dossier.cli.main import main

    claim = copy.deepcopy(BASE_CLAIM)
    claim["debtor"]["tpye"] = "x"
    acme = sign_in(app, "marie@acme.example")
    token = csrf(acme.get("/portal/hand-in").text)
    answer = acme.post("/portal/hand-in", data={"csrf": token},
                       files={"files": ("claim.json", json.dumps(claim).encode(), "application/json")})
    (tmp_path / "claim.json").write_text(json.dumps(claim), encoding="utf-8")
    expected = CliRunner().invoke(main, ["validate", str(tmp_path)]).output.strip().removeprefix("Error: ")
    assert expected == "claim.json: debtor.tpye: unknown field 'tpye' (check the spelling)"
    assert expected.replace("'", "&#39;") in answer.text


def test_fees_are_the_schedule_applied_to_the_reports_figures(app: TestClient, portfolio: Path) -> None:
    acme = sign_in(app, "marie@acme.example")
    page = acme.get("/portal/fees", headers={"Accept-Language": "fr-BE"})
    assert page.status_code == 200
    figures = portfolio_report(portfolio, __import__("datetime").date.today())
    mine = [c for c in figures.claims if c.key in ("be-b2b-fr", "fr-b2b-fr")]
    collected = sum((c.totals["paid"] for c in mine), Decimal(0))
    commission = sum(((c.totals["paid"] / 10).quantize(Decimal("0.01")) for c in mine), Decimal(0))
    from dossier.context.formatting import Formatter

    fmt = Formatter("fr_BE", "EUR")
    text = page.text.replace("\u202f", " ").replace("\xa0", " ")
    assert fmt.money(collected).replace("\u202f", " ").replace("\xa0", " ") in text
    letters = Decimal("25.00")  # one formal notice sent on be-b2b-fr (conftest)
    assert fmt.money(commission + letters).replace("\u202f", " ").replace("\xa0", " ") in text
    zon = sign_in(TestClient(app.app, base_url="http://127.0.0.1"), "jan@zon.example")
    assert "Aucun barème" in zon.get("/portal/fees", headers={"Accept-Language": "fr"}).text


@pytest.mark.parametrize(
    ("header", "language"),
    [("nl-BE,nl;q=0.9,en;q=0.5", "nl"), ("de-DE,fr;q=0.7", "fr"), ("", "en"), ("en-GB", "en"), ("xx;q=abc", "en")],
)
def test_the_browsers_language_is_the_default(header: str, language: str) -> None:
    assert pages.negotiate(header) == language


def test_the_language_chosen_wins_and_every_language_has_every_text(app: TestClient) -> None:
    keys = set(pages.texts("en"))
    assert set(pages.texts("fr")) == keys == set(pages.texts("nl"))
    page = app.get("/portal/sign-in", headers={"Accept-Language": "nl"})
    assert '<html lang="nl">' in page.text and "Aanmelden" in page.text
    app.get("/portal/language", params={"lang": "fr", "next": "/portal/sign-in"})
    page = app.get("/portal/sign-in", headers={"Accept-Language": "nl"})
    assert '<html lang="fr">' in page.text and "Se connecter" in page.text
