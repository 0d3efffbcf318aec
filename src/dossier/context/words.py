"""Amounts in words, through num2words, with the forms it gets wrong corrected.

num2words 0.5.14 writes Belgian French badly ("deux cents trois", "un millions", "quatre-vingt et un"), while
its French output is right; Belgian French differs from it only by septante and nonante, so we take the French
words and substitute. Dutch follows the Taalunie: a space after "duizend" and around "miljoen", and no accent
on "een" inside a compound. Every form is checked against a table in tests/context/test_words.py.
"""

from __future__ import annotations

import re
from decimal import Decimal

from num2words import num2words

# French 70-79 and 90-99 (after "soixante" / "quatre-vingt") -> Belgian forms
_BELGIAN = {
    "soixante-dix": "septante",
    "soixante et onze": "septante et un",
    "soixante-douze": "septante-deux",
    "soixante-treize": "septante-trois",
    "soixante-quatorze": "septante-quatre",
    "soixante-quinze": "septante-cinq",
    "soixante-seize": "septante-six",
    "soixante-dix-sept": "septante-sept",
    "soixante-dix-huit": "septante-huit",
    "soixante-dix-neuf": "septante-neuf",
    "quatre-vingt-dix": "nonante",
    "quatre-vingt-onze": "nonante et un",
    "quatre-vingt-douze": "nonante-deux",
    "quatre-vingt-treize": "nonante-trois",
    "quatre-vingt-quatorze": "nonante-quatre",
    "quatre-vingt-quinze": "nonante-cinq",
    "quatre-vingt-seize": "nonante-six",
    "quatre-vingt-dix-sept": "nonante-sept",
    "quatre-vingt-dix-huit": "nonante-huit",
    "quatre-vingt-dix-neuf": "nonante-neuf",
}
_BELGIAN_RE = re.compile(r"\b(" + "|".join(sorted(map(re.escape, _BELGIAN), key=len, reverse=True)) + r")\b")

_UNITS = {
    ("fr", "EUR"): ("euro", "euros", "centime", "centimes"),
    ("fr", "GBP"): ("livre sterling", "livres sterling", "penny", "pence"),
    ("nl", "EUR"): ("euro", "euro", "cent", "cent"),
    ("nl", "GBP"): ("pond sterling", "pond sterling", "penny", "pence"),
    ("en", "EUR"): ("euro", "euros", "cent", "cents"),
    ("en", "GBP"): ("pound", "pounds", "penny", "pence"),
}
_AND = {"fr": "et", "nl": "en", "en": "and"}


def number_in_words(number: int, locale: str) -> str:
    """A whole number in words for ``locale`` (``fr_BE``, ``fr_FR``, ``nl_BE``, ``nl_NL``, ``en_GB``...)."""
    if isinstance(number, bool) or not isinstance(number, int) or number < 0:
        raise TypeError(f"expected a non-negative int, got {number!r}")
    language = locale.split("_")[0]
    if language == "fr":
        words = num2words(number, lang="fr")
        if locale in {"fr_BE", "fr_CH"}:
            words = _BELGIAN_RE.sub(lambda m: _BELGIAN[m.group(1)], words)
        return words
    if language == "nl":
        words = num2words(number, lang="nl").replace("één", "een") if number != 1 else "één"
        words = re.sub(r"duizend(?=\S)", "duizend ", words)
        words = re.sub(r"(?<=\S)(miljoen|miljard)", r" \1", words)
        return re.sub(r"(miljoen|miljard)(?=\S)", r"\1 ", words)
    return num2words(number, lang="en").replace(",", "")


def ordinal_in_words(number: int, locale: str) -> str:
    """A small ordinal in words ("troisième", "derde", "third"): the day a period starts on, in a clause."""
    if isinstance(number, bool) or not isinstance(number, int) or not 0 < number < 70:
        raise ValueError(f"expected an ordinal from 1 to 69, got {number!r}")  # septante/nonante not handled
    return num2words(number, to="ordinal", lang=locale.split("_")[0])


def amount_in_words(amount: Decimal, currency: str, locale: str) -> str:
    """``Decimal('1210.50')`` -> "mille deux cent dix euros et cinquante centimes" (fr_BE)."""
    if not isinstance(amount, Decimal):
        raise TypeError(f"amounts must be Decimal, got {type(amount).__name__} (an int would be read as cents)")
    if amount < 0:
        raise ValueError("negative amounts are not written in words")
    language = locale.split("_")[0]
    one, many, sub_one, sub_many = _UNITS[(language, currency)]
    cents = int((amount * 100).to_integral_value())
    units, sub = divmod(cents, 100)
    sub_text = f"{number_in_words(sub, locale)} {sub_one if sub == 1 else sub_many}" if sub else ""
    if units == 0 and sub:
        return sub_text
    words = number_in_words(units, locale)
    unit = one if units == 1 else many
    if language == "fr" and units and re.search(r"(million|milliard)s?$", words):
        unit = f"d'{unit}" if unit[0] in "aeiou" else f"de {unit}"
    return f"{words} {unit} {_AND[language]} {sub_text}" if sub else f"{words} {unit}"
