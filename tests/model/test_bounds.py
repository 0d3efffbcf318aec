"""Hostile or mistyped input: numbers YAML 1.1 would change, figures and dates out of range, text and lists too
long, characters no letter can print. Each is a ClaimError naming the file and the field, with a short message."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pytest
import yaml

from dossier.errors import ClaimError
from dossier.model import claim_from_data, load_claim
from dossier.model.limits import MAX_DESCRIPTION, MAX_INVOICES, MAX_REFERENCE


def yaml_claim(tmp_path: Path, data: dict[str, Any], **raw: str) -> Path:
    """A claim folder whose claim.yaml has ``data``, with each ``raw`` placeholder replaced by unquoted YAML text."""
    text = yaml.safe_dump(data, allow_unicode=True, width=10_000)
    for placeholder, literal in raw.items():
        assert f": {placeholder}\n" in text or f": {placeholder}," in text or f": {placeholder}}}" in text
        text = text.replace(f": {placeholder}", f": {literal}")
    (tmp_path / "claim.yaml").write_text(text, encoding="utf-8")
    return tmp_path


def problems_of(folder: Path) -> list[str]:
    with pytest.raises(ClaimError) as info:
        load_claim(folder)
    return [str(p) for p in info.value.problems]


def data_problems(data: dict[str, Any]) -> list[str]:
    with pytest.raises(ClaimError) as info:
        claim_from_data(data, file="claim.yaml")
    return [str(p) for p in info.value.problems]


@pytest.mark.parametrize("literal", ["0100", "20:10", "0x4BA", "0b10011", ".inf", "-.inf", ".nan", "20:10.5"])
def test_unquoted_amounts_yaml_would_change_are_refused_naming_the_field(
    tmp_path: Path, claim_data: dict[str, Any], literal: str
) -> None:
    claim_data["invoices"][0]["amount"] = "AMOUNT"
    found = problems_of(yaml_claim(tmp_path, claim_data, AMOUNT=literal))
    assert len(found) == 1
    assert found[0].startswith(f"claim.yaml: invoices[0].amount: {literal} is ambiguous")
    assert 'write the number you mean in quotes, e.g. "1210.00"' in found[0]


def test_quoted_amounts_are_read_as_written(tmp_path: Path, claim_data: dict[str, Any]) -> None:
    claim_data["invoices"][0]["amount"] = "0100"
    assert str(load_claim(yaml_claim(tmp_path, claim_data)).invoices[0].amount) == "100.00"


def test_unquoted_rate_and_days_yaml_would_change_are_refused(tmp_path: Path, claim_data: dict[str, Any]) -> None:
    claim_data["terms"] = {"payment_days": "DAYS", "interest_rate": "RATE"}
    found = problems_of(yaml_claim(tmp_path, claim_data, DAYS="030", RATE="0x1"))
    assert [p.split(" is ambiguous")[0] for p in found] == [
        "claim.yaml: terms.payment_days: 030",
        "claim.yaml: terms.interest_rate: 0x1",
    ]


def test_text_fields_keep_what_yaml_would_have_read_as_a_number(tmp_path: Path, claim_data: dict[str, Any]) -> None:
    """A French postal code 01000 is not octal 512; a note "20:10" is not 1210."""
    claim_data["debtor"]["address"]["postal_code"] = "POSTAL"
    claim_data["invoices"][0]["description"] = "NOTE"
    claim = load_claim(yaml_claim(tmp_path, claim_data, POSTAL="01000", NOTE="20:10"))
    assert claim.debtor.address.postal_code == "01000"
    assert claim.invoices[0].description == "20:10"


@pytest.mark.parametrize(
    ("literal", "words"),
    [
        ("1000000000000000000000000000000", "is above the largest amount dossier accepts (999999999999.99)"),
        ("1e400", "is above the largest amount dossier accepts"),
        ("1.0e+400", "is above the largest amount dossier accepts"),
        ("9" * 5000, "99999... is above the largest amount dossier accepts"),
        ("1000000000000.00", "is above the largest amount dossier accepts"),
    ],
)
def test_huge_amounts_are_refused_not_a_traceback(
    tmp_path: Path, claim_data: dict[str, Any], literal: str, words: str
) -> None:
    claim_data["invoices"][0]["amount"] = "AMOUNT"
    found = problems_of(yaml_claim(tmp_path, claim_data, AMOUNT=literal))
    assert len(found) == 1 and found[0].startswith("claim.yaml: invoices[0].amount: ")
    assert words in found[0] and len(found[0]) < 300


def test_the_largest_amount_is_accepted(claim_data: dict[str, Any]) -> None:
    claim_data["invoices"][0]["amount"] = "999999999999.99"
    assert str(claim_from_data(claim_data).invoices[0].amount) == "999999999999.99"


@pytest.mark.parametrize("amount", ["NaN", "Infinity", "-Infinity"])
def test_json_nan_and_infinity_are_refused(tmp_path: Path, claim_data: dict[str, Any], amount: str) -> None:
    text = json.dumps(claim_data).replace('"1000.00"', amount)
    (tmp_path / "claim.json").write_text(text, encoding="utf-8")
    assert problems_of(tmp_path) == [f"claim.json: not valid JSON: {amount} is not a number JSON allows"]


def test_a_rate_with_too_many_decimals_is_refused(claim_data: dict[str, Any]) -> None:
    claim_data["terms"] = {"interest_rate": "0.1234567"}
    assert data_problems(claim_data) == ["claim.yaml: terms.interest_rate: 0.1234567 has more than 6 decimals"]


@pytest.mark.parametrize(
    ("where", "value"),
    [
        (("invoices", 0, "due_date"), "9999-12-31"),
        (("invoices", 0, "date"), "0001-01-01"),
        (("payments", 0, "date"), "9999-12-31"),
        (("history", 0, "date"), "2100-01-01"),
        (("terms", "contract_date"), "1899-12-31"),
    ],
)
def test_dates_outside_the_supported_range_are_refused(
    claim_data: dict[str, Any], where: tuple[Any, ...], value: str
) -> None:
    claim_data["payments"] = [{"date": "2025-03-01", "amount": "10.00"}]
    claim_data["history"] = [{"date": "2025-03-01", "type": "reminder"}]
    claim_data["terms"] = {"contract_date": "2024-01-01"}
    target: Any = claim_data
    for key in where[:-1]:
        target = target[key]
    target[where[-1]] = value
    found = data_problems(claim_data)
    path = ".".join(str(k) for k in where).replace(".0.", "[0].")
    assert f"claim.yaml: {path}: {value} is outside the dates dossier accepts (1900-01-01 to 2099-12-31)" in found


def test_a_reference_longer_than_a_file_name_allows_is_refused(claim_data: dict[str, Any]) -> None:
    claim_data["reference"] = "A" * 250
    assert data_problems(claim_data) == [
        f"claim.yaml: reference: is 250 characters long; at most {MAX_REFERENCE} are allowed"
    ]
    claim_data["reference"] = "A" * MAX_REFERENCE
    assert claim_from_data(claim_data).reference == "A" * MAX_REFERENCE


def test_a_50_mb_description_is_refused_at_once_without_echoing_it(claim_data: dict[str, Any]) -> None:
    claim_data["invoices"][0]["description"] = "x" * 50_000_000
    start = time.perf_counter()
    found = data_problems(claim_data)
    assert time.perf_counter() - start < 2
    assert found == [
        f"claim.yaml: invoices[0].description: is 50000000 characters long; at most {MAX_DESCRIPTION} are allowed"
    ]


@pytest.mark.parametrize(
    ("field", "limit"),
    [("name", 200), ("phone", 40), ("email", 254)],
)
def test_party_text_is_bounded(claim_data: dict[str, Any], field: str, limit: int) -> None:
    claim_data["debtor"][field] = "a" * (limit + 1)
    found = data_problems(claim_data)
    assert f"claim.yaml: debtor.{field}: is {limit + 1} characters long; at most {limit} are allowed" in found


def test_too_many_invoices_are_refused(claim_data: dict[str, Any]) -> None:
    invoice = claim_data["invoices"][0]
    claim_data["invoices"] = [{**invoice, "number": f"F{i}"} for i in range(MAX_INVOICES + 1)]
    assert data_problems(claim_data) == [
        f"claim.yaml: invoices: has {MAX_INVOICES + 1} items; at most {MAX_INVOICES} are allowed"
    ]


@pytest.mark.parametrize("char", ["\x00", "\x07", "\x1b", "\x85", "\ufffe"])
def test_control_characters_are_refused(claim_data: dict[str, Any], char: str) -> None:
    claim_data["debtor"]["name"] = f"Dubois{char}SRL"
    found = data_problems(claim_data)
    assert found == [
        f"claim.yaml: debtor.name: holds a control character (U+{ord(char):04X}) at position 7; "
        "only printable text is allowed"
    ]


def test_a_lone_surrogate_is_refused(claim_data: dict[str, Any]) -> None:
    claim_data["debtor"]["name"] = "Dubois\ud800SRL"
    assert [p.split(": ")[1] for p in data_problems(claim_data)] == ["debtor.name"]


def test_a_name_is_one_line_a_description_may_have_several(claim_data: dict[str, Any]) -> None:
    claim_data["debtor"]["name"] = "Dubois\nSRL"
    assert data_problems(claim_data) == [
        "claim.yaml: debtor.name: must be one line (it holds a line break or tab at position 7)"
    ]
    claim_data["debtor"]["name"] = "Dubois SRL"
    claim_data["invoices"][0]["description"] = "Line one\nLine two"
    assert claim_from_data(claim_data).invoices[0].description == "Line one\nLine two"


def test_a_nul_in_a_piece_file_name_is_a_clear_error(tmp_path: Path, claim_data: dict[str, Any]) -> None:
    claim_data["pieces"] = [{"file": "documents/a\x00.pdf", "title": "A"}]
    (tmp_path / "claim.json").write_text(json.dumps(claim_data), encoding="utf-8")
    assert problems_of(tmp_path) == [
        "claim.json: pieces[0].file: holds a control character (U+0000) at position 12; only printable text is allowed"
    ]


def test_a_huge_wrong_value_is_not_echoed_in_full(claim_data: dict[str, Any]) -> None:
    claim_data["debtor"]["address"]["country"] = "X" * 1_000_000
    claim_data["invoices"][0]["date"] = "y" * 1_000_000
    claim_data["language"] = ["z" * 1_000_000]
    found = data_problems(claim_data)
    assert len(found) == 3 and all(len(p) < 300 for p in found), found


def test_a_claim_json_nested_100000_deep_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "claim.json").write_text('{"reference": ' + "[" * 100_000 + "]" * 100_000 + "}", encoding="utf-8")
    assert problems_of(tmp_path) == ["claim.json: nested too deeply to be a claim or rules file"]


@pytest.mark.parametrize(("text", "kind"), [("[a, b]: 1\n", "a list"), ("? {a: 1}\n: 2\n", "a mapping")])
def test_a_list_or_mapping_key_in_a_claim_is_a_clear_error(tmp_path: Path, text: str, kind: str) -> None:
    (tmp_path / "claim.yaml").write_text("reference: X\n" + text, encoding="utf-8")
    assert problems_of(tmp_path) == [f"claim.yaml: the key at line 2 is {kind}; keys must be plain field names"]
