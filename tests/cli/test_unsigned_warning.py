"""``dossier render`` warns the user on standard error when a lawyer's letter names nobody to sign it."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner
from tests.conftest import copy_sample

from dossier.cli.main import main


def test_render_warns_that_the_lawyer_letter_names_no_signatory(tmp_path: Path) -> None:
    claim = copy_sample("be-b2b-fr", tmp_path / "claim")
    yaml_file = claim / "claim.yaml"
    yaml_file.write_text(yaml_file.read_text(encoding="utf-8").replace("  signatory: Me Claire Dupont\n", ""), "utf-8")
    args = ["render", str(claim), "--doc", "reminder", "--date", "2025-12-01", "--out", str(tmp_path / "out")]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert "Warning: representative.signatory: a letter from a lawyer (Cabinet Dupont & Associés) names no " in (
        result.stderr
    )


def test_the_sample_names_its_signing_lawyer_and_renders_without_that_warning(tmp_path: Path) -> None:
    claim = copy_sample("be-b2b-fr", tmp_path / "claim")
    args = ["render", str(claim), "--doc", "reminder", "--date", "2025-12-01", "--out", str(tmp_path / "out")]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert "signatory" not in result.stderr
