"""Missing system libraries, simulated: Pango (WeasyPrint cannot load) and HarfBuzz subsetting (slower PDFs).

A ``sitecustomize`` in a fresh interpreter makes cffi fail to open the library, exactly as on a machine without it.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from tests.conftest import ROOT, copy_sample

from dossier.render.libs import DEBIAN_PACKAGES

SITECUSTOMIZE = """
import cffi

_real = cffi.FFI.dlopen


def _dlopen(self, name, flags=0):
    if {missing!r} in str(name):
        raise OSError(f"cannot load library {{name!r}}: {{name}}: cannot open shared object file")
    return _real(self, name, flags)


cffi.FFI.dlopen = _dlopen
"""


def without(library: str, folder: Path) -> dict[str, str]:
    """An environment whose Python cannot open shared libraries whose name contains ``library``."""
    folder.mkdir()
    (folder / "sitecustomize.py").write_text(SITECUSTOMIZE.format(missing=library))
    return {**os.environ, "PYTHONPATH": os.pathsep.join([str(folder), str(ROOT / "src")])}


def dossier(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "dossier.cli.main", *args],
        capture_output=True,
        text=True,
        check=False,
        env=env,
        cwd=ROOT,
    )


@pytest.fixture(scope="module")
def no_pango(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    env = without("pango", tmp_path_factory.mktemp("nopango") / "site")
    probe = subprocess.run([sys.executable, "-c", "import weasyprint"], capture_output=True, env=env, check=False)
    assert probe.returncode != 0, "the simulation must make WeasyPrint fail to load"
    return env


@pytest.mark.parametrize(
    "args",
    [
        ["--help"],
        ["render", "--help"],
        ["bundle", "--help"],
        ["validate", "{claim}"],
        ["statement", "{claim}", "--as-of", "2025-12-31"],
        ["deadline", "{claim}", "--sent", "2025-12-01"],
        ["jurisdictions"],
        ["render", "{claim}", "--doc", "formal-notice", "--date", "2025-12-01", "--format", "docx"],
    ],
    ids=lambda a: "-".join(x for x in a if not x.startswith("{"))[:40],
)
def test_without_pango_what_needs_no_pdf_works(no_pango: dict[str, str], tmp_path: Path, args: list[str]) -> None:
    claim = copy_sample("be-b2b-fr", tmp_path / "claim")
    result = dossier(no_pango, *(a.replace("{claim}", str(claim)) for a in args))
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    "args",
    [
        ["render", "{claim}", "--doc", "formal-notice", "--date", "2025-12-01", "--json"],
        ["bundle", "{claim}", "--date", "2026-01-15"],
    ],
    ids=["render", "bundle"],
)
def test_without_pango_a_pdf_command_names_the_packages(
    no_pango: dict[str, str], tmp_path: Path, args: list[str]
) -> None:
    claim = copy_sample("be-b2b-fr", tmp_path / "claim")
    result = dossier(no_pango, *(a.replace("{claim}", str(claim)) for a in args))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith("Error: PDF output needs WeasyPrint's system libraries")
    assert f"apt-get install {DEBIAN_PACKAGES}" in result.stderr
    assert DEBIAN_PACKAGES == "libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0"
    assert result.stdout == ""  # WeasyPrint's own banner is kept off standard output
    assert not (claim / "out" / "ledger.jsonl").exists() and not (claim / "journal.jsonl").exists()


def test_without_harfbuzz_subsetting_one_test_fails_not_the_collection(tmp_path: Path) -> None:
    env = without("harfbuzz-subset", tmp_path / "site")
    pytest_args = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q"]
    collected = subprocess.run(
        [*pytest_args, "--collect-only", "tests"], capture_output=True, text=True, check=False, env=env, cwd=ROOT
    )
    assert collected.returncode == 0, collected.stdout[-3000:]
    assert "error" not in collected.stdout.splitlines()[-1]

    check = "tests/render/test_safety_and_determinism.py::test_harfbuzz_subsetting_is_available"
    render = "tests/render/test_payment_qr.py"
    ran = subprocess.run([*pytest_args, check, render], capture_output=True, text=True, check=False, env=env, cwd=ROOT)
    summary = ran.stdout.splitlines()[-1]
    assert ran.returncode == 1, ran.stdout[-3000:]
    assert "1 failed" in summary and "passed" in summary and "error" not in summary, summary
    assert "apt-get install libharfbuzz-subset0" in ran.stdout
