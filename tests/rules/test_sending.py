"""How each letter is sent is data per jurisdiction and letter kind: customary channel, channels allowed, wording."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest
from tests.conftest import JURISDICTIONS

from dossier.errors import RulesError
from dossier.rules import load_rules

DAY = date(2025, 12, 1)


@pytest.mark.parametrize("code", ["BE", "FR", "NL", "GB-EAW"])
@pytest.mark.parametrize("kind", ["reminder", "formal-notice", "payment-plan"])
def test_every_jurisdiction_says_how_each_letter_is_sent(code: str, kind: str) -> None:
    rules = load_rules(code, JURISDICTIONS)
    rule = rules.sending(kind, DAY)
    assert rule is not None and rule.sources
    assert rule.value.customary in rule.value.allowed
    for words in rule.value.wording.values():
        assert set(rules.meta.languages) <= set(words)


@pytest.mark.parametrize(
    ("code", "language", "words"),
    [
        ("FR", "fr", "Par lettre recommandée avec demande d'avis de réception"),
        ("BE", "fr", "Par envoi recommandé"),
        ("BE", "nl", "Per aangetekende zending"),
        ("NL", "nl", "Aangetekend en per gewone post"),
        ("GB-EAW", "en", "By recorded delivery"),
    ],
)
def test_a_formal_notice_is_customarily_registered(code: str, language: str, words: str) -> None:
    rule = load_rules(code, JURISDICTIONS).sending("formal-notice", DAY)
    assert rule is not None
    assert rule.value.customary == "registered"
    assert rule.value.wording["registered"][language] == words
    assert "custom" in (rule.note or "").lower()  # not law: the data says so


def test_gb_post_is_first_class_and_email_is_not_allowed_for_a_letter_before_claim() -> None:
    rules = load_rules("GB-EAW", JURISDICTIONS)
    assert rules.sending("reminder", DAY).value.wording["post"]["en"] == "By first class post"  # type: ignore[union-attr]
    assert "email" not in rules.sending("formal-notice", DAY).value.allowed  # type: ignore[union-attr]
    assert "email" in rules.sending("reminder", DAY).value.allowed  # type: ignore[union-attr]


def test_a_statement_is_not_a_letter_sent() -> None:
    assert load_rules("BE", JURISDICTIONS).sending("statement", DAY) is None


@pytest.fixture
def data(tmp_path: Path) -> Path:
    shutil.copytree(JURISDICTIONS / "be", tmp_path / "be")
    return tmp_path


def _messages(root: Path) -> list[str]:
    with pytest.raises(RulesError) as info:
        load_rules("BE", root)
    return [str(p) for p in info.value.problems]


def test_a_customary_channel_that_is_not_allowed_is_refused(data: Path) -> None:
    path = data / "be/sending/formal_notice.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("    - registered\n", "", 1), encoding="utf-8")
    assert any("customary channel 'registered' is not among the allowed" in m for m in _messages(data))


def test_wording_missing_a_language_is_refused_naming_the_field(data: Path) -> None:
    path = data / "be/sending/reminder.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("        nl: 'Per e-mail'\n", ""), encoding="utf-8")
    found = _messages(data)
    assert any("sending/reminder.yaml" in m and "wording.email" in m and "lacks the wording in nl" in m for m in found)


def test_a_jurisdiction_without_sending_rules_is_refused(data: Path) -> None:
    path = data / "be/jurisdiction.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text[: text.index("sending:")], encoding="utf-8")
    assert any("sending" in m for m in _messages(data))
