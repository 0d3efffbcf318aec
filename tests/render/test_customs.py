"""Each country's language and customs in the rendered letters (issue 15 items 4, 8, 9, 11, 12, 13, 17).

Literal strings, checked in the PDF and the DOCX text of letters rendered from the samples, some with a debtor
who is a named person or a lawyer who signs.
"""

from __future__ import annotations

import io
import re
from datetime import date
from functools import cache
from typing import Any

import pytest
from pypdf import PdfReader
from tests.conftest import SAMPLES

from dossier.engine.letters import PlanRequest
from dossier.model import Claim, load_claim
from dossier.output.produce import Producer
from dossier.output.template_check import docx_text, pdf_text
from dossier.rules import load_rules

SENT = date(2025, 12, 1)


@cache
def _producer() -> Producer:
    return Producer()


def render(claim: Claim, kind: str, sent: date = SENT) -> tuple[Any, str, str]:
    """(result, PDF text, DOCX text) of one letter (the wording is the point: the pre-flight is skipped), each text
    on one line."""
    plan = PlanRequest(count=4) if kind == "payment-plan" else None
    rules = load_rules(claim.jurisdiction)
    result = _producer().render(claim, rules, kind, sent, plan=plan, formats=("pdf", "docx"), force=True)
    one_line = re.compile(r"[ \t\r\n]+")
    pdf, docx = pdf_text(result.outputs["pdf"]), docx_text(result.outputs["docx"])
    return result, one_line.sub(" ", pdf), one_line.sub(" ", docx)


@cache
def sample(name: str) -> Claim:
    return load_claim(SAMPLES / name)


def person(claim: Claim, name: str, honorific: str) -> Claim:
    """``claim`` with a debtor who is a named natural person."""
    debtor = claim.debtor.model_copy(
        update={
            "name": name,
            "type": "consumer",
            "honorific": honorific,
            "company_number": None,
        }
    )
    return claim.model_copy(update={"debtor": debtor})


def gb_individual() -> Claim:
    """The GB sample claimed from an individual: the Pre-Action Protocol letter."""
    claim = person(sample("gb-eaw-b2b-en"), "Claire Lambert", "ms")
    return claim.model_copy(update={"terms": claim.terms.model_copy(update={"contract_date": date(2025, 1, 15)})})


# --- item 4: England ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("claim", [sample("gb-eaw-b2b-en"), gb_individual()], ids=["business", "individual"])
def test_gb_formal_notice_is_not_without_prejudice_and_names_no_client(claim: Claim) -> None:
    _, pdf, docx = render(claim, "formal-notice")
    for text in (pdf, docx):
        assert "without prejudice" not in text.lower()
        assert "client" not in text.lower()


def test_letter_of_claim_identifies_the_agreement_and_where_to_send_the_reply_form() -> None:
    _, pdf, docx = render(gb_individual(), "formal-notice")
    for text in (pdf, docx):
        assert "Letter of Claim – file TVJ-2025-0093" in text
        assert (
            "The debt arises under the agreement dated 15 January 2025 between Thames Valley Joinery Ltd and "
            "Claire Lambert, under which Thames Valley Joinery Ltd supplied Bespoke oak shelving; Fitted reception "
            "desk; Boardroom panelling and doors; Remedial works and adjustments (invoices INV-3101, INV-3155, "
            "INV-3190, INV-3240)." in text
        )
        assert (
            "Please send the completed Reply Form to Thames Valley Joinery Ltd, Unit 4, Cremyll Road, READING, "
            "RG1 8NQ, or by e-mail to accounts@tvjoinery.co.uk, quoting reference TVJ-2025-0093." in text
        )


def test_reply_form_has_real_tick_boxes_on_a_page_of_its_own() -> None:
    result, _, docx = render(gb_individual(), "formal-notice")
    pages = [page.extract_text() or "" for page in PdfReader(io.BytesIO(result.outputs["pdf"])).pages]
    form = [text for text in pages if "Reply Form\nPlease complete this form" in text]
    assert len(form) == 1, "the Reply Form starts a page of its own"
    assert "[ ]" not in form[0] and "Information Sheet\n" not in form[0]
    html = _producer().template_set("en").render_html("formal-notice.html", result.context)
    assert html.count('<span class="box"></span>I owe') == 2  # CSS-drawn boxes in the PDF, not "[ ]"
    assert "[ ]" not in html
    assert "☐ I owe the debt of £10,190.00." in docx
    assert "☐ I do not owe the debt (say why in section 4)." in docx
    assert "[ ]" not in docx


# --- item 8: French -------------------------------------------------------------------------------------------


