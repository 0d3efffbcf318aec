"""Hostile input to the bundle: planted ledgers and symlinks, active annotations, damaged or oversized pieces,
images that cannot be decoded, and an ``--out`` file that already exists. Each one is a clear error naming
the file (or, with ``--skip-bad``, a page saying why), never a traceback, never a server file in the bundle."""

from __future__ import annotations

import io
import json
import re
import struct
import zlib
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner, Result
from PIL import Image
from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    ContentStream,
    DictionaryObject,
    FloatObject,
    IndirectObject,
    NameObject,
    NumberObject,
    RectangleObject,
    StreamObject,
    TextStringObject,
)
from tests.conftest import copy_sample

from dossier import api
from dossier.bundle import assemble, pages
from dossier.cli.main import main
from dossier.errors import ClaimError

DAY = "2026-01-15"
TODAY = date(2026, 1, 15)
SECRET = "TOPSECRET-SERVER-FILE"
FONT = DictionaryObject(
    {
        NameObject("/Type"): NameObject("/Font"),
        NameObject("/Subtype"): NameObject("/Type1"),
        NameObject("/BaseFont"): NameObject("/Helvetica"),
    }
)


def pdf_bytes(text: str = "Hello", *, pages_: int = 1, box: tuple[float, ...] = (0, 0, 595, 842)) -> bytes:
    """A small PDF with ``text`` on each page."""
    writer = PdfWriter()
    for n in range(pages_):
        page = writer.add_blank_page(width=595, height=842)
        page.mediabox = RectangleObject([FloatObject(v) for v in box])
        page[NameObject("/Resources")] = DictionaryObject(
            {NameObject("/Font"): DictionaryObject({NameObject("/F1"): FONT})}
        )
        stream = ContentStream(None, writer)
        stream.set_data(f"BT /F1 12 Tf 40 700 Td ({text} p{n + 1}) Tj ET".encode("latin-1"))
        page.replace_contents(stream)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def raw_content_pdf(content: bytes, *, flate: bool = False) -> bytes:
    """A one-page PDF whose content stream is ``content`` as given (optionally Flate-compressed)."""
    writer = PdfWriter()
    page = writer.add_blank_page(width=595, height=842)
    stream = StreamObject()
    stream.set_data(zlib.compress(content, 9) if flate else content)
    if flate:
        stream[NameObject("/Filter")] = NameObject("/FlateDecode")
    page[NameObject("/Contents")] = writer._add_object(stream)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def png_header_only(width: int, height: int) -> bytes:
    """A PNG that declares ``width`` x ``height`` pixels but holds almost no data: what the header says is all
    that must be looked at."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + chunk(b"IEND", b"")
    )


def jpeg_with_height(height: int) -> bytes:
    """A real small JPEG whose frame header (SOF0) then claims ``height`` rows."""
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 30, 30)).save(out, "JPEG")
    data = bytearray(out.getvalue())
    sof = data.index(b"\xff\xc0")
    data[sof + 5 : sof + 7] = struct.pack(">H", height)
    return bytes(data)


def truncated_png() -> bytes:
    out = io.BytesIO()
    Image.effect_noise((300, 300), 80).convert("RGB").save(out, "PNG")
    return out.getvalue()[:2000]


@pytest.fixture
def claim_dir(tmp_path: Path) -> Path:
    return copy_sample("be-b2b-fr", tmp_path / "claim")


@pytest.fixture
def secret(tmp_path: Path) -> Path:
    """A PDF on the 'server', outside the claim folder, that no bundle may contain."""
    path = tmp_path / "server" / "secret.pdf"
    path.parent.mkdir()
    path.write_bytes(pdf_bytes(SECRET))
    return path


def add_piece(claim_dir: Path, name: str, data: bytes) -> int:
    """Add ``documents/name`` as the claim's last piece; its index in ``pieces``."""
    (claim_dir / "documents" / name).write_bytes(data)
    claim = yaml.safe_load((claim_dir / "claim.yaml").read_text())
    claim["pieces"].append({"file": f"documents/{name}", "title": "Pièce à problème"})
    (claim_dir / "claim.yaml").write_text(yaml.safe_dump(claim, allow_unicode=True, sort_keys=False))
    return len(claim["pieces"]) - 1


