"""Rendering the portal's pages: our Jinja templates (autoescaped), the wording of ``texts.yaml`` in the user's
language, and the report's labels (statuses, steps, ageing buckets) from ``templates/<lang>/texts.yaml``."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

from babel import Locale, UnknownLocaleError, negotiate_locale
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from dossier.render.templates import TemplateSet
from dossier.strictyaml import load_file

HERE = Path(__file__).parent
LANGUAGES = ("fr", "nl", "en")
DEFAULT = "en"


@functools.cache
def environment() -> Environment:
    return Environment(
        loader=FileSystemLoader(HERE / "templates"),
        autoescape=select_autoescape(default=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


@functools.cache
def texts(language: str) -> dict[str, Any]:
    data = load_file(HERE / "texts.yaml", numbers="refuse", label="portal texts.yaml")
    return dict(data[language])


@functools.cache
def report_labels(language: str) -> dict[str, Any]:
    return dict(TemplateSet(language).section("report", {"date": "", "count": ""}))


def render(name: str, language: str, **context: Any) -> str:
    template = environment().get_template(name)
    return template.render(lang=language, t=texts(language), r=report_labels(language), **context)


def negotiate(accept_language: str | None) -> str:
    """The language the browser asks for first among ours (``Accept-Language``), else English."""
    wanted: list[tuple[float, str]] = []
    for n, part in enumerate((accept_language or "")[:500].split(",")):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                continue
        if tag:
            wanted.append((-quality + n * 1e-6, tag.replace("-", "_")))
    preferred = [tag for _, tag in sorted(wanted)]
    try:
        found = negotiate_locale(preferred, list(LANGUAGES), sep="_")
        if found is None:
            found = next((Locale.parse(t).language for t in preferred if _language(t) in LANGUAGES), None)
    except (UnknownLocaleError, ValueError):
        found = None
    return found if found in LANGUAGES else DEFAULT


def _language(tag: str) -> str | None:
    try:
        return Locale.parse(tag).language
    except (UnknownLocaleError, ValueError):
        return None
