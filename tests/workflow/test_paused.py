"""``dossier record`` from the command line, and paused claims in ``dossier next`` and the report (why, in the
report's language)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner
from tests.conftest import copy_sample

from dossier.cli.main import main
from dossier.workflow.report import portfolio_report, render_report


def invoke(*args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(main, list(args))


@pytest.fixture
def portfolio(tmp_path: Path) -> Path:
    folder = tmp_path / "portfolio"
    copy_sample("be-b2b-fr", folder / "disputed")
    copy_sample("fr-b2b-fr", folder / "returned")
    copy_sample("gb-eaw-b2b-en", folder / "untouched")
    return folder


def test_record_then_next_shows_paused_claims_and_why(portfolio: Path, tmp_path: Path) -> None:
    envelope = tmp_path / "envelope.jpg"
    envelope.write_bytes(b"\xff\xd8 scan")
    done = invoke("record", str(portfolio / "disputed"), "--event", "dispute", "--date", "2025-12-01",
                  "--note", "contests the second invoice")
    assert done.exit_code == 0, done.output
    assert "recorded dispute of 2025-12-01 (journal line 1)" in done.stdout
    done = invoke("record", str(portfolio / "returned"), "--event", "returned-mail", "--date", "2025-12-03",
                  "--file", str(envelope), "--json")
    assert done.exit_code == 0, done.output
    assert json.loads(done.stdout)["file"]["file"] == "out/2025-12-03_returned-mail_envelope.jpg"

    result = invoke("next", str(portfolio), "--date", "2025-12-10")
    assert result.exit_code == 0, result.output
    lines = {Path(line.split(": ")[0]).name: line for line in result.stdout.splitlines()}
    assert "paused" in lines["disputed"] and "once resumed" in lines["disputed"]
    assert "the debtor disputed the claim on 2025-12-01" in lines["disputed"]
    assert "mail came back on 2025-12-03: an address is needed" in lines["returned"]
    assert "paused" not in lines["untouched"]
    rows = json.loads(invoke("next", str(portfolio), "--date", "2025-12-10", "--json").stdout)
    assert [r["paused"][0]["kind"] if r["paused"] else None for r in rows] == ["dispute", "address-needed", None]


def test_the_report_lists_paused_claims_with_the_decisions_in_each_language(portfolio: Path) -> None:
    invoke("record", str(portfolio / "disputed"), "--event", "dispute", "--date", "2025-12-01")
    invoke("record", str(portfolio / "returned"), "--event", "promise", "--date", "2025-12-02", "--until",
           "2025-12-15", "--amount", "100")
    figures = portfolio_report(portfolio, date(2025, 12, 10))
    paused = {d["key"]: d for d in figures.decisions if d["paused"]}
    assert {k: (d["paused"], d["since"]) for k, d in paused.items()} == {
        "disputed": ("dispute", "2025-12-01"),
        "returned": ("promise", "2025-12-02"),
    }
    assert "promised on 2025-12-02 to pay 100.00 by 2025-12-15" in paused["returned"]["reasons"][0]
    assert json.loads(render_report(figures, "json"))["by_status"]["paused"]["count"] == 2
    for language, words in (
        ("en", ("paused: dispute open", "paused: promise to pay", "paused (see why)")),
        # French: a no-break space before the colon
        (
            "fr",
            (
                "en pause\u00a0: contestation en cours",
                "en pause\u00a0: promesse de paiement",
                "en pause (voir pourquoi)",
            ),
        ),
        ("nl", ("gepauzeerd: betwisting loopt", "gepauzeerd: betalingsbelofte", "gepauzeerd (zie waarom)")),
    ):
        html = render_report(figures, "html", language).decode("utf-8")
        for text in words:
            assert text in html, (language, text)


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--event", "promise", "--date", "2025-12-01"], "Error: --until: a promise needs the day"),
        (["--event", "promise", "--date", "2025-12-01", "--until", "2025-12-09", "--amount", "9.999"],
         "Error: --amount: 9.999 has more than two decimals"),
        (["--event", "call", "--date", "2025-12-01", "--amount", "5"], "Error: --amount: only a promise"),
        (["--event", "call", "--date", "2025-02-30"], "'2025-02-30' is not a valid date"),
        (["--event", "chat", "--date", "2025-12-01"], "'chat' is not one of"),
        (["--event", "call", "--date", "2025-12-01", "--file", "/no/such/scan.pdf"],
         "Error: /no/such/scan.pdf: --file: is not a file"),
    ],
)
def test_record_refuses_bad_input_naming_the_option(portfolio: Path, args: list[str], expected: str) -> None:
    result = invoke("record", str(portfolio / "disputed"), *args)
    assert result.exit_code != 0
    assert expected in result.output
    assert "Traceback" not in result.output
    assert not (portfolio / "disputed" / "journal.jsonl").exists()
