import re
from decimal import Decimal

import pytest

from dossier.errors import ClaimError, RulesError
from dossier.strictyaml import UnquotedNumber, load_text


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


@pytest.mark.parametrize("text", ["0100", "20:10", "0x4BA", "0b10011", "-0100", ".inf", "-.Inf", ".nan", "20:10.5"])
def test_claim_numbers_yaml_11_would_change_are_kept_as_written(text: str) -> None:
    value = load_text(f"amount: {text}\n", file="c", numbers="decimal")["amount"]
    assert isinstance(value, UnquotedNumber) and value == text


@pytest.mark.parametrize("text", ["0100", "20:10", "0x4BA", "0b11"])
def test_rules_refuse_numbers_yaml_11_would_change(text: str) -> None:
    with pytest.raises(RulesError, match=rf"number {re.escape(text)} at line 1 is ambiguous"):
        load_text(f"length: {text}\n", file="x.yaml", numbers="refuse", error=RulesError)


def test_plain_integers_and_decimals_are_read_as_written() -> None:
    data = load_text("a: 100\nb: -7\nc: 1_000\nd: 0\ne: 1.5e+3\nf: .5\n", file="c", numbers="decimal")
    assert data == {"a": 100, "b": -7, "c": 1000, "d": 0, "e": Decimal("1.5e+3"), "f": Decimal("0.5")}


def test_an_integer_too_long_for_python_is_a_decimal_not_a_crash() -> None:
    digits = "9" * 5000
    assert load_text(f"a: {digits}\n", file="c", numbers="decimal") == {"a": Decimal(digits)}
    assert load_text(f'{{"a": {digits}}}', file="c.json", numbers="decimal", fmt="json") == {"a": Decimal(digits)}


@pytest.mark.parametrize(("text", "kind"), [("[a, b]: 1\n", "a list"), ("? {a: 1}\n: 2\n", "a mapping")])
def test_a_list_or_mapping_as_key_is_refused_with_its_line(text: str, kind: str) -> None:
    with pytest.raises(ClaimError, match=rf"the key at line 1 is {kind}; keys must be plain field names"):
        load_text(text, file="claim.yaml", numbers="decimal", error=ClaimError)


def test_json_nested_too_deep_is_a_clear_error() -> None:
    with pytest.raises(ClaimError, match="nested too deeply") as info:
        load_text("[" * 100_000 + "]" * 100_000, file="claim.json", numbers="decimal", error=ClaimError, fmt="json")
    assert info.value.file == "claim.json"


def test_yaml_nested_too_deep_is_a_clear_error() -> None:
    for text in ("a: " + "[" * 100_000 + "]" * 100_000, "- " * 100_000 + "x"):
        with pytest.raises(ClaimError, match=r"not valid YAML|nested too deeply"):
            load_text(text, file="claim.yaml", numbers="decimal", error=ClaimError)


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
def test_json_nan_and_infinity_are_refused(constant: str) -> None:
    with pytest.raises(ClaimError, match=f"{constant} is not a number JSON allows"):
        load_text(f'{{"amount": {constant}}}', file="claim.json", numbers="decimal", error=ClaimError, fmt="json")
