"""Assembling the bundle: cover, index, statements, correspondence and pieces, numbered and bookmarked.

The index's own length is found by rendering it until its page count stops changing (a fixed point), so the
first and last page printed for every piece are right even when the index runs over several pages.
"""

from __future__ import annotations

import base64
import email
import email.policy
import hashlib
import io
import os
import stat
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from html import escape
from pathlib import Path
from typing import Any

from pypdf import PageObject, PdfReader, PdfWriter
from pypdf.generic import ArrayObject, NameObject

from dossier.bundle.pages import (
    IMAGE_TYPES,
    MAX_PIECE_FILE_BYTES,
    PieceUnreadable,
    check_image,
    fit_on_a4,
    read_pdf,
    sniff,
)
from dossier.bundle.pdfa import fonts_not_embedded, identify, make_pdfa
from dossier.bundle.stamp import stamp_all
from dossier.context.formatting import Formatter
from dossier.errors import ClaimError, DossierError, Problem
from dossier.model import CLAIM_FILES, Claim
from dossier.output.history import LETTER_TYPES, letter_files
from dossier.output.produce import Producer
from dossier.paths import existing_file
from dossier.rules import Jurisdiction

LINK_PREFIX = "https://dossier.invalid/piece/"
MAX_INDEX_PASSES = 6
#: the most of an e-mail's text shown on its pages (about 30 pages) and the most attachments it may list
MAX_MESSAGE_TEXT = 100_000
MAX_MESSAGE_PARTS = 1000


class BundleError(DossierError):
    """A piece cannot be bundled, or the bundle breaks a limit."""


@dataclass
class Item:
    number: int
    title: str
    day: date | None
    section: str
    pages: list[PageObject] = field(default_factory=list)
    source: str = ""
    missing: str | None = None
    first: int = 0
    fitted: bool = False  # pages already fitted onto A4 (a piece's, read and fitted on its own)

    @property
    def last(self) -> int:
        return self.first + len(self.pages) - 1


@dataclass(frozen=True)
class Bundle:
    pdf: bytes
    pages: int
    index: list[dict[str, Any]]
    skipped: list[str]


def build(
    claim: Claim,
    folder: Path,
    rules: Jurisdiction,
    day: date,
    *,
    producer: Producer | None = None,
    skip_bad: bool = False,
    pdfa: bool = False,
) -> Bundle:
    producer = producer or Producer()
    statement = producer.render(claim, rules, "statement", day, formats=("pdf",), exhibit=True)  # filed, not sent
    templates = producer.template_set(claim.language)
    texts = templates.texts(statement.context, ("bundle",))
    ctx = {**statement.context, "t": texts, "s": texts["bundle"]}
    ctx["meta"] = {**ctx["meta"], "title": f"{texts['bundle']['title']} – {claim.reference}"}
    s = texts["bundle"]
    renderer = producer.pdf_renderer(claim.language)
    fmt = Formatter(statement.context["meta"]["lang"].replace("-", "_"), claim.currency)

    def html_pages(part: str, **extra: Any) -> list[PageObject]:
        html = templates.render_html("bundle.html", {**ctx, "part": part, **extra})
        data = renderer.render(html, identifier=hashlib.sha256(html.encode()).hexdigest())
        return list(PdfReader(io.BytesIO(data)).pages)

    items: list[Item] = []
    items.append(
        Item(
            1,
            s["statement"],
            day,
            "statements",
            list(PdfReader(io.BytesIO(statement.outputs["pdf"])).pages),
            "generated",
        )
    )
    items.append(
        Item(
            2,
            s["payments"],
            day,
            "statements",
            html_pages("payments", events=_events(claim, fmt, templates, statement.context)),
            "generated",
        )
    )

    problems: list[Problem] = []
    skipped: list[str] = []
    claim_file = next((n for n in CLAIM_FILES if (folder / n).is_file()), CLAIM_FILES[0])
    sources = _correspondence(claim, folder, texts, claim_file) + _pieces(claim, folder, claim_file)
    for source in sources:
        item = Item(len(items) + 1, source.title, source.day, source.section, source=source.shown, fitted=True)
        try:
            item.pages = _load(source.path, renderer)
        except PieceUnreadable as exc:
            if not skip_bad:
                problems.append(
                    Problem(
                        f"{source.shown}: {exc}", source.file, source.field, hint="fix the file, or pass --skip-bad"
                    )
                )
                continue
            item.fitted = False
            item.missing = str(exc)
            skipped.append(f"{source.shown}: {exc}")
            item.pages = html_pages(
                "missing",
                missing_title=templates.snippet("bundle_rows", "missing", title=source.title),
                missing_reason=templates.snippet("bundle_rows", "missing_reason", reason=str(exc)),
            )
        items.append(item)
    if pdfa:
        for item in items:
            missing = fonts_not_embedded(item.pages)
            if missing:
                problems.append(
                    Problem(
                        f"{item.source}: uses fonts that are not embedded ({', '.join(sorted(missing))}), "
                        "so the bundle cannot be PDF/A",
                        "claim.yaml",
                        None,
                        hint="embed the fonts in this piece, or drop --pdfa",
                    )
                )
    if problems:
        raise BundleError("pieces cannot be bundled", problems=problems)

    cover = html_pages("cover")
    index_pages = _index_fixed_point(items, cover, templates, renderer, ctx, fmt)
    return _assemble(claim, ctx, cover, index_pages, items, skipped, renderer, pdfa)


