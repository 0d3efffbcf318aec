"""A firm's template folder cannot lead outside itself, and its wording (texts.yaml) stays data."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from tests.conftest import SAMPLES

from dossier.model import load_claim
from dossier.output.produce import Producer
from dossier.render.docx import DocxRenderer
from dossier.render.templates import TemplateProblem, TemplateSet
from dossier.rules import load_rules

SECRET = "dossier-test-secret: must never reach a document"


@pytest.fixture
def secret(tmp_path: Path) -> Path:
    """A file outside the firm's folder, standing for /etc/passwd."""
    folder = tmp_path / "server"
    folder.mkdir()
    (folder / "passwd").write_text(SECRET + "\n", encoding="utf-8")
    return folder


def firm_with(tmp_path: Path, files: dict[str, str]) -> Path:
    firm = tmp_path / "firm"
    for name, text in files.items():
        (firm / name).parent.mkdir(parents=True, exist_ok=True)
        (firm / name).write_text(text, encoding="utf-8")
    firm.mkdir(exist_ok=True)
    return firm


def render_reminder(firm: Path) -> None:
    claim = load_claim(SAMPLES / "be-b2b-fr")
    Producer(firm).render(claim, load_rules("BE"), "reminder", date(2025, 12, 1), formats=("pdf", "docx"))


INCLUDE = '{% extends "_base/reminder.html" %}\n{% block body %}<pre>{% include "NAME" %}</pre>{% endblock %}'


def test_a_symlinked_file_in_a_firm_folder_cannot_be_included(tmp_path: Path, secret: Path) -> None:
    firm = firm_with(tmp_path, {"fr/reminder.html": INCLUDE.replace("NAME", "notes.txt")})
    (firm / "fr" / "notes.txt").symlink_to(secret / "passwd")
    with pytest.raises(TemplateProblem) as info:
        render_reminder(firm)
    assert info.value.file == "fr/reminder.html" and info.value.path == "line 2"
    assert "fr/notes.txt leads outside the template folder" in info.value.message
    assert SECRET not in str(info.value) and str(secret) not in str(info.value)


def test_a_symlinked_folder_in_a_firm_folder_cannot_be_included(tmp_path: Path, secret: Path) -> None:
    firm = firm_with(tmp_path, {"fr/reminder.html": INCLUDE.replace("NAME", "shared/passwd")})
    (firm / "shared").symlink_to(secret, target_is_directory=True)
    with pytest.raises(TemplateProblem, match="shared/passwd leads outside the template folder"):
        render_reminder(firm)


def test_a_language_folder_linked_elsewhere_is_refused(tmp_path: Path, secret: Path) -> None:
    firm = firm_with(tmp_path, {})
    (firm / "fr").symlink_to(secret, target_is_directory=True)
    with pytest.raises(TemplateProblem, match="fr leads outside the template folder"):
        TemplateSet("fr", firm)


def test_a_symlinked_wording_file_or_word_template_is_refused(tmp_path: Path, secret: Path) -> None:
    firm = firm_with(tmp_path, {})
    (firm / "fr").mkdir()
    (firm / "fr" / "reminder.docx").symlink_to(secret / "passwd")
    with pytest.raises(TemplateProblem, match=r"fr/reminder\.docx leads outside"):
        DocxRenderer(TemplateSet("fr", firm)).render("reminder", {})
    (firm / "fr" / "texts.yaml").symlink_to(secret / "passwd")
    with pytest.raises(TemplateProblem, match=r"fr/texts\.yaml leads outside"):
        TemplateSet("fr", firm)


def test_a_link_that_stays_inside_the_firm_folder_is_followed(tmp_path: Path) -> None:
    firm = firm_with(tmp_path, {"shared/texts.yaml": "common:\n  closing: Bien à vous.\n"})
    (firm / "fr").mkdir()
    (firm / "fr" / "texts.yaml").symlink_to(firm / "shared" / "texts.yaml")
    assert TemplateSet("fr", firm).sections()["common"]["closing"] == "Bien à vous."


@pytest.mark.parametrize(
    ("wording", "tag"),
    [
        ("{% include '/etc/passwd' %}", "include"),
        ("{% include 'fr/reminder.html' %}", "include"),
        ("{% import '_base/blocks.html' as b %}{{ b }}", "import"),
        ("{% from '_base/blocks.html' import signature_block %}", "from ... import"),
        ("{% extends '_base/layout.html' %}", "extends"),
    ],
)
def test_the_wording_may_not_read_templates(tmp_path: Path, wording: str, tag: str) -> None:
    firm = firm_with(tmp_path, {"fr/texts.yaml": f'x:\n  closing: "{wording}"\n'})
    with pytest.raises(TemplateProblem) as info:
        TemplateSet("fr", firm).section("x", {})
    assert (info.value.file, info.value.path) == ("fr/texts.yaml", "x.closing")
    assert info.value.message == f"the wording may not use {{% {tag} %}}"


def test_a_python_error_in_the_wording_is_a_template_problem(tmp_path: Path) -> None:
    firm = firm_with(tmp_path, {"fr/texts.yaml": 'x:\n  closing: "{{ 1 / 0 }}"\n'})
    with pytest.raises(TemplateProblem, match="ZeroDivisionError") as info:
        TemplateSet("fr", firm).section("x", {})
    assert (info.value.file, info.value.path) == ("fr/texts.yaml", "x.closing")


def test_a_python_error_in_a_template_names_the_template_and_line(tmp_path: Path) -> None:
    firm = firm_with(tmp_path, {"fr/page.html": "<p>\n{{ 1 / 0 }}</p>"})
    with pytest.raises(TemplateProblem, match="ZeroDivisionError") as info:
        TemplateSet("fr", firm).render_html("page.html", {})
    assert (info.value.file, info.value.path) == ("fr/page.html", "line 2")


def test_a_wording_file_that_is_not_a_mapping_is_a_template_problem(tmp_path: Path) -> None:
    firm = firm_with(tmp_path, {"fr/texts.yaml": "- a\n- b\n"})
    with pytest.raises(TemplateProblem, match="must be a mapping of sections"):
        TemplateSet("fr", firm)