def plant_ledger(claim_dir: Path, files: Any, **entry: Any) -> None:
    (claim_dir / "out").mkdir(exist_ok=True)
    line = {"kind": "reminder", "level": 1, "sent": "2025-03-01", "channel": "post", "files": files} | entry
    (claim_dir / "out" / "ledger.jsonl").write_text(json.dumps(line) + "\n")


def bundle_cli(claim_dir: Path, *extra: str) -> Result:
    return CliRunner().invoke(main, ["bundle", str(claim_dir), "--date", DAY, *extra])


def all_text(path: Path) -> str:
    reader = PdfReader(io.BytesIO(path.read_bytes()))
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))


def bundles_in(claim_dir: Path) -> list[Path]:
    return sorted((claim_dir / "out").glob("*bundle*.pdf"))


# 1. files disclosed through the ledger


@pytest.mark.parametrize(
    ("files", "message"),
    [
        (
            lambda s: [{"name": str(s), "format": "pdf"}],
            "out/ledger.jsonl: line 1: files[0].name: the path given must be a path inside the claim folder",
        ),
        (
            lambda s: [{"name": "../../server/secret.pdf", "format": "pdf"}],
            "out/ledger.jsonl: line 1: files[0].name: out/../../server/secret.pdf must be a path inside the claim",
        ),
        (
            lambda s: [{"name": "../" * 12 + str(s).lstrip("/"), "format": "pdf"}],
            "out/ledger.jsonl: line 1: files[0].name: out/../../../",
        ),
    ],
    ids=["absolute", "dotdot", "dotdot-to-root"],
)
def test_a_planted_ledger_name_is_refused(claim_dir: Path, secret: Path, files: Any, message: str) -> None:
    answers = []
    for target in (secret, secret.with_name("nothing.pdf")):  # one that exists, one that does not
        plant_ledger(claim_dir, files(target))
        with pytest.raises(ClaimError) as info:
            api.bundle(claim_dir, day=TODAY)
        assert str(info.value).startswith(message)
        assert str(info.value).endswith("must be a path inside the claim folder (no absolute path, no '..')")
        answers.append(str(info.value).replace("nothing.pdf", "secret.pdf"))
    assert answers[0] == answers[1]  # nothing tells whether a server file exists
    assert not bundles_in(claim_dir)


def test_a_symlink_in_out_leading_outside_is_refused(claim_dir: Path, secret: Path) -> None:
    plant_ledger(claim_dir, [{"name": "2025-03-01_reminder-1_v1.pdf", "format": "pdf"}])
    (claim_dir / "out" / "2025-03-01_reminder-1_v1.pdf").symlink_to(secret)
    result = bundle_cli(claim_dir)
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: out/ledger.jsonl: line 1: files[0].name: out/2025-03-01_reminder-1_v1.pdf leads outside the claim "
        "folder\n"
    )
    assert "Traceback" not in result.output and str(secret.parent) not in result.output
    assert not bundles_in(claim_dir)


def test_an_out_folder_that_is_a_symlink_leading_outside_is_refused(claim_dir: Path, secret: Path) -> None:
    (claim_dir / "out").symlink_to(secret.parent, target_is_directory=True)
    (secret.parent / "ledger.jsonl").write_text(
        json.dumps({"kind": "statement", "sent": "2025-03-01", "files": [{"name": "secret.pdf", "format": "pdf"}]})
        + "\n"
    )
    result = bundle_cli(claim_dir)
    assert result.exit_code == 1
    assert "out/secret.pdf leads outside the claim folder" in result.stderr
    assert str(secret.parent) not in result.output


