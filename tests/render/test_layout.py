"""Page layout (issue 15, item 16): the signature never alone on a page, tables that run over a page carry their
sums forward and repeat their header, and the DOCX has page numbers, a running header, the address in the
envelope window's frame and the QR code's caption."""

from __future__ import annotations

import copy
import io
import re
import zipfile
from datetime import date

import pytest
from pypdf import PdfReader
from tests.conftest import BASE_CLAIM, SAMPLES
from tests.render.conftest import flat

from dossier.model import claim_from_data, load_claim
from dossier.output.produce import Producer
from dossier.rules import load_rules

SENT = date(2025, 12, 1)


def claim_with(invoices: int):  # type: ignore[no-untyped-def]
    """The base Belgian claim with ``invoices`` invoices of 100.00 EUR each, all due on 9 February 2025."""
    data = copy.deepcopy(BASE_CLAIM)
    data["invoices"] = [
        {"number": f"F-{n:03d}", "date": "2025-01-10", "due_date": "2025-02-09", "amount": "100.00"}
        for n in range(1, invoices + 1)
    ]
    return claim_from_data(data)


def pages_of(producer: Producer, claim, kind: str) -> list[str]:  # type: ignore[no-untyped-def]
    result = producer.render(claim, load_rules("BE"), kind, SENT, formats=("pdf",), force=True)
    return [flat(page.extract_text()) for page in PdfReader(io.BytesIO(result.outputs["pdf"])).pages]


@pytest.mark.parametrize(
    ("kind", "invoices", "last_paragraph"),
    [("reminder", 5, "Si votre paiement a croisé la présente"), ("formal-notice", 1, "sous réserve de tous droits")],
)
def test_the_closing_formula_and_signature_stay_with_the_last_paragraph(
    producer: Producer, kind: str, invoices: int, last_paragraph: str
) -> None:
    """With these many invoices the letter's last page used to start with "Nous vous prions d'agréer"."""
    pages = pages_of(producer, claim_with(invoices), kind)
    (page,) = [p for p in pages if "Nous vous prions d'agréer" in p]
    assert last_paragraph in page
    assert not page.startswith("Nous vous prions d'agréer")


def test_a_table_over_several_pages_carries_its_sums_forward_and_repeats_its_header(producer: Producer) -> None:
    """60 invoices of 100,00 €: each page the table runs over ends with "À reporter" and the sum of the amounts
    listed so far (100,00 € an invoice), and the next starts with its header and "Report" of the same sum."""
    pages = [p for p in pages_of(producer, claim_with(60), "reminder") if "F-0" in p]
    assert len(pages) >= 2
    listed = 0
    for number, page in enumerate(pages):
        assert "Facture Date Échéance Objet Montant Solde" in page  # the header, on every page
        if number:
            assert f"Report {listed * 100:,}".replace(",", " ") + ",00 €" in page
        listed += len(re.findall(r"F-\d{3}", page))
        carried = f"À reporter {listed * 100:,}".replace(",", " ") + ",00 €"
        assert (carried in page) == (number < len(pages) - 1), (number, page[-300:])
        assert number == len(pages) - 1 or "Total dû" not in page
    assert listed == 60


def test_the_interest_table_total_is_printed_once_at_its_end(producer: Producer) -> None:
    """The statement of 60 invoices: 120 interest periods over several pages; the table's "Total" line (its foot)
    is the grand total and is printed once, after its last row, not at the foot of every page."""
    pages = pages_of(producer, claim_with(60), "statement")
    with_total = [n for n, p in enumerate(pages) if re.search(r"\bTotal \d", p)]
    assert len(with_total) == 1
    assert any("À reporter" in p and "Report" in pages[n + 1] for n, p in enumerate(pages[:-1]))


def document_xml(data: bytes, name: str) -> str:
    return zipfile.ZipFile(io.BytesIO(data)).read(name).decode("utf-8")


@pytest.mark.parametrize(("sample", "window_left"), [("be-b2b-fr", False), ("nl-consumer-nl", True)])
def test_the_docx_numbers_its_pages_runs_a_header_and_frames_the_address(
    producer: Producer, sample: str, window_left: bool
) -> None:
    claim = load_claim(SAMPLES / sample)
    result = producer.render(claim, load_rules(claim.jurisdiction), "reminder", SENT, formats=("docx",), force=True)
    data = result.outputs["docx"]
    package = zipfile.ZipFile(io.BytesIO(data))
    body = document_xml(data, "word/document.xml")
    assert "<w:titlePg/>" in body  # a different first page: no running header above the letterhead
    parts = {n: package.read(n).decode("utf-8") for n in package.namelist() if re.match(r"word/(header|footer)", n)}
    footers = [x for n, x in parts.items() if "footer" in n]
    assert len(footers) == 2 and all('w:instr=" PAGE "' in f and 'w:instr=" NUMPAGES "' in f for f in footers)
    headers = [x for n, x in parts.items() if "header" in n]
    running = f"{claim.representative.name if claim.representative else claim.creditor.name}"
    assert sum(running.replace("&", "&amp;") in h and claim.reference in h for h in headers) == 1
    # the recipient's name is in a frame anchored to the page at the window: 20 mm (1134 twips) or 110 mm (6236)
    frames = re.findall(r'<w:framePr [^>]*w:x="(\d+)"[^>]*/>', body)
    assert frames and set(frames) == {"1134" if window_left else "6236"}
    name = claim.debtor.name.replace("&", "&amp;")
    framed = re.search(r"<w:p>(?:(?!</w:p>).)*<w:framePr (?:(?!</w:p>).)*" + re.escape(name), body)
    assert framed is not None
    scan = {"fr": "Scannez ce code", "nl": "Scan deze code", "en": "Scan this code"}[claim.language]
    assert (scan in body) == bool(result.context["payment"]["qr_png"])
