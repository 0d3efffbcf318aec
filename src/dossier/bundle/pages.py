"""Reading pieces (PDF, JPEG, PNG) and fitting every page onto A4 portrait, leaving bands for the stamps.

Landscape pages are turned, larger or smaller pages scaled to fit without cropping. Every page of the bundle
goes through the same frame, so a stamp in the top or bottom band never covers a piece's content.
"""

from __future__ import annotations

import io
from pathlib import Path

from pypdf import PageObject, PdfReader, PdfWriter, Transformation
from pypdf.errors import PdfReadError

A4_WIDTH, A4_HEIGHT = 595.28, 841.89
BAND = 34.0  # 12 mm at top and bottom, kept free for the stamps
SIDE = 14.0
IMAGE_TYPES = {".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png"}


class PieceUnreadable(Exception):
    """A piece that cannot go into the bundle, with the reason in words."""


def read_pdf(data: bytes) -> list[PageObject]:
    if not data.startswith(b"%PDF"):
        raise PieceUnreadable("not a PDF file (it does not start with %PDF)")
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise PieceUnreadable("the PDF is encrypted (password protected); save an unprotected copy")
        pages = list(reader.pages)
    except PdfReadError as exc:
        raise PieceUnreadable(f"the PDF is damaged ({exc})") from None
    except PieceUnreadable:
        raise
    except Exception as exc:  # pypdf raises many kinds on damaged files
        raise PieceUnreadable(f"the PDF cannot be read ({type(exc).__name__}: {exc})") from None
    if not pages:
        raise PieceUnreadable("the PDF has no pages")
    return pages


def sniff(path: Path) -> str:
    """``pdf``, ``image`` or raise: by content, not only by name."""
    head = path.read_bytes()[:8]
    if head.startswith(b"%PDF"):
        return "pdf"
    if head.startswith(b"\xff\xd8\xff") or head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image"
    if path.suffix.lower() in IMAGE_TYPES:
        raise PieceUnreadable("the file is named as an image but is not a valid JPEG or PNG")
    raise PieceUnreadable("not a PDF, JPEG or PNG file")


def fit_on_a4(writer: PdfWriter, source: PageObject) -> None:
    """Add to ``writer`` an A4 portrait page holding ``source``, turned if landscape, scaled to fit between the
    bands (links on the page move with it)."""
    box = source.mediabox
    width, height = float(box.width), float(box.height)
    transform = Transformation().translate(-float(box.left), -float(box.bottom))
    rotation = (source.rotation or 0) % 360
    if rotation:
        transform, width, height = _turn(transform, width, height, -rotation)
    if width > height * 1.02:
        transform, width, height = _turn(transform, width, height, 90)
    scale = min((A4_WIDTH - 2 * SIDE) / width, (A4_HEIGHT - 2 * BAND) / height)
    dx = (A4_WIDTH - width * scale) / 2
    dy = BAND + (A4_HEIGHT - 2 * BAND - height * scale) / 2
    page = writer.add_blank_page(width=A4_WIDTH, height=A4_HEIGHT)
    page.merge_transformed_page(source, transform.scale(scale, scale).translate(dx, dy))


def _turn(transform: Transformation, width: float, height: float, degrees: int) -> tuple[Transformation, float, float]:
    """Rotate content lying in ``[0, width] x [0, height]`` and move it back into the positive quadrant."""
    turned = transform.rotate(degrees)
    probe = Transformation().rotate(degrees)
    corners = [probe.apply_on((x, y)) for x in (0, width) for y in (0, height)]
    min_x = min(c[0] for c in corners)
    min_y = min(c[1] for c in corners)
    new_w = max(c[0] for c in corners) - min_x
    new_h = max(c[1] for c in corners) - min_y
    return turned.translate(-min_x, -min_y), new_w, new_h
