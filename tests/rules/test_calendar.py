"""Public holidays from the ``holidays`` package, as each jurisdiction's data selects them."""

from datetime import date

import pytest
from tests.conftest import JURISDICTIONS

from dossier.rules import load_rules


def holidays_of(code: str, year: int) -> list[date]:
    calendar = load_rules(code, JURISDICTIONS).calendar
    return sorted(
        d
        for d in (date.fromordinal(o) for o in range(date(year, 1, 1).toordinal(), date(year, 12, 31).toordinal() + 1))
        if calendar.holiday(d)
    )


def test_belgium_2025_ten_legal_holidays_plus_two_sundays() -> None:
    # Law of 4 January 1974: 10 legal holidays; the package adds Easter Sunday and Whit Sunday (Sundays anyway)
    assert holidays_of("BE", 2025) == [
        date(2025, 1, 1),
        date(2025, 4, 20),
        date(2025, 4, 21),
        date(2025, 5, 1),
        date(2025, 5, 29),
        date(2025, 6, 8),
        date(2025, 6, 9),
        date(2025, 7, 21),
        date(2025, 8, 15),
        date(2025, 11, 1),
        date(2025, 11, 11),
        date(2025, 12, 25),
    ]


def test_belgium_community_and_bank_holidays_do_not_count() -> None:
    calendar = load_rules("BE", JURISDICTIONS).calendar
    for day in (date(2025, 7, 11), date(2025, 9, 27), date(2025, 11, 15), date(2025, 12, 26), date(2025, 4, 18)):
        assert calendar.holiday(day) is None


def test_netherlands_follows_the_algemene_termijnenwet() -> None:
    calendar = load_rules("NL", JURISDICTIONS).calendar
    assert calendar.holiday(date(2025, 4, 18)) is None  # Good Friday is not a recognised holiday
    assert calendar.holiday(date(2026, 5, 5)) is not None  # 5 May counts every year, not only every fifth
    assert calendar.holiday(date(2025, 4, 26)) is not None  # King's Day


def test_england_bank_holidays_2025() -> None:
    assert holidays_of("GB-EAW", 2025) == [
        date(2025, 1, 1),
        date(2025, 4, 18),
        date(2025, 4, 21),
        date(2025, 5, 5),
        date(2025, 5, 26),
        date(2025, 8, 25),
        date(2025, 12, 25),
        date(2025, 12, 26),
    ]


@pytest.mark.parametrize(("code", "day"), [("FR", date(2025, 7, 14)), ("FR", date(2025, 5, 8))])
def test_france_public_holidays(code: str, day: date) -> None:
    assert not load_rules(code, JURISDICTIONS).calendar.is_working_day(day)
