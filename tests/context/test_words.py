"""Amounts in words, against forms checked by the rules of each language (not against num2words)."""

from decimal import Decimal

import pytest

from dossier.context.words import amount_in_words, number_in_words

BELGIAN_FRENCH = {
    1: "un",
    21: "vingt et un",
    70: "septante",
    71: "septante et un",
    77: "septante-sept",
    80: "quatre-vingts",
    81: "quatre-vingt-un",
    90: "nonante",
    91: "nonante et un",
    99: "nonante-neuf",
    100: "cent",
    101: "cent un",
    200: "deux cents",
    203: "deux cent trois",
    280: "deux cent quatre-vingts",
    1000: "mille",
    1200: "mille deux cents",
    1981: "mille neuf cent quatre-vingt-un",
    2000: "deux mille",
    1000000: "un million",
    2000000: "deux millions",
    3227: "trois mille deux cent vingt-sept",
}
FRANCE_FRENCH = {
    70: "soixante-dix",
    71: "soixante et onze",
    80: "quatre-vingts",
    81: "quatre-vingt-un",
    91: "quatre-vingt-onze",
    203: "deux cent trois",
    1000000: "un million",
}
DUTCH = {
    1: "één",
    21: "eenentwintig",
    101: "honderdeen",
    203: "tweehonderddrie",
    1000: "duizend",
    1001: "duizend een",
    1210: "duizend tweehonderdtien",
    3227: "drieduizend tweehonderdzevenentwintig",
    1000000: "een miljoen",
    2500000: "twee miljoen vijfhonderdduizend",
}
ENGLISH = {
    1: "one",
    21: "twenty-one",
    101: "one hundred and one",
    1210: "one thousand two hundred and ten",
    1000000: "one million",
}


@pytest.mark.parametrize(("number", "words"), BELGIAN_FRENCH.items())
def test_belgian_french(number: int, words: str) -> None:
    assert number_in_words(number, "fr_BE") == words


@pytest.mark.parametrize(("number", "words"), FRANCE_FRENCH.items())
def test_france_french(number: int, words: str) -> None:
    assert number_in_words(number, "fr_FR") == words


@pytest.mark.parametrize(("number", "words"), DUTCH.items())
def test_dutch(number: int, words: str) -> None:
    assert number_in_words(number, "nl_BE") == words


@pytest.mark.parametrize(("number", "words"), ENGLISH.items())
def test_english(number: int, words: str) -> None:
    assert number_in_words(number, "en_GB") == words


@pytest.mark.parametrize(
    ("amount", "currency", "locale", "words"),
    [
        ("3227.33", "EUR", "fr_BE", "trois mille deux cent vingt-sept euros et trente-trois centimes"),
        ("1.00", "EUR", "fr_BE", "un euro"),
        ("0.01", "EUR", "fr_BE", "un centime"),
        ("1000000.00", "EUR", "fr_FR", "un million d'euros"),
        ("2000000.80", "EUR", "fr_BE", "deux millions d'euros et quatre-vingts centimes"),
        ("898.40", "EUR", "nl_BE", "achthonderdachtennegentig euro en veertig cent"),
        ("11554.27", "GBP", "en_GB", "eleven thousand five hundred and fifty-four pounds and twenty-seven pence"),
        ("1.01", "GBP", "en_GB", "one pound and one penny"),
    ],
)
def test_amounts(amount: str, currency: str, locale: str, words: str) -> None:
    assert amount_in_words(Decimal(amount), currency, locale) == words


def test_amounts_must_be_decimal() -> None:
    with pytest.raises(TypeError, match="read as cents"):
        amount_in_words(1210, "EUR", "fr_BE")  # type: ignore[arg-type]
