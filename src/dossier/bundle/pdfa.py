"""PDF/A-2b for a bundle, where its pieces allow it: embedded fonts, an sRGB output intent, XMP metadata that
matches the document information, and a file identifier."""

from __future__ import annotations

import hashlib
import importlib.util
from html import escape
from pathlib import Path

from pypdf import PageObject, PdfWriter
from pypdf.generic import (
    ArrayObject,
    ByteStringObject,
    DecodedStreamObject,
    DictionaryObject,
    NameObject,
    NumberObject,
    TextStringObject,
)


def _icc_profile() -> bytes:
    """WeasyPrint's sRGB profile, found without importing WeasyPrint (that loads Pango)."""
    spec = importlib.util.find_spec("weasyprint")
    return (Path(spec.origin if spec and spec.origin else "").parent / "pdf" / "sRGB2014.icc").read_bytes()


def fonts_not_embedded(pages: list[PageObject]) -> set[str]:
    """Names of fonts used by ``pages`` whose program is not in the file (which PDF/A forbids)."""
    missing: set[str] = set()
    for page in pages:
        resources = page.get("/Resources")
        fonts = resources.get_object().get("/Font") if resources else None
        if not fonts:
            continue
        for ref in fonts.get_object().values():
            font = ref.get_object()
            candidates = [font]
            if font.get("/Subtype") == "/Type0":
                candidates = [d.get_object() for d in font.get("/DescendantFonts", [])]
            for item in candidates:
                if item.get("/Subtype") == "/Type3":
                    continue
                descriptor = item.get("/FontDescriptor")
                descriptor = descriptor.get_object() if descriptor else None
                if descriptor is None or not any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")):
                    missing.add(str(item.get("/BaseFont", "?")).lstrip("/"))
    return missing


def identify(writer: PdfWriter, seed: bytes) -> None:
    """A deterministic /ID (PDF/A requires one; the same bundle gets the same one)."""
    digest = hashlib.md5(seed, usedforsecurity=False).digest()
    writer._ID = ArrayObject([ByteStringObject(digest), ByteStringObject(digest)])


def make_pdfa(writer: PdfWriter, *, title: str, author: str, created: str) -> None:
    """Add the output intent and XMP metadata of PDF/A-2b (``created`` as ``YYYY-MM-DDT00:00:00Z``)."""
    icc = DecodedStreamObject()
    icc.set_data(_icc_profile())
    icc[NameObject("/N")] = NumberObject(3)
    intent = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/OutputIntent"),
            NameObject("/S"): NameObject("/GTS_PDFA1"),
            NameObject("/OutputConditionIdentifier"): TextStringObject("sRGB IEC61966-2.1"),
            NameObject("/Info"): TextStringObject("sRGB IEC61966-2.1"),
            NameObject("/DestOutputProfile"): writer._add_object(icc),
        }
    )
    root = writer._root_object
    root[NameObject("/OutputIntents")] = ArrayObject([writer._add_object(intent)])
    xmp = (
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        '<rdf:Description rdf:about="" xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:xmp="http://ns.adobe.com/xap/1.0/" '
        'xmlns:pdf="http://ns.adobe.com/pdf/1.3/">'
        "<pdfaid:part>2</pdfaid:part><pdfaid:conformance>B</pdfaid:conformance>"
        f'<dc:title><rdf:Alt><rdf:li xml:lang="x-default">{escape(title)}</rdf:li></rdf:Alt></dc:title>'
        f"<dc:creator><rdf:Seq><rdf:li>{escape(author)}</rdf:li></rdf:Seq></dc:creator>"
        f"<xmp:CreateDate>{created}</xmp:CreateDate><xmp:ModifyDate>{created}</xmp:ModifyDate>"
        "<xmp:CreatorTool>dossier</xmp:CreatorTool><pdf:Producer>dossier</pdf:Producer>"
        '</rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end="w"?>'
    )
    metadata = DecodedStreamObject()
    metadata.set_data(xmp.encode("utf-8"))
    metadata[NameObject("/Type")] = NameObject("/Metadata")
    metadata[NameObject("/Subtype")] = NameObject("/XML")
    root[NameObject("/Metadata")] = writer._add_object(metadata)