def test_french_dates_elision_company_number_and_late_penalties() -> None:
    _, pdf, docx = render(sample("fr-b2b-fr"), "formal-notice")
    for text in (pdf, docx):
        assert "Lyon, le 1er décembre 2025" in text
        assert "les factures suivantes d'Imprimerie Lumière SAS, pourtant échues, restent impayées." in text
        assert "SIREN 812 345 676" in text and "d'entreprise" not in text
        assert "Pénalités de retard" in text
        assert "Les pénalités de retard continuent à courir jusqu'au complet paiement" in text
        assert "La présente est adressée sous toutes réserves." in text
        assert "sans reconnaissance préjudiciable" not in text  # Belgian


def test_french_non_breaking_spaces_before_colons_and_inside_guillemets() -> None:
    result, _, docx = render(sample("fr-b2b-fr"), "payment-plan")
    html = _producer().template_set("fr").render_html("payment-plan.html", result.context)  # the PDF's source
    for text in (html, docx):
        assert "Il est convenu ce qui suit\u00a0:" in text
        assert "ci-après «\u00a0le créancier\u00a0»" in text
        assert "SIREN 812 345 676" in text


def test_belgian_lawyer_acts_en_qualite_d_avocat_and_keeps_the_enterprise_number() -> None:
    _, pdf, docx = render(sample("be-b2b-fr"), "formal-notice")
    for text in (pdf, docx):
        assert "Nous intervenons en qualité d'avocat d'ACME SRL" in text
        assert "sous réserve de tous droits et sans reconnaissance préjudiciable" in text


def test_belgian_creditor_writing_itself_keeps_n_d_entreprise() -> None:
    claim = sample("be-b2b-fr").model_copy(update={"representative": None})
    _, pdf, docx = render(claim, "reminder")
    for text in (pdf, docx):
        assert "N° d'entreprise BE0403170701" in text


# --- item 9: Dutch of the Netherlands and of Belgium ------------------------------------------------------------


def test_dutch_letters_use_the_netherlands_terms() -> None:
    _, pdf, docx = render(sample("nl-consumer-nl"), "payment-plan", date(2025, 2, 3))
    for text in (pdf, docx):
        assert "Rente" in text and "Incassokosten" in text
        assert "per overboeking" in text and "overschrijving" not in text
        assert "KvK-nummer 30123456" in text
        assert "Gelezen en goedgekeurd" not in text
        assert "Aldus overeengekomen en in tweevoud ondertekend te Utrecht op 3 februari 2025." in text
        assert "Interest" not in text and "Vergoeding" not in text


def test_belgian_dutch_letters_keep_the_belgian_terms() -> None:
    _, pdf, docx = render(sample("be-consumer-nl"), "payment-plan", date(2026, 1, 12))
    for text in (pdf, docx):
        assert "Interest" in text and "Vergoeding" in text
        assert "per overschrijving" in text
        assert "ondernemingsnummer BE0812456360" in text
        assert "„Gelezen en goedgekeurd”" in text


def test_dutch_bundle_parties_are_eiser_and_gedaagde_in_the_netherlands() -> None:
    nl, _, _ = render(sample("nl-consumer-nl"), "statement", date(2025, 2, 3))
    be, _, _ = render(sample("be-consumer-nl"), "statement", date(2026, 1, 12))
    texts = _producer().template_set("nl")
    assert texts.texts(nl.context, ("bundle",))["bundle"]["creditor"] == "Eiser"
    assert texts.texts(nl.context, ("bundle",))["bundle"]["debtor"] == "Gedaagde"
    assert texts.texts(be.context, ("bundle",))["bundle"]["creditor"] == "Eisende partij"


# --- item 11: salutations and references -----------------------------------------------------------------------


def test_salutation_by_name_and_title_with_a_neutral_fallback() -> None:
    cases = [
        (person(sample("nl-consumer-nl"), "Sanne de Vries", "ms"), "Geachte mevrouw De Vries,", None),
        (sample("nl-consumer-nl"), "Geachte heer, mevrouw,", None),
        (person(sample("be-consumer-nl"), "Jan Peeters", "mr"), "Geachte heer Peeters,", None),
        (
            person(sample("fr-b2b-fr"), "Claire Lambert", "ms"),
            "Madame Lambert,",
            "Nous vous prions d'agréer, Madame, l'expression de nos salutations distinguées.",
        ),
        (
            sample("fr-b2b-fr"),
            "Madame, Monsieur,",
            "Nous vous prions d'agréer, Madame, Monsieur, l'expression de nos salutations distinguées.",
        ),
        (gb_individual(), "Dear Ms Lambert,", "Yours sincerely,"),
        (sample("gb-eaw-b2b-en"), "Dear Sir or Madam,", "Yours faithfully,"),
    ]
    for claim, salutation, closing in cases:
        sent = date(2025, 2, 3) if claim.jurisdiction == "NL" else date(2026, 1, 12)
        _, pdf, docx = render(claim, "reminder", sent)
        for text in (pdf, docx):
            assert salutation in text, salutation
            assert closing is None or closing in text


