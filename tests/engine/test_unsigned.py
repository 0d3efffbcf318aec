"""A lawyer's letter names the lawyer who signs it (issue 15 item 13, second pass item 1): without
``representative.signatory`` the user is warned (never the debtor), as for registered post."""

from __future__ import annotations

from datetime import date

from tests.conftest import SAMPLES

from dossier.engine.letters import LetterFacts, letter_facts
from dossier.model import load_claim
from dossier.rules import load_rules

WARNING = (
    "representative.signatory: a letter from a lawyer (Cabinet Dupont & Associés) names no signatory: add the lawyer "
    "who signs it (representative.signatory in claim.yaml); it is signed with the firm's name alone"
)


def facts(signatory: str | None, kind: str = "formal-notice", role: str = "lawyer") -> LetterFacts:
    claim = load_claim(SAMPLES / "be-b2b-fr")
    agent = claim.representative.model_copy(update={"signatory": signatory, "role": role})  # type: ignore[union-attr]
    return letter_facts(claim.model_copy(update={"representative": agent}), load_rules("BE"), kind, date(2025, 12, 1))


def test_a_lawyer_letter_without_a_signatory_warns_the_user() -> None:
    assert WARNING in facts(None).findings
    assert WARNING in facts(None, "reminder").findings


def test_a_lawyer_letter_with_its_signatory_does_not() -> None:
    assert not any("signatory" in f for f in facts("Maître Claire Dupont").findings)


def test_a_statement_is_not_signed() -> None:
    assert not any("signatory" in f for f in facts(None, "statement").findings)


def test_a_collection_agency_signs_with_its_name() -> None:
    assert not any("signatory" in f for f in facts(None, "reminder", "collection_agency").findings)
