"""The court bundle, opened with pypdf: pages, index, stamps, outline, links, odd pages and bad pieces."""

from __future__ import annotations

import hashlib
import io
import json
import re
from datetime import date
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from PIL import Image
from pypdf import PdfReader, PdfWriter
from tests.conftest import copy_sample

from dossier import api
from dossier.bundle.assemble import BundleError
from dossier.cli.main import main

DAY = date(2026, 1, 15)


def text_pdf(path: Path, lines: list[str], width: float = 595, height: float = 842, pages: int = 1) -> None:
    """A small PDF with real text on each page (the sample pieces are made the same way)."""
    writer = PdfWriter()
    from pypdf.generic import ContentStream, DictionaryObject, NameObject

    font = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Font"),
            NameObject("/Subtype"): NameObject("/Type1"),
            NameObject("/BaseFont"): NameObject("/Helvetica"),
        }
    )
    for n in range(pages):
        page = writer.add_blank_page(width=width, height=height)
        page[NameObject("/Resources")] = DictionaryObject(
            {NameObject("/Font"): DictionaryObject({NameObject("/F1"): font})}
        )
        body = " ".join(f"({line} p{n + 1}) '" for line in lines)
        stream = ContentStream(None, writer)
        stream.set_data(f"BT /F1 12 Tf 40 {height - 60} Td 16 TL {body} ET".encode("latin-1"))
        page.replace_contents(stream)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as handle:
        writer.write(handle)


@pytest.fixture
def claim_dir(tmp_path: Path) -> Path:
    """The BE B2B sample plus a landscape US Letter piece of two pages and a PNG scan."""
    target = tmp_path / "claim"
    copy_sample("be-b2b-fr", target)
    text_pdf(target / "documents" / "delivery-notes.pdf", ["Bons de livraison"], width=792, height=612, pages=2)
    Image.new("RGB", (800, 600), (200, 220, 240)).save(target / "documents" / "scan.png")
    data = yaml.safe_load((target / "claim.yaml").read_text())
    data["pieces"] += [
        {"file": "documents/delivery-notes.pdf", "title": "Bons de livraison", "date": "2025-05-20"},
        {"file": "documents/scan.png", "title": "Photo du four", "date": "2025-05-21"},
    ]
    (target / "claim.yaml").write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
    return target


def reader_of(path: Path) -> PdfReader:
    return PdfReader(io.BytesIO(path.read_bytes()))


def page_text(reader: PdfReader, number: int) -> str:
    return re.sub(r"\s+", " ", reader.pages[number - 1].extract_text())


def test_bundle_pages_index_stamps_and_outline(claim_dir: Path) -> None:
    result, target = api.bundle(claim_dir, day=DAY)
    reader = reader_of(target)
    total = len(reader.pages)
    assert total == result.pages == 2 + sum(e["last_page"] - e["first_page"] + 1 for e in result.index)
    for number in range(1, total + 1):
        page = reader.pages[number - 1]
        assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (595, 842)
        assert f"{number} / {total}" in page_text(reader, number)
    titles = [e["title"] for e in result.index]
    assert titles[:2] == ["Décompte au 15 janvier 2026", "Relevé des factures et paiements"]
    for entry in result.index:
        first = page_text(reader, entry["first_page"])
        assert f"Pièce {entry['number']} – 1/{entry['last_page'] - entry['first_page'] + 1}" in first
        if entry["source"].startswith(("documents/F-", "correspondence/")):
            assert entry["title"].split(" ")[-1] in first  # the piece's own text is on its first page
    notes = next(e for e in result.index if e["title"] == "Bons de livraison")
    assert notes["last_page"] == notes["first_page"] + 1  # landscape US Letter, turned onto A4
    assert "Bons de livraison p2" in page_text(reader, notes["last_page"])
    index_page = page_text(reader, 2)
    assert "Inventaire des pièces" in index_page
    assert f"{notes['first_page']}–{notes['last_page']}" in index_page
    outline = [item.title if not isinstance(item, list) else [i.title for i in item] for item in reader.outline]
    assert outline[0] == "Dossier de pièces" and outline[1] == "Inventaire des pièces"
    assert "Décomptes" in outline and "Correspondance" in outline and "Pièces justificatives" in outline
    pieces_section = outline[outline.index("Pièces justificatives") + 1]
    assert pieces_section[0] == "6. Conditions générales de vente"


def test_index_entries_link_to_their_pieces(claim_dir: Path) -> None:
    result, target = api.bundle(claim_dir, day=DAY)
    reader = reader_of(target)
    links = [a.get_object() for a in reader.pages[1].get("/Annots", [])]
    assert all("/A" not in link for link in links)  # no link leaves the document
    targets = sorted(reader.get_page_number(link["/Dest"][0].get_object()) + 1 for link in links)
    assert targets == sorted(e["first_page"] for e in result.index)