def test_a_recorded_path_outside_the_claim_is_never_read(claim_dir: Path, secret: Path) -> None:
    """An old-style ledger ``path`` pointing at a server file: the letter counts as missing; with --skip-bad the
    bundle is made, and it holds a page saying so, not the server file."""
    plant_ledger(claim_dir, [{"name": "letter.pdf", "path": str(secret), "format": "pdf"}])
    result = bundle_cli(claim_dir)
    assert result.exit_code == 1
    assert "Error: out/ledger.jsonl: line 1: files[0].name: out/letter.pdf: the file does not exist" in result.stderr
    assert str(secret) not in result.output
    result = bundle_cli(claim_dir, "--skip-bad")
    assert result.exit_code == 0, result.output
    [made] = bundles_in(claim_dir)
    text = all_text(made)
    assert SECRET not in text and "Pièce manquante" in text
    assert SECRET.encode() not in made.read_bytes()


def test_a_history_file_through_a_symlink_is_refused(claim_dir: Path, secret: Path) -> None:
    (claim_dir / "correspondence" / "mail.pdf").symlink_to(secret)
    claim = yaml.safe_load((claim_dir / "claim.yaml").read_text())
    claim["history"].append({"date": "2025-04-01", "type": "other", "file": "correspondence/mail.pdf"})
    (claim_dir / "claim.yaml").write_text(yaml.safe_dump(claim, allow_unicode=True, sort_keys=False))
    result = bundle_cli(claim_dir)
    assert result.exit_code == 1
    assert re.search(r"Error: claim.yaml: history\[\d+\].file: correspondence/mail.pdf leads outside", result.stderr)
    assert str(secret.parent) not in result.output


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ({"files": "x.pdf"}, "Error: out/ledger.jsonl: line 1: files: must be a list"),
        ({"kind": "statement", "sent": "soon"}, "Error: out/ledger.jsonl: line 1: sent: must be a date"),
        ({"files": [{"name": 7, "format": "pdf"}]}, "Error: out/ledger.jsonl: line 1: files[0].name: must be a file"),
        ({"files": [{"name": "a\x00.pdf", "format": "pdf"}]}, "files[0].name: the path given must be a path inside"),
    ],
    ids=["files-not-a-list", "bad-sent", "name-not-text", "nul"],
)
def test_a_malformed_ledger_line_is_a_clear_error(claim_dir: Path, entry: dict[str, Any], message: str) -> None:
    plant_ledger(claim_dir, **({"files": []} | entry))
    result = bundle_cli(claim_dir)
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert message in result.stderr


def test_a_letter_of_the_ledger_inside_out_is_bundled(claim_dir: Path) -> None:
    plant_ledger(claim_dir, [{"name": "2025-03-01_reminder-1_v1.pdf", "format": "pdf"}])
    (claim_dir / "out" / "2025-03-01_reminder-1_v1.pdf").write_bytes(pdf_bytes("Premier rappel"))
    result, target = api.bundle(claim_dir, day=TODAY)
    assert any(e["source"] == "out/2025-03-01_reminder-1_v1.pdf" for e in result.index)
    assert "Premier rappel p1" in all_text(target)


# 3. active links and actions from pieces


