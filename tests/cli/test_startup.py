"""Start-up: commands that make no document import none of the rendering libraries, and stay listed in --help."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from click.testing import CliRunner
from tests.conftest import ROOT, SAMPLES

import dossier
from dossier.cli import main as cli

HEAVY = ("weasyprint", "distributed", "dask", "fastapi", "docxtpl", "docx", "pypdf", "uvicorn")

# Runs in a fresh interpreter, so that what this test process imported already does not count.
PROBE = """
import json, sys
from dossier.cli.main import main

for args in sys.argv[1:]:
    try:
        main(json.loads(args), standalone_mode=False)
    except SystemExit:
        pass
heavy = {name.split(".")[0] for name in sys.modules} & set(HEAVY)
print(json.dumps(sorted(heavy)))
"""


def loaded_after(*commands: list[str]) -> list[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    result = subprocess.run(
        [sys.executable, "-c", f"HEAVY = {HEAVY!r}\n{PROBE}", *(json.dumps(c) for c in commands)],
        capture_output=True,
        text=True,
        check=True,
        env=env,
        cwd=ROOT,
    )
    return json.loads(result.stdout.splitlines()[-1])


@pytest.mark.parametrize(
    "commands",
    [
        [["--version"]],
        [["--help"]],
        [["validate", str(SAMPLES / "be-b2b-fr")]],
        [["statement", str(SAMPLES / "be-b2b-fr"), "--as-of", "2025-12-31"]],
        [["deadline", str(SAMPLES / "be-b2b-fr"), "--sent", "2025-12-01"], ["jurisdictions"], ["schema"]],
    ],
    ids=["version", "help", "validate", "statement", "deadline-jurisdictions-schema"],
)
def test_commands_that_make_no_document_import_no_rendering_library(commands: list[list[str]]) -> None:
    assert loaded_after(*commands) == []


def test_import_dossier_imports_no_rendering_library() -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    code = (
        "import sys, dossier; assert callable(dossier.load_claim); "
        f"print(sorted({{n.split('.')[0] for n in sys.modules}} & set({HEAVY!r})))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env)
    assert result.stdout.strip() == "[]"


def test_lazy_commands_keep_their_own_one_line_help() -> None:
    # --help lists a lazy command by the help kept in the table: it must stay the command's own
    group = cli.main
    for name, entry in cli.LAZY.items():
        command = group.load(name)  # type: ignore[attr-defined]
        assert command.name == name
        assert entry.short_help == command.get_short_help_str(10**6), name


def test_help_lists_every_command_and_a_lazy_one_still_runs() -> None:
    listing = CliRunner().invoke(cli.main, ["--help"], catch_exceptions=False).output
    for name in (*cli.LAZY, "validate", "statement", "deadline", "jurisdictions", "schema"):
        assert f"  {name} " in listing, name
    result = CliRunner().invoke(cli.main, ["render", "--help"], catch_exceptions=False)
    assert result.exit_code == 0 and "--doc" in result.output


def test_python_api_names_stay_functions_when_their_subpackages_load_first() -> None:
    # render, bundle and batch are API functions and subpackages: loading dossier.render must not shadow render()
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    code = (
        "import dossier.render.templates, dossier.bundle.pdfa, dossier.batch.manifest\n"
        "import dossier\n"
        "from dossier import batch, bundle, render, statement\n"
        "from dossier import api\n"
        "assert (render, bundle, batch, statement) == (api.render, api.bundle, api.batch, api.statement)\n"
        "assert dossier.render is api.render and callable(api.render_report)\n"
        "print('ok')"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False, env=env)
    assert result.stdout.strip() == "ok", result.stderr
    with pytest.raises(AttributeError):
        _ = dossier.no_such_name  # type: ignore[attr-defined]
