"""A firm's Word template that is broken is an error naming it, never a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

from dossier.render.docx import DocxRenderer
from dossier.render.templates import TemplateProblem, TemplateSet


def test_a_firm_word_template_that_is_not_a_word_file_is_named(tmp_path: Path) -> None:
    (tmp_path / "fr").mkdir()
    (tmp_path / "fr" / "reminder.docx").write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(TemplateProblem, match="not a readable Word document") as info:
        DocxRenderer(TemplateSet("fr", tmp_path)).render("reminder", {})
    assert info.value.file == "fr/reminder.docx"
