"""A letter says how it is sent in the words of its jurisdiction's data ("Par lettre recommandée avec demande
d'avis de réception" in France, "Par envoi recommandé" in Belgium); a formal notice going by ordinary post where
registered post is customary warns the user, never the debtor."""

from __future__ import annotations

import html
import re
from datetime import date

import pytest
from tests.conftest import SAMPLES

from dossier.model import load_claim
from dossier.output.produce import Producer
from dossier.rules import load_rules

DAY = date(2025, 12, 1)


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", text)).replace("\xa0", " "))


@pytest.fixture(scope="module")
def producer() -> Producer:
    return Producer()


def page(producer: Producer, sample: str, kind: str, channel: str) -> tuple[str, tuple[str, ...]]:
    claim = load_claim(SAMPLES / sample)
    rules = load_rules(claim.jurisdiction)
    rendered = producer.render(claim, rules, kind, DAY, channel=channel, formats=(), force=True)
    text = flat(producer.template_set(claim.language).render_html(f"{kind}.html", rendered.context))
    return text, rendered.facts.findings


@pytest.mark.parametrize(
    ("sample", "words", "not_words"),
    [
        ("fr-b2b-fr", "Par lettre recommandée avec demande d'avis de réception", "Par envoi recommandé"),
        ("be-b2b-fr", "Par envoi recommandé", "avis de réception"),
        ("be-consumer-nl", "Per aangetekende zending", "Aangetekend en per gewone post"),
        ("nl-consumer-nl", "Aangetekend en per gewone post", "Per aangetekende zending"),
        ("gb-eaw-b2b-en", "By recorded delivery", "By registered post"),
    ],
)
def test_a_registered_formal_notice_prints_its_countrys_wording(
    producer: Producer, sample: str, words: str, not_words: str
) -> None:
    text, findings = page(producer, sample, "formal-notice", "registered")
    assert words in text
    assert not_words not in text
    assert not any("customary" in f for f in findings)


def test_gb_ordinary_post_is_first_class(producer: Producer) -> None:
    text, _ = page(producer, "gb-eaw-b2b-en", "reminder", "post")
    assert "By first class post" in text


def test_a_formal_notice_by_ordinary_post_warns_the_user_not_the_debtor(producer: Producer) -> None:
    text, findings = page(producer, "fr-b2b-fr", "formal-notice", "post")
    warning = [f for f in findings if "registered post is customary in FR" in f]
    assert warning and "sending/formal_notice" in warning[0]
    assert "Par lettre simple" in text
    assert "customary" not in text and "--channel" not in text


def test_a_reminder_by_post_is_no_warning(producer: Producer) -> None:
    _, findings = page(producer, "fr-b2b-fr", "reminder", "post")
    assert not any("customary" in f or "allows" in f for f in findings)


def test_email_where_the_data_does_not_allow_it_warns(producer: Producer) -> None:
    _, findings = page(producer, "gb-eaw-b2b-en", "formal-notice", "email")
    assert any("e-mail is not among the channels the GB-EAW data allows" in f for f in findings)
