from decimal import Decimal

import pytest

from dossier.errors import ClaimError, RulesError
from dossier.strictyaml import load_text


def test_duplicate_keys_are_refused_with_their_line() -> None:
    with pytest.raises(ClaimError, match=r"duplicate key 'amount' at line 2"):
        load_text("amount: 1\namount: 2\n", file="claim.yaml", numbers="decimal", error=ClaimError)


def test_duplicate_keys_are_refused_in_json() -> None:
    with pytest.raises(ClaimError, match="duplicate key 'a'"):
        load_text('{"a": 1, "a": 2}', file="claim.json", numbers="decimal", error=ClaimError, fmt="json")


def test_claim_numbers_keep_their_exact_text() -> None:
    data = load_text("amount: 1210.10\nrate: 0.1\n", file="c", numbers="decimal")
    assert data == {"amount": Decimal("1210.10"), "rate": Decimal("0.1")}


def test_rules_refuse_floats() -> None:
    with pytest.raises(RulesError, match=r"number 10.5 at line 1 must be written as a string"):
        load_text("value: 10.5\n", file="x.yaml", numbers="refuse", error=RulesError)


def test_dates_stay_text_so_the_schema_can_name_the_field() -> None:
    assert load_text("due: 2025-02-30\n", file="c", numbers="decimal") == {"due": "2025-02-30"}


def test_invalid_yaml_names_file_and_line() -> None:
    with pytest.raises(ClaimError) as info:
        load_text("a: [1, 2\nb: 3\n", file="claim.yaml", numbers="decimal", error=ClaimError)
    assert info.value.file == "claim.yaml"
    assert "line" in info.value.message
