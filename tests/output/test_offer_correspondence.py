"""A SENT settlement offer or deadline extension is a letter to the debtor like any other (issue 15 item 15, issue
13): the claim's history gets it, later letters list it among our earlier letters in words and in date order,
and a later demand after an offer that ran out unmet says it lapsed and demands the full amount, never the
reduced one. A settled claim gets no further letter. A draft counts nowhere."""

from __future__ import annotations

import html
import re
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from tests.conftest import copy_sample, send_drafts

from dossier import api
from dossier.engine.settlement import OfferRequest
from dossier.errors import ComputationError
from dossier.output.template_check import docx_text

OFFERED = date(2025, 12, 2)  # not a 1st: how "1er" is written is another matter
UNTIL = date(2025, 12, 20)
NOTICE = date(2026, 1, 5)

#: sample: the reduced amount offered, then what the formal notice of 2026-01-05 must say (literal, hand-checked:
#: the full amount is the statement's of 2025-12-01 plus 35 days at its interest per day)
EXPECTED = {
    "be-b2b-fr": (
        "2500.00",
        "Proposition de règlement du 2 décembre 2025 (courrier)",
        "Le montant de notre proposition de règlement du 2 décembre 2025 ne nous étant pas parvenu au plus tard "
        "le 20 décembre 2025, cette proposition est devenue caduque ; la totalité de la somme reste due.",
        "Nous vous mettons en demeure de payer la somme de 3 231,68 €",
        "2 500,00",
    ),
    "be-consumer-nl": (
        "600.00",
        "Voorstel tot regeling van 2 december 2025 (brief)",
        "Omdat het bedrag van ons voorstel tot regeling van 2 december 2025 niet uiterlijk op 20 december 2025 is "
        "ontvangen, is dat voorstel vervallen; het volledige bedrag blijft verschuldigd.",
        "€ 883,51",
        "600,00",
    ),
    "gb-eaw-b2b-en": (
        "9000.00",
        "Settlement offer of 2 December 2025 (post)",
        "As the amount of our settlement offer of 2 December 2025 was not received by 20 December 2025, that offer "
        "has lapsed; the full amount remains due.",
        "£11,573.61",
        "9,000.00",
    ),
}
#: what a draft deadline extension (never sent) would be listed as: it must not be
DRAFT = {"be-b2b-fr": "Octroi d'un délai", "be-consumer-nl": "Uitstel van betaling", "gb-eaw-b2b-en": "Extension of"}


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", html.unescape(text).replace("\xa0", " ").replace("\u202f", " "))


def offer_sent(folder: Path, amount: str) -> None:
    """A settlement offer rendered and sent by post on its date; then a deadline extension left a draft."""
    offer = OfferRequest(until=UNTIL, amount=Decimal(amount))
    api.render(folder, "settlement-offer", sent=OFFERED, offer=offer, formats=("docx",), force=True)
    send_drafts(folder)
    extension = OfferRequest(until=date(2026, 2, 1))
    api.render(folder, "deadline-extension", sent=date(2025, 12, 3), offer=extension, formats=("docx",), force=True)


@pytest.mark.parametrize("sample", sorted(EXPECTED))
def test_a_formal_notice_after_a_lapsed_offer_lists_it_says_it_lapsed_and_demands_the_full_amount(
    tmp_path: Path, sample: str
) -> None:
    folder = copy_sample(sample, tmp_path / "claim")
    amount, listed, lapsed, demanded, reduced = EXPECTED[sample]
    offer_sent(folder, amount)
    produced = api.render(folder, "formal-notice", sent=NOTICE, formats=("docx",), force=True)
    text = flat(docx_text(Path(produced.files[0]["file"]).read_bytes()))
    assert listed in text
    assert lapsed in text
    assert demanded in text
    assert reduced not in text  # the reduced amount is never demanded again, nor recalled
    assert DRAFT[sample] not in text  # the extension was only rendered: it counts nowhere


def test_the_offer_is_listed_in_date_order_among_the_letters_sent_and_in_the_pdf(tmp_path: Path) -> None:
    folder = copy_sample("be-b2b-fr", tmp_path / "claim")
    api.render(folder, "reminder", sent=date(2025, 11, 10), formats=("docx",), force=True)
    send_drafts(folder)
    offer_sent(folder, "2500.00")
    produced = api.render(folder, "formal-notice", sent=NOTICE, formats=("pdf",), force=True)
    from pypdf import PdfReader

    pdf = flat(" ".join(p.extract_text() for p in PdfReader(Path(produced.files[0]["file"])).pages))
    first = pdf.index("Rappel du 10 novembre 2025 (courrier)")
    assert pdf.index("Proposition de règlement du 2 décembre 2025 (courrier)") > first
    assert "devenue caduque" in pdf and "2 500,00" not in pdf


