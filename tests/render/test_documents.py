"""Each kind of document, in each language, says what it must: checked in the PDF and the DOCX text."""

from __future__ import annotations

import io
from datetime import date

import pytest
import yaml
from pypdf import PdfReader
from tests.conftest import SAMPLES, unconfirmed_rules
from tests.render.conftest import CASES, flat

from dossier.model import claim_from_data
from dossier.output.template_check import docx_text, pdf_text
from dossier.rules import load_rules

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


def test_dutch_fourteen_day_letter_announces_the_costs_and_leaves_them_out_of_the_total(producer) -> None:
    # No 14-day letter sent yet: this letter is the 14-day letter (art. 6:96 lid 6 BW). On 3 Feb 2025 the principal
    # outstanding is 1,821.88 + 180.00 = 2,001.88 (the 250.00 of 20 Jan paid 95.57 interest, then 154.43 of the
    # 1,976.31): WIK 15 % x 2,001.88 = 300.28, announced only. Total: 2,630.00 - 750.00 + 130.77 interest = 2,010.77.
    data = yaml.safe_load((SAMPLES / "nl-consumer-nl" / "claim.yaml").read_text(encoding="utf-8"))
    data["history"] = [h for h in data["history"] if h["type"] != "formal_notice"]
    claim = claim_from_data(data)
    result = producer.render(claim, load_rules("NL"), "formal-notice", date(2025, 2, 3), formats=("pdf", "docx"))
    for text in (flat(pdf_text(result.outputs["pdf"])), flat(docx_text(result.outputs["docx"]))):
        assert "binnen veertien dagen, te rekenen vanaf de dag nadat deze brief bij u is bezorgd" in text
        assert "buitengerechtelijke incassokosten verschuldigd van € 300,28" in text
        assert "Totaal verschuldigd € 2.010,77" in text
        assert "Vergoeding" not in text  # not in the total: the costs are not due yet
    assert result.context["s"]["title"] == "Aanmaning (veertiendagenbrief)"


def test_dutch_letter_after_the_fourteen_days_states_the_costs_as_due(rendered) -> None:
    # The sample's 14-day letter of 7 Oct 2024 (posted: delivered 9 Oct) gave until 23 Oct 2024: the costs are due
    # from 24 Oct, on the principal it stated, 1,976.31 + 180.00 = 2,156.31 x 15 % = 323.45. On 3 Feb 2025:
    # 2,630.00 - 750.00 + 131.13 interest + 323.45 = 2,334.58. Never both: no threat of what is already due.
    result, *texts = rendered[("nl-consumer-nl", "formal-notice")]
    for text in texts:
        assert "Incassokosten € 323,45" in text and "Totaal verschuldigd € 2.334,58" in text
        assert "onze aanmaning van 7 oktober 2024" in text
        assert "sinds 24 oktober 2024 buitengerechtelijke incassokosten verschuldigd van € 323,45" in text
        assert "Betaalt u niet binnen deze termijn" not in text
    assert result.context["s"]["title"] == "Aanmaning"  # no longer the 14-day letter


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


def test_gb_payment_plan_states_each_debts_rate_and_charges_it(rendered) -> None:
    # Late Payment Act s.4(2), s.6 and SI 2002/1675 art. 4: INV-3190's interest started 1 Jun 2025 (Bank Rate 4.75 %
    # on 31 Dec 2024 + 8 = 12.75 %), INV-3240's on 1 Sep 2025 (4.25 % on 30 Jun 2025 + 8 = 12.25 %), each fixed for
    # the life of its debt. First instalment, 31 Dec 2025: 2,859.56 principal + 109.59 + 6.44 interest = 2,975.59
    # (arithmetic in tests/engine/test_instalments.py).
    for text in rendered[("gb-eaw-b2b-en", "payment-plan")][1:]:
        assert "INV-3190, 12.75% a year; INV-3240, 12.25% a year" in text
        assert "1 31/12/2025 £2,975.59 £116.03 £2,859.56 £8,578.68" in text
        assert "£11,733.29" in text  # 11,438.24 + 295.05 interest (116.03 + 92.63 + 55.69 + 30.70)
        assert "interest at 12.25% a year accrues" not in text  # one rate for all the debts: wrong


def test_legal_basis_cites_primary_sources_in_the_letters_language_each_once(producer, tmp_path) -> None:
    # The 2026 H1 Dutch rate marked unconfirmed in a copy of the data: the user is warned (findings), the debtor
    # reads only the primary sources, in Dutch, each once: no web site, no English, no doubt.
    claim = claim_from_data(yaml.safe_load((SAMPLES / "nl-consumer-nl" / "claim.yaml").read_text(encoding="utf-8")))
    rules = load_rules("NL", unconfirmed_rules(tmp_path))
    result = producer.render(claim, rules, "formal-notice", date(2026, 3, 2), formats=("pdf", "docx"))
    assert any("NL:interest/statutory (2026-01-01 to 2026-06-30) is unconfirmed" in f for f in result.facts.findings)
    basis = [
        "Artikel 6:119 Burgerlijk Wetboek (wettelijke rente)",
        "Artikel 6:96 lid 6 Burgerlijk Wetboek (incassokosten na een aanmaning met een termijn van veertien dagen)",
        "Besluit vergoeding voor buitengerechtelijke incassokosten (Stb. 2012, 141), artikel 2",
        "Artikel 6:120 lid 1 Burgerlijk Wetboek en Besluit vaststelling wettelijke rente",
    ]
    for text in (flat(pdf_text(result.outputs["pdf"])), flat(docx_text(result.outputs["docx"]))):
        legal_basis = text.split("Wettelijke grondslag van de gevorderde bedragen")[1]
        assert [line for line in basis if legal_basis.count(line) == 1] == basis
        for word in ("nconfirmed", "assumed", "metaalunie", "rijksoverheid", "Government", "Staatsblad", "http"):
            assert word not in text
