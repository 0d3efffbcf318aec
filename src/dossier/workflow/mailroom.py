"""The day's post, ready for the mailroom: one print-ready PDF of every post (and registered) letter a run
rendered that day, each letter starting on an odd page (a blank page is added after a letter with an odd page
count, for duplex printing), and the mailroom list (CSV, and an HTML page to print) naming for each letter the
claim, the addressee, the address, the channel, its pages, and an empty column for the registered number.

Deterministic: the same letters give the same bytes (no clock, no random identifier), and a file that already
holds those bytes is left alone, so running the same day again changes nothing.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date
from html import escape
from pathlib import Path
from typing import Any

from pypdf import PdfReader, PdfWriter

from dossier.bundle.pdfa import identify
from dossier.errors import ClaimError
from dossier.model import Claim
from dossier.output.files import replace, sha256_of
from dossier.output.journal import Journal, Record
from dossier.paths import existing_file

FOLDER = "mailroom"
COLUMNS = ("claim", "reference", "document", "addressee", "address", "channel", "registered_number", "pages")


@dataclass(frozen=True)
class PostLetter:
    """One letter of the day's post: the claim it belongs to, its draft, and its PDF in the claim's archive."""

    claim: str  # the claim's key in its portfolio (its folder or row name)
    debtor: Claim
    draft: Record
    pdf: Path
    pages: int = 0


def post_letter(label: str, claim: Claim, journal: Journal, draft: Record) -> PostLetter | None:
    """The draft's PDF in the claim's archive, checked to be inside it and unchanged since it was rendered (a
    changed letter is never printed); None when the draft has no PDF."""
    files = draft.data.get("files")
    for index, item in enumerate(files if isinstance(files, list) else []):
        if not isinstance(item, dict) or item.get("format") != "pdf" or not isinstance(item.get("file"), str):
            continue
        where = f"{draft.where}: files[{index}].file"
        path = existing_file(journal.folder, item["file"], file=str(journal.path), field=where)
        if sha256_of(path) != item.get("sha256"):
            raise ClaimError(
                f"{item.get('name')} has changed since it was rendered: it is not printed",
                file=str(journal.path),
                path=where,
                hint="render the letter again, or restore the file (dossier verify)",
            )
        return PostLetter(label, claim, draft, path)
    return None


def print_file(letters: list[PostLetter], day: date) -> tuple[bytes, list[PostLetter]]:
    """One PDF of the letters in order, each starting on an odd page; the letters with their page counts."""
    writer = PdfWriter()
    counted: list[PostLetter] = []
    for letter in letters:
        reader = PdfReader(letter.pdf)
        for page in reader.pages:
            writer.add_page(page)
        if len(reader.pages) % 2:
            box = reader.pages[-1].mediabox
            writer.add_blank_page(width=float(box.width), height=float(box.height))
        counted.append(PostLetter(letter.claim, letter.debtor, letter.draft, letter.pdf, len(reader.pages)))
    stamp = "D:" + day.isoformat().replace("-", "") + "000000Z"
    writer.add_metadata(
        {"/Title": f"Post {day.isoformat()}", "/Creator": "dossier", "/Producer": "dossier", "/CreationDate": stamp}
    )
    identify(writer, "|".join([day.isoformat(), *(str(p.pdf.name) for p in letters)]).encode("utf-8"))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue(), counted


def rows(letters: list[PostLetter]) -> list[dict[str, Any]]:
    """One row per letter, in the order they are printed."""
    out = []
    for letter in letters:
        debtor = letter.debtor.debtor
        a = debtor.address
        lines = [a.street, a.line2, f"{a.postal_code} {a.city}", a.country]
        files = letter.draft.data.get("files") or []
        out.append(
            {
                "claim": letter.claim,
                "reference": letter.debtor.reference,
                "document": letter.pdf.name if not files else str(files[0].get("name", letter.pdf.name)),
                "addressee": debtor.name,
                "address": ", ".join(" ".join(str(p).split()) for p in lines if p),
                "channel": str(letter.draft.data.get("channel")),
                "registered_number": "",
                "pages": letter.pages,
            }
        )
    return out


def _cell(value: object) -> str:
    """A CSV cell a spreadsheet will not run as a formula (a name starting with = + - @ is quoted)."""
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


def list_csv(table: list[dict[str, Any]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for row in table:
        writer.writerow([_cell(row[c]) if isinstance(row[c], str) else row[c] for c in COLUMNS])
    return buffer.getvalue().encode("utf-8")


def list_html(table: list[dict[str, Any]], day: date, printed: int) -> bytes:
    """The mailroom list as a page to print, with room to write each registered number."""
    head = "".join(f"<th>{escape(c.replace('_', ' '))}</th>" for c in COLUMNS)
    body = "".join(
        "<tr>" + "".join(f"<td class='{c}'>{escape(str(row[c]))}</td>" for c in COLUMNS) + "</tr>" for row in table
    )
    pages = sum(int(row["pages"]) for row in table)
    page = (
        "<!doctype html><html><head><meta charset='utf-8'>"
        f"<title>Post {day.isoformat()}</title><style>@page{{size:A4 landscape;margin:12mm}} "
        "body{font:9pt sans-serif} table{border-collapse:collapse;width:100%} th,td{border:0.5pt solid #555;"
        "padding:2mm;text-align:left;vertical-align:top} td.registered_number{width:45mm}</style></head><body>"
        f"<h1>Post {day.isoformat()}</h1><p>{len(table)} letter(s), {pages} page(s); the print file has {printed} "
        "page(s): a letter with an odd page count is followed by a blank page, so that each starts a new sheet</p>"
        f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></body></html>\n"
    )
    return page.encode("utf-8")


def write_pack(folder: Path, day: date, letters: list[PostLetter]) -> dict[str, Any] | None:
    """Write the day's print file and mailroom list into ``folder/mailroom`` (None when there is no post)."""
    if not letters:
        return None
    pdf, counted = print_file(letters, day)
    table = rows(counted)
    printed = len(PdfReader(io.BytesIO(pdf)).pages)
    target = folder / FOLDER
    names = {
        "print": (target / f"{day.isoformat()}_post.pdf", pdf),
        "list_csv": (target / f"{day.isoformat()}_mailroom.csv", list_csv(table)),
        "list_html": (target / f"{day.isoformat()}_mailroom.html", list_html(table, day, printed)),
    }
    for path, data in names.values():
        if not path.is_file() or path.read_bytes() != data:
            replace(path, data)
    return {key: str(path) for key, (path, _) in names.items()} | {"letters": len(table), "pages": printed}