def _events(claim: Claim, fmt: Formatter, templates: Any, context: dict[str, Any]) -> list[dict[str, str]]:
    """Every invoice and payment in date order with the running balance of principal."""
    rows: list[tuple[date, int, str, Decimal]] = []
    for inv in claim.invoices:
        rows.append((inv.date, 0, templates.snippet("bundle_rows", "invoice_event", number=inv.number), inv.amount))
    for pay in claim.payments:
        rows.append(
            (pay.date, 1, templates.snippet("bundle_rows", "payment_event", reference=pay.reference or ""), -pay.amount)
        )
    balance = Decimal("0.00")
    out = []
    for when, _, text, amount in sorted(rows, key=lambda r: (r[0], r[1], r[2])):
        balance += amount
        out.append(
            {
                "date": fmt.short_date(when),
                "text": text,
                "debit": fmt.money(amount) if amount > 0 else "",
                "credit": fmt.money(-amount) if amount < 0 else "",
                "balance": fmt.money(balance),
            }
        )
    return out


@dataclass(frozen=True)
class Source:
    """A file that goes into the bundle, already checked to be inside the claim folder."""

    day: date | None
    title: str
    path: Path | None  # None: named, but not there
    shown: str  # its name relative to the claim folder, for the index and errors
    section: str
    file: str  # where it is named: the claim file or the journal
    field: str | None


def _pieces(claim: Claim, folder: Path, claim_file: str) -> list[Source]:
    refused: list[Problem] = []
    found: list[Source] = []
    for i, piece in enumerate(claim.pieces):
        where = f"pieces[{i}].file"
        try:
            path = existing_file(folder, piece.file, file=claim_file, field=where)
        except ClaimError as exc:
            refused += exc.problems
            continue
        found.append(Source(piece.date, piece.title, path, piece.file, "pieces", claim_file, where))
    if refused:
        raise ClaimError(refused[0].message, problems=refused)
    return found


