"""Reading pieces (PDF, JPEG, PNG) and fitting every page onto A4 portrait, leaving bands for the stamps.

Landscape pages are turned, larger or smaller pages scaled to fit without cropping. Every page of the bundle
goes through the same frame, so a stamp in the top or bottom band never covers a piece's content.

A piece is a file from outside: it may be damaged or built to harm. Each one is read and fitted on its own,
inside bounds (pages, page size, decompressed bytes, image pixels), and everything that can go wrong there
becomes a ``PieceUnreadable`` naming the reason, never a traceback. Its annotations (links, JavaScript,
launch actions, form widgets, attachments) and page actions are dropped: a court bundle carries none of them.
What an annotation shows (a filled form field, a stamp, a highlight) is kept: its appearance is drawn into
the page as plain content first, as a printer would, so nothing visible is lost and nothing active remains.
"""

from __future__ import annotations

import io
import math
import warnings
from collections.abc import Iterable, Sequence
from contextlib import AbstractContextManager

from PIL import Image, ImageFile
from pypdf import PageObject, PdfReader, PdfWriter, Transformation, apply_configuration
from pypdf.errors import LimitReachedError, PdfReadError
from pypdf.generic import (
    ArrayObject,
    ContentStream,
    DictionaryObject,
    FloatObject,
    NameObject,
    NumberObject,
    StreamObject,
)

A4_WIDTH, A4_HEIGHT = 595.28, 841.89
BAND = 34.0  # 12 mm at top and bottom, kept free for the stamps
SIDE = 14.0
IMAGE_TYPES = {".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png"}

MAX_PIECE_FILE_BYTES = 300_000_000
"""Size of one piece's file. Court platforms take uploads of tens of MB (hence ``--max-size``); a larger file is
held in memory a few times over while it is read and fitted, so it is refused before it is read."""

MAX_PIECE_PAGES = 2000
"""Pages of one piece. A court bundle's exhibits are rarely over a few hundred pages; 2000 pages take about
16 s to bundle here, so a larger piece is more likely a mistake (or an attack) than an exhibit: split it."""

MAX_STREAM_BYTES = 50_000_000
"""Decompressed bytes of one page-content stream. Text and vector drawings of a real page take well under
1 MB (scans are images, which are copied compressed, not decoded); a few KB of zeros inflate to gigabytes."""

MAX_PIECE_CONTENT_BYTES = 200_000_000
"""Decompressed page-content bytes of one piece in all, so that many moderate bombs cannot add up."""

MAX_ANNOTATIONS = 1000
"""Annotations on one page of a piece. A filled form or a commented page has tens; thousands are an attack on
the time it takes to draw their appearances."""

MIN_SIDE, MAX_SIDE = 3.0, 14_400.0
"""Smallest and largest page side in points: the limits of ISO 32000-1, annex C.2 (3 to 14,400 units, i.e.
about 1 mm to 5 m). A zero, negative, infinite or 1e38 MediaBox is a damaged page."""

MAX_IMAGE_PIXELS = 60_000_000
"""Pixels of an image piece, checked from its header before it is decoded. An A4 scan at 600 dpi is 35
million pixels and a phone photo 12 to 50 million; decoding takes 3 to 4 bytes a pixel, so 60 million keep
one image under about 250 MB (a 12000 x 12000 PNG took 1.2 GB)."""

class PieceUnreadable(Exception):
    """A piece that cannot go into the bundle, with the reason in words."""


def _limits() -> AbstractContextManager[object]:
    """pypdf's decompression limits, tightened to ours, for all that is done with one piece."""
    return apply_configuration(
        zlib_maximum_output_length=MAX_STREAM_BYTES,
        lzw_maximum_output_length=MAX_STREAM_BYTES,
        run_length_maximum_output_length=MAX_STREAM_BYTES,
        brotli_maximum_output_length=MAX_STREAM_BYTES,
        array_based_stream_maximum_output_length=MAX_STREAM_BYTES,
    )


def read_pdf(data: bytes) -> list[PageObject]:
    """The pages of a PDF piece, each already fitted onto A4 (see ``fit_piece``)."""
    if not data.startswith(b"%PDF"):
        raise PieceUnreadable("not a PDF file (it does not start with %PDF)")
    with _limits():
        try:
            reader = PdfReader(io.BytesIO(data))
            if reader.is_encrypted:
                raise PieceUnreadable("the PDF is encrypted (password protected); save an unprotected copy")
            count = len(reader.pages)
            if count > MAX_PIECE_PAGES:
                raise PieceUnreadable(f"the PDF has {count} pages, over the limit of {MAX_PIECE_PAGES}; split it")
            if not count:
                raise PieceUnreadable("the PDF has no pages")
            return fit_piece(reader.pages)
        except PieceUnreadable:
            raise
        except LimitReachedError:
            raise PieceUnreadable(
                f"the PDF holds a stream over the limit of {MAX_STREAM_BYTES // 1_000_000} MB once decompressed"
            ) from None
        except PdfReadError as exc:
            raise PieceUnreadable(f"the PDF is damaged ({_short(exc)})") from None
        except RecursionError:
            raise PieceUnreadable("the PDF is damaged (objects or page content nested too deeply)") from None
        except MemoryError:
            raise PieceUnreadable("the PDF is too large to read") from None
        except Exception as exc:  # pypdf raises many kinds on damaged files
            raise PieceUnreadable(f"the PDF cannot be read ({type(exc).__name__}: {_short(exc)})") from None


