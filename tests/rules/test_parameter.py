from datetime import date, timedelta
from decimal import Decimal

import pytest
from tests.conftest import JURISDICTIONS

from dossier.errors import RuleNotFound
from dossier.rules import load_rules


@pytest.fixture(scope="module")
def be():
    return load_rules("BE", JURISDICTIONS)


def test_lookup_by_date_gives_the_value_and_its_sources(be) -> None:
    value = be.at("interest/commercial_late_payment", date(2025, 3, 1))
    assert value.value == Decimal("11.5")
    assert (value.start, value.end) == (date(2025, 1, 1), date(2025, 6, 30))
    assert value.sources and value.parameter == "BE:interest/commercial_late_payment"


def test_semester_boundaries(be) -> None:
    rate = be.parameter("interest/commercial_late_payment")
    assert rate.at(date(2023, 6, 30)).value == Decimal("10.5")
    assert rate.at(date(2023, 7, 1)).value == Decimal("12.0")


def test_asking_outside_the_data_names_the_file_and_the_span(be) -> None:
    with pytest.raises(RuleNotFound) as info:
        be.at("interest/commercial_late_payment", date(2019, 12, 31))
    assert info.value.file == "jurisdictions/be/interest/commercial_late_payment.yaml"
    assert "no value in force on 2019-12-31 (the data covers 2020-01-01 to 2026-12-31)" in info.value.message


def test_segments_split_at_each_change(be) -> None:
    segments = be.parameter("interest/commercial_late_payment").segments(date(2024, 12, 1), date(2025, 7, 10))
    assert [(a, b, v.value) for a, b, v in segments] == [
        (date(2024, 12, 1), date(2024, 12, 31), Decimal("12.5")),
        (date(2025, 1, 1), date(2025, 6, 30), Decimal("11.5")),
        (date(2025, 7, 1), date(2025, 7, 10), Decimal("10.5")),
    ]


@pytest.mark.parametrize(
    ("base", "expected"),
    [
        # Code of Economic Law Book XIX scale; SPF Economie's example: a debt of 1,000 EUR allows at most 90 EUR
        ("1000.00", "90.00"),
        ("150.00", "20.00"),
        ("150.01", "30.00"),
        ("500.00", "65.00"),
        ("40000.00", "2000.00"),
        ("50000.00", "2000.00"),
    ],
)
def test_book_xix_damages_scale(be, base: str, expected: str) -> None:
    scale = be.at("consumer/damages_scale", date(2025, 1, 1)).value
    assert scale.apply(Decimal(base)) == Decimal(expected)


@pytest.mark.parametrize(
    ("principal", "expected"),
    [
        # Besluit vergoeding voor buitengerechtelijke incassokosten (Stb. 2012, 141), art. 2
        ("200.00", "40.00"),  # 15 % = 30.00, below the 40 EUR minimum
        ("2500.00", "375.00"),  # 15 % of 2,500
        ("5000.00", "625.00"),  # + 10 % of the next 2,500
        ("10000.00", "875.00"),  # + 5 % of the next 5,000
        ("200000.00", "2775.00"),  # + 1 % of the next 190,000
        ("1000000.00", "6775.00"),  # + 0.5 % of the rest, reaching the 6,775 EUR maximum
        ("5000000.00", "6775.00"),
        ("3000.00", "425.00"),
    ],
)
def test_wik_scale(principal: str, expected: str) -> None:
    scale = load_rules("NL", JURISDICTIONS).at("compensation/wik_scale", date(2025, 1, 1)).value
    assert scale.apply(Decimal(principal)) == Decimal(expected)


def test_wik_brackets_are_continuous() -> None:
    """Each bracket's amount equals the lower bracket's result at its threshold (catches a mistyped figure)."""
    scale = load_rules("NL", JURISDICTIONS).at("compensation/wik_scale", date(2025, 1, 1)).value
    for lower, upper in zip(scale.brackets, scale.brackets[1:], strict=False):
        assert lower.amount + lower.rate * (upper.over - lower.over) == upper.amount


@pytest.mark.parametrize(
    ("debt", "expected"), [("999.99", "40.00"), ("1000.00", "70.00"), ("9999.99", "70.00"), ("10000.00", "100.00")]
)
def test_late_payment_act_fixed_sums(debt: str, expected: str) -> None:
    # Late Payment of Commercial Debts (Interest) Act 1998, s. 5A(2)
    scale = load_rules("GB-EAW", JURISDICTIONS).at("compensation/fixed_sums", date(2025, 1, 1)).value
    assert scale.apply(Decimal(debt)) == Decimal(expected)


def test_segments_never_stretch_the_last_value_past_the_end_of_the_data(be) -> None:
    """Interest accrued after the data ends must not silently use the last known rate."""
    rate = be.parameter("interest/commercial_late_payment")
    after = rate.last_day + timedelta(days=1)
    with pytest.raises(RuleNotFound) as info:
        rate.segments(rate.last_day - timedelta(days=10), after + timedelta(days=30))
    assert f"no value in force on {after.isoformat()}" in info.value.message
    assert f"the rules data ends on {rate.last_day.isoformat()}" in (info.value.hint or "")
    assert rate.segments(rate.last_day, rate.last_day)[0][2] == rate.values[-1]
