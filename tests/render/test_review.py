"""Letters read as a lawyer would before signing (issue 15 review): what a letter says about the file must be
true of the file, and a two-party agreement is not a letter."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from tests.conftest import SAMPLES
from tests.render.conftest import flat

from dossier.engine.letters import PlanRequest
from dossier.engine.settlement import OfferRequest
from dossier.model import load_claim
from dossier.output.produce import Producer
from dossier.output.template_check import docx_text, pdf_text
from dossier.rules import load_rules

DAY = date(2025, 12, 1)


def texts(producer: Producer, claim, kind: str, **options) -> list[str]:  # type: ignore[no-untyped-def]
    """The PDF's and the DOCX's text, flattened."""
    rules = load_rules(claim.jurisdiction)
    result = producer.render(claim, rules, kind, DAY, formats=("pdf", "docx"), force=True, **options)
    return [flat(pdf_text(result.outputs["pdf"])), flat(docx_text(result.outputs["docx"]))]


# each sample's debtor paid after our last letter (BE: 1,000.00 on 1 July 2025 after the reminder of 15 April;
# NL: 250.00 on 20 January 2025 after the 14-day letter of 7 October 2024; GB: 5,000.00 on 15 September 2025
# after the reminder of 5 March, and phoned on 14 July), so a second reminder may not say that nothing came.
SILENCE = {
    "be-b2b-fr": "et nous n'avons reçu ni votre paiement ni aucune réponse de votre part",
    "nl-consumer-nl": "en wij hebben van u geen betaling en geen antwoord ontvangen",
    "gb-eaw-b2b-en": "and we have received neither your payment nor any reply",
}
# BE: F-2025-001 was settled (400.00 on 15 March, then 1,000.00 on 1 July 2025); GB: the
# payments of 30 June and 15 September 2025 settled INV-3101 and INV-3155: not all the invoices listed are unpaid
STILL_UNPAID = {
    "be-b2b-fr": "les factures suivantes d'ACME SRL ne sont toujours pas toutes réglées à ce jour.",
    "nl-consumer-nl": "zijn de volgende facturen van Zonnepanelen Direct B.V. nog steeds niet betaald.",
    "gb-eaw-b2b-en": "the following invoices from Thames Valley Joinery Ltd are still not all paid.",
}


@pytest.mark.parametrize("sample", sorted(SILENCE))
def test_a_second_reminder_says_nothing_came_only_when_nothing_came(producer: Producer, sample: str) -> None:
    claim = load_claim(SAMPLES / sample)
    for text in texts(producer, claim, "reminder", level=2):
        assert SILENCE[sample] not in text
        assert STILL_UNPAID[sample] in text
    contact = ("letter_received", "email_received", "phone_call")
    last_letter = max(h.date for h in claim.history if h.type not in contact)
    quiet = claim.model_copy(
        update={
            "payments": [p for p in claim.payments if p.date <= last_letter],
            "history": [h for h in claim.history if h.date <= last_letter],
        }
    )
    for text in texts(producer, quiet, "reminder", level=2):
        assert SILENCE[sample] + "." in text


# a payment plan is an agreement between "the creditor" and "the debtor", signed by both: not a letter that can
# tell "you" what "we" wrote earlier (the letters stay in the other documents)
HISTORY_INTRO = {
    "be-b2b-fr": "Vous avez déjà reçu à ce sujet",
    "nl-consumer-nl": "Wij schreven u hierover al",
    "gb-eaw-b2b-en": "We have already written to you about this",
}


@pytest.mark.parametrize("sample", sorted(HISTORY_INTRO))
def test_the_payment_plan_agreement_does_not_address_the_debtor_as_you(producer: Producer, sample: str) -> None:
    claim = load_claim(SAMPLES / sample)
    for text in texts(producer, claim, "payment-plan", plan=PlanRequest(count=6)):
        assert HISTORY_INTRO[sample] not in text
    for text in texts(producer, claim, "formal-notice"):
        assert HISTORY_INTRO[sample] in text


def test_a_dutch_consumer_letter_names_the_earlier_14_day_letter_as_the_body_does(producer: Producer) -> None:
    """The formal notice after the 14-day letter of 7 October 2024 says "onze aanmaning van 7 oktober 2024"; the
    list of earlier letters names the same letter the same way, not "Ingebrekestelling"."""
    claim = load_claim(SAMPLES / "nl-consumer-nl")
    for text in texts(producer, claim, "formal-notice"):
        assert "onze aanmaning van 7 oktober 2024" in text
        assert "Aanmaning van 7 oktober 2024 (brief)" in text
        assert "Ingebrekestelling van 7 oktober 2024" not in text


def test_english_and_dutch_write_the_percent_sign_against_the_figure_french_after_a_space(producer: Producer) -> None:
    """English and Dutch (CLDR percent patterns "#,##0%") write 12.75%; French writes 10,50 % with a
    non-breaking space."""
    gb = load_claim(SAMPLES / "gb-eaw-b2b-en")
    for text in texts(producer, gb, "formal-notice"):
        assert "12.75% £850.00 £61.76" in text and "12.75 %" not in text
        assert "Bank of England, Bank Rate on 31 December 2024: 4.75%" in text  # the legal-basis annex
    nl = load_claim(SAMPLES / "nl-consumer-nl")
    for text in texts(producer, nl, "formal-notice"):
        assert "7,00% € 2.450,00 € 26,31" in text and "7,00 %" not in text
    be = load_claim(SAMPLES / "be-b2b-fr")
    rules = load_rules(be.jurisdiction)
    word = producer.render(be, rules, "formal-notice", DAY, formats=("docx",), force=True).outputs["docx"]
    assert "10,50\u00a0%" in docx_text(word)


@pytest.mark.parametrize(
    ("sample", "kind", "one_letter"),
    [
        # one reminder on file (28 November 2025): "our previous reminder", not "our reminders"
        ("be-consumer-nl", "reminder", "Wij stellen vast dat, ondanks onze vorige herinnering, de volgende facturen"),
        # one reminder on file (5 March 2025)
        ("gb-eaw-b2b-en", "reminder", "We note that, despite our previous reminder, the following invoices"),
        ("gb-eaw-b2b-en", "formal-notice", "Despite our previous letter, the following invoices"),
    ],
)
def test_a_letter_counts_the_earlier_letters_on_file(
    producer: Producer, sample: str, kind: str, one_letter: str
) -> None:
    claim = load_claim(SAMPLES / sample)
    level = {"level": 3} if kind == "reminder" else {}
    for text in texts(producer, claim, kind, **level):
        assert one_letter in text


def test_a_formal_notice_says_interest_keeps_running_only_when_it_runs(producer: Producer) -> None:
    """BE consumer on 1 December 2025: the Book XIX reminder of 28 November still runs, no interest accrues yet;
    the letter must not say "De verwijlinteresten blijven lopen ... (€ 0,00 per dag ...)"."""
    claim = load_claim(SAMPLES / "be-consumer-nl")
    for text in texts(producer, claim, "formal-notice"):
        assert "€ 0,00 per dag" not in text and "De verwijlinteresten blijven lopen" not in text
        assert "een gerechtelijke procedure inleiden. De kosten van de procedure" in text


def test_a_french_consumer_formal_notice_makes_legal_interest_run(producer: Producer) -> None:
    """FR, business creditor, consumer debtor, no earlier mise en demeure: legal interest runs from this notice
    (Code civil art. 1344-1), none has accrued yet; the letter says so instead of "0,00 € par jour"."""
    claim = load_claim(SAMPLES / "fr-b2b-fr")
    debtor = claim.debtor.model_copy(update={"type": "consumer", "company_number": None, "name": "Claire Lambert"})
    claim = claim.model_copy(
        update={"debtor": debtor, "history": [h for h in claim.history if h.type != "formal_notice"]}
    )
    for text in texts(producer, claim, "formal-notice"):
        assert "0,00 € par jour" not in text
        assert (
            "La présente mise en demeure fait courir les intérêts au taux légal (article 1344-1 du Code civil) et les"
            " frais de procédure pourront être mis à votre charge." in text
        )


@pytest.mark.parametrize(
    ("kind", "options", "running"),
    [
        ("deadline-extension", {"until": date(2025, 12, 31)}, "les pénalités de retard continuent à courir"),
        ("settlement-offer", {"until": date(2025, 12, 20), "amount": "600.00"}, "augmentée des pénalités de retard"),
    ],
)
def test_french_b2b_offers_and_extensions_name_the_penalties_as_the_other_letters_do(
    producer: Producer, kind: str, options: dict[str, object], running: str
) -> None:
    """Between French businesses the 403.56 of late-payment interest is "pénalités de retard" (Code de commerce
    L441-10) in the reminder and the mise en demeure; the offer and the extension of the same file say the same."""
    offer = OfferRequest(until=options["until"], amount=Decimal(options["amount"]) if "amount" in options else None)
    claim = load_claim(SAMPLES / "fr-b2b-fr")
    for text in texts(producer, claim, kind, offer=offer):
        assert "Pénalités de retard 403,56 €" in text and "Intérêts 403,56 €" not in text
        assert running in text


@pytest.mark.parametrize(
    ("sample", "plural", "singular"),
    [
        ("fr-b2b-fr", "Factures", "Facture"),
        ("nl-consumer-nl", "Facturen", "Factuur"),
        ("gb-eaw-b2b-en", "Invoices", "Invoice"),
    ],
)
def test_the_statement_heads_its_invoices_in_the_plural(
    producer: Producer, sample: str, plural: str, singular: str
) -> None:
    """Three invoices under the heading "Factures", not "Facture" (then the table's own column "Facture")."""
    claim = load_claim(SAMPLES / sample)
    rules = load_rules(claim.jurisdiction)
    result = producer.render(claim, rules, "statement", DAY, formats=("pdf", "docx"), force=True)
    page = [line.strip() for line in pdf_text(result.outputs["pdf"]).splitlines()]
    assert plural in page and singular not in page
    assert plural in [line.strip() for line in docx_text(result.outputs["docx"]).splitlines()]  # its own paragraph


@pytest.mark.parametrize(
    ("sample", "kind", "amount", "lapse"),
    [
        ("be-b2b-fr", "settlement-offer", "2500.00", "intégralement reçue au plus tard le 20 décembre 2025"),
        ("be-b2b-fr", "deadline-extension", None, "À défaut de paiement au plus tard le 20 décembre 2025, le"),
        ("nl-consumer-nl", "settlement-offer", "2000.00", "€ 2.000,00 uiterlijk op 20 december 2025 niet ontvangen"),
        ("nl-consumer-nl", "deadline-extension", None, "Is de betaling uiterlijk op 20 december 2025 niet ontvangen"),
    ],
)
def test_an_offer_lapses_when_not_paid_by_its_date_not_on_it(
    producer: Producer, sample: str, kind: str, amount: str | None, lapse: str
) -> None:
    """A payment received on the 18th meets an offer "until the 20th": the lapse says "by", not "on", the 20th."""
    offer = OfferRequest(until=date(2025, 12, 20), amount=Decimal(amount) if amount else None)
    for text in texts(producer, load_claim(SAMPLES / sample), kind, offer=offer):
        assert lapse in text



def test_a_lawyer_does_not_claim_the_clients_earlier_letters_as_its_own(producer: Producer) -> None:
    """be-b2b-fr: Cabinet Dupont writes for ACME SRL, whose own reminders of 20 February and 15 April 2025 are on
    file: "Vous avez déjà reçu", not "Nous vous avons déjà écrit"; the creditor writing itself keeps "Nous"."""
    claim = load_claim(SAMPLES / "be-b2b-fr")
    for text in texts(producer, claim, "reminder"):
        assert "Vous avez déjà reçu à ce sujet :" in text and "Rappel du 20 février 2025 (courrier)" in text
        assert "Nous vous avons déjà écrit" not in text
    for text in texts(producer, claim.model_copy(update={"representative": None}), "reminder"):
        assert "Nous vous avons déjà écrit à ce sujet" in text
