"""Each kind of document, in each language, says what it must: checked in the PDF and the DOCX text."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader
from tests.render.conftest import CASES, flat

IDS = [f"{s}-{k}" for s, k, _ in CASES]


@pytest.mark.parametrize(("sample", "kind", "sent"), CASES, ids=IDS)
def test_key_figures_appear_in_pdf_and_docx(rendered, sample, kind, sent) -> None:
    result, pdf, docx = rendered[(sample, kind)]
    ctx = result.context
    for text in (pdf, docx):
        assert flat(ctx["due"]) in text, "total due, formatted for the language"
        assert ctx["debtor"]["name"] in text
        if ctx["deadline"]:
            assert ctx["deadline"]["date"] in text, "last day to pay as a calendar date"
        if ctx["payment"]["structured"] and kind != "payment-plan":
            assert ctx["payment"]["communication"] in text
        assert "{{" not in text and "{%" not in text and "}}" not in text


@pytest.mark.parametrize(("sample", "kind", "sent"), CASES, ids=IDS)
def test_pdf_page_numbers_and_metadata(rendered, sample, kind, sent) -> None:
    result, pdf, _ = rendered[(sample, kind)]
    reader = PdfReader(io.BytesIO(result.outputs["pdf"]))
    pages = len(reader.pages)
    label = result.context["t"]["labels"]["page"]
    assert f"{label} 1 / {pages}" in pdf
    assert reader.metadata.title.startswith(result.context["s"]["title"])
    assert reader.metadata.author == result.context["meta"]["author"]
    assert reader.pages[0].mediabox.width == pytest.approx(595.28, abs=0.5)  # A4


def test_formal_notice_breaks_the_amount_down_and_recalls_the_history(rendered) -> None:
    _, pdf, _ = rendered[("be-b2b-fr", "formal-notice")]
    assert "Mise en demeure" in pdf
    assert (
        "Nous vous mettons en demeure de payer la somme de 3 201,23 € (trois mille deux cent un euros et "
        "vingt-trois centimes) au plus tard le 16 décembre 2025." in pdf
    )
    assert "Rappel du 20 février 2025 (courrier)" in pdf  # earlier communications from the history, in words
    assert "Détail du calcul des intérêts" in pdf and "11,50 %" in pdf
    assert "Loi du 2 août 2002" in pdf  # legal basis of the amounts
    assert "pourra introduire une procédure judiciaire" in pdf  # consequences, from jurisdiction data


def test_book_xix_first_reminder_states_what_the_law_requires(rendered) -> None:
    _, pdf, docx = rendered[("be-consumer-nl", "reminder")]
    for text in (pdf, docx):
        assert "Deze eerste herinnering is kosteloos" in text
        assert "begint op 3 december 2025 en eindigt op 16 december 2025" in text
        assert "ondernemingsnummer BE0812456360" in text
        assert "forfaitaire schadevergoeding van € 80,00" in text
        assert "Jaarabonnement premium" in text  # a description of the service, not just a number


def test_dutch_fourteen_day_letter_counts_from_the_day_after_delivery(rendered) -> None:
    _, pdf, _ = rendered[("nl-consumer-nl", "formal-notice")]
    assert "binnen veertien dagen, te rekenen vanaf de dag nadat deze brief bij u is bezorgd" in pdf
    assert "Aanmaning – dossier ZPD-2024-0788" in pdf  # the 14-day letter's subject, not an ingebrekestelling


def test_gb_business_letter_before_action(rendered) -> None:
    _, pdf, _ = rendered[("gb-eaw-b2b-en", "formal-notice")]
    assert "Letter before action" in pdf
    assert "Late Payment of Commercial Debts (Interest) Act 1998" in pdf
    assert "Information Sheet" not in pdf  # only for individuals


def test_payment_plan_has_schedule_words_and_signatures(rendered) -> None:
    result, pdf, docx = rendered[("be-b2b-fr", "payment-plan")]
    plan = result.context["plan"]
    assert len(plan["rows"]) == 4
    for text in (pdf, docx):
        assert flat(plan["total_words"]) in text
        assert "devient immédiatement et entièrement exigible" in text  # acceleration clause
        assert "Pour le créancier" in text and "Le débiteur" in text
        for row in plan["rows"]:
            assert flat(row["amount"]) in text


def test_statement_lists_periods_and_payments(rendered) -> None:
    result, pdf, _ = rendered[("nl-consumer-nl", "statement")]
    for period in result.context["periods"]:
        assert flat(period["amount"]) in pdf
    assert "Ontvangen betalingen" in pdf