def test_same_input_same_bytes(claim_dir: Path, tmp_path: Path) -> None:
    _, a = api.bundle(claim_dir, day=DAY, out=tmp_path / "a.pdf")
    _, b = api.bundle(claim_dir, day=DAY, out=tmp_path / "b.pdf")
    assert hashlib.sha256(a.read_bytes()).hexdigest() == hashlib.sha256(b.read_bytes()).hexdigest()


def test_a_long_index_still_numbers_every_piece_right(claim_dir: Path) -> None:
    data = yaml.safe_load((claim_dir / "claim.yaml").read_text())
    for n in range(70):
        text_pdf(claim_dir / "extra" / f"p{n}.pdf", [f"Extra piece {n}"], pages=1 + n % 3)
        data["pieces"].append(
            {
                "file": f"extra/p{n}.pdf",
                "title": f"Pièce complémentaire numéro {n} avec un titre "
                "assez long pour passer à la ligne dans l'inventaire",
                "date": "2025-06-01",
            }
        )
    (claim_dir / "claim.yaml").write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
    result, target = api.bundle(claim_dir, day=DAY)
    reader = reader_of(target)
    assert result.index[0]["first_page"] > 3  # the index runs over several pages
    for entry in result.index[-70:]:
        n = entry["title"].split()[3]
        assert f"Extra piece {n} p1" in page_text(reader, entry["first_page"])


def add_piece(claim_dir: Path, name: str, data: bytes) -> None:
    (claim_dir / "documents" / name).write_bytes(data)
    claim = yaml.safe_load((claim_dir / "claim.yaml").read_text())
    claim["pieces"].append({"file": f"documents/{name}", "title": "Pièce à problème"})
    (claim_dir / "claim.yaml").write_text(yaml.safe_dump(claim, allow_unicode=True, sort_keys=False))


def encrypted_pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.encrypt("secret")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.mark.parametrize(
    ("name", "data", "words"),
    [
        ("locked.pdf", None, "the PDF is encrypted"),
        ("broken.pdf", b"%PDF-1.4\n1 0 obj <<>> garbage", "the PDF"),
        ("notes.txt", b"just text", "not a PDF, JPEG or PNG file"),
        ("fake.png", b"not really a png", "the file is named as an image but is not a valid JPEG or PNG"),
    ],
)
def test_bad_pieces_stop_the_bundle_with_a_clear_error(
    claim_dir: Path, name: str, data: bytes | None, words: str
) -> None:
    add_piece(claim_dir, name, data if data is not None else encrypted_pdf())
    result = CliRunner().invoke(main, ["bundle", str(claim_dir), "--date", "2026-01-15"])
    assert result.exit_code == 1
    assert f"Error: claim.yaml: pieces[6].file: documents/{name}: {words}" in result.stderr
    assert not list((claim_dir / "out").glob("*bundle*"))


def test_skip_bad_puts_a_page_saying_why(claim_dir: Path) -> None:
    add_piece(claim_dir, "locked.pdf", encrypted_pdf())
    result = CliRunner().invoke(main, ["bundle", str(claim_dir), "--date", "2026-01-15", "--skip-bad", "--json"])
    assert result.exit_code == 0, result.stderr
    manifest = json.loads(result.stdout)
    entry = manifest["index"][-1]
    reader = reader_of(Path(manifest["file"]))
    text = page_text(reader, entry["first_page"])
    assert "Pièce manquante : Pièce à problème" in text and "encrypted" in text
    assert "Warning: skipped documents/locked.pdf" in result.stderr


def test_max_size_refuses_and_writes_nothing(claim_dir: Path) -> None:
    result = CliRunner().invoke(main, ["bundle", str(claim_dir), "--date", "2026-01-15", "--max-size", "0.01"])
    assert result.exit_code == 1 and "over the limit of 0.0 MB" in result.stderr
    assert not list((claim_dir / "out").glob("*bundle*"))


def test_bundle_is_recorded_in_the_journal(claim_dir: Path) -> None:
    with pytest.raises(BundleError):
        api.bundle(claim_dir, day=DAY, max_size=10)
    api.bundle(claim_dir, day=DAY)
    entries = [json.loads(x) for x in (claim_dir / "journal.jsonl").read_text().splitlines()]
    assert [(e["event"], e["kind"]) for e in entries] == [("document-rendered", "bundle")]
    assert entries[0]["files"][0]["sha256"] and entries[0]["files"][0]["file"].startswith("out/")
    assert not (claim_dir / "out" / "ledger.jsonl").exists()
    assert api.verify(claim_dir).intact


