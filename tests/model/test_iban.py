"""IBANs: a wrong check digit is an error; a bank code missing from python-stdnum's registry is a warning."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from dossier.cli.main import main
from dossier.engine.letters import letter_facts
from dossier.errors import ClaimError
from dossier.model import claim_from_data
from dossier.rules import load_rules

UNKNOWN_BANK = "BE68539007547034"  # the common example: mod 97 and national check right, bank 539 not listed


def test_unknown_bank_code_is_accepted_with_a_warning(claim_data: dict[str, Any]) -> None:
    claim_data["creditor"]["iban"] = "BE68 5390 0754 7034"
    claim = claim_from_data(claim_data, file="claim.yaml")
    assert claim.creditor.iban == UNKNOWN_BANK
    (warning,) = claim.warnings
    assert warning.startswith(f"creditor.iban: {UNKNOWN_BANK}: bank code 539 is not in python-stdnum's")


def test_known_bank_gives_no_warning(claim_data: dict[str, Any]) -> None:
    assert claim_from_data(claim_data, file="claim.yaml").warnings == []


@pytest.mark.parametrize(
    ("iban", "why"),
    [
        ("BE69539007547034", "mod 97"),
        ("BE41539007547035", "national check digits (mod 97 right)"),
        ("BE6853900754703", "length"),
        ("XX68539007547034", "country"),
    ],
)
def test_wrong_check_digits_stay_errors(claim_data: dict[str, Any], iban: str, why: str) -> None:
    claim_data["debtor"]["iban"] = iban
    with pytest.raises(ClaimError) as info:
        claim_from_data(claim_data, file="claim.yaml")
    assert str(info.value).startswith(f"claim.yaml: debtor.iban: {iban} is not a valid IBAN"), why


def test_the_warning_reaches_validate_and_the_letter(tmp_path: Path, claim_data: dict[str, Any]) -> None:
    claim_data["creditor"]["iban"] = UNKNOWN_BANK
    (tmp_path / "claim.yaml").write_text(yaml.safe_dump(claim_data), encoding="utf-8")
    result = CliRunner().invoke(main, ["validate", str(tmp_path)], catch_exceptions=False)
    assert result.exit_code == 0
    assert f"Warning: creditor.iban: {UNKNOWN_BANK}: bank code 539" in result.stderr

    claim = claim_from_data(claim_data, file="claim.yaml")
    facts = letter_facts(claim, load_rules("BE"), "formal-notice", date(2025, 12, 1))
    assert any(f.startswith("creditor.iban:") for f in facts.findings)
