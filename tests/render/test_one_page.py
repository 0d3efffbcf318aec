"""``--one-page`` formal notices: the computation annex is left out, the letter says where the detail is, and
the address stays where the envelope's window is."""

from __future__ import annotations

import io
from datetime import date

import pytest
from pypdf import PdfReader
from tests.conftest import SAMPLES
from tests.render.conftest import CASES, flat

from dossier.model import load_claim
from dossier.output.produce import Producer
from dossier.output.template_check import docx_text, pdf_text
from dossier.rules import load_rules

NOTICES = [(s, d) for s, k, d in CASES if k == "formal-notice"]
DETAIL = {
    "fr": "figure dans le relevé de compte, disponible sur simple demande",
    "nl": "staat in het rekeningoverzicht",
    "en": "is set out in the statement of account, available on request",
}


def address_top(pdf: bytes, name: str) -> float:
    """The vertical position (PDF points from the bottom) of the debtor's name on page 1."""
    found: list[float] = []

    def visit(text: str, cm: list[float], tm: list[float], *_: object) -> None:
        if text.strip().startswith(name):
            found.append(tm[5])

    PdfReader(io.BytesIO(pdf)).pages[0].extract_text(visitor_text=visit)
    assert found, name
    return found[0]


@pytest.mark.parametrize(("sample", "sent"), NOTICES)
def test_one_page_notice_fits_one_page_and_keeps_the_window_position(
    producer: Producer, sample: str, sent: date
) -> None:
    claim = load_claim(SAMPLES / sample)
    rules = load_rules(claim.jurisdiction)
    full = producer.render(claim, rules, "formal-notice", sent, formats=("pdf", "docx"))
    short = producer.render(claim, rules, "formal-notice", sent, formats=("pdf", "docx"), one_page=True)
    assert len(PdfReader(io.BytesIO(short.outputs["pdf"])).pages) == 1
    assert len(PdfReader(io.BytesIO(full.outputs["pdf"])).pages) >= 2
    text = flat(pdf_text(short.outputs["pdf"]))
    assert DETAIL[claim.language] in text and DETAIL[claim.language] in flat(docx_text(short.outputs["docx"]))
    assert DETAIL[claim.language] not in flat(pdf_text(full.outputs["pdf"]))
    assert claim.reference in text and short.facts.statement.totals == full.facts.statement.totals
    name = claim.debtor.name
    assert abs(address_top(short.outputs["pdf"], name) - address_top(full.outputs["pdf"], name)) < 0.5
