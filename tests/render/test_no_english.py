"""No English inside a French or Dutch document or CLI table (issue 15 item 10).

Every kind of document of every French and Dutch sample is rendered (PDF and DOCX) and its text scanned for
English stock words; so is the terminal table of ``dossier statement``. The legal-basis list quotes the titles
of the sources in the rules data and is left out of the scan (issue 15 item 6 cleans those titles).
"""

from __future__ import annotations

import re
from datetime import date

import pytest
from tests.conftest import SAMPLES

from dossier.cli.table import render_table
from dossier.engine import compute_statement
from dossier.engine.letters import PlanRequest
from dossier.model import load_claim
from dossier.output.produce import Producer
from dossier.output.template_check import docx_text, pdf_text
from dossier.rules import load_rules

#: English words that are not also French or Dutch words ("interest" is Belgian Dutch, "of" and "maximum" Dutch too)
ENGLISH = re.compile(
    r"\b(the|and|within|penalty|damages|clause|payments?|reminder|statement|invoices?|costs|applied|"
    r"letter|rules|scale|legal|unpaid|amount|days?)\b",
    re.IGNORECASE,
)

#: each sample on a day when its statement carries compensation, payments and notes
SAMPLES_ON = [
    ("be-b2b-fr", date(2025, 12, 1)),
    ("be-consumer-nl", date(2026, 1, 20)),
    ("fr-b2b-fr", date(2025, 12, 1)),
    ("nl-consumer-nl", date(2025, 12, 1)),
]
KINDS = ["reminder", "formal-notice", "payment-plan", "statement"]


@pytest.fixture(scope="module")
def producer() -> Producer:
    return Producer()


def english_words(text: str) -> list[str]:
    return sorted({m.group(0) for m in ENGLISH.finditer(text)})


@pytest.mark.parametrize(("name", "day"), SAMPLES_ON, ids=[s for s, _ in SAMPLES_ON])
@pytest.mark.parametrize("kind", KINDS)
def test_no_english_in_french_or_dutch_documents(producer: Producer, name: str, day: date, kind: str) -> None:
    claim = load_claim(SAMPLES / name)
    plan = PlanRequest(count=4) if kind == "payment-plan" else None
    result = producer.render(
        claim, load_rules(claim.jurisdiction), kind, day, plan=plan, formats=("pdf", "docx"), force=True
    )
    for text in (pdf_text(result.outputs["pdf"]), docx_text(result.outputs["docx"])):
        text = " ".join(text.split())
        for rule in result.context["rules"]:
            text = text.replace(" ".join(rule["title"].split()), "")
        for invoice in claim.invoices:  # the claim's own words (descriptions) are the user's
            text = text.replace(" ".join((invoice.description or "").split()), "")
        assert english_words(text) == [], text


@pytest.mark.parametrize(("name", "day"), SAMPLES_ON, ids=[s for s, _ in SAMPLES_ON])
def test_no_english_in_the_french_or_dutch_statement_table(name: str, day: date) -> None:
    claim = load_claim(SAMPLES / name)
    rules = load_rules(claim.jurisdiction)
    table = render_table(compute_statement(claim, rules, day), rules.meta.locales[claim.language])
    lines = [line for line in table.splitlines() if not line.startswith("  ! ")]  # the user's warnings
    assert english_words("\n".join(lines)) == [], table
