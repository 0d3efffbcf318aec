"""A very long debtor name or address wraps inside the address box, which grows and pushes the references and
the subject down: nothing is drawn over anything else, in every language and with either envelope window."""

from __future__ import annotations

import io
import re
from datetime import date

import pytest
from pypdf import PdfReader
from tests.conftest import SAMPLES

from dossier.model import load_claim
from dossier.output.produce import Producer
from dossier.rules import load_rules

# 300 characters: words, then one 100-character "word" that can only be broken anywhere
NAME = ("Société Coopérative Intercommunale de Distribution et de Gestion des Eaux " * 3)[:199] + " " + "X" * 100
STREET = ("Boulevard du Souverain Prolongé " * 5)[:150]


def lines(pdf: bytes) -> list[tuple[str, float, float, float]]:
    """Page 1's text lines: text, x, y (downwards from the top) and font size, in the same units."""
    found: list[tuple[str, float, float, float]] = []

    def visit(text: str, cm: list[float], tm: list[float], font: object, size: float) -> None:
        if text.strip():
            found.append((text.strip(), tm[4], tm[5], size))

    PdfReader(io.BytesIO(pdf)).pages[0].extract_text(visitor_text=visit)
    return found


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.mark.parametrize(
    ("sample", "sent", "one_page"),
    [
        ("be-b2b-fr", date(2025, 12, 1), False),  # fr, window on the right, references below the address
        ("nl-consumer-nl", date(2025, 2, 3), True),  # nl, window on the left, references beside the address
        ("gb-eaw-b2b-en", date(2025, 12, 1), False),  # en, window on the left
    ],
)
def test_a_300_character_name_wraps_in_its_box_and_overlaps_nothing(
    producer: Producer, sample: str, sent: date, one_page: bool
) -> None:
    claim = load_claim(SAMPLES / sample)
    address = claim.debtor.address.model_copy(update={"street": STREET})
    claim = claim.model_copy(update={"debtor": claim.debtor.model_copy(update={"name": NAME, "address": address})})
    rules = load_rules(claim.jurisdiction)
    result = producer.render(claim, rules, "formal-notice", sent, force=True, one_page=one_page)
    found = lines(result.outputs["pdf"])

    first = next(line for line in found if NAME.startswith(line[0]))
    column = [line for line in found if abs(line[1] - first[1]) < 1 and line[2] >= first[2]]
    name_lines = [line for line in column if line[0] in NAME]
    assert squeeze("".join(line[0] for line in name_lines)) == squeeze(NAME)  # all of it, in its column
    assert max(len(line[0]) for line in name_lines) <= 60  # broken inside the box, not run off the page
    city = next(line for line in column if line[0] == result.context["debtor"]["lines"][-1])
    bottom = city[2] + 0.3 * city[3]

    def top(text: str) -> float:
        line = next(line for line in found if text in line[0])
        return line[2] - 0.8 * line[3]

    assert bottom < top(result.context["s"]["subject"][:25])
    if not one_page:
        assert bottom < top(result.context["t"]["labels"]["place_date"])
