"""Reminder levels, a payment plan's first instalment and the settlement offer on the page (issue 15, items 14
and 15): literal wording and amounts, and each QR code compared with an EPC069-12 payload written out here."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import pytest
from pypdf import PdfReader
from tests.conftest import SAMPLES
from tests.render.conftest import flat
from tests.render.test_payment_qr import decoded, epc_payload

from dossier.engine.letters import PlanRequest
from dossier.engine.settlement import OfferRequest
from dossier.model import load_claim
from dossier.output.produce import Producer
from dossier.output.template_check import docx_text, pdf_text
from dossier.rules import load_rules


def qr_text_in_pdf(pdf: bytes) -> tuple[list[str], str]:
    """The EPC text of the letter's QR code, read back by zxing-cpp, and its error-correction level."""
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for image in page.images:
            return decoded(image.image)
    raise AssertionError("no QR code in the PDF")


def expected(amount: str) -> tuple[list[str], str]:
    """EPC069-12 for the Belgian sample's creditor (its structured communication), at error-correction level M."""
    return epc_payload("GKCCBEBB", "ACME SRL", "BE71096123456769", amount, "+++974/9960/57546+++"), "M"


def render(producer: Producer, sample: str, kind: str, sent: date, **options):  # type: ignore[no-untyped-def]
    claim = load_claim(SAMPLES / sample)
    rules = load_rules(claim.jurisdiction)
    return producer.render(claim, rules, kind, sent, formats=("pdf", "docx"), force=True, **options)


def test_the_payment_plan_pays_its_first_instalment(producer: Producer) -> None:
    """3,201.23 EUR due on 1 December 2025 in 6 monthly instalments with interest: the first, 559.63 on 31
    December 2025, is what the pay box and the QR code ask for (not the 3,201.23 of the whole balance)."""
    result = render(producer, "be-b2b-fr", "payment-plan", date(2025, 12, 1), plan=PlanRequest(count=6))
    assert qr_text_in_pdf(result.outputs["pdf"]) == expected("559.63")
    box = flat(pdf_text(result.outputs["pdf"]))
    assert "Première échéance 559,63 € au plus tard le 31 décembre 2025" in box
    assert "Première échéance 559,63 € (au plus tard le 31 décembre 2025)" in flat(docx_text(result.outputs["docx"]))


def test_the_settlement_offer_states_its_terms_and_pays_the_reduced_amount(producer: Producer) -> None:
    offer = OfferRequest(until=date(2025, 12, 20), amount=Decimal("2500.00"))
    result = render(producer, "be-b2b-fr", "settlement-offer", date(2025, 12, 1), offer=offer)
    assert qr_text_in_pdf(result.outputs["pdf"]) == expected("2500")  # EPC drops trailing zeros
    for text in (flat(pdf_text(result.outputs["pdf"])), flat(docx_text(result.outputs["docx"]))):
        assert "Proposition de règlement – dossier ACME-2025-0042" in text
        assert "la somme de 3 201,23 € (trois mille deux cent un euros et vingt-trois centimes)" in text
        assert "accepte de recevoir la somme de 2 500,00 € (deux mille cinq cents euros) pour solde de tout" in text
        assert "au plus tard le 20 décembre 2025. ACME SRL renonce alors au solde de 701,23 €." in text
        assert "proposition devient caduque sans autre avis, et la totalité de la somme de 3 201,23 €" in text
        assert "Montant à payer 2 500,00 €" in text


@pytest.mark.parametrize(
    ("sample", "sent", "announce"),
    [
        ("be-b2b-fr", date(2025, 12, 1), "nous vous adresserons une mise en demeure sans autre rappel"),
        ("be-consumer-nl", date(2025, 11, 28), "dan sturen wij u zonder verdere herinnering een ingebrekestelling"),
        ("nl-consumer-nl", date(2025, 2, 3), "zonder verdere herinnering een aanmaning (veertiendagenbrief)"),
        ("gb-eaw-b2b-en", date(2025, 12, 1), "we will send you a letter before action without any further reminder"),
    ],
)
def test_reminder_levels_differ_and_the_third_announces_the_formal_notice(
    producer: Producer, sample: str, sent: date, announce: str
) -> None:
    texts = {}
    for level in (1, 2, 3):
        result = render(producer, sample, "reminder", sent, level=level)
        pdf, docx = flat(pdf_text(result.outputs["pdf"])), flat(docx_text(result.outputs["docx"]))
        assert (announce in pdf, announce in docx) == (level == 3, level == 3), level
        texts[level] = result.context["s"]
    for key in ("title", "intro", "request"):
        assert len({texts[level][key] for level in (1, 2, 3)}) == 3, key


def test_the_deadline_extension_grants_the_new_date_and_says_what_follows(producer: Producer) -> None:
    offer = OfferRequest(until=date(2026, 1, 15))
    result = render(producer, "be-b2b-fr", "deadline-extension", date(2025, 12, 1), offer=offer)
    assert qr_text_in_pdf(result.outputs["pdf"]) == expected("3201.23")
    for text in (flat(pdf_text(result.outputs["pdf"])), flat(docx_text(result.outputs["docx"]))):
        # the amount is the one due on the letter's date: interest keeps running, so the letter says it is added
        # (asking for today's figure alone by a later date would leave interest owing after "payment in full")
        assert "Le délai de paiement est prolongé jusqu'au 15 janvier 2026. Nous vous prions de régler la somme de " \
            "3 201,23 € (trois mille deux cent un euros et vingt-trois centimes), montant dû au 1er décembre 2025, " \
            "augmentée des intérêts qui courent jusqu'au paiement, au plus tard à cette date" in text
        assert "À défaut de paiement au plus tard le 15 janvier 2026, le recouvrement reprendra sans autre avis" in text
        assert "3 201,23 €" in text and "au plus tard le 15 janvier 2026" in text
