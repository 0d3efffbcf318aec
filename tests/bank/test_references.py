"""Structured references are normalised the same way whatever file carried them."""

from __future__ import annotations

import pytest
from stdnum.be import ogm_vcs

from dossier.bank import references


@pytest.mark.parametrize("text", ["+++974/9960/57546+++", "***974/9960/57546***", "974996057546", "974 9960 57546"])
def test_a_belgian_structured_communication_is_its_twelve_digits(text: str) -> None:
    assert references.ogm(text) == "974996057546"


def test_a_belgian_communication_with_wrong_check_digits_is_none() -> None:
    assert references.ogm("+++974/9960/57547+++") is None


def test_an_rf_reference_is_upper_case_without_spaces() -> None:
    assert references.rf("rf18 5390 0754 7034") == "RF18539007547034"
    assert references.rf("RF19 5390 0754 7034") is None


def test_the_scheme_named_by_the_file_is_read_first() -> None:
    assert references.structured("5000056789012345", "CUR") == "5000056789012345"
    assert references.structured("+++090/9337/55493+++", "BBA") == "090933755493"
    assert references.structured("ZPD-24-1610", "SCOR") is None


@pytest.mark.parametrize("number", ["000000000097", "000000009797", "974996057546", "090933755493", "123123412328",
                                    "000000000000", "974996057547", "999999999999", "100000000001"])
def test_the_check_agrees_with_stdnum(number: str) -> None:
    assert (references.ogm(number) is not None) == ogm_vcs.is_valid(number)
