"""Regenerate the PDF files the sample claims name (history and pieces) as small, realistic documents.

They are rendered with WeasyPrint and the bundled font (embedded), so the samples also make a PDF/A bundle.
Run: ``python tools/make_sample_pieces.py`` (deterministic: same files every time).
"""

from __future__ import annotations

import hashlib
import html
import sys
from pathlib import Path

import yaml
from weasyprint import HTML

ROOT = Path(__file__).resolve().parents[1]
FONT = (ROOT / "templates" / "_base" / "fonts" / "Carlito-Regular.ttf").as_uri()
STYLE = f"""@font-face {{ font-family: S; src: url("{FONT}"); }}
@page {{ size: A4; margin: 25mm; }} body {{ font-family: S; font-size: 11pt; }}
h1 {{ font-size: 16pt; color: #0f2a4a; }} .meta {{ color: #555; }}"""


def piece(path: Path, claim: dict, title: str, day: str) -> None:
    lines = "".join(
        f"<p>{html.escape(t)}</p>"
        for t in (
            f"{claim['creditor']['name']} – {claim['debtor']['name']}",
            f"{claim['reference']} · {day}",
            "Sample document bundled with dossier to show a claim folder; it stands for the real piece.",
        )
    )
    source = (
        f"<html><head><meta charset='utf-8'><meta name='dcterms.created' content='{day}T00:00:00Z'>"
        f"<style>{STYLE}</style></head><body><h1>{html.escape(title)}</h1>"
        f"<div class='meta'>{lines}</div></body></html>"
    )
    data = HTML(string=source).write_pdf(
        pdf_identifier=hashlib.md5(source.encode(), usedforsecurity=False).hexdigest().encode()
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def main() -> int:
    count = 0
    for claim_file in sorted((ROOT / "samples").glob("*/claim.yaml")):
        claim = yaml.safe_load(claim_file.read_text(encoding="utf-8"))
        for item in claim.get("history", []) + claim.get("pieces", []):
            if item.get("file"):
                piece(
                    claim_file.parent / item["file"],
                    claim,
                    item.get("title") or item.get("summary") or "",
                    str(item.get("date", "")),
                )
                count += 1
    print(f"wrote {count} sample pieces")
    return 0


if __name__ == "__main__":
    sys.exit(main())
