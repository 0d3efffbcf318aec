"""WeasyPrint's fetcher: stylesheets, fonts and images come from the template folders only, and a reference it
cannot serve is an error naming the file (and line) that made it, never a traceback."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from tests.conftest import SAMPLES

from dossier.model import load_claim
from dossier.output.produce import Producer
from dossier.render.pdf import PdfRenderer
from dossier.render.templates import TemplateProblem, TemplateSet, templates_root
from dossier.rules import load_rules


def firm_with(tmp_path: Path, files: dict[str, str]) -> Path:
    firm = tmp_path / "firm"
    for name, text in files.items():
        (firm / name).parent.mkdir(parents=True, exist_ok=True)
        (firm / name).write_text(text, encoding="utf-8")
    return firm


@pytest.mark.parametrize(
    ("imported", "message"),
    [
        ("file:///etc/passwd", "templates may not read /etc/passwd"),
        ("http://127.0.0.1:9/look.css", "templates may not fetch http://127.0.0.1:9/look.css"),
        ("missing.css", "_base/missing.css is not in the template folders"),
    ],
)
def test_a_firm_stylesheet_importing_what_it_may_not_is_named(tmp_path: Path, imported: str, message: str) -> None:
    firm = firm_with(tmp_path, {"_base/style.css": f'/* the firm look */\n@import url("{imported}");\n'})
    with pytest.raises(TemplateProblem) as info:
        PdfRenderer(TemplateSet("fr", firm))
    assert (info.value.file, info.value.path, info.value.message) == ("_base/style.css", "line 2", message)


def test_a_font_linked_outside_the_firm_folder_is_refused(tmp_path: Path) -> None:
    (tmp_path / "secret").write_text("root:x:0:0\n", encoding="utf-8")
    firm = tmp_path / "firm"
    (firm / "_base" / "fonts").mkdir(parents=True)
    (firm / "_base" / "fonts" / "Carlito-Regular.ttf").symlink_to(tmp_path / "secret")
    with pytest.raises(TemplateProblem, match=r"_base/fonts/Carlito-Regular\.ttf leads outside the template folder"):
        PdfRenderer(TemplateSet("fr", firm))


def test_a_firm_copy_of_our_stylesheet_keeps_our_fonts(tmp_path: Path) -> None:
    # style.css imports "fonts.css": a firm that copies it to change colours gets our fonts.css and fonts
    ours = (templates_root() / "_base" / "style.css").read_text(encoding="utf-8")
    firm = firm_with(tmp_path, {"_base/style.css": ours.replace("#0f2a4a", "#7a1020")})
    renderer = PdfRenderer(TemplateSet("fr", firm))
    assert renderer.base_url == (firm / "_base").resolve().as_posix() + "/"


def test_a_missing_image_names_the_template_and_line(tmp_path: Path) -> None:
    template = '{% extends "_base/reminder.html" %}\n{% block body %}\n<img src="logo.png">{% endblock %}'
    firm = firm_with(tmp_path, {"fr/reminder.html": template})
    claim = load_claim(SAMPLES / "be-b2b-fr")
    with pytest.raises(TemplateProblem) as info:
        Producer(firm).render(claim, load_rules("BE"), "reminder", date(2025, 12, 1))
    assert (info.value.file, info.value.path) == ("fr/reminder.html", "line 3")
    assert info.value.message == "_base/logo.png is not in the template folders"