def active_pdf() -> bytes:
    """A piece whose page carries /Launch, /JavaScript and /URI links, a form widget with a field action, a
    file attachment and a page action, with a document /OpenAction and document-level JavaScript."""
    writer = PdfWriter()
    page = writer.add_blank_page(width=595, height=842)
    fonts = DictionaryObject({NameObject("/F1"): FONT})
    page[NameObject("/Resources")] = DictionaryObject({NameObject("/Font"): fonts})
    stream = ContentStream(None, writer)
    stream.set_data(b"BT /F1 12 Tf 40 700 Td (Active piece) Tj ET")
    page.replace_contents(stream)

    def rect() -> ArrayObject:
        return ArrayObject([NumberObject(40), NumberObject(40), NumberObject(200), NumberObject(80)])

    def action(kind: str, **extra: Any) -> DictionaryObject:
        return DictionaryObject({NameObject("/S"): NameObject(kind), **extra})

    js = action("/JavaScript", **{NameObject("/JS"): TextStringObject("app.alert('pwned')")})
    annotations = [
        {"/Subtype": "/Link", "/A": action("/Launch", **{NameObject("/F"): TextStringObject("/bin/sh")})},
        {"/Subtype": "/Link", "/A": js},
        {"/Subtype": "/Link", "/A": action("/URI", **{NameObject("/URI"): TextStringObject("https://evil.example/")})},
        {"/Subtype": "/Widget", "/FT": "/Btn", "/AA": DictionaryObject({NameObject("/E"): js})},
        {"/Subtype": "/FileAttachment", "/Contents": TextStringObject("payload")},
    ]
    refs = []
    for spec in annotations:
        annotation = DictionaryObject({NameObject("/Type"): NameObject("/Annot"), NameObject("/Rect"): rect()})
        for key, value in spec.items():
            annotation[NameObject(key)] = NameObject(value) if type(value) is str else value
        refs.append(writer._add_object(annotation))
    page[NameObject("/Annots")] = ArrayObject(refs)
    page[NameObject("/AA")] = DictionaryObject({NameObject("/O"): js})
    writer._root_object[NameObject("/OpenAction")] = js
    names = ArrayObject([TextStringObject("startup"), writer._add_object(js)])
    writer._root_object[NameObject("/Names")] = DictionaryObject(
        {NameObject("/JavaScript"): DictionaryObject({NameObject("/Names"): names})}
    )
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def every_name(reader: PdfReader) -> set[str]:
    """Every dictionary key and name value reachable from the trailer."""
    found: set[str] = set()
    seen: set[int] = set()
    todo: list[Any] = [reader.trailer]
    while todo:
        obj = todo.pop()
        if isinstance(obj, IndirectObject):
            if obj.idnum in seen:
                continue
            seen.add(obj.idnum)
            todo.append(obj.get_object())
        elif isinstance(obj, dict):
            found.update(str(k) for k in obj)
            todo.extend(obj.values())
        elif isinstance(obj, list):
            todo.extend(obj)
        elif isinstance(obj, NameObject):
            found.add(str(obj))
    return found


def test_a_pieces_annotations_and_actions_never_reach_the_bundle(claim_dir: Path) -> None:
    source = active_pdf()
    assert {"/Launch", "/JavaScript", "/URI", "/Widget", "/FileAttachment", "/AA", "/OpenAction"} <= every_name(
        PdfReader(io.BytesIO(source))
    )
    add_piece(claim_dir, "active.pdf", source)
    result, target = api.bundle(claim_dir, day=TODAY)
    reader = PdfReader(io.BytesIO(target.read_bytes()))
    names = every_name(reader)
    for forbidden in ("/Launch", "/JavaScript", "/JS", "/URI", "/Widget", "/FileAttachment", "/AA", "/OpenAction"):
        assert forbidden not in names, forbidden
    links = [
        (number, ref.get_object())
        for number, page in enumerate(reader.pages, start=1)
        for ref in page.get("/Annots", [])
    ]
    assert {number for number, _ in links} == {2}  # only the index has annotations...
    assert all(link["/Subtype"] == "/Link" and "/Dest" in link and "/A" not in link for _, link in links)
    assert len(links) == len(result.index)  # ...one internal link per piece
    assert "Active piece" in all_text(target)  # the piece itself is there


def appearance(writer: PdfWriter, text: str) -> IndirectObject:
    """A normal-appearance stream writing ``text`` in its 100 x 20 box."""
    stream = StreamObject()
    stream.set_data(f"BT /F1 10 Tf 2 6 Td ({text}) Tj ET".encode("latin-1"))
    stream[NameObject("/Type")] = NameObject("/XObject")
    stream[NameObject("/Subtype")] = NameObject("/Form")
    stream[NameObject("/BBox")] = ArrayObject([NumberObject(0), NumberObject(0), NumberObject(100), NumberObject(20)])
    stream[NameObject("/Resources")] = DictionaryObject(
        {NameObject("/Font"): DictionaryObject({NameObject("/F1"): FONT})}
    )
    return writer._add_object(stream)


