"""A settlement offer and a deadline extension, from the command line to the journal, the statement and the
ladder (issue 15): the offer goes into the journal with the letter, and counts once the letter was sent."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from tests.conftest import copy_sample, send_drafts

from dossier.cli.main import main
from dossier.output.journal import Journal, read

LAST_PAYMENT = '  - {date: 2025-07-01, amount: "1000.00", reference: "Acompte Dubois"}\n'


def invoke(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def entries(folder: Path, event: str) -> list[dict]:
    return [r.data for r in read(Journal.of_claim(folder)).records if r.event == event]


def pay(folder: Path, day: str, amount: str) -> None:
    claim = folder / "claim.yaml"
    text = claim.read_text(encoding="utf-8")
    assert LAST_PAYMENT in text
    line = f'  - {{date: {day}, amount: "{amount}", reference: "+++974/9960/57546+++"}}\n'
    claim.write_text(text.replace(LAST_PAYMENT, LAST_PAYMENT + line), encoding="utf-8")


def test_a_sent_settlement_offer_met_by_its_date_settles_the_claim(tmp_path: Path) -> None:
    claim = copy_sample("be-b2b-fr", tmp_path / "claim")
    args = ("--offer", "2500.00", "--until", "2025-12-20", "--date", "2025-12-01", "--format", "docx", "--json")
    result = invoke("render", str(claim), "--kind", "settlement-offer", *args)
    assert result.exit_code == 0, result.output
    manifest = json.loads(result.stdout)
    assert (manifest["total_due"], manifest["deadline"]) == ("3201.23", "2025-12-20")
    (rendered,) = entries(claim, "document-rendered")
    assert (rendered["kind"], rendered["offer"]) == ("settlement-offer", {"amount": "2500.00", "until": "2025-12-20"})
    assert "_settlement-offer_" in rendered["files"][0]["name"]

    pay(claim, "2025-12-15", "2500.00")
    statement = json.loads(invoke("statement", str(claim), "--as-of", "2025-12-31", "--json").stdout)
    assert "written_off" not in statement["totals"]  # a draft offers nothing: it was never sent

    send_drafts(claim)
    (sent,) = entries(claim, "document-sent")
    assert sent["offer"] == {"amount": "2500.00", "until": "2025-12-20"}
    statement = json.loads(invoke("statement", str(claim), "--as-of", "2025-12-31", "--json").stdout)
    assert (statement["totals"]["due"], statement["totals"]["written_off"]) == ("0.00", "713.42")
    (step,) = json.loads(invoke("next", str(claim), "--date", "2025-12-31", "--json").stdout)
    assert step["status"] == "paid"


def test_a_sent_deadline_extension_holds_the_ladder_until_the_new_date(tmp_path: Path) -> None:
    claim = copy_sample("be-b2b-fr", tmp_path / "claim")
    args = ("--until", "2026-01-15", "--date", "2025-12-01", "--format", "docx")
    assert invoke("render", str(claim), "--doc", "deadline-extension", *args).exit_code == 0
    (rendered,) = entries(claim, "document-rendered")
    assert (rendered["offer"], rendered["deadline"]) == ({"amount": None, "until": "2026-01-15"}, "2026-01-15")
    sent = invoke("send", str(claim), "--channel", "post", "--at", "2025-12-01")  # the newest letter not sent yet
    assert sent.exit_code == 0 and "sent: deadline-extension of 2025-12-01" in sent.output, sent.output
    assert entries(claim, "document-sent")[0]["offer"] == {"amount": None, "until": "2026-01-15"}
    (step,) = json.loads(invoke("next", str(claim), "--date", "2025-12-02", "--json").stdout)
    assert (step["status"], step["earliest"]) == ("waiting", "2026-01-16")
    assert "a deadline extension sent on 2025-12-01 gave until 2026-01-15" in step["reasons"]


@pytest.mark.parametrize(
    ("args", "refused"),
    [
        (["--doc", "settlement-offer", "--until", "2025-12-20"], "needs --offer X --until D"),
        (["--doc", "deadline-extension"], "needs --until D"),
        (["--doc", "reminder", "--offer", "100"], "--offer (only for settlement-offer)"),
        (["--doc", "formal-notice", "--until", "2025-12-20"], "--until (only for settlement-offer or deadline-"),
        (["--doc", "deadline-extension", "--until", "2025-12-20", "--offer", "5"], "--offer (only for settlement"),
    ],
)
def test_offer_options_are_refused_where_they_do_not_apply(tmp_path: Path, args: list[str], refused: str) -> None:
    claim = copy_sample("be-b2b-fr", tmp_path / "claim")
    result = invoke("render", str(claim), *args, "--date", "2025-12-01")
    assert result.exit_code == 2
    assert refused in result.output
    assert not (claim / "journal.jsonl").exists()


def test_an_offer_of_the_whole_amount_is_an_error_naming_the_field(tmp_path: Path) -> None:
    claim = copy_sample("be-b2b-fr", tmp_path / "claim")
    args = ("--offer", "3201.23", "--until", "2025-12-20", "--date", "2025-12-01")
    result = invoke("render", str(claim), "--doc", "settlement-offer", *args)
    assert result.exit_code != 0
    assert "offer.amount" in result.output and "below the amount due (3201.23)" in result.output
