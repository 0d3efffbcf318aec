"""The EPC QR code on the letters: the right payload, drawn sharp in the PDF and the DOCX."""

from __future__ import annotations

import io
import zipfile
from datetime import date

import zxingcpp
from PIL import Image
from pypdf import PdfReader
from tests.conftest import SAMPLES

from dossier.model import load_claim
from dossier.output.produce import Producer
from dossier.rules import load_rules

BORDER = 2  # modules of quiet zone drawn in the image (the pale payment box continues it)


def epc_payload(bic: str, name: str, iban: str, amount: str, remittance: str) -> list[str]:
    """An EPC069-12 (version 002) SEPA credit transfer, line by line, written out here from the standard: service
    tag, version, character set, identification, BIC, beneficiary, IBAN, amount, purpose, structured reference,
    unstructured remittance text."""
    return ["BCD", "002", "<charset>", "SCT", bic, name, iban, f"EUR{amount}", "", "", remittance]


def decoded(image: Image.Image) -> tuple[list[str], str]:
    """The text of the one QR code in ``image`` and its error-correction level, read back by zxing-cpp (not by the
    library that drew it)."""
    gray = image.convert("L")
    (code,) = zxingcpp.read_barcodes(gray.resize((gray.width * 8, gray.height * 8), Image.Resampling.NEAREST))
    assert code.format == zxingcpp.BarcodeFormat.QRCode
    lines = code.text.split("\n")
    assert lines[2] in {"1", "2"}  # UTF-8 or ISO 8859-1, both allowed
    return [*lines[:2], "<charset>", *lines[3:]], code.ec_level


def test_pdf_and_docx_carry_the_epc_code_of_the_amount_due(producer: Producer) -> None:
    claim = load_claim(SAMPLES / "be-b2b-fr")
    result = producer.render(claim, load_rules("BE"), "formal-notice", date(2025, 12, 1), formats=("pdf", "docx"))
    # 3,201.23 due on 1 Dec 2025 (hand-checked in tests/render/test_documents.py); the Belgian structured
    # communication of reference ACME-2025-0042, its check digits the first ten digits mod 97
    communication = "+++974/9960/57546+++"
    assert int("9749960575") % 97 == 46
    expected = epc_payload("GKCCBEBB", "ACME SRL", "BE71096123456769", "3201.23", communication)

    page = PdfReader(io.BytesIO(result.outputs["pdf"])).pages[0]
    (xobject,) = [x.get_object() for x in page["/Resources"]["/XObject"].values() if x["/Subtype"] == "/Image"]
    # one pixel per module, never smoothed: the printer draws square modules at any size
    modules = xobject["/Width"] - 2 * BORDER
    assert (modules - 17) % 4 == 0 and xobject["/Interpolate"].value is False
    (image,) = page.images
    assert decoded(image.image) == (expected, "M")  # EPC069-12 requires error correction level M

    package = zipfile.ZipFile(io.BytesIO(result.outputs["docx"]))
    (media,) = [n for n in package.namelist() if n.startswith("word/media/")]
    assert decoded(Image.open(io.BytesIO(package.read(media)))) == (expected, "M")


def test_the_dutch_code_carries_the_claim_reference(producer: Producer) -> None:
    claim = load_claim(SAMPLES / "nl-consumer-nl")
    result = producer.render(claim, load_rules("NL"), "formal-notice", date(2025, 2, 3), formats=("pdf",))
    # 2,334.58 on 3 Feb 2025: 2,630.00 - 750.00 + 131.13 interest + 323.45 collection costs
    (image,) = PdfReader(io.BytesIO(result.outputs["pdf"])).pages[0].images
    # the Dutch letter pays with an ISO 11649 creditor reference (jurisdictions/nl payment_reference: rf), carried
    # as EPC069-12's structured reference with no text after it: RF + check digits + "ZPD20240788", the check
    # digits 98 - (ZPD20240788RF00 as digits, Z=35 P=25 D=13 R=27 F=15: 35251320240788271500) mod 97 = 07
    unstructured = epc_payload("ABNANL2A", "Zonnepanelen Direct B.V.", "NL91ABNA0417164300", "2334.58", "")
    expected = [*unstructured[:9], "RF07ZPD20240788"]
    assert decoded(image.image) == (expected, "M")


def test_docx_templates_carry_no_unused_parts() -> None:
    # python-docx's default package has 800 KB of styles no letter uses; the builder leaves them out, so each
    # letter is opened and compressed without them (tools/build_docx_templates.py)
    root = SAMPLES.parent / "templates"
    for template in sorted(root.glob("*/*.docx")):
        names = zipfile.ZipFile(template).namelist()
        assert not [n for n in names if "stylesWithEffects" in n or "thumbnail" in n or n.startswith("customXml")]
        assert zipfile.ZipFile(template).getinfo("word/styles.xml").file_size < 40_000, template
