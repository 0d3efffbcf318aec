"""DOCX through docxtpl, from the same context as the PDF, escaped, sandboxed and byte-for-byte reproducible."""

from __future__ import annotations

import io
import zipfile
from datetime import UTC, datetime
from typing import Any, ClassVar

from docx.shared import Mm
from docxtpl import DocxTemplate, InlineImage
from jinja2 import StrictUndefined, TemplateError
from jinja2.sandbox import ImmutableSandboxedEnvironment

from dossier.render.templates import TemplateProblem, TemplateSet


class _CachingSandbox(ImmutableSandboxedEnvironment):
    """Compiles each distinct template source once per process (docxtpl asks for the same XML every render)."""

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self._compiled: dict[str, Any] = {}

    def from_string(self, source: Any, globals: Any = None, template_class: Any = None) -> Any:
        if globals is not None or template_class is not None or not isinstance(source, str):
            return super().from_string(source, globals, template_class)
        template = self._compiled.get(source)
        if template is None:
            template = self._compiled[source] = super().from_string(source)
        return template


class _Template(DocxTemplate):
    """docxtpl's template with its XML clean-up (a few dozen regular expressions) done once per source."""

    _patched: ClassVar[dict[str, str]] = {}

    def patch_xml(self, src_xml: str) -> str:
        patched = self._patched.get(src_xml)
        if patched is None:
            patched = self._patched[src_xml] = super().patch_xml(src_xml)
        return patched


_ENV = _CachingSandbox(undefined=StrictUndefined, autoescape=True)
_FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


class DocxRenderer:
    """One per process and template set; each render reads the .docx template afresh (docxtpl mutates it)."""

    def __init__(self, templates: TemplateSet) -> None:
        self.templates = templates

    def render(self, kind: str, context: dict[str, Any]) -> bytes:
        path = self.templates.find(f"{kind}.docx")
        template = _Template(str(path))
        values = dict(context)
        png = context["payment"].get("qr_png") or b""
        values["qr"] = InlineImage(template, io.BytesIO(png), width=Mm(28)) if png else ""
        try:
            template.render(values, jinja_env=_ENV, autoescape=True)
        except TemplateError as exc:
            raise TemplateProblem(str(exc), file=f"{self.templates.language}/{kind}.docx") from None
        created = datetime.fromisoformat(context["meta"]["created"].replace("Z", "+00:00")).astimezone(UTC)
        props = template.docx.core_properties
        props.title = context["meta"]["title"]
        props.author = context["meta"]["author"]
        props.last_modified_by = context["meta"]["author"]
        props.language = context["meta"]["lang"]
        props.created = props.modified = created.replace(tzinfo=None)
        props.revision = 1
        out = io.BytesIO()
        template.save(out)
        return _deterministic_zip(out.getvalue())


def _deterministic_zip(data: bytes) -> bytes:
    """Rewrite the package with fixed timestamps, so the same document gives the same bytes."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=_FIXED_ZIP_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o600 << 16
            target.writestr(fixed, source.read(info.filename))
    return out.getvalue()
