"""Finding and loading templates, with a firm's folder overriding ours file by file, in a Jinja sandbox.

Templates are code a firm customises, so they run in an immutable sandbox with autoescaping and strict
undefined variables: claim text containing HTML or ``{{ }}`` is printed literally, never executed, and a
misspelt variable is an error naming the template and line, not an empty string in a court document.

Every file a template set serves (a template, ``texts.yaml``, a stylesheet, a font, an image) is looked up
through ``TemplateSet.find``, which resolves symbolic links and refuses a file that does not stay inside the
template folder it was found in (``dossier.paths.inside``): a link in a firm's folder cannot read the server.
The wording in ``texts.yaml`` is data: it may print variables and use filters, not include, import or extend.
"""

from __future__ import annotations

import os
import re
import traceback
from collections.abc import Callable, Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import BaseLoader, Environment, StrictUndefined, TemplateError, TemplateNotFound, nodes, select_autoescape
from jinja2.loaders import split_template_path

from dossier.context.typography import de, french_spacing, le, upper_first
from dossier.errors import ClaimError, DossierError
from dossier.paths import inside
from dossier.render.sandbox import BoundedSandbox
from dossier.strictyaml import load_file

LANGUAGES = ("fr", "nl", "en")
TEXTS = "texts.yaml"
#: filters the wording and templates may use: French elision (``{{ creditor.name | de }}`` -> "d'Imprimerie")
FILTERS = {"de": de, "le": le, "upper_first": upper_first}
_WHITESPACE = re.compile(r"[ \t\r\n\f\v]+")
#: the texts.yaml section holding each jurisdiction's own wording over the language's
JURISDICTIONS = "jurisdictions"


class TemplateProblem(DossierError):
    """A template (ours or a firm's) is missing, invalid, or uses a variable the context does not have."""


class TemplateEscape(TemplateError):
    """A template folder's file leads, through a symbolic link, outside the folder (raised inside Jinja so that
    the error names the template and line that asked for it)."""

    def __init__(self, name: str) -> None:
        super().__init__(f"{name} leads outside the template folder (a symbolic link?): templates read only inside it")
        self.name = name


