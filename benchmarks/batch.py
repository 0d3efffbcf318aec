"""Benchmark: a batch of formal notices, against a naive loop and a shell loop measured in the same run.

    python benchmarks/batch.py [--letters 1000] [--workers 2] [--shell 8] [--skip-naive] [--full]

The letters are one-page formal notices (``--one-page``: the computation annex left out), the fixture the goals
of issue 8 were set on; ``--full`` also times the default three-page letter (letter, payment slip, annex).
- batch: `run_batch` on N generated claims (warm worker processes, parsed CSS and fonts kept per worker);
- naive loop: the same letters one after another in one process with WeasyPrint defaults (a new HTML with the
  stylesheet file given by path and a new FontConfiguration per letter);
- shell loop: `dossier render` once per claim (a fresh process per letter), timed on --shell claims;
- DOCX: the same batch with --format docx.
Prints letters/s, pages/s, peak memory per worker and the ratios.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date
from decimal import Decimal
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
DAY = date(2025, 12, 1)
NAMES = [
    "Boulangerie Dubois SRL",
    "Garage Lambert SA",
    "Imprimerie Claes SRL",
    "Brasserie du Parc SC",
    "Menuiserie Dupuis SRL",
    "Pharmacie Centrale SA",
    "Atelier Verbeke SRL",
    "Transports Moreau SA",
]


def make_portfolio(folder: Path, count: int) -> None:
    base = yaml.safe_load((ROOT / "samples" / "be-b2b-fr" / "claim.yaml").read_text())
    base.pop("history", None)
    base.pop("pieces", None)
    for n in range(count):
        claim = dict(base, reference=f"BENCH-{n:05d}")
        claim["debtor"] = dict(base["debtor"], name=f"{NAMES[n % len(NAMES)]} ({n})")
        claim["invoices"] = [
            {
                "number": f"F-{n}-{k}",
                "date": f"2025-0{k + 1}-10",
                "due_date": f"2025-0{k + 2}-09",
                "amount": str(Decimal(150 + (n * 37 + k * 211) % 4000) + Decimal("0.50")),
                "description": f"Prestations du mois {k + 1}",
            }
            for k in range(5)
        ]
        claim["payments"] = [{"date": "2025-07-01", "amount": "100.00"}]
        (folder / f"claim-{n:05d}").mkdir(parents=True)
        (folder / f"claim-{n:05d}" / "claim.yaml").write_text(yaml.safe_dump(claim, allow_unicode=True))


def one_page_html(claim_dir: Path, templates_for) -> str:
    """The HTML of the one-page formal notice of one generated claim (``templates_for(language)``)."""
    from dossier.context.build import build_context
    from dossier.engine.letters import letter_facts
    from dossier.model import load_claim
    from dossier.render.compose import compose
    from dossier.rules import load_rules

    claim = load_claim(claim_dir)
    rules = load_rules(claim.jurisdiction)
    templates = templates_for(claim.language)
    context = build_context(letter_facts(claim, rules, "formal-notice", DAY), claim, rules, ("pdf",))
    context["flags"]["one_page"] = True
    return templates.render_html("formal-notice.html", compose(context, templates))


def naive_loop(folder: Path) -> tuple[float, int]:
    """Same letters, one process, WeasyPrint defaults (no shared CSS object, no shared fonts)."""
    import io

    from pypdf import PdfReader
    from weasyprint import HTML

    from dossier.render.templates import TemplateSet, templates_root

    css = templates_root() / "_base" / "style.css"
    start, pages = time.perf_counter(), 0
    for claim_dir in sorted(folder.iterdir()):
        html = one_page_html(claim_dir, TemplateSet)  # templates compiled afresh for each letter
        data = HTML(string=html, base_url=str(css.parent) + "/").write_pdf(stylesheets=[str(css)])
        pages += len(PdfReader(io.BytesIO(data)).pages)
    return time.perf_counter() - start, pages


def weasyprint_floor(folder: Path, count: int = 40) -> float:
    """Milliseconds WeasyPrint alone needs for one of these letters in a warm process (median): the HTML is
    made beforehand, the stylesheet and fonts are shared. No batch of this letter can beat workers x 1000 / it."""
    import statistics

    from dossier.output.produce import Producer

    producer = Producer()
    pages = [one_page_html(claim_dir, producer.template_set) for claim_dir in sorted(folder.iterdir())[:count]]
    renderer = producer.pdf_renderer("fr")
    times = []
    for n, html in enumerate(pages):
        start = time.perf_counter()
        renderer.render(html, identifier=str(n))
        if n >= 5:  # the first renders warm the caches
            times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def shell_loop(folder: Path, count: int) -> float:
    dossier = Path(sys.executable).with_name("dossier")
    claims = sorted(folder.iterdir())[:count]
    start = time.perf_counter()
    for claim_dir in claims:
        subprocess.run(
            [
                str(dossier),
                "render",
                str(claim_dir),
                "--doc",
                "formal-notice",
                "--date",
                DAY.isoformat(),
                "--out",
                str(claim_dir / "shell-out"),
                "--one-page",
            ],
            check=True,
            capture_output=True,
        )
    return (time.perf_counter() - start) / len(claims)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--letters", type=int, default=200)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--shell", type=int, default=8)
    parser.add_argument("--skip-naive", action="store_true")
    parser.add_argument("--full", action="store_true", help="also time the three-page letter")
    args = parser.parse_args()
    from dossier.batch.runner import run_batch
    from dossier.render.pdf import harfbuzz_subsetting_available

    if not harfbuzz_subsetting_available():
        print("WARNING: libharfbuzz-subset0 is missing: every PDF is about 4x slower", file=sys.stderr)
    full = None
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "portfolio"
        make_portfolio(folder, args.letters)
        batch = run_batch(folder, "formal-notice", out=Path(tmp) / "out", day=DAY, workers=args.workers, one_page=True)
        if args.full:
            full = run_batch(folder, "formal-notice", out=Path(tmp) / "out-full", day=DAY, workers=args.workers)
        docx = run_batch(
            folder,
            "formal-notice",
            out=Path(tmp) / "out-docx",
            day=DAY,
            workers=args.workers,
            formats=("docx",),
            one_page=True,
        )
        naive_seconds, _ = (0.0, 0) if args.skip_naive else naive_loop(folder)
        floor_ms = weasyprint_floor(folder)
        shell_per_letter = shell_loop(folder, args.shell)
        shutil.rmtree(folder)
    rate = batch.done / batch.seconds
    print(f"letters: {batch.done} formal notices (BE B2B, five invoices), {args.workers} workers")
    print(
        f"batch PDF: {batch.seconds:.1f} s, {rate:.1f} letters/s, {batch.pages / batch.seconds:.1f} pages/s "
        f"({batch.pages / batch.done:.1f} pages a letter), peak memory per worker {batch.peak_worker_mb:.0f} MB"
    )
    if full is not None:
        print(
            f"batch PDF, full letter: {full.done / full.seconds:.1f} letters/s, {full.pages / full.seconds:.1f} "
            f"pages/s ({full.pages / full.done:.1f} pages a letter), "
            f"peak memory per worker {full.peak_worker_mb:.0f} MB"
        )
    ceiling = args.workers * 1000 / floor_ms
    print(
        f"WeasyPrint alone: {floor_ms:.0f} ms a letter (warm, median) -> at most {ceiling:.1f} letters/s on "
        f"{args.workers} workers; the batch reaches {rate / ceiling:.0%} of that"
    )
    print(f"batch DOCX: {docx.done / docx.seconds:.1f} letters/s")
    if naive_seconds:
        naive_rate = args.letters / naive_seconds
        print(
            f"naive loop (one process, WeasyPrint defaults): {naive_rate:.1f} letters/s "
            f"-> ratio {rate / naive_rate:.2f}x"
        )
    print(
        f"shell loop (`dossier render` per claim, {args.shell} claims): {1 / shell_per_letter:.2f} letters/s "
        f"-> ratio {rate * shell_per_letter:.1f}x"
    )
    print(f"this process peak memory: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