def _correspondence(claim: Claim, folder: Path, texts: dict[str, Any], claim_file: str) -> list[Source]:
    """Documents dossier SENT (from the journal; drafts never), each followed by its proof of sending, and history
    items with a file, in date order, titled in words (never a file name). Every path goes
    through ``dossier.paths`` (a ``ClaimError`` if one leads outside the claim folder); a letter the journal
    records whose file is gone is a missing piece, never silently left out."""
    labels = texts["labels"]["history_types"]
    kinds = {**LETTER_TYPES, "statement": "other"}  # every letter to the debtor, and a statement sent
    found: list[Source] = []
    refused: list[Problem] = []
    try:
        letters = letter_files(folder, tuple(kinds))
    except ClaimError as exc:
        refused += exc.problems
        letters = []
    words = texts["labels"]["channel_words"]
    for letter in letters:
        title = texts["labels"]["statement_of_account"] if letter.kind == "statement" else labels[kinds[letter.kind]]
        if letter.proof:
            title = f"{texts['labels']['proof_of_sending']} – {title}"
        elif letter.failed:
            title = f"{texts['labels']['delivery_failed']} – {title}"
        if letter.channel:
            title = f"{title} ({words[letter.channel]})"
        found.append(
            Source(letter.sent, title, letter.path, letter.shown, "correspondence", letter.file, letter.field)
        )
    for i, item in enumerate(claim.history):
        if item.file:
            where = f"history[{i}].file"
            try:
                path = existing_file(folder, item.file, file=claim_file, field=where)
            except ClaimError as exc:
                refused += exc.problems
                continue
            title = item.summary or labels[item.type]
            found.append(Source(item.date, title, path, item.file, "correspondence", claim_file, where))
    if refused:
        raise ClaimError(refused[0].message, problems=refused)
    return sorted(found, key=lambda r: r.day or date.min)  # stable: a proof of sending stays behind its letter


