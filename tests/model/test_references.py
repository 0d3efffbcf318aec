"""Structured payment references in the claim: an invoice's own (OGM, RF, betalingskenmerk), the debtor's known
IBANs, the claim's letters' reference; each validated with its check digits."""

from __future__ import annotations

from typing import Any

import pytest
from tests.model.test_load import problems

from dossier.model import claim_from_data
from dossier.model.references import parse_reference, shown_reference


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("+++090/9337/55493+++", ("ogm", "090933755493")),
        ("090933755493", ("ogm", "090933755493")),
        ("rf18 5390 0754 7034", ("rf", "RF18539007547034")),
        # Betaalvereniging Nederland's examples: 16 digits, check digit 5; 14 digits, check 1, length code 2
        ("5000 0567 8901 2345", ("kenmerk", "5000056789012345")),
        ("12 2345 3462 2567", ("kenmerk", "12234534622567")),
    ],
)
def test_parse_reference(given: str, expected: tuple[str, str]) -> None:
    assert parse_reference(given) == expected


@pytest.mark.parametrize("bad", ["+++090/9337/55494+++", "RF19539007547034", "6000056789012345", "ACME-1", "123"])
def test_parse_reference_refuses_bad_check_digits(bad: str) -> None:
    with pytest.raises(ValueError, match="is not a"):
        parse_reference(bad)


def test_shown_reference() -> None:
    assert shown_reference("ogm", "090933755493") == "+++090/9337/55493+++"
    assert shown_reference("rf", "RF18539007547034") == "RF18 5390 0754 7034"


def test_invoice_payment_reference_and_known_ibans(claim_data: dict[str, Any]) -> None:
    claim_data["invoices"][0]["payment_reference"] = "RF18 5390 0754 7034"
    claim_data["debtor"]["ibans"] = ["NL91 ABNA 0417 1643 00", "BE71096123456769"]
    claim = claim_from_data(claim_data)
    assert claim.invoices[0].payment_reference == "RF18 5390 0754 7034"
    assert claim.debtor.known_ibans == ["NL91ABNA0417164300", "BE71096123456769"]


def test_bad_invoice_reference_and_iban_are_named(claim_data: dict[str, Any]) -> None:
    claim_data["invoices"][0]["payment_reference"] = "RF19 5390 0754 7034"
    claim_data["debtor"]["ibans"] = ["NL91ABNA0417164301"]
    found = problems(claim_data)
    assert "claim.yaml: debtor.ibans[0]: NL91ABNA0417164301 is not a valid IBAN (The number's checksum or check " \
        "digit is invalid.)" in found
    assert any(p.startswith("claim.yaml: invoices[0].payment_reference: RF19 5390 0754 7034 is not a valid ISO 11649")
               for p in found)
