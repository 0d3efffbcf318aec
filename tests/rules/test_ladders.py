"""Collection ladders are data: every jurisdiction has one per debtor type, and an incoherent one is refused."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest
from tests.conftest import JURISDICTIONS

from dossier.errors import RulesError
from dossier.rules import available_jurisdictions, load_rules

LADDER = "be/ladders/business.yaml"


@pytest.mark.parametrize("code", available_jurisdictions())
@pytest.mark.parametrize("debtor", ["business", "consumer", "public_body"])
def test_every_jurisdiction_has_a_ladder_ending_in_a_decision(code: str, debtor: str) -> None:
    ladder = load_rules(code).ladder(debtor, date(2025, 6, 1))
    steps = ladder.value.steps
    assert steps[-1].document is None
    assert [s.document for s in steps].count("formal-notice") == 1
    assert ladder.sources, "a ladder names its legal sources"
    for step in steps:
        assert set(step.label) == {"fr", "nl", "en"}


def test_consumer_ladders_follow_the_law() -> None:
    """BE Book XIX: the free first reminder comes first; NL art. 6:96 lid 6 BW: the 14-day letter is the notice;
    GB Pre-Action Protocol: the letter of claim before proceedings."""
    day = date(2025, 6, 1)
    be = [s.name for s in load_rules("BE").ladder("consumer", day).value.steps]
    assert be == ["first-reminder", "formal-notice", "proceedings"]
    nl = load_rules("NL").ladder("consumer", day).value.steps
    assert nl[1].label["nl"] == "veertiendagenbrief"
    gb = load_rules("GB-EAW").ladder("consumer", day).value.steps
    assert gb[1].label["en"] == "letter of claim"


@pytest.fixture
def data(tmp_path: Path) -> Path:
    shutil.copytree(JURISDICTIONS / "be", tmp_path / "be")
    return tmp_path


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("plan_lapse: formal-notice", "plan_lapse: court", "plan_lapse names unknown step 'court'"),
        ("      document: reminder\n      level: 2", "      document: reminder", "needs a level"),
        (
            "    - name: proceedings\n      document: null",
            "    - name: proceedings\n      document: reminder\n      level: 3",
            "reminders come before the formal notice",
        ),
        ("        nl: tweede herinnering\n", "", "label lacks nl"),
        ("      min_days: 7", "      min_days: 7.5", "float"),
    ],
)
def test_incoherent_ladder_is_refused_with_file_and_field(data: Path, old: str, new: str, expected: str) -> None:
    path = data / LADDER
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(RulesError) as info:
        load_rules("BE", data)
    found = [str(p) for p in info.value.problems]
    assert any(expected in p and "ladders/business.yaml" in p for p in found), found


def test_jurisdiction_must_name_a_ladder_per_debtor(data: Path) -> None:
    path = data / "be" / "jurisdiction.yaml"
    path.write_text(path.read_text().replace("  consumer: ladders/consumer\n", ""), encoding="utf-8")
    with pytest.raises(RulesError) as info:
        load_rules("BE", data)
    assert any("ladders lacks debtor type(s): consumer" in str(p) for p in info.value.problems)