def test_what_an_annotation_shows_is_kept_as_plain_content(claim_dir: Path) -> None:
    """A filled form field stays visible (drawn into the page), the field itself and its actions are gone; a
    hidden annotation stays hidden."""
    writer = PdfWriter()
    page = writer.add_blank_page(width=595, height=842)
    specs = [
        ("/Widget", "FILLED-VALUE", 4, "/Btn"),
        ("/Stamp", "HIDDEN-TEXT", 2, None),
    ]
    refs = []
    for subtype, text, flags, field_type in specs:
        annotation = DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Annot"),
                NameObject("/Subtype"): NameObject(subtype),
                NameObject("/F"): NumberObject(flags),
                NameObject("/Rect"): ArrayObject([NumberObject(v) for v in (100, 500, 300, 540)]),
                NameObject("/AP"): DictionaryObject({NameObject("/N"): appearance(writer, text)}),
                NameObject("/A"): DictionaryObject(
                    {NameObject("/S"): NameObject("/Launch"), NameObject("/F"): TextStringObject("calc.exe")}
                ),
            }
        )
        if field_type:
            annotation[NameObject("/FT")] = NameObject(field_type)
        refs.append(writer._add_object(annotation))
    page[NameObject("/Annots")] = ArrayObject(refs)
    out = io.BytesIO()
    writer.write(out)
    add_piece(claim_dir, "form.pdf", out.getvalue())
    result, target = api.bundle(claim_dir, day=TODAY)
    reader = PdfReader(io.BytesIO(target.read_bytes()))
    text = reader.pages[result.index[-1]["first_page"] - 1].extract_text()
    assert "FILLED-VALUE" in text and "HIDDEN-TEXT" not in text
    names = every_name(reader)
    assert "/Widget" not in names and "/Launch" not in names and "/Stamp" not in names


def test_too_many_annotations_on_a_page_are_refused(claim_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pages, "MAX_ANNOTATIONS", 3)
    index = add_piece(claim_dir, "active.pdf", active_pdf())
    result = bundle_cli(claim_dir)
    assert result.exit_code == 1
    assert (
        f"Error: claim.yaml: pieces[{index}].file: documents/active.pdf: page 1 has 5 annotations, over the limit "
        "of 3" in result.stderr
    )


# 6. damaged pieces and limits


def nested_arrays() -> bytes:
    return raw_content_pdf(b"[" * 5000 + b"]" * 5000 + b" pop")


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (nested_arrays(), "the PDF is damaged (objects or page content nested too deeply)"),
        (pdf_bytes(box=(0, 0, 0, 0)), "page 1 has a size of 0 x 0 points, outside the 3 to 14400 points"),
        (pdf_bytes(box=(0, 0, 1e38, 1e38)), "page 1 has a size of 1e+38 x 1e+38 points, outside the 3 to 14400"),
        (
            raw_content_pdf(b"0 0 m\n" + b" " * 60_000_000, flate=True),
            "the PDF holds a stream over the limit of 50 MB once decompressed",
        ),
    ],
    ids=["nested-arrays", "zero-mediabox", "huge-mediabox", "flate-bomb"],
)
def test_a_hostile_pdf_piece_is_a_clear_error_or_a_page_saying_why(claim_dir: Path, data: bytes, words: str) -> None:
    index = add_piece(claim_dir, "hostile.pdf", data)
    result = bundle_cli(claim_dir)
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert f"Error: claim.yaml: pieces[{index}].file: documents/hostile.pdf: {words}" in result.stderr
    assert not bundles_in(claim_dir)
    result = bundle_cli(claim_dir, "--skip-bad", "--json")
    assert result.exit_code == 0, result.output
    assert f"Warning: skipped documents/hostile.pdf: {words}" in result.stderr
    manifest = json.loads(result.stdout)
    reader = PdfReader(io.BytesIO(Path(manifest["file"]).read_bytes()))
    page = re.sub(r"\s+", " ", reader.pages[manifest["index"][-1]["first_page"] - 1].extract_text())
    assert "Pièce manquante : Pièce à problème" in page and words.split(" (")[0][:30] in page


