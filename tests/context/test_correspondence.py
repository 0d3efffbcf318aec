"""Every letter lists the earlier correspondence in words, in its language and in date order: the letters we sent
("Rappel du 20 février 2025 (courrier)"), then apart the letters we received; a phone call is not a letter, and
no file name or "dossier ledger" string appears where a person reads."""

from __future__ import annotations

import html
import re
from datetime import date

import pytest
from tests.conftest import SAMPLES

from dossier.engine.letters import PlanRequest
from dossier.model import load_claim
from dossier.model.claim import HistoryItem
from dossier.output.produce import Producer
from dossier.output.template_check import docx_text
from dossier.rules import load_rules

HISTORY = [  # not in date order, on purpose
    HistoryItem(date=date(2025, 3, 20), type="reminder", channel="registered", file="out/x_reminder-2.pdf"),
    HistoryItem(date=date(2025, 3, 3), type="letter_received", summary="contests invoice 2"),
    HistoryItem(date=date(2025, 2, 20), type="reminder", channel="post", summary="dossier ledger: a_v1.pdf"),
    HistoryItem(date=date(2025, 3, 5), type="phone_call", channel="phone"),
    HistoryItem(date=date(2025, 4, 2), type="email_received"),
]
EXPECTED = {
    "be-b2b-fr": (
        "Vous avez déjà reçu à ce sujet :",  # its lawyer writes: the earlier letters may be the client's
        ["Rappel du 20 février 2025 (courrier)", "Rappel du 20 mars 2025 (recommandé)"],
        "Nous avons reçu de votre part :",
        ["Votre courrier du 3 mars 2025", "Votre courriel du 2 avril 2025"],
    ),
    "be-consumer-nl": (
        "Wij schreven u hierover al:",
        ["Herinnering van 20 februari 2025 (brief)", "Herinnering van 20 maart 2025 (aangetekend)"],
        "Van u ontvingen wij:",
        ["Uw brief van 3 maart 2025", "Uw e-mail van 2 april 2025"],
    ),
    "gb-eaw-b2b-en": (
        "We have already written to you about this:",
        ["Reminder of 20 February 2025 (post)", "Reminder of 20 March 2025 (recorded delivery)"],
        "We received from you:",
        ["Your letter of 3 March 2025", "Your e-mail of 2 April 2025"],
    ),
}
# the letters (a payment plan is an agreement between the parties: it tells no "you" what "we" wrote)
KINDS = ("reminder", "formal-notice")
DAY = date(2025, 12, 1)


@pytest.fixture(scope="module")
def producer() -> Producer:
    return Producer()


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", text)).replace("\xa0", " ").replace("\u202f", " "))


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("sample", sorted(EXPECTED))
def test_every_letter_lists_earlier_correspondence_in_words_in_date_order(
    producer: Producer, sample: str, kind: str
) -> None:
    claim = load_claim(SAMPLES / sample)
    claim = claim.model_copy(update={"history": HISTORY})
    plan = PlanRequest(count=3) if kind == "payment-plan" else None
    rules = load_rules(claim.jurisdiction)
    rendered = producer.render(claim, rules, kind, DAY, formats=("docx",), plan=plan, force=True)
    ctx = rendered.context
    assert [(h["iso"], h["type"], h["channel"]) for h in ctx["history"]] == [
        ("2025-02-20", "reminder", "post"),
        ("2025-03-20", "reminder", "registered"),
    ]
    assert [(h["iso"], h["type"]) for h in ctx["received"]] == [
        ("2025-03-03", "letter_received"),
        ("2025-04-02", "email_received"),
    ]
    intro, sent, received_intro, received = EXPECTED[sample]
    page = flat(producer.template_set(claim.language).render_html(f"{kind}.html", ctx))
    word = flat(docx_text(rendered.outputs["docx"]))
    for text in (page, word):
        expected = [intro, *sent, received_intro, *received]
        positions = [text.find(line) for line in expected]
        assert -1 not in positions, [line for line, p in zip(expected, positions, strict=True) if p < 0]
        assert positions == sorted(positions)  # sent letters in date order, then the received ones, in date order
        assert ".pdf" not in text and "dossier ledger" not in text and "contests invoice" not in text