# Tags that read another template: wording is data, so texts.yaml may not use them.
_READING_TAGS: dict[type[nodes.Node], str] = {
    nodes.Include: "include",
    nodes.Import: "import",
    nodes.FromImport: "from ... import",
    nodes.Extends: "extends",
}


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
        tops: list[Path] = []
        if override is not None:
            if not override.is_dir():
                raise TemplateProblem("is not a folder of templates", file=str(override))
            tops.append(override.resolve())
        tops.append(templates_root().resolve())
        self.tops = tops
        # where a name is looked for, in order: (folder, prefix inside it); the firm's first, language first
        self._search: list[tuple[Path, str]] = [(top, prefix) for top in tops for prefix in (language, "")]
        for top in tops:
            if os.path.lexists(top / language):
                try:
                    self._contained(top, language)  # a language folder linked elsewhere is refused as a whole
                except TemplateEscape as exc:
                    raise TemplateProblem(exc.message or "", file=language) from None
        self.roots: list[Path] = [top / prefix if prefix else top for top, prefix in self._search]
        self.html = BoundedSandbox(
            loader=_ContainedLoader(self),
            autoescape=select_autoescape(["html"]),
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self.text = BoundedSandbox(undefined=StrictUndefined, autoescape=False)
        for env in (self.html, self.text):
            env.filters.update(FILTERS)
        self._texts = _merged_texts(tuple(str(path) for path in self._all(TEXTS)))
        self._compiled: dict[tuple[str, ...], Any] = {}

    def _contained(self, top: Path, name: str) -> Path:
        """``top / name`` with links resolved, or ``TemplateEscape`` if that leaves ``top``."""
        try:
            return inside(top, name)
        except ClaimError:
            raise TemplateEscape(name) from None

    def lookup(self, name: str) -> Path | None:
        """The file that serves ``name`` (the firm's if it has one), None if there is none; ``TemplateEscape`` if
        the first file found under that name leads outside its template folder."""
        pieces = split_template_path(name)
        if not pieces:
            return None
        for top, prefix in self._search:
            rel = "/".join([prefix, *pieces] if prefix else pieces)
            if os.path.lexists(top / rel):
                path = self._contained(top, rel)
                if path.is_file():
                    return path
        return None

    def find(self, name: str) -> Path:
        """The file that serves ``name`` (the firm's if it has one), inside the template folders."""
        try:
            path = self.lookup(name)
        except TemplateNotFound:
            path = None
        except TemplateEscape as exc:
            raise TemplateProblem(exc.message or "", file=exc.name) from None
        if path is None:
            raise TemplateProblem(
                f"template {name!r} not found",
                path=name,
                hint="looked in the firm's templates and ours" if len(self.tops) > 1 else "looked in our templates",
            )
        return path

    def name_of(self, path: Path) -> str | None:
        """``path``'s name in the template folders (``_base/style.css``, ``fr/logo.png``), by its text (links are
        not followed: ``find`` checks where the name leads); None if it lies outside them."""
        clean = Path(os.path.normpath(path))
        for top in self.tops:
            if clean.is_relative_to(top) and clean != top:
                return clean.relative_to(top).as_posix()
        return None

    def locate(self, needle: str) -> tuple[str, int] | None:
        """The first template or stylesheet (firm's first) and line whose text holds ``needle``: where a failing
        reference was written, for the error message."""
        for rel, path in self._sources():
            try:
                lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
            except OSError:
                continue
            for number, line in enumerate(lines, 1):
                if needle in line:
                    return rel, number
        return None

    def _sources(self) -> Iterator[tuple[str, Path]]:
        for top in self.tops:
            for folder in (self.language, "_base", ""):
                base = top / folder if folder else top
                if not base.is_dir() or (folder and base.is_symlink()):
                    continue
                for path in sorted(base.iterdir()):
                    if path.suffix in (".html", ".css") and not path.is_symlink() and path.is_file():
                        yield path.relative_to(top).as_posix(), path

    def _all(self, name: str) -> Iterator[Path]:
        """Every file named ``name`` in the search order (the firm's texts.yaml over ours), each contained."""
        for top, prefix in self._search:
            rel = f"{prefix}/{name}" if prefix else name
            if os.path.lexists(top / rel):
                try:
                    path = self._contained(top, rel)
                except TemplateEscape as exc:
                    raise TemplateProblem(exc.message or "", file=rel) from None
                if path.is_file():
                    yield path

    def texts(self, context: dict[str, Any], sections: tuple[str, ...]) -> dict[str, Any]:
        """Render the wording of ``labels``, ``common`` and ``sections`` with the context (labels first), the
        wording of the document's jurisdiction (``jurisdictions: {NL: {labels: ...}}``) over the language's."""
        jurisdiction = str(context.get("doc", {}).get("jurisdiction") or "")
        tree = self._jurisdiction_texts(jurisdiction)
        labels = self._render_tree(("labels",), self._section("labels", tree), context, jurisdiction)
        out: dict[str, Any] = {"labels": labels}
        scope = {**context, "labels": labels}
        for section in ("common", *sections):
            out[section] = self._render_tree((section,), self._section(section, tree), scope, jurisdiction)
        return out

    def _jurisdiction_texts(self, jurisdiction: str) -> dict[str, Any]:
        """The wording with one jurisdiction's variants merged in: Dutch of the Netherlands is not Dutch of
        Belgium, so a label's variant is chosen by jurisdiction, not by language alone."""
        overrides = self._texts.get(JURISDICTIONS) or {}
        if not isinstance(overrides, dict) or not isinstance(overrides.get(jurisdiction, {}), dict):
            raise TemplateProblem(
                "must map a jurisdiction code to sections", file=f"{self.language}/{TEXTS}", path=JURISDICTIONS
            )
        return _deep_merge(self._texts, overrides.get(jurisdiction) or {})

    def section(self, name: str, scope: dict[str, Any]) -> Any:
        """One section of the wording, rendered with ``scope`` only (documents that are not letters)."""
        return self._render_tree((name,), self._section(name), scope)

    def snippet(self, section: str, key: str, **values: Any) -> str:
        """One sentence of the wording (``bundle_rows.invoice_event``) rendered with ``values`` only. It is a
        firm's data like the rest of the wording, so it is checked the same way: no include, import or extend, and
        any failure (syntax, an undefined name, ``1/0``) is a ``TemplateProblem`` naming texts.yaml and the key."""
        node = self._section(section)
        text = node.get(key) if isinstance(node, dict) else None
        if text is None or isinstance(text, dict | list):
            raise TemplateProblem(
                "must be a sentence (text)", file=f"{self.language}/{TEXTS}", path=f"{section}.{key}"
            )
        return str(self._render_tree((section, key), text, values))

    def sections(self) -> dict[str, Any]:
        """The raw wording, as merged from the firm's and our texts.yaml."""
        return self._texts

    def _section(self, name: str, tree: dict[str, Any] | None = None) -> Any:
        try:
            return (self._texts if tree is None else tree)[name]
        except KeyError:
            raise TemplateProblem(f"no section {name!r}", file=f"{self.language}/{TEXTS}", path=name) from None

    def _render_tree(self, path: tuple[str, ...], node: Any, scope: dict[str, Any], variant: str = "") -> Any:
        if isinstance(node, dict):
            return {k: self._render_tree((*path, str(k)), v, scope, variant) for k, v in node.items()}
        if isinstance(node, list):
            return [self._render_tree((*path, str(i)), v, scope, variant) for i, v in enumerate(node)]
        cache_key = (variant, *path)
        template = self._compiled.get(cache_key)
        where = f"{self.language}/{TEXTS}"
        key = ".".join(path)
        if template is None:
            try:
                tree = self.text.parse(str(node))
            except TemplateError as exc:
                raise TemplateProblem(f"invalid template syntax: {exc}", file=where, path=key) from None
            for tag, word in _READING_TAGS.items():
                if next(tree.find_all(tag), None) is not None:
                    raise TemplateProblem(
                        f"the wording may not use {{% {word} %}}",
                        file=where,
                        path=key,
                        hint="texts.yaml holds sentences: print variables with {{ }}, structure goes in .html files",
                    )
            template = self._compiled[cache_key] = self.text.from_string(tree)
        try:
            return self._typeset(template.render(scope))
        except DossierError:
            raise
        except Exception as exc:  # the wording is a firm's data: any failure in it is its error, not a crash
            raise TemplateProblem(_message(exc), file=where, path=key) from None

    def _typeset(self, text: str) -> str:
        """One line of wording: runs of ASCII white space (YAML folding, Jinja tags) made one space, the
        non-breaking spaces the figures carry (``4 573,56 €``) kept, even at an end (a French list separator is a
        thin space and ";"), and French spacing in French."""
        text = _WHITESPACE.sub(" ", text).strip(" ")
        return french_spacing(text) if self.language == "fr" else text

    def render_html(self, name: str, context: dict[str, Any]) -> str:
        try:
            return self.html.get_template(name).render(context)
        except DossierError:
            raise
        except Exception as exc:  # templates are a firm's code: any failure in them is theirs, not a crash
            where, line = self._location(exc, name)
            raise TemplateProblem(_message(exc), file=where, path=f"line {line}" if line else None) from None

    def _location(self, exc: Exception, name: str) -> tuple[str, int | None]:
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


def _message(exc: Exception) -> str:
    """The text of a template's error; a Python error (``1/0`` in a template) keeps its kind."""
    if isinstance(exc, TemplateError):
        return str(exc)
    if isinstance(exc, RecursionError):
        return "templates include or call one another without end"
    return f"{type(exc).__name__}: {exc}"


class _ContainedLoader(BaseLoader):
    """Jinja's loader over ``TemplateSet.find``: the firm's folder over ours, links resolved and contained."""

    def __init__(self, templates: TemplateSet) -> None:
        self.templates = templates

    def get_source(self, environment: Environment, template: str) -> tuple[str, str, Callable[[], bool]]:
        path = self.templates.lookup(template)
        if path is None:
            raise TemplateNotFound(template)
        mtime = path.stat().st_mtime_ns
        source = path.read_text(encoding="utf-8")
        return source, str(path), lambda: _mtime(path) == mtime


def _mtime(path: Path) -> int | None:
    try:
        return path.stat().st_mtime_ns
    except OSError:
        return None


@lru_cache(maxsize=32)
def _merged_texts(files: tuple[str, ...]) -> dict[str, Any]:
    """texts.yaml of the firm over ours, merged key by key (a firm may override one sentence)."""
    merged: dict[str, Any] = {}
    for file in reversed(files):
        data = load_file(Path(file), numbers="decimal", error=TemplateProblem, label=file)
        if data is not None and not isinstance(data, dict):
            raise TemplateProblem("must be a mapping of sections (labels:, common:, reminder: ...)", file=file)
        merged = _deep_merge(merged, data or {})
    return merged


def _deep_merge(base: dict[str, Any], top: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in top.items():
        out[key] = _deep_merge(out[key], value) if isinstance(value, dict) and isinstance(out.get(key), dict) else value
    return out
