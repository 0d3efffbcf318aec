"""Stamping page numbers and piece labels in the bands that ``fit_on_a4`` keeps free, as plain PDF text."""

from __future__ import annotations

from pypdf import PageObject
from pypdf.generic import ContentStream, DictionaryObject, NameObject

from dossier.bundle.pages import A4_WIDTH

FONT = NameObject("/DossierStamp")
_HELVETICA = DictionaryObject(
    {
        NameObject("/Type"): NameObject("/Font"),
        NameObject("/Subtype"): NameObject("/Type1"),
        NameObject("/BaseFont"): NameObject("/Helvetica"),
        NameObject("/Encoding"): NameObject("/WinAnsiEncoding"),
    }
)
SIZE = 8.5


def _literal(text: str) -> bytes:
    raw = text.encode("cp1252", errors="replace")
    return b"(" + raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"


def _width(text: str) -> float:
    return len(text) * SIZE * 0.5  # Helvetica averages half an em; close enough to centre a short label


def stamp(page: PageObject, pdf_writer, bottom_center: str, top_right: str | None) -> None:
    """Add the stamp texts to ``page`` (already on A4 through ``fit_on_a4``)."""
    resources = page.setdefault(NameObject("/Resources"), DictionaryObject())
    fonts = resources.setdefault(NameObject("/Font"), DictionaryObject())
    fonts[FONT] = _HELVETICA
    lines = [(bottom_center, (A4_WIDTH - _width(bottom_center)) / 2, 14.0)]
    if top_right:
        lines.append((top_right, A4_WIDTH - 22.0 - _width(top_right), 818.0))
    ops = b"q 0.15 0.2 0.3 rg "
    for text, x, y in lines:
        ops += b"BT /DossierStamp %.1f Tf 1 0 0 1 %.2f %.2f Tm " % (SIZE, x, y) + _literal(text) + b" Tj ET "
    ops += b"Q"
    content = page.get_contents()
    data = (content.get_data() if content is not None else b"") + b"\n" + ops
    stream = ContentStream(None, pdf_writer)
    stream.set_data(data)
    page.replace_contents(stream)
