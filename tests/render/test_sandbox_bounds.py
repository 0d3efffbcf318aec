"""A template or a sentence of the wording cannot build a huge text or number in one expression (a firm's
template is code: ``{{ "x" * 10**9 }}`` would take a gigabyte, ``{{ 10**10**9 }}`` minutes of CPU)."""

from __future__ import annotations

from pathlib import Path

import pytest

from dossier.render.templates import TemplateProblem, TemplateSet

TEN_MB = 10**7  # big enough to be refused, small enough that the code before the bound returned at once


def firm(tmp_path: Path, name: str, text: str) -> Path:
    (tmp_path / "fr").mkdir(exist_ok=True)
    (tmp_path / "fr" / name).write_text(text, encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize(
    "expression",
    [
        f"'x' * {TEN_MB}",
        f"{TEN_MB} * 'x'",
        f"[1] * {TEN_MB}",
        "10 ** 1000000 % 7",  # folded at compile time unless the operator is intercepted
        f"'x'|center({TEN_MB})",
        f"'x'|indent({TEN_MB}, first=true)",
        f"'x'.ljust({TEN_MB})",
        f"'x'.zfill({TEN_MB})",
    ],
)
def test_a_template_cannot_build_a_huge_value(tmp_path: Path, expression: str) -> None:
    templates = TemplateSet("fr", firm(tmp_path, "reminder.html", "{% set v = (" + expression + ") %}ok"))
    with pytest.raises(TemplateProblem, match=r"over the limit|bits") as info:
        templates.render_html("reminder.html", {})
    assert info.value.file == "fr/reminder.html"


def test_the_wording_cannot_build_a_huge_value(tmp_path: Path) -> None:
    templates = TemplateSet("fr", firm(tmp_path, "texts.yaml", f"firm:\n  motto: \"{{{{ 'x' * {TEN_MB} }}}}\"\n"))
    with pytest.raises(TemplateProblem, match="over the limit") as info:
        templates.section("firm", {})
    assert info.value.path == "firm.motto"


def test_ordinary_arithmetic_and_padding_still_work(tmp_path: Path) -> None:
    source = "{{ 2 ** 10 }} {{ '-' * 3 }} {{ 'ab'|center(6) }}|{{ '7'.zfill(3) }} {{ 1.5 * 2 }} {{ (-1) ** 99 }}"
    templates = TemplateSet("fr", firm(tmp_path, "reminder.html", source))
    assert templates.render_html("reminder.html", {}) == "1024 ---   ab  |007 3.0 -1"
