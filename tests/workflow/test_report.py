"""The portfolio report: its figures are the statements' figures, they add up, and the HTML stands alone."""

from __future__ import annotations

import io
import json
import re
from collections import defaultdict
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner
from pypdf import PdfReader
from tests.conftest import copy_sample, sample_dirs

from dossier.cli.main import main
from dossier.engine.portfolio import BUCKETS, bucket_of
from dossier.workflow.report import portfolio_report, render_report
from dossier.workflow.run import run_due

DAY = date(2025, 12, 31)


@pytest.fixture(scope="module")
def portfolio(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The samples after a run, so ledgers hold letters too, plus one claim that cannot be read."""
    folder = tmp_path_factory.mktemp("report") / "portfolio"
    folder.mkdir()
    for sample in sample_dirs():
        copy_sample(sample.name, folder / sample.name)
    run_due(folder, date(2025, 12, 20), workers=1)
    (folder / "broken").mkdir()
    (folder / "broken" / "claim.yaml").write_text("reference: X\njurisdiction: BE\n")
    return folder


def cli(*args: str, exit_code: int = 0) -> str:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    assert result.exit_code == exit_code, result.output
    return result.stdout


def test_each_claim_in_the_report_equals_dossier_statement(portfolio: Path) -> None:
    report = json.loads(cli("report", str(portfolio), "--date", DAY.isoformat(), "--format", "json", exit_code=3))
    assert report["claims"] == 5
    for row in report["per_claim"]:
        statement = json.loads(cli("statement", str(portfolio / row["key"]), "--as-of", DAY.isoformat(), "--json"))
        assert row["reference"] == statement["reference"]
        assert row["totals"] == {k: statement["totals"][k] for k in row["totals"]}, row["key"]


def test_totals_ageing_and_groups_add_up_per_currency(portfolio: Path) -> None:
    figures = portfolio_report(portfolio, DAY)
    due: dict[str, Decimal] = defaultdict(Decimal)
    for claim in figures.claims:
        due[claim.currency] += claim.totals["due"]
    assert {c: v["due"] for c, v in figures.totals.items()} == dict(due)
    for currency, amount in due.items():
        assert sum(figures.ageing[name].amounts.get(currency, Decimal(0)) for name, _, _ in BUCKETS) == amount
        assert sum(t.amounts.get(currency, Decimal(0)) for t in figures.by_step.values()) == amount
        assert sum(t.amounts.get(currency, Decimal(0)) for t in figures.by_jurisdiction.values()) == amount
    assert sum(t.count for t in figures.by_status.values()) == len(figures.claims) == 5
    paid = sum(amount for c in figures.claims for _, amount in c.payments if c.currency == "EUR")
    assert sum(m.get("EUR", Decimal(0)) for m in figures.collected.values()) == paid
    eur = figures.totals["EUR"]
    assert figures.recovery["EUR"] == (eur["paid"] * 100 / (eur["paid"] + eur["due"])).quantize(Decimal("0.1"))
    assert [f["claim"].rsplit("/", 1)[-1] for f in figures.failed] == ["broken"]


def test_claims_needing_a_decision_are_the_expired_formal_notices(portfolio: Path) -> None:
    figures = portfolio_report(portfolio, DAY)
    assert sorted(d["reference"] for d in figures.decisions) == ["LUM-2025-0217", "ZPD-2024-0788"]
    assert all(d["decision"] == "proceedings" for d in figures.decisions)


@pytest.mark.parametrize(
    ("days", "bucket"),
    [
        (-3, "not_due"),
        (0, "not_due"),
        (1, "0-30"),
        (30, "0-30"),
        (31, "31-60"),
        (90, "61-90"),
        (180, "91-180"),
        (181, "over_180"),
    ],
)
def test_bucket_boundaries(days: int, bucket: str) -> None:
    assert bucket_of(days) == bucket


@pytest.mark.parametrize("language", ["en", "fr", "nl"])
def test_html_is_one_self_contained_file_with_charts(portfolio: Path, language: str) -> None:
    html = render_report(portfolio_report(portfolio, DAY), "html", language).decode("utf-8")
    assert html.count("<svg") >= 5  # ageing and collections per currency (EUR, GBP) and the steps
    without_namespace = html.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert not re.search(r"https?://|<link|<script|src=\"(?!data:)|url\(", without_namespace)
    headings = {
        "en": "Claims that need a decision",
        "fr": "Dossiers qui demandent une décision",
        "nl": "Dossiers die een beslissing vragen",
    }
    assert headings[language] in html


def test_pdf_comes_from_the_same_html_and_every_format_is_reproducible(portfolio: Path) -> None:
    figures = portfolio_report(portfolio, DAY)
    pdf = render_report(figures, "pdf", "fr")
    assert pdf.startswith(b"%PDF") and pdf == render_report(portfolio_report(portfolio, DAY), "pdf", "fr")
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "Rapport de portefeuille" in text and "Taux de recouvrement" in text
    assert render_report(figures, "json") == render_report(portfolio_report(portfolio, DAY), "json")


def test_cli_writes_the_report_atomically_and_names_unreadable_claims(portfolio: Path, tmp_path: Path) -> None:
    target = tmp_path / "r.html"
    result = CliRunner().invoke(main, ["report", str(portfolio), "--date", DAY.isoformat(), "--out", str(target)])
    assert result.exit_code == 3, result.output  # scripts see that the report is partial
    assert "5 claim(s), 1 unreadable" in result.stdout
    assert "broken: not in the report: claim.yaml: language: is required but missing" in result.stderr
    assert target.read_text(encoding="utf-8").startswith("<!doctype html>")
    assert not list(tmp_path.glob(".*"))


def test_a_portfolio_of_unreadable_claims_still_reports_them(tmp_path: Path) -> None:
    (tmp_path / "broken").mkdir()
    (tmp_path / "broken" / "claim.yaml").write_text("reference: X\njurisdiction: BE\n")
    figures = portfolio_report(tmp_path, DAY)
    html = render_report(figures, "html", "en").decode("utf-8")
    assert (len(figures.claims), len(figures.failed)) == (0, 1)
    assert "Claims that could not be read" in html and "broken" in html


def _claim_folder(parent: Path, reference: str, payments: list[dict[str, str]]) -> None:
    from tests.conftest import BASE_CLAIM

    folder = parent / reference
    folder.mkdir(parents=True)
    data = {**BASE_CLAIM, "reference": reference, "payments": payments}
    (folder / "claim.json").write_text(json.dumps(data), encoding="utf-8")


def test_collections_per_month_and_a_refund_to_make(tmp_path: Path) -> None:
    """Two claims of 1,000.00 due 9 February 2025 (issue 14 item 4). T-OVER paid 1,150.00 on 1 February, before
    the due date (no interest, no compensation): 150.00 to pay back, and no letter. T-PART paid 400.00 on
    15 March and 100.00 on 30 April. Collected: February 1,150.00, March 400.00, April 100.00."""
    portfolio = tmp_path / "portfolio"
    _claim_folder(portfolio, "T-OVER", [{"date": "2025-02-01", "amount": "1150.00"}])
    _claim_folder(
        portfolio, "T-PART", [{"date": "2025-03-15", "amount": "400.00"}, {"date": "2025-04-30", "amount": "100.00"}]
    )
    day = date(2025, 6, 1)
    figures = portfolio_report(portfolio, day)
    assert figures.as_dict()["collected_per_month"] == {
        "2025-02": {"EUR": "1150.00"},
        "2025-03": {"EUR": "400.00"},
        "2025-04": {"EUR": "100.00"},
    }
    (refund,) = [d for d in figures.decisions if d["reference"] == "T-OVER"]
    assert (refund["decision"], refund["refund"], refund["since"], refund["due"]) == (
        "refund",
        "150.00",
        "2025-02-01",
        "0.00",
    )
    html = render_report(figures, "html").decode()
    assert "refund to make: €150.00" in html
    assert "terug te betalen: €\xa0150,00" in render_report(figures, "html", "nl").decode()
    (portfolio / "T-PART" / "claim.json").unlink()
    (portfolio / "T-PART").rmdir()
    assert run_due(portfolio, day, workers=1).recorded == []