def fit_piece(pages: Iterable[PageObject]) -> list[PageObject]:
    """``pages`` fitted onto A4 in a PDF of their own, without annotations or actions, bounded in size, and read
    back: what the bundle then copies is plain, already checked content."""
    writer = PdfWriter()
    total = 0
    for number, source in enumerate(pages, start=1):
        if number > MAX_PIECE_PAGES:
            raise PieceUnreadable(f"it has over {MAX_PIECE_PAGES} pages; split it")
        _check_box(source, number)
        shown = _appearances(source, number)
        for key in ("/Annots", "/AA"):
            if key in source:
                del source[NameObject(key)]
        content = source.get_contents()
        total += len(content.get_data()) if content is not None else 0
        if total > MAX_PIECE_CONTENT_BYTES:
            raise PieceUnreadable(
                f"its page content is over {MAX_PIECE_CONTENT_BYTES // 1_000_000} MB once decompressed (page {number})"
            )
        frame = fit_on_a4(writer, source)
        page = writer.pages[-1]
        if "/Annots" in page:
            del page[NameObject("/Annots")]
        if shown:
            _draw(writer, page, shown, frame)
        page.compress_content_streams()
    out = io.BytesIO()
    writer.write(out)
    return list(PdfReader(io.BytesIO(out.getvalue())).pages)


Matrix = tuple[float, float, float, float, float, float]


def _appearances(page: PageObject, number: int) -> list[tuple[StreamObject, Matrix]]:
    """The normal appearance of each visible annotation of ``page``, with the matrix that puts it on its
    rectangle (ISO 32000-1, 12.5.5): what a viewer shows, without what it does."""
    annotations = page.get("/Annots")
    annotations = annotations.get_object() if annotations is not None else None
    if not isinstance(annotations, ArrayObject):
        return []
    if len(annotations) > MAX_ANNOTATIONS:
        raise PieceUnreadable(f"page {number} has {len(annotations)} annotations, over the limit of {MAX_ANNOTATIONS}")
    found = []
    for ref in annotations:
        annotation = ref.get_object()
        if not isinstance(annotation, DictionaryObject) or annotation.get("/Subtype") == "/Popup":
            continue
        flags = annotation.get("/F", 0)
        if isinstance(flags, NumberObject | FloatObject) and int(flags) & (2 | 32):  # Hidden, NoView
            continue
        appearance = annotation.get("/AP")
        normal = appearance.get_object().get("/N") if isinstance(appearance, DictionaryObject) else None
        normal = normal.get_object() if normal is not None else None
        if isinstance(normal, DictionaryObject) and not isinstance(normal, StreamObject):
            state = annotation.get("/AS")
            normal = normal.get(state).get_object() if state in normal else None
        if not isinstance(normal, StreamObject):
            continue
        matrix = _placement(annotation.get("/Rect"), normal.get("/BBox"), normal.get("/Matrix"))
        if matrix is not None:
            found.append((normal, matrix))
    return found


def _placement(rect: object, bbox: object, matrix: object) -> Matrix | None:
    """The matrix mapping the appearance's box (``bbox`` through its ``matrix``) onto ``rect``; None if any of
    them is not a finite, non-empty box."""
    try:
        r = [float(v) for v in rect.get_object()]  # type: ignore[attr-defined]
        b = [float(v) for v in bbox.get_object()]  # type: ignore[attr-defined]
        m = [float(v) for v in matrix.get_object()] if matrix is not None else [1, 0, 0, 1, 0, 0]  # type: ignore[attr-defined]
    except (AttributeError, TypeError, ValueError):
        return None
    if len(r) != 4 or len(b) != 4 or len(m) != 6 or not all(math.isfinite(v) for v in (*r, *b, *m)):
        return None
    corners = [(x * m[0] + y * m[2] + m[4], x * m[1] + y * m[3] + m[5]) for x in b[::2] for y in b[1::2]]
    bx0, by0 = min(c[0] for c in corners), min(c[1] for c in corners)
    bw, bh = max(c[0] for c in corners) - bx0, max(c[1] for c in corners) - by0
    rx0, ry0 = min(r[0], r[2]), min(r[1], r[3])
    rw, rh = abs(r[2] - r[0]), abs(r[3] - r[1])
    if min(bw, bh, rw, rh) <= 1e-6:
        return None
    sx, sy = rw / bw, rh / bh
    if not all(math.isfinite(v) and abs(v) < 1e7 for v in (sx, sy, rx0 - bx0 * sx, ry0 - by0 * sy)):
        return None
    return (sx, 0.0, 0.0, sy, rx0 - bx0 * sx, ry0 - by0 * sy)


