"""A firm's wording for the bundle's rows (``bundle_rows`` in texts.yaml) is data like the rest of its wording:
a tag that reads another file, a syntax error or a failing expression is a clear error naming texts.yaml and
the key, never a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from tests.conftest import copy_sample

from dossier.cli.main import main


@pytest.mark.parametrize(
    ("sentence", "words"),
    [
        ("{% include '_base/style.css' %}", "may not use {% include %}"),
        ("{{ 1/0 }}", "ZeroDivisionError"),
        ("{{ nope }}", "'nope' is undefined"),
        ("{{ x", "invalid template syntax"),
    ],
)
def test_a_bad_bundle_row_sentence_is_a_clear_error(tmp_path: Path, sentence: str, words: str) -> None:
    claim = copy_sample("be-b2b-fr", tmp_path / "claim")
    firm = tmp_path / "firm" / "fr"
    firm.mkdir(parents=True)
    (firm / "texts.yaml").write_text(f'bundle_rows:\n  invoice_event: "{sentence}"\n', encoding="utf-8")
    result = CliRunner().invoke(
        main, ["bundle", str(claim), "--date", "2025-08-01", "--templates", str(firm.parent)], catch_exceptions=True
    )
    assert result.exit_code != 0
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "fr/texts.yaml" in result.output and "bundle_rows.invoice_event" in result.output, result.output
    assert words in result.output, result.output
