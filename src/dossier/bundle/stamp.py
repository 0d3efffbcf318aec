"""Stamping page numbers and piece labels into the bands ``fit_on_a4`` keeps free.

Two ways, one look: by default the text goes straight into each page's content in standard Helvetica (about
2 ms a page); for PDF/A, where every font must be embedded, the stamps are one WeasyPrint overlay document in
the bundled font, merged page by page (about 12 ms a page).
"""

from __future__ import annotations

import html
import io
from typing import Any

from pypdf import PageObject, PdfReader, PdfWriter
from pypdf.generic import ContentStream, DictionaryObject, NameObject

from dossier.bundle.pages import A4_WIDTH

_STYLE = """
@font-face { font-family: "Dossier Sans"; src: url("fonts/Carlito-Regular.ttf"); }
@page { size: 210mm 297mm; margin: 0; }
html, body { margin: 0; font-family: "Dossier Sans"; font-size: 8.5pt; color: #26334d; }
.p { position: relative; width: 210mm; height: 297mm; break-after: page; }
.p:last-child { break-after: auto; }
.n { position: absolute; bottom: 4.5mm; left: 0; width: 210mm; text-align: center; }
.l { position: absolute; top: 4.5mm; right: 8mm; font-weight: normal; }
"""


def stamp_all(writer: PdfWriter, stamps: list[tuple[str, str | None]], renderer: Any, *, embedded: bool) -> None:
    """Put on page ``i`` of ``writer`` the page number and, for pieces, the piece label ``stamps[i]``."""
    if not embedded:
        for page, (number, label) in zip(writer.pages, stamps, strict=True):
            stamp_fast(page, writer, number, label)
        return
    body = "".join(
        f'<div class="p"><div class="n">{html.escape(number)}</div>'
        + (f'<div class="l">{html.escape(label)}</div>' if label else "")
        + "</div>"
        for number, label in stamps
    )
    document = (
        f"<!doctype html><html><head><meta charset='utf-8'><style>{_STYLE}</style></head><body>{body}</body></html>"
    )
    data = renderer.render_plain(document, identifier=f"stamps-{len(stamps)}-{hash(body) & 0xFFFFFFFF}")
    overlay = PdfReader(io.BytesIO(data))
    for page, stamp_page in zip(writer.pages, overlay.pages, strict=True):
        page.merge_page(stamp_page)


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


def stamp_fast(page: PageObject, pdf_writer: PdfWriter, bottom_center: str, top_right: str | None) -> None:
    """Write the stamps straight into ``page``'s content in standard Helvetica (not embedded): fast, not PDF/A."""
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
