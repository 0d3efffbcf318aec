"""The bundle files a SENT settlement offer or deadline extension with the other letters sent, in date order, each
followed by its proof of sending; a draft offer is never filed (issue 15 item 15, issue 13)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

from tests.bundle.test_bundle import page_text, reader_of, text_pdf
from tests.conftest import copy_sample

from dossier import api
from dossier.engine.settlement import OfferRequest
from dossier.output.history import mark_sent
from dossier.output.journal import Journal, file_record


def test_a_sent_offer_and_extension_are_filed_in_date_order_with_their_proof(tmp_path: Path) -> None:
    folder = copy_sample("be-b2b-fr", tmp_path / "claim")
    journal = Journal.of_claim(folder)
    before = [e["title"] for e in api.bundle(folder, day=date(2026, 2, 20))[0].index]
    offer = OfferRequest(until=date(2025, 12, 20), amount=Decimal("2500.00"))
    sent_offer = api.render(folder, "settlement-offer", sent=date(2025, 12, 2), offer=offer).entry
    extension = OfferRequest(until=date(2026, 2, 15))
    sent_extension = api.render(folder, "deadline-extension", sent=date(2026, 1, 5), offer=extension).entry
    later = OfferRequest(until=date(2026, 3, 1), amount=Decimal("2000.00"))
    api.render(folder, "settlement-offer", sent=date(2026, 1, 6), offer=later)  # a draft: never filed
    text_pdf(folder / "documents" / "receipt.pdf", ["Recu de depot recommande"])
    proof = file_record(journal, folder / "documents" / "receipt.pdf", "pdf")
    mark_sent(journal, sent_extension["n"], channel="email", day=date(2026, 1, 5), recipient="x")
    mark_sent(journal, sent_offer["n"], channel="registered", day=date(2025, 12, 3), recipient="x", proof=proof)
    result, target = api.bundle(folder, day=date(2026, 2, 20))
    added = [(e["title"], e["date"]) for e in result.index if e["title"] not in before]
    assert added == [
        ("Proposition de règlement (recommandé)", "2025-12-03"),
        ("Preuve d'envoi – Proposition de règlement (recommandé)", "2025-12-03"),
        ("Octroi d'un délai de paiement (courriel)", "2026-01-05"),
    ]
    offer_entry = next(e for e in result.index if e["title"] == "Proposition de règlement (recommandé)")
    assert "2 500,00" in page_text(reader_of(target), offer_entry["first_page"]).replace("\xa0", " ")
    proof_entry = next(e for e in result.index if e["title"].startswith("Preuve d'envoi"))
    assert "Recu de depot recommande" in page_text(reader_of(target), proof_entry["first_page"])
