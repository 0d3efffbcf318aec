"""The ``letter`` section of jurisdiction.yaml: window side and wording variants as data, strictly validated."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from tests.conftest import JURISDICTIONS

from dossier.errors import RulesError
from dossier.rules import load_rules
from dossier.rules.schema import VARIANTS


@pytest.fixture
def data(tmp_path: Path) -> Path:
    shutil.copytree(JURISDICTIONS, tmp_path / "j")
    return tmp_path / "j"


def refused(data: Path, code: str, old: str, new: str) -> list[str]:
    path = data / code.lower() / "jurisdiction.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(RulesError) as info:
        load_rules(code, data)
    return [str(p) for p in info.value.problems] or [str(info.value)]


def test_the_variants_each_letter_takes_come_from_the_data() -> None:
    gb = load_rules("GB-EAW").meta.letter
    assert gb.chosen("formal-notice", "consumer", "creditor", None)["pap"] is True
    assert gb.chosen("formal-notice", "business", "creditor", None)["pap"] is False
    assert gb.chosen("formal-notice", "business", "lawyer", None)["letter_before_action"] is True
    assert gb.chosen("reminder", "consumer", "creditor", 1)["pap"] is False
    fr = load_rules("FR").meta.letter
    assert fr.chosen("statement", "business", "creditor", None)["late_penalties"] is True
    assert fr.chosen("statement", "consumer", "creditor", None)["late_penalties"] is False
    nl = load_rules("NL").meta.letter.chosen("formal-notice", "consumer", "creditor", None)
    assert nl["fourteen_day_letter"] is True and set(nl) == set(VARIANTS)  # every known name, false if absent
    assert load_rules("GB-EAW").meta.letter.chosen("formal-notice", "business", "creditor", None)[
        "reservation_of_rights"
    ] is False  # "without prejudice" has a meaning of its own in England


def test_unknown_variant_is_refused(data: Path) -> None:
    found = refused(data, "GB-EAW", "  - name: pap\n", "  - name: papp\n")
    assert any("jurisdiction.yaml" in p and "letter" in p for p in found), found


def test_window_side_must_be_left_or_right(data: Path) -> None:
    found = refused(data, "NL", "  window: left\n", "  window: top\n")
    assert any("letter.window" in p for p in found), found


def test_a_variant_needs_its_sources(data: Path) -> None:
    found = refused(
        data,
        "FR",
        "    sources:\n    - title: Code de commerce, art. L441-10 (pénalités de retard)\n"
        "      href: https://www.legifrance.gouv.fr/codes/article_lc/LEGIARTI000038414195\n",
        "",
    )
    assert any("sources" in p for p in found), found


def test_a_jurisdiction_without_a_letter_section_is_refused(data: Path) -> None:
    path = data / "be" / "jurisdiction.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text[: text.index("# How letters are laid out")], encoding="utf-8")
    with pytest.raises(RulesError) as info:
        load_rules("BE", data)
    assert any("letter" in str(p) for p in info.value.problems), info.value.problems
