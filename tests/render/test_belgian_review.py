"""The Belgian samples read as a Belgian lawyer reads them before signing (issue 15, second pass, item 4).

Literal text, checked by hand, in the PDF and the DOCX:

- be-b2b-fr: Cabinet Dupont & Associés writes for ACME SRL; the earlier reminders (20 February and 15 April 2025)
  were ACME's own, so the lawyer does not call them "nos démarches" or "notre précédent rappel". Invoice F-2025-001
  (1 210,00 €) was settled by the payments of 15 March (400,00 €) and 1 July 2025 (1 000,00 €, imputed first to it):
  its balance is 0,00 €, so the letters may not say the invoices listed all "restent impayées".
- A payment's imputation in French puts a thin non-breaking space before ";".
- Belgian Dutch says "interest" (and "interestvoet", Wet van 5 mei 1865), where Dutch of the Netherlands says
  "rente".
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest
from tests.render.test_customs import _producer, sample

from dossier.engine.settlement import OfferRequest
from dossier.model import Claim
from dossier.output.template_check import docx_text, pdf_text
from dossier.rules import load_rules

SENT = date(2025, 12, 20)


def texts(claim: Claim, kind: str, level: int = 1, offer: OfferRequest | None = None) -> tuple[str, str]:
    """(PDF text, DOCX text), each on one line (spaces of every kind kept as they are)."""
    result = _producer().render(
        claim, load_rules(claim.jurisdiction), kind, SENT, level=level, offer=offer, formats=("pdf", "docx"), force=True
    )
    one_line = re.compile(r"[ \t\r\n]+")
    return one_line.sub(" ", pdf_text(result.outputs["pdf"])), one_line.sub(" ", docx_text(result.outputs["docx"]))


def dutch(claim: Claim) -> Claim:
    return claim.model_copy(update={"language": "nl"})


@pytest.mark.parametrize(
    ("claim", "kind", "level", "expected"),
    [
        (
            "be-b2b-fr",
            "formal-notice",
            1,
            "Malgré les démarches entreprises, les factures suivantes d'ACME SRL, pourtant échues, ne sont pas "
            "toutes réglées.",
        ),
        (
            "be-b2b-fr",
            "reminder",
            2,
            "Malgré les rappels précédents, les factures suivantes d'ACME SRL ne sont toujours pas toutes réglées à "
            "ce jour",
        ),
        (
            "be-b2b-fr",
            "reminder",
            1,
            "Sauf erreur de notre part, les factures suivantes d'ACME SRL ne sont pas toutes réglées à ce jour.",
        ),
        (
            "be-b2b-nl",
            "formal-notice",
            1,
            "Ondanks de eerdere berichten zijn de volgende facturen van ACME SRL nog steeds niet allemaal betaald, "
            "hoewel hun vervaldag verstreken is.",
        ),
        # the creditor writes itself, and no invoice is settled (2025/0901 keeps 250,00 € of principal)
        (
            "be-consumer-nl",
            "reminder",
            2,
            "Ondanks onze vorige herinnering zijn de volgende facturen van Fitness Vlaanderen BV nog steeds niet "
            "betaald",
        ),
    ],
)
def test_what_the_letter_says_of_earlier_letters_and_unpaid_invoices(
    claim: str, kind: str, level: int, expected: str
) -> None:
    loaded = dutch(sample("be-b2b-fr")) if claim == "be-b2b-nl" else sample(claim)
    for text in texts(loaded, kind, level):
        assert expected in text
        assert "nos démarches" not in text and "notre précédent rappel" not in text and "ons vorige bericht" not in text


def test_a_french_imputation_puts_a_thin_space_before_the_semicolon() -> None:
    expected = "F-2025-001 (indemnités) 40,00\u00a0€\u202f; F-2025-001 (intérêts) 12,96\u00a0€\u202f; F-2025-001"
    pdf, docx = texts(sample("be-b2b-fr"), "statement")
    for text in (pdf, docx):
        assert expected.replace("\u00a0", " ") in text.replace("\u00a0", " ")


def test_belgian_dutch_says_interest_where_the_netherlands_says_rente() -> None:
    consumer = sample("be-consumer-nl")
    offer, _ = texts(consumer, "settlement-offer", offer=OfferRequest(until=date(2026, 1, 15), amount=Decimal("700")))
    assert (
        "blijft het volledige bedrag van € 880,70, met de interest die verder loopt, verschuldigd." in offer
    )
    extension, _ = texts(consumer, "deadline-extension", offer=OfferRequest(until=date(2026, 1, 31)))
    assert "het bedrag verschuldigd op 20 december 2025, vermeerderd met de interest die tot de betaling loopt," in (
        extension
    )
    assert "de interest loopt door tot de betaling." in extension
    statement, _ = texts(consumer, "statement")
    assert "Dagen Interestvoet Basis Interest" in statement
    for text in (offer, extension, statement):
        assert " rente " not in text.lower() and "Rente" not in text


def test_the_letterhead_names_the_bar_of_a_lawyer_and_the_registration_of_an_agency() -> None:
    lawyer = sample("be-b2b-fr")
    for text in texts(lawyer, "reminder"):
        assert "Avocat · Barreau de Bruxelles" in text and "Inscription" not in text
    agent = lawyer.representative.model_copy(  # type: ignore[union-attr]
        update={"role": "collection_agency", "registration": "0123.456.789"}
    )
    for text in texts(lawyer.model_copy(update={"representative": agent}), "reminder"):
        assert "Bureau de recouvrement amiable · Inscription 0123.456.789" in text


@pytest.mark.parametrize(
    ("language", "expected", "never"),
    [
        ("fr", "la somme de 3 217,77 € doit être payée au plus tard le 5 janvier 2026", "nous parvenir"),
        ("nl", "het bedrag van € 3.217,77 moet uiterlijk op 5 januari 2026 betaald zijn", "door ons ontvangen"),
        ("en", "3.217,77 € must be paid by 5 January 2026 at the latest", "must reach us"),
    ],
)
def test_a_lawyers_last_reminder_asks_for_payment_to_the_account_shown_not_that_it_reach_the_lawyer(
    language: str, expected: str, never: str
) -> None:
    """The client is paid (the payment box shows ACME's account): "doit nous parvenir" said the money goes to us."""
    claim = sample("be-b2b-fr").model_copy(update={"language": language})
    for text in texts(claim, "reminder", level=3):
        assert expected.replace(" ", "") in text.replace(" ", "").replace("\u202f", "").replace("\xa0", "")
        assert never not in text