def _draw(writer: PdfWriter, page: PageObject, shown: list[tuple[StreamObject, Matrix]], frame: Transformation) -> None:
    """Paint the appearances ``shown`` into ``page``'s content, through the ``frame`` that fitted the page."""
    resources = page.setdefault(NameObject("/Resources"), DictionaryObject())
    resources = resources.get_object()
    xobjects = resources.setdefault(NameObject("/XObject"), DictionaryObject()).get_object()
    ops = b"q " + _cm(frame.ctm)
    for k, (stream, matrix) in enumerate(shown):
        name = NameObject(f"/DossierAnnot{k}")
        copy = stream.clone(writer)
        xobjects[name] = copy.indirect_reference or writer._add_object(copy)
        ops += b"q " + _cm(matrix) + name.encode() + b" Do Q "
    ops += b"Q"
    content = page.get_contents()
    stream = ContentStream(None, writer)
    stream.set_data((content.get_data() if content is not None else b"") + b"\n" + ops)
    page.replace_contents(stream)


def _cm(m: Sequence[float]) -> bytes:
    return b" ".join(f"{float(v):.6f}".encode() for v in m) + b" cm "


def _check_box(page: PageObject, number: int) -> None:
    """A MediaBox of real, finite size within the PDF standard's limits, or ``PieceUnreadable``."""
    try:
        box = page.mediabox
        width, height = abs(float(box.width)), abs(float(box.height))
    except Exception:
        raise PieceUnreadable(f"page {number} has no valid MediaBox") from None
    if not (MIN_SIDE <= width <= MAX_SIDE and MIN_SIDE <= height <= MAX_SIDE):
        raise PieceUnreadable(
            f"page {number} has a size of {width:.4g} x {height:.4g} points, outside the {MIN_SIDE:g} to "
            f"{MAX_SIDE:g} points a PDF page may have"
        )


def _short(exc: BaseException) -> str:
    text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return text if len(text) <= 200 else text[:197] + "..."


def check_image(data: bytes) -> None:
    """Raise ``PieceUnreadable`` unless ``data`` is a JPEG or PNG that decodes, within ``MAX_IMAGE_PIXELS``
    (checked from the header, before anything is decoded)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=("JPEG", "PNG")) as image:
                width, height = image.size
                if width * height > MAX_IMAGE_PIXELS:
                    raise PieceUnreadable(_too_many(width, height))
                if width < 1 or height < 1:
                    raise PieceUnreadable(f"the image has no pixels ({width} x {height})")
                _load_whole(image)
    except PieceUnreadable:
        raise
    except Image.DecompressionBombError:
        raise PieceUnreadable(
            f"the image has over {MAX_IMAGE_PIXELS // 1_000_000} million pixels; scale it down"
        ) from None
    except Exception as exc:  # Pillow raises OSError, SyntaxError, ValueError... on damaged images
        raise PieceUnreadable(f"the image cannot be decoded ({type(exc).__name__}: {_short(exc)})") from None


def _load_whole(image: Image.Image) -> None:
    """Decode every pixel, refusing a truncated file: WeasyPrint sets Pillow's process-wide
    ``LOAD_TRUNCATED_IMAGES``, which would fill the missing part with grey and say nothing."""
    before = ImageFile.LOAD_TRUNCATED_IMAGES
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    try:
        image.load()
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = before


def _too_many(width: int, height: int) -> str:
    return (
        f"the image is {width} x {height} pixels, over the limit of {MAX_IMAGE_PIXELS // 1_000_000} million "
        "pixels; scale it down"
    )


def sniff(data: bytes, suffix: str) -> str:
    """``pdf``, ``image`` or raise: by content, not only by name (``suffix``, e.g. ``.png``, for the message)."""
    head = data[:8]
    if head.startswith(b"%PDF"):
        return "pdf"
    if head.startswith(b"\xff\xd8\xff") or head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image"
    if suffix.lower() in IMAGE_TYPES:
        raise PieceUnreadable("the file is named as an image but is not a valid JPEG or PNG")
    raise PieceUnreadable("not a PDF, JPEG or PNG file")


def fit_on_a4(writer: PdfWriter, source: PageObject) -> Transformation:
    """Add to ``writer`` an A4 portrait page holding ``source``, turned if landscape, scaled to fit between the
    bands (links on the page move with it); returns the transformation used."""
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
    frame = transform.scale(scale, scale).translate(dx, dy)
    page.merge_transformed_page(source, frame)
    return frame


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
