"""PDF through WeasyPrint: parsed stylesheet and fonts kept per process, a fetcher that cannot leave the
template folders, fixed metadata dates and identifier so the same input gives the same bytes."""

from __future__ import annotations

import contextlib
import hashlib
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from jinja2 import TemplateError
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import FatalURLFetchingError, URLFetcher

from dossier.render.carry import carry_forward
from dossier.render.templates import TemplateProblem, TemplateSet

_ONLY_INSIDE = "templates, stylesheets, fonts and images load only from the template folders"


class SandboxedFetcher(URLFetcher):
    """Serves ``data:`` URIs and files of the template set; everything else stops the render.

    A file URL is taken by its name in the template folders (``_base/fonts/x.ttf``) and served through
    ``TemplateSet.find``: the firm's file if it has one, else ours, links resolved and kept inside the folder
    (a firm's ``style.css`` may ``@import "fonts.css"`` and get ours). A missing file is an error too.
    """

    def __init__(self, templates: TemplateSet) -> None:
        super().__init__(allowed_protocols={"file", "data"}, fail_on_errors=True)
        self.templates = templates

    def fetch(self, url: str, headers: Any = None) -> Any:
        if url.startswith("data:"):
            return super().fetch(url, headers)
        if not url.startswith("file:"):
            raise _Refused(f"templates may not fetch {url}", url)
        path = Path(unquote(urlsplit(url).path))
        name = self.templates.name_of(path)
        if name is None:
            raise _Refused(f"templates may not read {path}", path.name)
        try:
            found = self.templates.lookup(name)
        except TemplateError as exc:  # a link leading outside the folder, or a name Jinja's rules refuse
            raise _Refused(exc.message or f"{name} cannot be read", path.name) from None
        if found is None:
            raise _Refused(
                f"{name} is not in the template folders",
                path.name,
                hint="a relative link in a template or in style.css is read from _base/, the firm's first, then ours",
            )
        return super().fetch(found.as_uri(), headers)


class _Refused(FatalURLFetchingError):
    def __init__(self, message: str, needle: str, hint: str = _ONLY_INSIDE) -> None:
        super().__init__(message)
        self.message, self.hint = message, hint
        self.needle = needle  # what to look for in the templates' text to name the file that asked


def harfbuzz_subsetting_available() -> bool:
    """Whether WeasyPrint found libharfbuzz-subset (without it every PDF is about 4x slower)."""
    from weasyprint.text import ffi

    return getattr(ffi, "harfbuzz_subset", None) is not None


class PdfRenderer:
    """One per process and template set: the stylesheet is parsed once and the fonts are configured once."""

    def __init__(self, templates: TemplateSet) -> None:
        self.templates = templates
        self.fonts = FontConfiguration()
        self.fetcher = SandboxedFetcher(templates)
        css_path = templates.find("_base/style.css")
        with self._fetching("_base/style.css"):
            self.css = CSS(filename=str(css_path), font_config=self.fonts, url_fetcher=self.fetcher)
        self.base_url = str(css_path.parent) + "/"
        with self._fetching("_base/fonts.css"):
            self.fonts_css = CSS(
                filename=str(templates.find("_base/fonts.css")), font_config=self.fonts, url_fetcher=self.fetcher
            )

    @contextlib.contextmanager
    def _fetching(self, fallback: str) -> Iterator[None]:
        """A refused or failed fetch as a ``TemplateProblem`` naming the template (and line) that asked for it;
        ``fallback`` names the file when no template's text shows the reference."""
        try:
            yield
        except FatalURLFetchingError as exc:
            hint = _ONLY_INSIDE
            if isinstance(exc, _Refused):
                message, needle, hint = exc.message, exc.needle, exc.hint
            else:  # WeasyPrint's wrapper around a file that exists but could not be read
                cause = exc.__cause__
                message = f"could not load a file of the templates ({type(cause).__name__ if cause else exc})"
                needle = ""
            found = self.templates.locate(needle) if needle else None
            file, line = found if found else (fallback, None)
            where = f"line {line}" if line else None
            raise TemplateProblem(message, file=file, path=where, hint=hint) from None

    def layout(self, html: str, **options: Any) -> Any:
        """The laid-out WeasyPrint document (its pages expose their link rectangles)."""
        logging.getLogger("weasyprint").setLevel(logging.ERROR)
        with self._fetching("template"):
            return HTML(string=html, base_url=self.base_url, url_fetcher=self.fetcher).render(
                stylesheets=[self.css], font_config=self.fonts, **options
            )

    def render_plain(self, html: str, *, identifier: str) -> bytes:
        """PDF bytes of a self-styled ``html`` (no shared stylesheet), resolving fonts from the template folder."""
        logging.getLogger("weasyprint").setLevel(logging.ERROR)
        with self._fetching("template"):
            document = HTML(string=html, base_url=self.base_url, url_fetcher=self.fetcher)
            return document.write_pdf(
                font_config=self.fonts,
                pdf_identifier=hashlib.md5(identifier.encode("utf-8"), usedforsecurity=False).hexdigest().encode(),
            )

    def render_standalone(self, html: str, *, identifier: str) -> bytes:
        """PDF bytes of a self-contained ``html`` (its own ``<style>``), with our fonts (the portfolio report)."""
        logging.getLogger("weasyprint").setLevel(logging.ERROR)
        with self._fetching("_base/report.html"):
            document = HTML(string=html, base_url=self.base_url, url_fetcher=self.fetcher)
            return document.write_pdf(
                stylesheets=[self.fonts_css],
                font_config=self.fonts,
                pdf_identifier=hashlib.md5(identifier.encode("utf-8"), usedforsecurity=False).hexdigest().encode(),
            )

    def render(self, html: str, *, identifier: str, pdfa: bool = False) -> bytes:
        """The PDF bytes of ``html``; ``identifier`` fixes the PDF /ID (use the document's content hash)."""
        return self.render_counted(html, identifier=identifier, pdfa=pdfa)[0]

    def render_counted(self, html: str, *, identifier: str, pdfa: bool = False) -> tuple[bytes, int]:
        """The PDF bytes of ``html`` and its page count (known from the layout: no need to parse the PDF)."""
        options: dict[str, Any] = {
            "pdf_identifier": hashlib.md5(identifier.encode("utf-8"), usedforsecurity=False).hexdigest().encode(),
        }
        if pdfa:
            options["pdf_variant"] = "pdf/a-3b"
        # a PDF variant sets layout options as well; a table split across pages gets its carried-forward lines
        document = carry_forward(lambda text: self.layout(text, **options), html)
        with self._fetching("template"):
            return document.write_pdf(**options), len(document.pages)