def test_pdfa_bundle_has_output_intent_metadata_identifier_and_embedded_fonts(tmp_path: Path) -> None:
    from dossier.bundle.pdfa import fonts_not_embedded

    target = tmp_path / "claim"
    copy_sample("be-b2b-fr", target)
    _, path = api.bundle(target, day=DAY, pdfa=True)
    reader = reader_of(path)
    root = reader.trailer["/Root"]
    assert root["/OutputIntents"][0].get_object()["/S"] == "/GTS_PDFA1"
    xmp = root["/Metadata"].get_object().get_data()
    assert b"<pdfaid:part>2</pdfaid:part>" in xmp and b"<pdfaid:conformance>B</pdfaid:conformance>" in xmp
    assert len(reader.trailer["/ID"]) == 2
    assert fonts_not_embedded(list(reader.pages)) == set()


def test_pdfa_is_refused_when_a_piece_does_not_embed_its_fonts(claim_dir: Path) -> None:
    result = CliRunner().invoke(main, ["bundle", str(claim_dir), "--date", "2026-01-15", "--pdfa"])
    assert result.exit_code == 1
    assert (
        "documents/delivery-notes.pdf: uses fonts that are not embedded (Helvetica), so the bundle cannot be "
        "PDF/A" in result.stderr
    )


def test_correspondence_is_the_sent_letters_in_date_order_titled_in_words_each_with_its_proof(
    claim_dir: Path,
) -> None:
    """Drafts are never filed; a letter sent twice or rendered twice is filed once; the proof of sending (a
    scanned post receipt) follows its letter; no title is a file name."""
    from dossier.output.history import mark_sent
    from dossier.output.journal import Journal, file_record

    journal = Journal.of_claim(claim_dir)
    before = [e["title"] for e in api.bundle(claim_dir, day=DAY)[0].index]
    reminder = api.render(claim_dir, "reminder", sent=date(2025, 12, 1)).entry
    api.render(claim_dir, "formal-notice", sent=date(2026, 1, 10))
    notice = api.render(claim_dir, "formal-notice", sent=date(2026, 1, 10)).entry  # redone: a second draft
    api.render(claim_dir, "statement", sent=date(2026, 1, 10))  # a draft statement: never filed
    drafts_only = [e["title"] for e in api.bundle(claim_dir, day=DAY)[0].index]
    assert drafts_only == before
    text_pdf(claim_dir / "documents" / "receipt.pdf", ["Recu de depot recommande"])
    proof = file_record(journal, claim_dir / "documents" / "receipt.pdf", "pdf")
    mark_sent(journal, notice["n"], channel="registered", day=date(2026, 1, 12), recipient="x", proof=proof)
    mark_sent(journal, reminder["n"], channel="post", day=date(2025, 12, 2), recipient="x")
    result, target = api.bundle(claim_dir, day=DAY)
    titles = [e["title"] for e in result.index]
    added = [t for t in titles if t not in before]
    assert added == [
        "Rappel (courrier)",
        "Mise en demeure (recommandé)",
        "Preuve d'envoi – Mise en demeure (recommandé)",
    ]
    dates = [e["date"] for e in result.index if e["title"] in added]
    assert dates == ["2025-12-02", "2026-01-12", "2026-01-12"]  # the sending days
    assert not any(".pdf" in t or "dossier ledger" in t for t in titles)
    entry = next(e for e in result.index if e["title"].startswith("Preuve d'envoi"))
    assert "Recu de depot recommande" in page_text(reader_of(target), entry["first_page"])


def test_the_statement_filed_in_the_bundle_names_no_channel_of_sending(claim_dir: Path) -> None:
    """A Belgian lawyer's review: the statement filed as an exhibit said "Par courrier ordinaire", but it was never
    posted; a statement rendered to be sent keeps its channel."""
    result, target = api.bundle(claim_dir, day=DAY)
    reader = reader_of(target)
    statement = next(e for e in result.index if e["title"].startswith("Décompte au"))
    first = page_text(reader, statement["first_page"])
    assert "Décompte" in first and "ACME" in first
    assert "courrier ordinaire" not in first and "recommandé" not in first
    from dossier.model import load_claim
    from dossier.output.produce import Producer
    from dossier.rules import load_rules

    claim = load_claim(claim_dir)
    sent = Producer().render(claim, load_rules(claim.jurisdiction), "statement", DAY)
    assert "Par courrier ordinaire" in page_text(PdfReader(io.BytesIO(sent.outputs["pdf"])), 1)
