"""A natural person's honorific and family name (salutations, issue 15 item 11) and a representative's signatory."""

from __future__ import annotations

from typing import Any

import pytest

from dossier.errors import ClaimError
from dossier.model import claim_from_data


def problems(data: dict[str, Any]) -> list[str]:
    with pytest.raises(ClaimError) as info:
        claim_from_data(data, file="claim.yaml")
    return [str(p) for p in info.value.problems]


def consumer(claim_data: dict[str, Any], **person: str) -> dict[str, Any]:
    claim_data["debtor"].update({"type": "consumer", **person})
    claim_data["debtor"].pop("company_number", None)
    claim_data["debtor"].pop("vat_number", None)
    return claim_data


def test_the_salutation_uses_the_name_without_its_first_word_or_the_family_name(claim_data: dict[str, Any]) -> None:
    claim = claim_from_data(consumer(claim_data, name="Sanne de Vries", honorific="ms"), file="claim.yaml")
    assert claim.debtor.salutation_name == "de Vries"
    claim = claim_from_data(
        consumer(claim_data, name="Jean-Pierre Martin Dupuis", honorific="mr", family_name="Martin Dupuis"),
        file="claim.yaml",
    )
    assert claim.debtor.salutation_name == "Martin Dupuis"


def test_without_an_honorific_or_a_second_word_the_salutation_is_neutral(claim_data: dict[str, Any]) -> None:
    claim = claim_from_data(consumer(claim_data, name="Sanne de Vries"), file="claim.yaml")
    assert claim.debtor.salutation_name is None
    claim = claim_from_data(consumer(claim_data, name="Prince", honorific="mx"), file="claim.yaml")
    assert claim.debtor.salutation_name is None


def test_an_unknown_honorific_is_refused(claim_data: dict[str, Any]) -> None:
    assert problems(consumer(claim_data, honorific="sir")) == [
        "claim.yaml: debtor.honorific: 'sir' is not allowed: 'mr', 'mrs', 'ms', 'mx' or 'dr'"
    ]


def test_a_company_has_no_honorific(claim_data: dict[str, Any]) -> None:
    claim_data["debtor"]["honorific"] = "mr"
    found = problems(claim_data)
    assert any("honorific and family_name are for natural persons (type: consumer)" in p for p in found), found


def test_a_representative_names_who_signs(claim_data: dict[str, Any]) -> None:
    claim_data["representative"] = {
        "name": "Cabinet Dupont",
        "role": "lawyer",
        "address": {"street": "Avenue Louise 250", "postal_code": "1050", "city": "Ixelles", "country": "BE"},
        "signatory": "Maître Claire Dupont",
    }
    assert claim_from_data(claim_data, file="claim.yaml").representative.signatory == "Maître Claire Dupont"
