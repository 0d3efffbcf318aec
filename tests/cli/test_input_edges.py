"""Dates and amounts typed on the command line: out of range is a usage error naming the option, never a
traceback; the last day the rules cover gives a statement, with a warning about the per-day figure."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from tests.conftest import JURISDICTIONS, SAMPLES, copy_sample

from dossier.cli.main import main
from dossier.rules import load_rules


def invoke(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


@pytest.mark.parametrize(
    "args",
    [
        ("statement", "--as-of", "9999-12-31"),
        ("deadline", "--sent", "9999-12-31"),
        ("render", "--doc", "reminder", "--date", "9999-12-31"),
        ("render", "--doc", "payment-plan", "--first-date", "9999-12-31"),
        ("next", "--date", "9999-12-31"),
        ("report", "--date", "9999-12-31"),
        ("bundle", "--date", "9999-12-31"),
        ("statement", "--as-of", "0001-01-01"),
    ],
)
def test_dates_at_the_ends_of_the_calendar_are_usage_errors(tmp_path: Path, args: tuple[str, ...]) -> None:
    folder = copy_sample("be-b2b-fr", tmp_path / "claim")
    command, *options = args
    result = invoke(command, str(folder), *options)
    assert result.exit_code == 2, result.output
    assert "is outside the dates dossier accepts (1900-01-01 to 2099-12-31)" in result.output
    assert not (folder / "out").exists()


@pytest.mark.parametrize(("amount", "words"), [("1e30", "above the largest amount"), ("10.001", "two decimals")])
def test_a_plan_amount_out_of_range_is_a_usage_error(tmp_path: Path, amount: str, words: str) -> None:
    folder = copy_sample("be-b2b-fr", tmp_path / "claim")
    result = invoke("render", str(folder), "--doc", "payment-plan", "--amount", amount, "--format", "docx")
    assert result.exit_code == 2 and words in result.output, result.output


def test_a_due_date_of_9999_12_31_is_refused_by_every_command(tmp_path: Path) -> None:
    folder = tmp_path / "claim"
    copy_sample("be-b2b-fr", folder)
    text = (folder / "claim.yaml").read_text(encoding="utf-8").replace("due_date: 2025-02-09", "due_date: 9999-12-31")
    (folder / "claim.yaml").write_text(text, encoding="utf-8")
    expected = "claim.yaml: invoices[0].due_date: 9999-12-31 is outside the dates dossier accepts"
    for args in (["validate"], ["statement", "--as-of", "2026-06-30"], ["deadline", "--sent", "2026-06-30"]):
        result = invoke(args[0], str(folder), *args[1:])
        assert result.exit_code == 1 and expected in result.stderr, result.output


def test_statement_on_the_last_day_the_rules_cover_works_and_warns() -> None:
    last = load_rules("BE", JURISDICTIONS).parameter("interest/commercial_late_payment").last_day
    assert last is not None
    result = invoke("statement", str(SAMPLES / "be-b2b-fr"), "--as-of", last.isoformat())
    assert result.exit_code == 0, result.output
    assert f"Warning: the rules data has no rate in force on {(last + timedelta(days=1)).isoformat()} yet" in (
        result.stderr
    )
