"""The command line as a paralegal uses it: real samples, clear errors, no traceback."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from tests.conftest import SAMPLES, sample_dirs, unconfirmed_rules

from dossier.cli.main import main


def invoke(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


@pytest.mark.parametrize("folder", sample_dirs(), ids=lambda p: p.name)
def test_statement_json_of_every_sample(folder: Path) -> None:
    result = invoke("statement", str(folder), "--as-of", "2026-03-31", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["as_of"] == "2026-03-31"
    assert set(data["totals"]) == {"principal", "paid", "interest", "compensation", "costs", "due"}
    assert all(isinstance(v, str) and v.count(".") == 1 for v in data["totals"].values())
    assert data["invoices"] and all("periods" in i for i in data["invoices"])
    assert data["payments"] and all("applied" in p for p in data["payments"])
    assert data["rules"] and all(r["sources"] and r["id"] and r["value"] for r in data["rules"])


def test_statement_json_is_deterministic() -> None:
    args = ("statement", str(SAMPLES / "nl-consumer-nl"), "--as-of", "2026-03-31", "--json")
    assert invoke(*args).stdout == invoke(*args).stdout


def test_statement_table_in_the_claims_language() -> None:
    result = invoke("statement", str(SAMPLES / "be-b2b-fr"), "--as-of", "2025-12-31")
    assert result.exit_code == 0
    assert "Décompte au 2025-12-31" in result.stdout
    assert "3 227,33" in result.stdout.replace("\u202f", " ").replace("\xa0", " ")


def test_unconfirmed_rates_are_warned_about_on_stderr(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = unconfirmed_rules(tmp_path)
    monkeypatch.setenv("DOSSIER_JURISDICTIONS", str(data))
    result = invoke("statement", str(SAMPLES / "nl-consumer-nl"), "--as-of", "2026-03-31")
    assert "Warning: NL:interest/statutory (2026-01-01 to 2026-06-30) is unconfirmed" in result.stderr


def test_validate_reports_each_problem_and_exits_1(tmp_path: Path) -> None:
    data = yaml.safe_load((SAMPLES / "be-b2b-fr" / "claim.yaml").read_text())
    data["invoices"][2]["due_date"] = "2025-02-30"
    data["debtor"]["tpye"] = "business"
    data.pop("pieces")
    data.pop("history")
    (tmp_path / "claim.yaml").write_text(yaml.safe_dump(data, allow_unicode=True))
    result = invoke("validate", str(tmp_path))
    assert result.exit_code == 1
    assert "Error: claim.yaml: invoices[2].due_date: 2025-02-30 is not a valid date" in result.stderr
    assert "Error: claim.yaml: debtor.tpye: unknown field 'tpye'" in result.stderr
    assert "Traceback" not in result.output


def test_validate_a_good_sample() -> None:
    result = invoke("validate", str(SAMPLES / "gb-eaw-b2b-en"))
    assert result.exit_code == 0 and "valid (TVJ-2025-0093" in result.stdout


def test_bad_date_option_is_a_usage_error() -> None:
    result = CliRunner().invoke(main, ["statement", str(SAMPLES / "be-b2b-fr"), "--as-of", "2025-13-01"])
    assert result.exit_code == 2 and "is not a valid date" in result.output


def test_statement_past_the_data_names_the_file_to_update() -> None:
    result = invoke("statement", str(SAMPLES / "fr-b2b-fr"), "--as-of", "2020-01-01")
    assert result.exit_code == 0  # nothing is late yet in 2020: no rate needed
    result = CliRunner().invoke(main, ["deadline", str(SAMPLES / "fr-b2b-fr"), "--sent", "2019-06-01"])
    assert result.exit_code == 1
    assert (
        "jurisdictions/fr/deadlines/formal_notice.yaml: values: no value in force on 2019-06-01 "
        "(the data covers 2020-01-01 onwards)" in result.stderr
    )


def test_deadline_command_explains_itself() -> None:
    result = invoke("deadline", str(SAMPLES / "be-consumer-nl"), "--kind", "reminder", "--sent", "2025-11-28")
    assert result.exit_code == 0
    assert result.stdout.startswith("Last day to pay: 2025-12-16")
    assert "+ 3 working days -> 2025-12-03" in result.stdout


def test_jurisdictions_lists_coverage() -> None:
    data = json.loads(invoke("jurisdictions", "--json").stdout)
    assert [row["code"] for row in data] == ["BE", "FR", "GB-EAW", "NL"]
    assert all(row["rates_from"] == "2020-01-01" for row in data)


def test_schema_is_json_schema_of_the_claim() -> None:
    schema = json.loads(invoke("schema").stdout)
    assert schema["additionalProperties"] is False
    assert {"reference", "jurisdiction", "invoices"} <= set(schema["required"])
    assert schema["$defs"]["Invoice"]["properties"]["due_date"]["format"] == "date"


def test_console_script_runs_without_traceback_on_a_missing_folder(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "dossier.cli.main", "statement", str(tmp_path / "none")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    assert result.stderr.startswith("Error: ") and "Traceback" not in result.stderr
