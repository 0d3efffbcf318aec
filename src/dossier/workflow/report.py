"""``dossier report``: where a portfolio stands on a date, as JSON, one self-contained HTML file, or a PDF
printed from that HTML. Each claim's figures are its statement (``dossier statement``) on the same date."""

from __future__ import annotations

import hashlib
import json
from datetime import date
from pathlib import Path

from dossier.context.formatting import Formatter
from dossier.context.report import LOCALES, report_context
from dossier.engine.portfolio import ClaimFigures, PortfolioFigures, portfolio_figures
from dossier.render.libs import pdf_renderer_class
from dossier.render.templates import TemplateSet
from dossier.workflow.index import indexed

FORMATS = ("json", "html", "pdf")


def portfolio_report(portfolio: Path, day: date) -> PortfolioFigures:
    """The figures of every claim that can be read (from the portfolio's index where the files have not changed);
    the others are listed with their problems."""
    claims: list[ClaimFigures] = []
    failed: list[dict[str, object]] = []
    for item in indexed(portfolio, day):
        if item.figures is None:
            failed.append(item.failed())
        else:
            claims.append(item.figures)
    return portfolio_figures(day, claims, failed)


def report_html(figures: PortfolioFigures, language: str = "en", templates: Path | None = None) -> str:
    template_set = TemplateSet(language, templates)
    day = Formatter(LOCALES[language], "EUR").date(figures.day)
    labels = template_set.section("report", {"date": day, "count": len(figures.claims)})
    context = report_context(figures, labels, language)
    return template_set.render_html("_base/report.html", {**context, "r": labels, "created": figures.day.isoformat()})


def render_report(figures: PortfolioFigures, fmt: str, language: str = "en", templates: Path | None = None) -> bytes:
    """The report's bytes in ``fmt``: the same figures give the same bytes."""
    if fmt == "json":
        return (json.dumps(figures.as_dict(), indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode("utf-8")
    html = report_html(figures, language, templates)
    if fmt == "html":
        return html.encode("utf-8")
    renderer = pdf_renderer_class()(TemplateSet(language, templates))
    return renderer.render_standalone(html, identifier=hashlib.sha256(html.encode("utf-8")).hexdigest())
