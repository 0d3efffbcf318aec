"""``dossier templates check`` with no arguments: our templates over the samples installed with dossier, from any
working folder (it used to look for ``samples/`` in the current folder)."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from click.testing import CliRunner
from tests.conftest import ROOT, sample_dirs

from dossier.cli.main import main
from dossier.output import template_check


def test_templates_check_runs_from_any_folder_over_every_sample_and_language(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["templates", "check"])
    assert result.exit_code == 0, result.output
    # 5 samples x their jurisdiction's languages (BE 3, FR 2, NL 2, GB 1 = 11) x 6 kinds
    assert "66 documents rendered from 5 sample(s); 0 problem(s)" in result.stdout


def test_an_installed_package_finds_the_samples_the_wheel_ships(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = tmp_path / "site-packages"
    monkeypatch.setattr(template_check, "__file__", str(site / "dossier" / "output" / "template_check.py"))
    installed = template_check.samples_root()
    wheel = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["hatch"]["build"]
    shipped = wheel["targets"]["wheel"]["force-include"]
    assert shipped.get("samples") == installed.relative_to(site).as_posix()
    assert [p.name for p in sample_dirs()] == [p.name for p in template_check.sample_folders(ROOT / "samples")]


def test_a_folder_without_claims_is_a_clear_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["templates", "check", "--samples", str(tmp_path)])
    assert result.exit_code != 0 and "holds no claim folder" in result.output
    assert "Traceback" not in result.output
