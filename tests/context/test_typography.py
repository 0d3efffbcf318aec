"""French typography of generated text: "1er", elision before names, non-breaking spaces (issue 15 item 8)."""

from __future__ import annotations

from datetime import date

import pytest

from dossier.context.formatting import Formatter
from dossier.context.typography import de, french_spacing, le, upper_first


@pytest.mark.parametrize(
    ("locale", "day", "expected"),
    [
        ("fr_FR", date(2025, 12, 1), "1er décembre 2025"),
        ("fr_BE", date(2026, 1, 1), "1er janvier 2026"),
        ("fr_FR", date(2025, 12, 11), "11 décembre 2025"),
        ("fr_FR", date(2025, 12, 21), "21 décembre 2025"),
        ("nl_NL", date(2025, 12, 1), "1 december 2025"),
        ("en_GB", date(2025, 12, 1), "1 December 2025"),
    ],
)
def test_french_writes_the_first_of_the_month_as_an_ordinal(locale: str, day: date, expected: str) -> None:
    assert Formatter(locale, "EUR").date(day) == expected


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("Imprimerie Lumière SAS", "d'Imprimerie Lumière SAS"),
        ("avocat", "d'avocat"),
        ("ACME SRL", "d'ACME SRL"),
        ("Électricité Dubois", "d'Électricité Dubois"),
        ("huissier de justice", "d'huissier de justice"),
        ("Boulangerie Dubois SRL", "de Boulangerie Dubois SRL"),
        ("Harbour Interiors Ltd", "de Harbour Interiors Ltd"),
        ("bureau de recouvrement amiable", "de bureau de recouvrement amiable"),
    ],
)
def test_de_is_elided_before_a_vowel_or_a_mute_h(word: str, expected: str) -> None:
    assert de(word) == expected


def test_le_is_elided_before_a_vowel_or_a_mute_h() -> None:
    assert le("huissier") == "l'huissier"
    assert le("avocat") == "l'avocat"
    assert le("créancier") == "le créancier"


def test_french_spacing_puts_the_right_non_breaking_space_before_punctuation_and_inside_guillemets() -> None:
    text = "Nous vous avons déjà écrit à ce sujet : voir ci-dessous ; merci ! Une question ? ci-après « le créancier »"
    assert french_spacing(text) == (
        "Nous vous avons déjà écrit à ce sujet\u00a0: voir ci-dessous\u202f; merci\u202f! Une question\u202f? "
        "ci-après «\u00a0le créancier\u00a0»"
    )


def test_french_spacing_leaves_urls_times_and_missing_spaces_inside_words_alone() -> None:
    url = "https://www.legifrance.gouv.fr/x?a=1 à 10:30"
    assert french_spacing(url) == url
    assert french_spacing("Total: 40 euros") == "Total\u00a0: 40 euros"


def test_upper_first_capitalises_a_dutch_particle_and_nothing_else() -> None:
    assert upper_first("de Vries") == "De Vries"
    assert upper_first("van den Berg") == "Van den Berg"
