"""Dates, numbers, money and rates per locale (babel): ``1 234,56 €`` in fr_BE, ``€ 1.234,56`` in nl_BE."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from babel import Locale
from babel.dates import format_date
from babel.numbers import format_currency, format_decimal


class Formatter:
    """Formatting for one locale and currency; the only place documents get their number formats from."""

    def __init__(self, locale: str, currency: str) -> None:
        self.locale = locale
        self.currency = currency
        self._locale = Locale.parse(locale)  # parsed once: a letter formats about a hundred figures
        # the locale's own percent sign: "12.75%" in English and Dutch, "10,50 %" (non-breaking) in French
        spaced = any(c in self._locale.percent_formats[None].pattern for c in "\u00a0\u202f ")
        self._percent = "\u00a0%" if spaced else "%"

    def money(self, amount: Decimal) -> str:
        return format_currency(amount, self.currency, locale=self._locale)

    def number(self, amount: Decimal) -> str:
        return format_decimal(amount, format="#,##0.00", locale=self._locale)

    def rate(self, percent: Decimal) -> str:
        return format_decimal(percent, format="0.00##", locale=self._locale) + self._percent

    def share(self, percent: Decimal) -> str:
        """A proportion with one decimal: ``42,5 %`` in French, ``42.5%`` in English."""
        return format_decimal(percent, format="0.0", locale=self._locale) + self._percent

    def date(self, day: date) -> str:
        """``1 December 2025``; French writes the first of the month as an ordinal: ``1er décembre 2025``."""
        text = format_date(day, format="long", locale=self._locale)
        if day.day == 1 and self._locale.language == "fr" and text.startswith("1 "):
            return "1er" + text[1:]
        return text

    def short_date(self, day: date) -> str:
        return format_date(day, format="dd/MM/yyyy", locale=self._locale)
