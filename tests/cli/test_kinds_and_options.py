"""Document kinds in either spelling, and options that the chosen document does not use."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from tests.conftest import SAMPLES, copy_sample

from dossier.cli.main import main


def invoke(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


@pytest.mark.parametrize("kind", ["formal-notice", "formal_notice"])
def test_deadline_accepts_both_spellings_of_a_kind(kind: str) -> None:
    result = invoke("deadline", str(SAMPLES / "be-b2b-fr"), "--kind", kind, "--sent", "2025-12-01", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert (data["kind"], data["last_day"]) == ("formal_notice", "2025-12-16")


def test_deadline_of_a_followup_reminder_with_a_hyphen() -> None:
    args = ("--kind", "reminder-followup", "--sent", "2025-12-01", "--json")
    result = invoke("deadline", str(SAMPLES / "be-b2b-fr"), *args)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["kind"] == "reminder_followup"


def test_help_shows_kinds_with_hyphens() -> None:
    assert "[reminder|reminder-followup|formal-notice]" in invoke("deadline", "--help").stdout
    assert "formal_notice" not in invoke("render", "--help").stdout.split("--doc", 1)[1].split("]", 1)[0]


def test_render_accepts_an_underscore_kind(tmp_path: Path) -> None:
    claim = copy_sample("be-b2b-fr", tmp_path / "claim")
    result = invoke("render", str(claim), "--doc", "formal_notice", "--date", "2025-12-01", "--format", "docx")
    assert result.exit_code == 0, result.output
    assert "_formal-notice_" in result.stdout


@pytest.mark.parametrize(
    ("args", "refused"),
    [
        (["--doc", "reminder", "--instalments", "3"], "--instalments (only for payment-plan or formal-notice"),
        (["--doc", "reminder", "--amount", "100"], "--amount"),
        (["--doc", "statement", "--waive-interest"], "--waive-interest"),
        (["--doc", "formal-notice", "--instalments", "3"], "--instalments"),  # without --offer-plan
        (["--doc", "formal-notice", "--level", "2"], "--level (only for reminder)"),
        (["--doc", "payment-plan", "--instalments", "3", "--offer-plan"], "--offer-plan (only for formal-notice)"),
        (["--doc", "reminder", "--frequency", "weekly", "--grace-days", "5"], "--frequency"),
    ],
)
def test_options_the_document_does_not_use_are_refused(tmp_path: Path, args: list[str], refused: str) -> None:
    claim = copy_sample("be-b2b-fr", tmp_path / "claim")
    result = invoke("render", str(claim), *args, "--date", "2025-12-01", "--format", "docx")
    assert result.exit_code == 2
    assert refused in result.stderr
    assert not (claim / "out").exists()


@pytest.mark.parametrize(
    "args",
    [
        ["--doc", "payment-plan", "--instalments", "3", "--frequency", "weekly", "--waive-interest"],
        ["--doc", "formal-notice", "--offer-plan", "--amount", "500", "--grace-days", "5"],
        ["--doc", "reminder", "--level", "2"],
    ],
)
def test_options_the_document_uses_are_accepted(tmp_path: Path, args: list[str]) -> None:
    claim = copy_sample("be-b2b-fr", tmp_path / "claim")
    result = invoke("render", str(claim), *args, "--date", "2025-12-01", "--format", "docx", "--force")
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("args", [["--doc", "payment-plan"], ["--doc", "formal-notice", "--offer-plan"]])
def test_a_plan_needs_its_schedule(tmp_path: Path, args: list[str]) -> None:
    # a silent default (it was 6 instalments) would be printed in the letter and recorded as the plan offered
    claim = copy_sample("be-b2b-fr", tmp_path / "claim")
    result = invoke("render", str(claim), *args, "--date", "2025-12-01", "--format", "docx")
    assert result.exit_code == 2
    assert "needs --instalments N or --amount X" in result.stderr
    assert not (claim / "out").exists()


def test_a_batch_of_payment_plans_is_refused_since_each_schedule_is_agreed_per_debtor(tmp_path: Path) -> None:
    portfolio = tmp_path / "portfolio"
    copy_sample("be-b2b-fr", portfolio / "a")
    result = CliRunner().invoke(main, ["batch", str(portfolio), "--doc", "payment-plan", "--out", str(tmp_path / "o")])
    assert result.exit_code == 2 and "agreed per debtor" in result.output
    assert not (tmp_path / "o").exists()
