"""From a claim to its documents on disk: facts -> context -> PDF/DOCX -> files and a journal entry.

A ``Producer`` keeps its template sets and renderers (parsed CSS, fonts) for every claim it handles, so a
batch worker pays their set-up once.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from dossier.context.build import build_context
from dossier.engine.letters import LetterFacts, PlanRequest, letter_facts
from dossier.engine.settlement import OfferRequest
from dossier.errors import ComputationError
from dossier.model import Claim
from dossier.output.files import document_stem, next_version, write_new
from dossier.output.journal import VERSION, Journal, document_entry, file_record, record_document
from dossier.output.request import DocumentRequest, Options
from dossier.render.compose import compose
from dossier.render.docx import DocxRenderer
from dossier.render.libs import pdf_renderer_class
from dossier.render.templates import TemplateSet
from dossier.rules import Jurisdiction

if TYPE_CHECKING:
    from dossier.render.pdf import PdfRenderer  # imports WeasyPrint: only when a PDF is made

FORMATS = ("pdf", "docx")
__all__ = ["FORMATS", "VERSION", "Produced", "Producer", "Rendered", "agreed_plan", "entry_for"]


@dataclass(frozen=True)
class Rendered:
    facts: LetterFacts
    context: dict[str, Any]
    outputs: dict[str, bytes]
    pages: int = 0  # of the PDF, when one was rendered


@dataclass
class Produced:
    files: list[dict[str, Any]] = field(default_factory=list)
    entry: dict[str, Any] = field(default_factory=dict)


class Producer:
    def __init__(self, templates: Path | None = None) -> None:
        self.override = templates
        self._sets: dict[str, TemplateSet] = {}
        self._pdf: dict[str, PdfRenderer] = {}
        self._docx: dict[str, DocxRenderer] = {}

    def template_set(self, language: str) -> TemplateSet:
        if language not in self._sets:
            self._sets[language] = TemplateSet(language, self.override)
        return self._sets[language]

    def pdf_renderer(self, language: str) -> PdfRenderer:
        if language not in self._pdf:
            self._pdf[language] = pdf_renderer_class()(self.template_set(language))
        return self._pdf[language]

    def render(
        self,
        claim: Claim,
        rules: Jurisdiction,
        kind: str,
        sent: date,
        *,
        channel: str = "post",
        level: int = 1,
        plan: PlanRequest | None = None,
        offer: OfferRequest | None = None,
        formats: tuple[str, ...] = ("pdf",),
        pdfa: bool = False,
        force: bool = False,
        one_page: bool = False,
        exhibit: bool = False,
    ) -> Rendered:
        """``produce`` with the request spelled out (``one_page``: the letter without its computation annex;
        ``exhibit``: filed in the bundle, not sent)."""
        options = Options(pdfa=pdfa, force=force, one_page=one_page, exhibit=exhibit)
        request = DocumentRequest(kind, sent, channel, level, plan, tuple(formats), options, offer)
        return self.produce(claim, rules, request)

    def produce(self, claim: Claim, rules: Jurisdiction, request: DocumentRequest) -> Rendered:
        """The document ``request`` asks for, rendered in memory (see ``DocumentRequest``)."""
        kind, sent, channel, level = request.kind, request.date, request.channel, request.level
        plan, formats, offer = request.plan, request.formats, request.offer
        pdfa, force, one_page = request.options.pdfa, request.options.force, request.options.one_page
        if claim.language not in rules.meta.languages:
            raise ComputationError(
                f"{rules.code} documents exist in {', '.join(rules.meta.languages)}, not {claim.language!r}",
                file="claim.yaml",
                path="language",
            )
        facts = letter_facts(claim, rules, kind, sent, channel, level=level, plan=plan, offer=offer)
        if facts.blockers and not force:
            raise ComputationError(
                "this letter may not be sent now: " + "; ".join(facts.blockers),
                path="doc",
                hint="fix the claim's history, or pass --force if you know better",
            )
        templates = self.template_set(claim.language)
        context = build_context(facts, claim, rules, formats)
        context["flags"]["one_page"] = one_page
        context["flags"]["exhibit"] = request.options.exhibit
        context = compose(context, templates)
        outputs: dict[str, bytes] = {}
        pages = 0
        if "pdf" in formats:
            html = templates.render_html(f"{kind}.html", context)
            identifier = hashlib.sha256(html.encode("utf-8")).hexdigest()
            outputs["pdf"], pages = self.pdf_renderer(claim.language).render_counted(
                html, identifier=identifier, pdfa=pdfa
            )
        if "docx" in formats:
            if claim.language not in self._docx:
                self._docx[claim.language] = DocxRenderer(templates)
            outputs["docx"] = self._docx[claim.language].render(kind, context)
        return Rendered(facts, context, outputs, pages)

    def write(self, rendered: Rendered, claim: Claim, out_dir: Path, *, journal: Journal) -> Produced:
        """Write the files under new names (never overwriting) and record them in the claim's ``journal`` (files
        written outside its folder are recorded without a place)."""
        facts = rendered.facts
        stem = document_stem(facts.sent.isoformat(), facts.kind, facts.level, claim.reference)
        suffixes = sorted(rendered.outputs)
        version = next_version(out_dir, stem, suffixes)
        produced = Produced()
        records = []
        for fmt in suffixes:
            data = rendered.outputs[fmt]
            path = out_dir / f"{stem}_v{version}.{fmt}"
            write_new(path, data)
            records.append(file_record(journal, path, fmt, data))
            kept = {k: records[-1][k] for k in ("name", "format", "sha256", "bytes")}
            produced.files.append({"file": str(path)} | kept)
        produced.entry = record_document(journal, entry_for(facts, records))
        return produced


def entry_for(facts: LetterFacts, files: list[dict[str, Any]], **extra: Any) -> dict[str, Any]:
    """The journal payload of a letter rendered from ``facts`` (through ``document_entry``)."""
    statement = facts.statement
    if facts.offer is not None:  # the letter's offer, and the day it gives (a settlement's, an extension's)
        extra = {"offer": facts.offer.as_dict()} | extra
    return document_entry(
        facts.kind,
        facts.sent,
        files,
        channel=facts.channel,
        level=facts.level,
        total_due=f"{statement.totals['due']:.2f}",
        currency=statement.currency,
        deadline=_deadline(facts),
        rules_version=statement.rules_version,
        findings=[str(f) for f in facts.findings],
        plan=agreed_plan(facts),
        **({"forced": list(facts.blocked_by)} if facts.blockers else {}) | extra,
    )


def _deadline(facts: LetterFacts) -> str | None:
    """The last day the letter gives: its deadline rule's, or the day its offer or extension runs until."""
    if facts.offer is not None:
        return facts.offer.until.isoformat()
    return facts.deadline.last_day.isoformat() if facts.deadline else None


def agreed_plan(facts: LetterFacts) -> dict[str, Any] | None:
    """A payment-plan document records the plan it sets, so later steps can check it is honoured."""
    if facts.kind != "payment-plan" or facts.plan is None:
        return None
    grace = facts.plan_request.grace_days if facts.plan_request else 0
    return {
        "agreed": facts.sent.isoformat(),
        "grace_days": grace,
        "instalments": [{"due_date": i.due.isoformat(), "amount": f"{i.amount:.2f}"} for i in facts.plan.instalments],
    }
