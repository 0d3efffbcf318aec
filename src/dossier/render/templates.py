"""Finding and loading templates, with a firm's folder overriding ours file by file, in a Jinja sandbox.

Templates are code a firm customises, so they run in an immutable sandbox with autoescaping and strict
undefined variables: claim text containing HTML or ``{{ }}`` is printed literally, never executed, and a
misspelt variable is an error naming the template and line, not an empty string in a court document.
"""

from __future__ import annotations

import traceback
from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import ChoiceLoader, FileSystemLoader, StrictUndefined, TemplateError, select_autoescape
from jinja2.sandbox import ImmutableSandboxedEnvironment

from dossier.errors import DossierError
from dossier.strictyaml import load_file

LANGUAGES = ("fr", "nl", "en")
TEXTS = "texts.yaml"


class TemplateProblem(DossierError):
    """A template (ours or a firm's) is missing, invalid, or uses a variable the context does not have."""


def templates_root() -> Path:
    """Our ``templates/`` folder: the source checkout, or the copy installed with the package."""
    checkout = Path(__file__).resolve().parents[3] / "templates"
    if checkout.is_dir():
        return checkout
    return Path(__file__).resolve().parents[1] / "_data" / "templates"


class TemplateSet:
    """Our templates for one language, overridden by a firm's (``--templates DIR``) file by file."""

    def __init__(self, language: str, override: Path | None = None) -> None:
        if language not in LANGUAGES:
            raise TemplateProblem(f"no templates for language {language!r}", path="language")
        self.language = language
        ours = templates_root()
        self.roots: list[Path] = []
        if override is not None:
            if not override.is_dir():
                raise TemplateProblem("is not a folder of templates", file=str(override))
            self.roots += [override / language, override]
        self.roots += [ours / language, ours]
        self.roots = [r.resolve() for r in self.roots]
        loader = ChoiceLoader([FileSystemLoader(str(r)) for r in self.roots if r.is_dir()])
        self.html = ImmutableSandboxedEnvironment(
            loader=loader,
            autoescape=select_autoescape(["html"]),
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self.text = ImmutableSandboxedEnvironment(undefined=StrictUndefined, autoescape=False)
        self._texts = _merged_texts(tuple(str(r / TEXTS) for r in self.roots if (r / TEXTS).is_file()))
        self._compiled: dict[tuple[str, ...], Any] = {}

    def find(self, name: str) -> Path:
        """The file that serves ``name`` (the firm's if it has one)."""
        for root in self.roots:
            if (root / name).is_file():
                return root / name
        raise TemplateProblem(
            f"template {name!r} not found", path=name, hint="looked in " + ", ".join(str(r) for r in self.roots)
        )

    def allowed_roots(self) -> list[Path]:
        return [r for r in self.roots if r.is_dir()]

    def texts(self, context: dict[str, Any], sections: tuple[str, ...]) -> dict[str, Any]:
        """Render the wording of ``labels``, ``common`` and ``sections`` with the context (labels first)."""
        labels = self._render_tree(("labels",), self._section("labels"), context)
        out: dict[str, Any] = {"labels": labels}
        scope = {**context, "labels": labels}
        for section in ("common", *sections):
            out[section] = self._render_tree((section,), self._section(section), scope)
        return out

    def section(self, name: str, scope: dict[str, Any]) -> Any:
        """One section of the wording, rendered with ``scope`` only (documents that are not letters)."""
        return self._render_tree((name,), self._section(name), scope)

    def sections(self) -> dict[str, Any]:
        """The raw wording, as merged from the firm's and our texts.yaml."""
        return self._texts

    def _section(self, name: str) -> Any:
        try:
            return self._texts[name]
        except KeyError:
            raise TemplateProblem(f"no section {name!r}", file=f"{self.language}/{TEXTS}", path=name) from None

    def _render_tree(self, path: tuple[str, ...], node: Any, scope: dict[str, Any]) -> Any:
        if isinstance(node, dict):
            return {k: self._render_tree((*path, str(k)), v, scope) for k, v in node.items()}
        if isinstance(node, list):
            return [self._render_tree((*path, str(i)), v, scope) for i, v in enumerate(node)]
        template = self._compiled.get(path)
        if template is None:
            try:
                template = self.text.from_string(str(node))
            except TemplateError as exc:
                raise TemplateProblem(f"invalid template syntax: {exc}", file=TEXTS, path=".".join(path)) from None
            self._compiled[path] = template
        try:
            return " ".join(template.render(scope).split())
        except TemplateError as exc:
            raise TemplateProblem(str(exc), file=f"{self.language}/{TEXTS}", path=".".join(path)) from None

    def render_html(self, name: str, context: dict[str, Any]) -> str:
        try:
            return self.html.get_template(name).render(context)
        except TemplateError as exc:
            where, line = self._location(exc, name)
            raise TemplateProblem(str(exc), file=where, path=f"line {line}" if line else None) from None

    def _location(self, exc: TemplateError, name: str) -> tuple[str, int | None]:
        """The template file and line an error comes from (Jinja puts template frames in the traceback)."""
        line = getattr(exc, "lineno", None)
        where = getattr(exc, "name", None) or name
        for frame in reversed(traceback.extract_tb(exc.__traceback__)):
            path = Path(frame.filename)
            for root in self.roots:
                if path.is_relative_to(root):
                    rel = path.relative_to(root).as_posix()
                    return (f"{self.language}/{rel}" if root.name == self.language else rel), frame.lineno
        return f"{self.language}/{where}", line


@lru_cache(maxsize=32)
def _merged_texts(files: tuple[str, ...]) -> dict[str, Any]:
    """texts.yaml of the firm over ours, merged key by key (a firm may override one sentence)."""
    merged: dict[str, Any] = {}
    for file in reversed(files):
        data = load_file(Path(file), numbers="decimal", error=TemplateProblem, label=file)
        merged = _deep_merge(merged, data or {})
    return merged


def _deep_merge(base: dict[str, Any], top: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in top.items():
        out[key] = _deep_merge(out[key], value) if isinstance(value, dict) and isinstance(out.get(key), dict) else value
    return out