def _read_checked(path: Path) -> bytes:
    """The bytes of a piece ``dossier.paths`` found inside the claim folder (``path`` is where its links led).
    Opened without following a link and read only if it is still a regular file within the size limit, so a
    piece swapped for a link or a FIFO between the check and the read is not read (a swapped parent folder
    still is: Python has no ``openat2(RESOLVE_BENEATH)``)."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError:
        raise PieceUnreadable("the file cannot be opened (replaced, or a link, since it was checked)") from None
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise PieceUnreadable("not a plain file (it was replaced since it was checked)")
        size = info.st_size
        if size <= MAX_PIECE_FILE_BYTES:
            data = handle.read(MAX_PIECE_FILE_BYTES + 1)
            size = len(data)
        if size > MAX_PIECE_FILE_BYTES:
            raise PieceUnreadable(
                f"the file is {size / 1e6:.0f} MB, over the limit of {MAX_PIECE_FILE_BYTES // 1_000_000} MB; split "
                "or compress it"
            )
    return data


def _message_page(data: bytes, renderer: Any) -> bytes:
    """An archived e-mail (``.eml``) as a page: its headers, its text and what it carried (each attachment's name
    and sha256), and the sha256 of the message itself, the one the journal records."""
    rows, body, carried = _message_parts(data)
    cells = "".join(f"<tr><th>{escape(k)}</th><td>{escape(v)}</td></tr>" for k, v in rows)
    cells += "".join(f"<tr><th>⎘</th><td>{escape(n)}<br>sha256 {escape(h)}</td></tr>" for n, h in carried)
    html = (
        "<html><head><meta charset='utf-8'><style>@page{size:A4;margin:20mm} body{font:9.5pt sans-serif} "
        "th{text-align:left;vertical-align:top;padding-right:4mm;white-space:nowrap} td{word-break:break-all} "
        "pre{white-space:pre-wrap;font:9.5pt sans-serif;border-top:0.5pt solid #888;padding-top:3mm}</style></head>"
        f"<body><table>{cells}</table><pre>{escape(body)}</pre></body></html>"
    )
    try:
        return bytes(renderer.render(html, identifier=hashlib.sha256(html.encode()).hexdigest()))
    except Exception as exc:
        raise PieceUnreadable(f"the message cannot be shown ({type(exc).__name__})") from None


def _message_parts(data: bytes) -> tuple[list[tuple[str, str]], str, list[tuple[str, str]]]:
    """The header rows, the text (at most ``MAX_MESSAGE_TEXT`` characters) and the attachments (name, sha256;
    at most ``MAX_MESSAGE_PARTS``) of a message. A message the e-mail parser cannot take apart (a header it
    trips on) is ``PieceUnreadable``; a text in a character set Python does not know is read as UTF-8."""
    try:
        message = email.message_from_bytes(data, policy=email.policy.default)
        rows = [(name, str(message.get(name, ""))) for name in ("From", "To", "Date", "Subject", "Message-ID")]
        signature = str(message.get("DKIM-Signature", ""))
        if signature:
            tags = dict(t.strip().split("=", 1) for t in signature.split(";") if "=" in t)
            rows.append(("DKIM-Signature", f"d={tags.get('d', '').strip()}; s={tags.get('s', '').strip()}"))
        rows.append(("SHA-256", hashlib.sha256(data).hexdigest()))
        body, carried = "", []
        for part in message.walk():
            if part.get_filename():
                content = part.get_payload(decode=True) or b""
                carried.append((str(part.get_filename()), hashlib.sha256(content).hexdigest()))
            elif part.get_content_type() == "text/plain" and not body:
                body = _plain_text(part)
            if len(carried) > MAX_MESSAGE_PARTS:
                raise PieceUnreadable(f"the message carries more than {MAX_MESSAGE_PARTS} attachments")
    except PieceUnreadable:
        raise
    except Exception as exc:  # the stdlib parser raises IndexError, AttributeError... on malformed headers
        raise PieceUnreadable(f"the message cannot be read: it is malformed ({type(exc).__name__})") from None
    if len(body) > MAX_MESSAGE_TEXT:
        body = body[:MAX_MESSAGE_TEXT] + " […]"
    return rows, body, carried


def _plain_text(part: Any) -> str:
    try:
        return str(part.get_content())
    except LookupError:  # an unknown charset: the bytes as UTF-8, what cannot be read replaced
        return (part.get_payload(decode=True) or b"").decode("utf-8", "replace")


def _load(path: Path | None, renderer: Any) -> list[PageObject]:
    """The pages of the piece at ``path`` (checked to be a file inside the claim folder), fitted onto A4."""
    if path is None:
        raise PieceUnreadable("the file does not exist")
    data = _read_checked(path)
    if path.suffix.lower() == ".eml":
        return read_pdf(_message_page(data, renderer))
    if sniff(data, path.suffix) == "pdf":
        return read_pdf(data)
    check_image(data)
    mime = IMAGE_TYPES.get(path.suffix.lower()) or ("image/png" if data[:4] == b"\x89PNG" else "image/jpeg")
    uri = f"data:{mime};base64," + base64.b64encode(data).decode("ascii")
    html = (
        "<html><head><style>@page{size:A4;margin:0} html,body{margin:0;height:100%} "
        "img{display:block;width:210mm;height:297mm;object-fit:contain}</style></head>"
        f'<body><img src="{uri}"></body></html>'
    )
    try:
        data = renderer.render(html, identifier=hashlib.sha256(html.encode()).hexdigest())
    except Exception as exc:
        raise PieceUnreadable(f"the image cannot be read ({type(exc).__name__})") from None
    return read_pdf(data)


def _index_fixed_point(
    items: list[Item], cover: list[PageObject], templates: Any, renderer: Any, ctx: dict[str, Any], fmt: Formatter
) -> list[PageObject]:
    """Render the index until its length is stable, so every page number in it is right."""
    guess = 1
    for _ in range(MAX_INDEX_PASSES):
        position = len(cover) + guess + 1
        for item in items:
            item.first = position
            position += len(item.pages)
        entries = [
            {
                "number": str(i.number),
                "title": i.title,
                "date": fmt.short_date(i.day) if i.day else "",
                "pages": f"{i.first}–{i.last}" if i.last > i.first else str(i.first),
                "link": f"{LINK_PREFIX}{i.number}",
            }
            for i in items
        ]
        html = templates.render_html("bundle.html", {**ctx, "part": "index", "entries": entries})
        document = renderer.layout(html)
        if len(document.pages) == guess:
            data = document.write_pdf(
                pdf_identifier=hashlib.md5(html.encode(), usedforsecurity=False).hexdigest().encode()
            )
            return list(PdfReader(io.BytesIO(data)).pages)
        guess = len(document.pages)
    raise BundleError("the index does not settle on a page count")


def _assemble(
    claim: Claim,
    ctx: dict[str, Any],
    cover: list[PageObject],
    index_pages: list[PageObject],
    items: list[Item],
    skipped: list[str],
    renderer: Any,
    pdfa: bool,
) -> Bundle:
    s = ctx["s"]
    writer = PdfWriter()
    for page in [*cover, *index_pages]:
        fit_on_a4(writer, page)
    for item in items:
        for page in item.pages:
            if item.fitted:
                writer.add_page(page)
            else:
                fit_on_a4(writer, page)
    total = len(writer.pages)

    piece_of_page: dict[int, tuple[Item, int]] = {}
    for item in items:
        for k in range(len(item.pages)):
            piece_of_page[item.first - 1 + k] = (item, k + 1)
    stamps: list[tuple[str, str | None]] = []
    for i in range(total):
        label = None
        if i in piece_of_page:
            item, k = piece_of_page[i]
            label = f"{s['piece']} {item.number} – {k}/{len(item.pages)}"
        stamps.append((f"{i + 1} / {total}", label))
    stamp_all(writer, stamps, renderer, embedded=pdfa)
    for page in writer.pages:
        page.compress_content_streams()

    # the index's links (carried over, already moved with the page) now point at the pieces' first pages; they
    # are the only annotations the bundle keeps: any other (a link, action, widget or attachment, from a piece
    # or a template) is dropped, and so are page actions
    index_numbers = range(len(cover), len(cover) + len(index_pages))
    for number, page in enumerate(writer.pages):
        kept = ArrayObject()
        for ref in page.get("/Annots", []) if number in index_numbers else []:
            annotation = ref.get_object()
            action = annotation.get("/A", {})
            uri = str(action.get("/URI", "")) if isinstance(action, dict) else ""
            if annotation.get("/Subtype") == "/Link" and uri.startswith(LINK_PREFIX):
                item = items[int(uri[len(LINK_PREFIX) :]) - 1]
                del annotation[NameObject("/A")]
                annotation[NameObject("/Dest")] = ArrayObject(
                    [writer.pages[item.first - 1].indirect_reference, NameObject("/Fit")]
                )
                kept.append(ref)
        for key in ("/Annots", "/AA"):
            if key in page:
                del page[NameObject(key)]
        if kept:
            page[NameObject("/Annots")] = kept

    # bookmarks: one per section and per piece
    writer.add_outline_item(title=s["title"], page_number=0)
    writer.add_outline_item(title=s["index"], page_number=len(cover))
    parents: dict[str, Any] = {}
    for item in items:
        if item.section not in parents:
            parents[item.section] = writer.add_outline_item(
                title=s[f"section_{item.section}"], page_number=item.first - 1
            )
        writer.add_outline_item(
            title=f"{item.number}. {item.title}", page_number=item.first - 1, parent=parents[item.section]
        )

    created = "D:" + ctx["doc"]["sent_iso"].replace("-", "") + "000000Z"
    writer.add_metadata(
        {
            "/Title": ctx["meta"]["title"],
            "/Author": ctx["meta"]["author"],
            "/Creator": "dossier",
            "/Producer": "dossier",
            "/CreationDate": created,
            "/ModDate": created,
        }
    )
    seed = "|".join(
        [ctx["meta"]["title"], ctx["doc"]["sent_iso"], *(f"{i.number}:{i.title}:{i.first}:{i.last}" for i in items)]
    )
    identify(writer, seed.encode("utf-8"))
    if pdfa:
        make_pdfa(
            writer,
            title=ctx["meta"]["title"],
            author=ctx["meta"]["author"],
            created=ctx["doc"]["sent_iso"] + "T00:00:00Z",
        )
    out = io.BytesIO()
    writer.write(out)
    index = [
        {
            "number": i.number,
            "title": i.title,
            "date": i.day.isoformat() if i.day else None,
            "first_page": i.first,
            "last_page": i.last,
            "source": i.source,
            "missing": i.missing,
        }
        for i in items
    ]
    return Bundle(out.getvalue(), total, index, skipped)
