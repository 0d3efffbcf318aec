"""The EPC QR code on the letters: the right payload, drawn sharp in the PDF and the DOCX."""

from __future__ import annotations

import io
import zipfile
from datetime import date

from PIL import Image
from pypdf import PdfReader
from tests.conftest import SAMPLES

from dossier.context.payment import epc_qr, structured_communication
from dossier.model import load_claim
from dossier.output.produce import Producer
from dossier.rules import load_rules

BORDER = 2  # modules of quiet zone drawn in the image (the pale payment box continues it)


def expected_modules(claim, total_due) -> list[list[bool]]:
    code = epc_qr(
        claim.creditor.name,
        claim.creditor.iban,
        total_due,
        structured_communication(claim.reference),
        claim.creditor.bic,
    )
    return [[bool(m) for m in row] for row in code.matrix]


def dark_modules(image: Image.Image, scale: int) -> list[list[bool]]:
    gray = image.convert("L")
    size = gray.width // scale - 2 * BORDER

    def centre(module: int) -> int:
        return (BORDER + module) * scale + scale // 2

    return [[gray.getpixel((centre(x), centre(y))) < 128 for x in range(size)] for y in range(size)]


def test_pdf_and_docx_carry_the_epc_code_of_the_amount_due(producer: Producer) -> None:
    claim = load_claim(SAMPLES / "be-b2b-fr")
    result = producer.render(claim, load_rules("BE"), "formal-notice", date(2025, 12, 1), formats=("pdf", "docx"))
    modules = expected_modules(claim, result.facts.statement.totals["due"])

    page = PdfReader(io.BytesIO(result.outputs["pdf"])).pages[0]
    (xobject,) = [x.get_object() for x in page["/Resources"]["/XObject"].values() if x["/Subtype"] == "/Image"]
    # one pixel per module, never smoothed: the printer draws square modules at any size
    assert xobject["/Width"] == len(modules) + 2 * BORDER
    assert xobject["/Interpolate"].value is False
    (image,) = page.images
    assert dark_modules(image.image, 1) == modules

    package = zipfile.ZipFile(io.BytesIO(result.outputs["docx"]))
    (media,) = [n for n in package.namelist() if n.startswith("word/media/")]
    png = Image.open(io.BytesIO(package.read(media)))
    assert dark_modules(png, png.width // (len(modules) + 2 * BORDER)) == modules


def test_docx_templates_carry_no_unused_parts() -> None:
    # python-docx's default package has 800 KB of styles no letter uses; the builder leaves them out, so each
    # letter is opened and compressed without them (tools/build_docx_templates.py)
    root = SAMPLES.parent / "templates"
    for template in sorted(root.glob("*/*.docx")):
        names = zipfile.ZipFile(template).namelist()
        assert not [n for n in names if "stylesWithEffects" in n or "thumbnail" in n or n.startswith("customXml")]
        assert zipfile.ZipFile(template).getinfo("word/styles.xml").file_size < 40_000, template
