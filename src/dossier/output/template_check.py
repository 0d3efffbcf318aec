"""``dossier templates check``: render every template for every sample claim and report what is wrong.

Finds missing variables (with template and line), wording missing in a language, files missing from a
language folder, and template syntax left in the output. A firm runs it on its own folder before use.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from docx import Document
from pypdf import PdfReader

from dossier.engine.letters import KINDS, PlanRequest
from dossier.engine.settlement import OFFER_KINDS, OfferRequest
from dossier.engine.statement import compute_statement
from dossier.errors import DossierError, Problem
from dossier.model import Claim, load_claim
from dossier.money import cents
from dossier.output.produce import Producer
from dossier.render.templates import JURISDICTIONS, LANGUAGES, TEXTS, TemplateSet, templates_root
from dossier.rules import Jurisdiction, load_rules

LEFTOVER = re.compile(r"\{\{|\}\}|\{%|%\}|\{#|#\}")
REQUIRED = (*(f"{kind}.{ext}" for kind in KINDS for ext in ("html", "docx")), TEXTS)


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages)


def docx_text(data: bytes) -> str:
    document = Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts += [cell.text for cell in row.cells]
    for section in document.sections:
        parts += [p.text for p in section.footer.paragraphs]
    return "\n".join(parts)


def samples_root() -> Path:
    """Our sample claims (``samples/``): the source checkout's, or the copy installed with the package (pyproject's
    force-include), so that ``templates check`` works from any folder and from an installed wheel."""
    checkout = Path(__file__).resolve().parents[3] / "samples"
    if checkout.is_dir():
        return checkout
    return Path(__file__).resolve().parents[1] / "_data" / "samples"


def sample_folders(samples: Path | None = None) -> list[Path]:
    """The claim folders under ``samples`` (default: ours)."""
    root = samples_root() if samples is None else samples
    label = str(samples) if samples is not None else "the installed samples"
    if not root.is_dir():
        raise DossierError("is not a folder of sample claims", file=label)
    folders = sorted(p for p in root.iterdir() if (p / "claim.yaml").is_file() or (p / "claim.json").is_file())
    if not folders:
        raise DossierError("holds no claim folder (a folder with a claim.yaml or claim.json)", file=label)
    return folders


def check(samples: list[Path], override: Path | None = None) -> tuple[list[Problem], int]:
    """All problems found, and how many documents were rendered."""
    problems = list(_file_problems(override)) + list(_wording_problems(override))
    producer = Producer(override)
    rendered = 0
    for folder in samples:
        try:
            claim = load_claim(folder)
            rules = load_rules(claim.jurisdiction)
        except DossierError as exc:
            problems += exc.problems
            continue
        sent = max(i.due_date for i in claim.invoices) + timedelta(days=60)
        for language in rules.meta.languages:
            variant = claim.model_copy(update={"language": language})
            for kind in KINDS:
                plan = PlanRequest(count=6) if kind in ("payment-plan", "formal-notice") else None
                try:
                    offer = _sample_offer(kind, variant, rules, sent)
                    result = producer.render(
                        variant, rules, kind, sent, plan=plan, offer=offer, formats=("pdf", "docx"), force=True
                    )
                except DossierError as exc:
                    problems += [
                        Problem(f"{folder.name} ({language}, {kind}): {p.message}", p.file, p.path)
                        for p in exc.problems
                    ]
                    continue
                rendered += 1
                for fmt, text in (
                    ("pdf", pdf_text(result.outputs["pdf"])),
                    ("docx", docx_text(result.outputs["docx"])),
                ):
                    found = LEFTOVER.search(text)
                    if found:
                        around = text[max(0, found.start() - 30) : found.end() + 30].replace("\n", " ")
                        problems.append(
                            Problem(
                                f"template syntax left in the output: …{around}…",
                                f"{language}/{kind}.{fmt}",
                                folder.name,
                            )
                        )
    return problems, rendered


def _sample_offer(kind: str, claim: Claim, rules: Jurisdiction, sent: date) -> OfferRequest | None:
    """An offer to check a settlement-offer (half the amount due, 14 days) or deadline-extension template with."""
    if kind not in OFFER_KINDS:
        return None
    until = sent + timedelta(days=14)
    if kind == "deadline-extension":
        return OfferRequest(until=until)
    due = compute_statement(claim, rules, sent).totals["due"]
    return OfferRequest(until=until, amount=max(cents(due / 2), Decimal("0.01")))


def _folders(override: Path | None) -> Iterator[Path]:
    yield templates_root()
    if override is not None:
        yield override


def _file_problems(override: Path | None) -> Iterator[Problem]:
    ours = templates_root()
    for language in LANGUAGES:
        for name in REQUIRED:
            if not (ours / language / name).is_file():
                yield Problem(f"missing {name}", str(ours / language))
    if override is None:
        return
    present = {
        lang: {p.name for p in (override / lang).glob("*") if p.is_file()}
        for lang in LANGUAGES
        if (override / lang).is_dir()
    }
    every = set().union(*present.values()) if present else set()
    for language, names in present.items():
        for name in sorted(every - names):
            yield Problem(
                f"{name} is overridden in another language but not in {language}: the languages would differ",
                str(override / language),
            )


def _keys(node: Any, prefix: str = "") -> set[str]:
    if isinstance(node, dict):
        return set().union(*(_keys(v, f"{prefix}.{k}" if prefix else str(k)) for k, v in node.items())) | {prefix}
    return {prefix}


def _wording_problems(override: Path | None) -> Iterator[Problem]:
    # a jurisdiction's own wording (``jurisdictions:``) is the language's variant there, not a key every language has
    keys = {
        language: _keys({k: v for k, v in TemplateSet(language, override).sections().items() if k != JURISDICTIONS})
        for language in LANGUAGES
    }
    every = set().union(*keys.values())
    for language, found in keys.items():
        for key in sorted(every - found):
            yield Problem(f"wording {key!r} is missing in {language}", f"{language}/{TEXTS}", key)
