"""Benchmark: a court bundle of 50 pieces and 500 pages.

Prints seconds and peak memory of `dossier bundle`, and the same for a baseline measured in the same run:
concatenating the same pieces with pypdf and nothing else (no index, stamps, A4 fitting or outline). Each is
run in its own process so that peak memory is its own.

    python benchmarks/bundle.py [--pieces 50] [--pages 500]
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def make_claim(folder: Path, pieces: int, pages: int) -> None:
    """Copy the BE sample and give it ``pieces`` PDFs holding ``pages`` pages in all (mixed sizes)."""
    import yaml
    from pypdf import PdfWriter
    from pypdf.generic import ContentStream, DictionaryObject, NameObject

    shutil.copytree(ROOT / "samples" / "be-b2b-fr", folder, ignore=shutil.ignore_patterns("out"))
    data = yaml.safe_load((folder / "claim.yaml").read_text())
    font = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Font"),
            NameObject("/Subtype"): NameObject("/Type1"),
            NameObject("/BaseFont"): NameObject("/Helvetica"),
        }
    )
    per_piece = [pages // pieces + (1 if i < pages % pieces else 0) for i in range(pieces)]
    for i, count in enumerate(per_piece):
        writer = PdfWriter()
        width, height = (612, 792) if i % 5 == 1 else (842, 595) if i % 5 == 2 else (595, 842)
        for n in range(count):
            page = writer.add_blank_page(width=width, height=height)
            page[NameObject("/Resources")] = DictionaryObject(
                {NameObject("/Font"): DictionaryObject({NameObject("/F1"): font})}
            )
            lines = " ".join(f"(Piece {i} page {n + 1} line {k} lorem ipsum dolor sit amet) '" for k in range(40))
            stream = ContentStream(None, writer)
            stream.set_data(f"BT /F1 10 Tf 40 {height - 50} Td 13 TL {lines} ET".encode("latin-1"))
            page.replace_contents(stream)
        path = folder / "bench" / f"piece-{i:03d}.pdf"
        path.parent.mkdir(exist_ok=True)
        with path.open("wb") as handle:
            writer.write(handle)
        data["pieces"].append({"file": f"bench/piece-{i:03d}.pdf", "title": f"Pièce de test {i}", "date": "2025-06-01"})
    (folder / "claim.yaml").write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))


def child(mode: str, folder: str) -> None:
    start = time.perf_counter()
    if mode == "baseline":
        from pypdf import PdfReader, PdfWriter

        writer = PdfWriter()
        for path in sorted(Path(folder, "bench").glob("*.pdf")):
            for page in PdfReader(path).pages:
                writer.add_page(page)
        with Path(folder, "baseline.pdf").open("wb") as handle:
            writer.write(handle)
        pages = len(writer.pages)
    else:
        from datetime import date

        from dossier import api

        result, _ = api.bundle(folder, day=date(2026, 1, 15))
        pages = result.pages
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": seconds, "peak_mb": peak, "pages": pages}))


def run(mode: str, folder: Path) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, __file__, "--child", mode, str(folder)], capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pieces", type=int, default=50)
    parser.add_argument("--pages", type=int, default=500)
    parser.add_argument("--child", nargs=2)
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "claim"
        make_claim(folder, args.pieces, args.pages)
        baseline = run("baseline", folder)
        bundle = run("bundle", folder)
    print(f"pieces: {args.pieces}, piece pages: {args.pages}")
    print(
        f"baseline (pypdf concatenation only): {baseline['seconds']:.2f} s, peak {baseline['peak_mb']:.0f} MB, "
        f"{baseline['pages']} pages"
    )
    print(
        f"dossier bundle (cover, index, statements, A4 fitting, stamps, outline, links): {bundle['seconds']:.2f} s, "
        f"peak {bundle['peak_mb']:.0f} MB, {bundle['pages']} pages"
    )
    print(
        f"ratio bundle / baseline: {bundle['seconds'] / baseline['seconds']:.1f}x time, "
        f"{bundle['peak_mb'] / baseline['peak_mb']:.1f}x peak memory; "
        f"{bundle['pages'] / bundle['seconds']:.0f} pages/s"
    )


if __name__ == "__main__":
    main()