def test_our_reference_is_printed_once_when_it_is_the_file_number() -> None:
    _, pdf, docx = render(sample("gb-eaw-b2b-en"), "reminder")
    first_page = pdf.split("Page 1 /")[0]
    assert "Our reference TVJ-2025-0093" in first_page and "File TVJ-2025-0093" not in first_page
    assert "Our reference TVJ-2025-0093" in docx and "File TVJ-2025-0093" not in docx
    _, pdf, docx = render(sample("be-b2b-fr"), "reminder")  # the lawyer's own reference differs
    for text in (pdf, docx):
        assert "Notre référence DUP/2025/118" in text and "Dossier ACME-2025-0042" in text


# --- item 12: UK addresses and payment details -----------------------------------------------------------------


def test_uk_address_ends_with_the_post_town_and_the_postcode_on_its_own_line() -> None:
    result, pdf, docx = render(sample("gb-eaw-b2b-en"), "reminder")
    assert result.context["debtor"]["lines"] == ["18 Canons Way", "BRISTOL", "BS1 5LL"]
    assert "Harbour Interiors Ltd\n18 Canons Way\nBRISTOL\nBS1 5LL" in pdf_text(result.outputs["pdf"])
    assert "BS1 5LL Bristol" not in pdf and "BS1 5LL Bristol" not in docx


def test_gbp_payment_details_give_sort_code_and_account_number() -> None:
    _, pdf, docx = render(sample("gb-eaw-b2b-en"), "reminder")
    for text in (pdf, docx):
        assert "Sort code 60-16-13" in text
        assert "Account number 31926819" in text
    _, pdf, _ = render(sample("be-b2b-fr"), "reminder")
    assert "Sort code" not in pdf


def test_a_belgian_address_keeps_the_postal_code_before_the_town() -> None:
    result, _, _ = render(sample("be-b2b-fr"), "reminder")
    assert result.context["debtor"]["lines"] == ["Rue de Fer 42", "5000 Namur"]


# --- item 13: a lawyer's letter ---------------------------------------------------------------------------------


def test_lawyer_letter_footer_carries_the_firm_and_the_signing_lawyer() -> None:
    claim = sample("be-b2b-fr")
    lawyer = claim.representative.model_copy(update={"signatory": "Maître Claire Dupont", "phone": "+32 2 640 00 00"})
    result, pdf, docx = render(claim.model_copy(update={"representative": lawyer}), "formal-notice")
    footer = (
        "Cabinet Dupont & Associés · Avenue Louise 250, 1050 Ixelles · Barreau de Bruxelles · "
        "contact@dupont-avocats.be · +32 2 640 00 00"
    )
    reader = PdfReader(io.BytesIO(result.outputs["pdf"]))
    assert footer in (reader.pages[0].extract_text() or "").replace("\n", " ")
    assert footer in "\n".join(p.text for p in _docx(result.outputs["docx"]).sections[0].footer.paragraphs)
    for text in (pdf, docx):
        assert "ACME SRL · N° d'entreprise" not in text  # not the client's number and IBAN in the footer
        assert "Maître Claire Dupont Cabinet Dupont & Associés" in text


def _docx(data: bytes) -> Any:
    from docx import Document

    return Document(io.BytesIO(data))


# --- item 17: law in the data ------------------------------------------------------------------------------------


def test_window_side_and_letter_kinds_come_from_the_jurisdiction_data() -> None:
    for code, window in (("BE", "right"), ("FR", "right"), ("NL", "left"), ("GB-EAW", "left")):
        assert load_rules(code).meta.letter.window == window
    result, _, _ = render(gb_individual(), "formal-notice")
    assert result.context["letter"]["pap"] is True and result.context["flags"]["window_left"] is True
    result, _, _ = render(sample("gb-eaw-b2b-en"), "formal-notice")
    assert result.context["letter"]["pap"] is False and result.context["letter"]["letter_before_action"] is True


def test_no_wording_or_template_branches_on_a_jurisdiction_code() -> None:
    templates = SAMPLES.parent / "templates"
    files = [*templates.glob("*/texts.yaml"), *templates.glob("_base/*.html")]
    assert files
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert "doc.jurisdiction ==" not in text and "flags.pap" not in text, path
