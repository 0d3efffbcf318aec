from __future__ import annotations

import re
from datetime import date

import pytest
from tests.conftest import SAMPLES

from dossier.engine.letters import PlanRequest
from dossier.model import load_claim
from dossier.output.produce import Producer
from dossier.output.template_check import docx_text, pdf_text
from dossier.rules import load_rules

# (sample, kind, sending date): each letter at a moment it may be sent
CASES = [
    ("be-b2b-fr", "reminder", date(2025, 12, 1)),
    ("be-b2b-fr", "formal-notice", date(2025, 12, 1)),
    ("be-b2b-fr", "payment-plan", date(2025, 12, 1)),
    ("be-b2b-fr", "statement", date(2025, 12, 1)),
    ("be-consumer-nl", "reminder", date(2025, 11, 28)),
    ("be-consumer-nl", "formal-notice", date(2026, 1, 12)),
    ("fr-b2b-fr", "formal-notice", date(2025, 11, 3)),
    ("nl-consumer-nl", "formal-notice", date(2025, 2, 3)),
    ("nl-consumer-nl", "statement", date(2025, 2, 3)),
    ("gb-eaw-b2b-en", "formal-notice", date(2025, 12, 1)),
    ("gb-eaw-b2b-en", "payment-plan", date(2025, 12, 1)),
]


def flat(text: str) -> str:
    """Text as extracted, with the locale's non-breaking and thin spaces made plain."""
    return re.sub(r"\s+", " ", text.replace("\u202f", " ").replace("\xa0", " "))


@pytest.fixture(scope="session")
def producer() -> Producer:
    return Producer()


@pytest.fixture(scope="session")
def rendered(producer: Producer):
    """Every case rendered once as PDF and DOCX, with its context and extracted texts."""
    out = {}
    for sample, kind, sent in CASES:
        claim = load_claim(SAMPLES / sample)
        rules = load_rules(claim.jurisdiction)
        plan = PlanRequest(count=4) if kind == "payment-plan" else None
        result = producer.render(claim, rules, kind, sent, plan=plan, formats=("pdf", "docx"))
        out[(sample, kind)] = (result, flat(pdf_text(result.outputs["pdf"])), flat(docx_text(result.outputs["docx"])))
    return out