def test_the_claims_history_gets_the_sent_offer_not_the_draft_extension(tmp_path: Path) -> None:
    folder = copy_sample("be-b2b-fr", tmp_path / "claim")
    offer_sent(folder, "2500.00")
    history = api.load_claim(folder).history
    assert [(h.date, h.type, h.channel) for h in history if h.type in ("settlement_offer", "deadline_extension")] == [
        (OFFERED, "settlement_offer", "post")
    ]
    untouched = api.load_claim(copy_sample("be-b2b-fr", tmp_path / "c2"))
    assert api.load_claim(folder, before=OFFERED).history == untouched.history  # not before it went out


def test_claim_yaml_may_list_an_offer_and_an_extension_in_its_history(tmp_path: Path) -> None:
    folder = copy_sample("be-b2b-fr", tmp_path / "claim")
    claim_file = folder / "claim.yaml"
    text = claim_file.read_text(encoding="utf-8")
    assert "\nhistory:\n" in text
    added = (
        "history:\n"
        "  - {date: 2025-11-20, type: deadline_extension, channel: email}\n"
        "  - {date: 2025-11-03, type: settlement_offer, channel: registered}\n"
    )
    claim_file.write_text(text.replace("\nhistory:\n", "\n" + added), encoding="utf-8")
    produced = api.render(folder, "formal-notice", sent=NOTICE, formats=("docx",), force=True)
    text = flat(docx_text(Path(produced.files[0]["file"]).read_bytes()))
    offer = text.index("Proposition de règlement du 3 novembre 2025 (recommandé)")
    assert text.index("Octroi d'un délai de paiement du 20 novembre 2025 (courriel)") > offer


def test_a_settled_claim_gets_no_formal_notice(tmp_path: Path) -> None:
    folder = copy_sample("be-b2b-fr", tmp_path / "claim")
    offer_sent(folder, "2500.00")
    claim_file = folder / "claim.yaml"
    last = '  - {date: 2025-07-01, amount: "1000.00", reference: "Acompte Dubois"}\n'
    text = claim_file.read_text(encoding="utf-8")
    assert last in text
    paid = '  - {date: 2025-12-15, amount: "2500.00", reference: "+++974/9960/57546+++"}\n'
    claim_file.write_text(text.replace(last, last + paid), encoding="utf-8")
    with pytest.raises(ComputationError, match=r"no formal-notice: the claim was settled on 2025-12-15 \(the "
                       r"payments reached the 2500.00 offered on 2025-12-02, until 2025-12-20\)"):
        api.render(folder, "formal-notice", sent=NOTICE, formats=("docx",), force=True)
    assert api.render(folder, "statement", sent=NOTICE, formats=("docx",)).files  # a statement still shows it


EXPIRED = {
    "be-b2b-fr": (
        "Octroi d'un délai de paiement du 2 décembre 2025 (courriel)",
        "Le délai de paiement supplémentaire que nous vous avions accordé le 2 décembre 2025 a expiré le "
        "20 décembre 2025.",
    ),
    "be-consumer-nl": (
        "Uitstel van betaling van 2 december 2025 (e-mail)",
        "Het uitstel van betaling dat wij u op 2 december 2025 verleenden, is op 20 december 2025 verstreken.",
    ),
    "gb-eaw-b2b-en": (
        "Extension of time to pay of 2 December 2025 (e-mail)",
        "The extension of time to pay that we granted you on 2 December 2025 ended on 20 December 2025.",
    ),
}


@pytest.mark.parametrize("sample", sorted(EXPIRED))
def test_a_reminder_after_an_extension_ran_out_lists_it_and_says_its_time_is_over(tmp_path: Path, sample: str) -> None:
    folder = copy_sample(sample, tmp_path / "claim")
    extension = OfferRequest(until=UNTIL)
    api.render(folder, "deadline-extension", sent=OFFERED, offer=extension, formats=("docx",), force=True)
    send_drafts(folder, channel="email")
    during = api.render(folder, "reminder", sent=UNTIL, formats=("docx",), force=True)  # while it runs: not yet
    assert EXPIRED[sample][1] not in flat(docx_text(Path(during.files[0]["file"]).read_bytes()))
    produced = api.render(folder, "reminder", sent=NOTICE, level=2, formats=("docx",), force=True)
    text = flat(docx_text(Path(produced.files[0]["file"]).read_bytes()))
    listed, expired = EXPIRED[sample]
    assert listed in text
    assert expired in text
