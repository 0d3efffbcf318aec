"""``dossier next``: a line (or a JSON object) per claim; unreadable claims are named and the exit code says so."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner
from tests.conftest import copy_sample, send_drafts

from dossier.cli.main import main


def invoke(*args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(main, list(args))


def test_next_on_one_claim_folder_explains_the_waiting_period(tmp_path: Path) -> None:
    folder = copy_sample("be-consumer-nl", tmp_path / "c")
    result = invoke("next", str(folder), "--date", "2025-12-10")
    assert result.exit_code == 0, result.output
    assert "waiting: first-reminder sent 2025-11-28; next formal-notice from 2025-12-17" in result.stdout
    assert "gave until 2025-12-16" in result.stdout


def test_next_json_names_the_rules(tmp_path: Path) -> None:
    folder = copy_sample("gb-eaw-b2b-en", tmp_path / "c")
    result = invoke("next", str(folder), "--date", "2025-03-10", "--json")
    (row,) = json.loads(result.stdout)
    assert (row["status"], row["next"]["step"], row["earliest"]) == ("waiting", "second-reminder", "2025-03-20")
    assert row["ladder"] == "GB-EAW:ladders/business"
    assert any(s.startswith("GB-EAW:deadlines/reminder") for s in row["sources"])


def test_an_unreadable_claim_is_reported_without_a_traceback_and_exits_3(tmp_path: Path) -> None:
    folder = tmp_path / "portfolio"
    copy_sample("fr-b2b-fr", folder / "good")
    (folder / "bad").mkdir()
    (folder / "bad" / "claim.yaml").write_text("reference: X\njurisdiction: XX\n")
    result = invoke("next", str(folder), "--date", "2025-12-01")
    assert result.exit_code == 3
    assert "bad: cannot be read:" in result.stdout and "jurisdiction" in result.stdout
    assert "Traceback" not in result.output


def test_a_corrupt_ledger_names_the_file_and_line(tmp_path: Path) -> None:
    folder = copy_sample("fr-b2b-fr", tmp_path / "c")
    (folder / "out").mkdir()
    (folder / "out" / "ledger.jsonl").write_text('{"kind": "reminder", "sent": "2025-01-01"}\n{cut\n')
    result = invoke("statement", str(folder), "--as-of", "2025-12-01")
    assert result.exit_code == 1
    assert "ledger.jsonl: line 2: line 2 is not JSON" in result.output


def test_an_empty_folder_is_not_a_portfolio(tmp_path: Path) -> None:
    result = invoke("run", str(tmp_path), "--date", "2025-12-01")
    assert result.exit_code == 1
    assert f"{tmp_path}: holds no claim" in result.output


def test_ledger_letters_count_for_the_statement(tmp_path: Path) -> None:
    """NL consumer: collection costs are due only after the 14-day letter (art. 6:96 lid 6 BW). The same claim
    without its history owes none, until the ledger records a 14-day letter dossier sent."""
    folder = copy_sample("nl-consumer-nl", tmp_path / "c")
    text = (folder / "claim.yaml").read_text()
    (folder / "claim.yaml").write_text(text.split("history:")[0] + "pieces:" + text.split("pieces:")[1])
    before = json.loads(invoke("statement", str(folder), "--as-of", "2025-03-31", "--json").stdout)
    assert before["totals"]["compensation"] == "0.00"
    assert invoke("render", str(folder), "--doc", "formal-notice", "--date", "2024-10-07").exit_code == 0
    drafted = json.loads(invoke("statement", str(folder), "--as-of", "2025-03-31", "--json").stdout)
    assert drafted["totals"] == before["totals"]  # a draft counts nowhere
    send_drafts(folder)
    after = json.loads(invoke("statement", str(folder), "--as-of", "2025-03-31", "--json").stdout)
    original = copy_sample("nl-consumer-nl", tmp_path / "original")
    sample = json.loads(invoke("statement", str(original), "--as-of", "2025-03-31", "--json").stdout)
    assert after["totals"] == sample["totals"]  # the sample records the same letter in its history
    assert after["totals"]["compensation"] != "0.00"
