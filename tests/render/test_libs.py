"""WeasyPrint imported on first use: a clear error when it cannot load, and a clean exit when it is loaded late."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from tests.conftest import ROOT

from dossier.render import libs

# A test that keeps a producer (and its WeasyPrint font configuration) alive until the interpreter exits.
KEEPS_A_RENDERER = "tests/workflow/test_report.py::test_cli_writes_the_report_atomically_and_names_unreadable_claims"


def test_a_renderer_kept_until_exit_gives_no_error_at_exit() -> None:
    # WeasyPrint, imported late, is cleared first at exit; its FontConfiguration.__del__ then failed
    # ("Exception ignored ... 'NoneType' object is not callable") and left its temporary folder
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", KEEPS_A_RENDERER],
        capture_output=True,
        text=True,
        check=False,
        env=env,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stdout[-2000:]
    assert "Exception ignored" not in result.stderr, result.stderr


def test_an_import_error_of_ours_is_not_taken_for_a_missing_library(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "dossier.render.pdf", None)  # what a broken module of ours would give
    with pytest.raises(ImportError):
        libs.pdf_renderer_class()


def test_weasyprint_not_installed_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delitem(sys.modules, "dossier.render.pdf", raising=False)
    for name in [n for n in sys.modules if n == "weasyprint" or n.startswith("weasyprint.")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "weasyprint", None)
    with pytest.raises(libs.MissingLibrary) as info:
        libs.pdf_renderer_class()
    assert "pip install weasyprint" in str(info.value)