def test_pages_per_piece_are_bounded(claim_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pages, "MAX_PIECE_PAGES", 3)
    index = add_piece(claim_dir, "long.pdf", pdf_bytes(pages_=4))
    result = bundle_cli(claim_dir)
    assert result.exit_code == 1
    assert (
        f"Error: claim.yaml: pieces[{index}].file: documents/long.pdf: the PDF has 4 pages, over the limit of 3; "
        "split it" in result.stderr
    )


def test_a_piece_file_too_large_is_refused_before_it_is_read(
    claim_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(assemble, "MAX_PIECE_FILE_BYTES", 1_000_000)
    index = add_piece(claim_dir, "scan.pdf", pdf_bytes() + b"%" * 1_500_000)
    result = bundle_cli(claim_dir)
    assert result.exit_code == 1
    assert (
        f"Error: claim.yaml: pieces[{index}].file: documents/scan.pdf: the file is 2 MB, over the limit of 1 MB; "
        "split or compress it" in result.stderr
    )


def test_decompressed_content_per_piece_is_bounded(claim_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Many pages each under the per-stream limit still add up to the per-piece one."""
    monkeypatch.setattr(pages, "MAX_PIECE_CONTENT_BYTES", 100)
    index = add_piece(claim_dir, "wordy.pdf", pdf_bytes("x" * 40, pages_=3))
    result = bundle_cli(claim_dir)
    assert result.exit_code == 1
    assert (
        f"pieces[{index}].file: documents/wordy.pdf: its page content is over 0 MB once decompressed (page 2)"
        in result.stderr
    )


def test_odd_but_valid_pages_still_fit(claim_dir: Path) -> None:
    """The bounds leave real pages alone: a tiny label and an A0 poster, turned and scaled onto A4."""
    add_piece(claim_dir, "label.pdf", pdf_bytes("Label", box=(0, 0, 100, 50)))
    add_piece(claim_dir, "poster.pdf", pdf_bytes("Poster", box=(0, 0, 2384, 3370)))
    result, target = api.bundle(claim_dir, day=TODAY)
    reader = PdfReader(io.BytesIO(target.read_bytes()))
    for entry in result.index[-2:]:
        page = reader.pages[entry["first_page"] - 1]
        assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (595, 842)
    assert "Label p1" in all_text(target) and "Poster p1" in all_text(target)


# 7. images that cannot be decoded


@pytest.mark.parametrize(
    ("name", "data", "words"),
    [
        ("huge.png", png_header_only(30000, 30000), "the image has over 60 million pixels; scale it down"),
        ("big.png", png_header_only(12000, 12000), "the image is 12000 x 12000 pixels, over the limit of 60 million"),
        ("zero.jpg", jpeg_with_height(0), "the image cannot be decoded"),
        ("cut.png", truncated_png(), "the image cannot be decoded"),
    ],
    ids=["30000x30000", "12000x12000", "jpeg-height-0", "truncated-png"],
)
def test_an_image_that_cannot_be_decoded_is_an_error_not_a_blank_page(
    claim_dir: Path, name: str, data: bytes, words: str
) -> None:
    index = add_piece(claim_dir, name, data)
    result = bundle_cli(claim_dir)
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert f"Error: claim.yaml: pieces[{index}].file: documents/{name}: {words}" in result.stderr
    result = bundle_cli(claim_dir, "--skip-bad")
    assert result.exit_code == 0
    assert f"Warning: skipped documents/{name}: {words}" in result.stderr


def test_a_good_image_is_still_bundled(claim_dir: Path) -> None:
    out = io.BytesIO()
    Image.new("RGB", (400, 300), (10, 120, 200)).save(out, "JPEG")
    add_piece(claim_dir, "photo.jpg", out.getvalue())
    result, target = api.bundle(claim_dir, day=TODAY)
    page = PdfReader(io.BytesIO(target.read_bytes())).pages[result.index[-1]["first_page"] - 1]
    assert list(page.images)  # the photo is on its page


# 6. bundle --out on an existing file


def test_out_on_an_existing_file_that_is_not_a_bundle_is_refused(claim_dir: Path, tmp_path: Path) -> None:
    target = tmp_path / "court.pdf"
    target.write_bytes(b"%PDF-1.4 someone else's file")
    result = bundle_cli(claim_dir, "--out", str(target))
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert result.stderr.startswith(
        f"Error: {target}: already exists and is not a bundle of this claim (its journal records none with these "
        "contents)"
    )
    assert target.read_bytes() == b"%PDF-1.4 someone else's file"


def test_out_on_a_previous_bundle_of_the_claim_replaces_it(claim_dir: Path, tmp_path: Path) -> None:
    target = tmp_path / "court.pdf"
    assert bundle_cli(claim_dir, "--out", str(target)).exit_code == 0
    first = target.read_bytes()
    add_piece(claim_dir, "extra.pdf", pdf_bytes("Extra piece"))
    result = bundle_cli(claim_dir, "--out", str(target))
    assert result.exit_code == 0, result.output
    assert target.read_bytes() != first and "Extra piece p1" in all_text(target)
    entries = [json.loads(line) for line in (claim_dir / "journal.jsonl").read_text().splitlines()]
    assert [e["kind"] for e in entries] == ["bundle", "bundle"]
    assert not list(tmp_path.glob(".court.pdf.*"))  # no temporary file left


def test_out_on_a_symlink_is_refused(claim_dir: Path, tmp_path: Path) -> None:
    (tmp_path / "real.pdf").write_bytes(b"%PDF-1.4 kept")
    (tmp_path / "court.pdf").symlink_to(tmp_path / "real.pdf")
    result = bundle_cli(claim_dir, "--out", str(tmp_path / "court.pdf"))
    assert result.exit_code == 1 and "already exists and is not a bundle of this claim" in result.stderr
    assert (tmp_path / "real.pdf").read_bytes() == b"%PDF-1.4 kept"


# an archived e-mail (.eml) among the pieces or the correspondence


@pytest.mark.parametrize(
    "message",
    [
        b"To: =?utf-8?q?=E2=80?= <@>\r\nFrom: <a@[b\r\n\r\nhello\r\n",  # AttributeError in the stdlib parser
        b"Message-ID: <[\r\nSubject: x\r\n\r\nhello\r\n",  # IndexError in the stdlib parser
    ],
    ids=["address", "message-id"],
)
def test_a_malformed_message_is_a_clear_error_or_a_page_saying_why(claim_dir: Path, message: bytes) -> None:
    index = add_piece(claim_dir, "mail.eml", message)
    result = bundle_cli(claim_dir)
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert f"pieces[{index}].file: documents/mail.eml: the message cannot be read: it is malformed" in result.stderr
    assert not bundles_in(claim_dir)
    result = bundle_cli(claim_dir, "--skip-bad")
    assert result.exit_code == 0, result.output
    assert "Warning: skipped documents/mail.eml: the message cannot be read" in result.stderr


def test_a_message_in_an_unknown_character_set_is_shown(claim_dir: Path) -> None:
    message = b"From: a@example.com\r\nContent-Type: text/plain; charset=x-unknown\r\n\r\nBonjour UNIQUE-WORDS\r\n"
    add_piece(claim_dir, "mail.eml", message)
    result = bundle_cli(claim_dir)
    assert result.exit_code == 0, result.output
    assert "UNIQUE-WORDS" in all_text(bundles_in(claim_dir)[0])


def test_a_messages_text_is_cut_at_its_limit(claim_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(assemble, "MAX_MESSAGE_TEXT", 300)
    text = " ".join(f"w{n:04d}" for n in range(1000))
    add_piece(claim_dir, "mail.eml", b"From: a@example.com\r\nSubject: long\r\n\r\n" + text.encode() + b"\r\n")
    result = bundle_cli(claim_dir)
    assert result.exit_code == 0, result.output
    shown = all_text(bundles_in(claim_dir)[0])
    assert "w0000" in shown and "[…]" in shown and "w0999" not in shown
