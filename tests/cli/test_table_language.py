"""``dossier statement``'s table in the claim's own language and country (issue 15 items 8-10): French puts a
non-breaking space before a colon; Dutch of the Netherlands says "rente" and "incassokosten" (art. 6:119 and 6:96
BW) where Belgian Dutch says "interest" and "vergoeding"."""

from __future__ import annotations

from click.testing import CliRunner
from tests.conftest import SAMPLES

from dossier.cli.main import main


def table(sample: str) -> str:
    result = CliRunner().invoke(main, ["statement", str(SAMPLES / sample), "--as-of", "2025-12-31"])
    assert result.exit_code == 0, result.output
    return result.output


def test_french_puts_a_non_breaking_space_before_each_colon() -> None:
    text = table("be-b2b-fr")
    assert "Intérêts par jour à partir de demain\u00a0: 0,87 EUR" in text
    assert "Paiements\u00a0:" in text and "imputé sur\u00a0: F-2025-001 indemnités 40,00" in text
    assert " :" not in text.replace("\u00a0:", "") and "demain:" not in text


def test_dutch_of_the_netherlands_says_rente_and_incassokosten() -> None:
    text = table("nl-consumer-nl")
    assert "Rente per dag vanaf morgen: 0,25 EUR" in text
    assert "ZPD-24-1033 rente 26,31" in text and "2024-10-07 incassokosten 250,00" in text
    assert "Interest" not in text and "Vergoeding" not in text and "vergoeding" not in text


def test_belgian_dutch_keeps_interest_and_vergoeding() -> None:
    text = table("be-consumer-nl")
    assert "Interest" in text and "Vergoeding" in text and "Rente per dag" not in text
