"""PDF through WeasyPrint: parsed stylesheet and fonts kept per process, a fetcher that cannot leave the
template folders, fixed metadata dates and identifier so the same input gives the same bytes."""

from __future__ import annotations

import hashlib
import logging
from pathlib import Path
from typing import Any

from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import FatalURLFetchingError, URLFetcher

from dossier.render.templates import TemplateProblem, TemplateSet


class SandboxedFetcher(URLFetcher):
    """Serves ``data:`` URIs and files inside the template folders; everything else stops the render."""

    def __init__(self, roots: list[Path]) -> None:
        super().__init__(allowed_protocols={"file", "data"}, fail_on_errors=True)
        self.roots = [r.resolve() for r in roots]

    def fetch(self, url: str, headers: Any = None) -> Any:
        if url.startswith("file:"):
            from urllib.parse import unquote, urlsplit

            path = Path(unquote(urlsplit(url).path)).resolve()
            if not any(path.is_relative_to(root) for root in self.roots):
                raise _Refused(f"templates may not read {path}")
        elif not url.startswith("data:"):
            raise _Refused(f"templates may not fetch {url}")
        return super().fetch(url, headers)


class _Refused(FatalURLFetchingError):
    pass


def harfbuzz_subsetting_available() -> bool:
    """Whether WeasyPrint found libharfbuzz-subset (without it every PDF is about 4x slower)."""
    from weasyprint.text import ffi

    return getattr(ffi, "harfbuzz_subset", None) is not None


class PdfRenderer:
    """One per process and template set: the stylesheet is parsed once and the fonts are configured once."""

    def __init__(self, templates: TemplateSet) -> None:
        self.templates = templates
        self.fonts = FontConfiguration()
        self.fetcher = SandboxedFetcher(templates.allowed_roots())
        css_path = templates.find("_base/style.css")
        self.css = CSS(filename=str(css_path), font_config=self.fonts, url_fetcher=self.fetcher)
        self.base_url = str(css_path.parent) + "/"
        self.fonts_css = CSS(
            filename=str(templates.find("_base/fonts.css")), font_config=self.fonts, url_fetcher=self.fetcher
        )

    def layout(self, html: str, **options: Any) -> Any:
        """The laid-out WeasyPrint document (its pages expose their link rectangles)."""
        logging.getLogger("weasyprint").setLevel(logging.ERROR)
        try:
            return HTML(string=html, base_url=self.base_url, url_fetcher=self.fetcher).render(
                stylesheets=[self.css], font_config=self.fonts, **options
            )
        except _Refused as exc:
            raise TemplateProblem(str(exc), file="template", hint="only files in the template folders load") from None

    def render_plain(self, html: str, *, identifier: str) -> bytes:
        """PDF bytes of a self-styled ``html`` (no shared stylesheet), resolving fonts from the template folder."""
        logging.getLogger("weasyprint").setLevel(logging.ERROR)
        document = HTML(string=html, base_url=self.base_url, url_fetcher=self.fetcher)
        return document.write_pdf(
            font_config=self.fonts,
            pdf_identifier=hashlib.md5(identifier.encode("utf-8"), usedforsecurity=False).hexdigest().encode(),
        )

    def render_standalone(self, html: str, *, identifier: str) -> bytes:
        """PDF bytes of a self-contained ``html`` (its own ``<style>``), with our fonts (the portfolio report)."""
        logging.getLogger("weasyprint").setLevel(logging.ERROR)
        try:
            document = HTML(string=html, base_url=self.base_url, url_fetcher=self.fetcher)
            return document.write_pdf(
                stylesheets=[self.fonts_css],
                font_config=self.fonts,
                pdf_identifier=hashlib.md5(identifier.encode("utf-8"), usedforsecurity=False).hexdigest().encode(),
            )
        except _Refused as exc:
            raise TemplateProblem(str(exc), file="template", hint="only files in the template folders load") from None

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
        document = self.layout(html, **options)  # a PDF variant sets layout options as well
        try:
            return document.write_pdf(**options), len(document.pages)
        except _Refused as exc:
            raise TemplateProblem(str(exc), file="template", hint="only files in the template folders load") from None
