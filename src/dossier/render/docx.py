"""DOCX through docxtpl, from the same context as the PDF, escaped, sandboxed and byte-for-byte reproducible."""

from __future__ import annotations

import copy
import io
import zipfile
from datetime import UTC, datetime
from typing import Any, ClassVar

from docx import Document
from docx.opc.package import OpcPackage
from docx.opc.pkgwriter import PackageWriter
from docx.shared import Mm
from docxtpl import DocxTemplate, InlineImage
from jinja2 import StrictUndefined, TemplateError

from dossier.render.sandbox import BoundedSandbox
from dossier.render.templates import TemplateProblem, TemplateSet


class _CachingSandbox(BoundedSandbox):
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
    """One per process and template set. docxtpl changes the document it renders, so each letter gets a copy
    of the template as parsed once (copying the parsed package costs a third of parsing it again)."""

    def __init__(self, templates: TemplateSet) -> None:
        self.templates = templates
        self._parsed: dict[tuple[str, int], Any] = {}

    def render(self, kind: str, context: dict[str, Any]) -> bytes:
        path = self.templates.find(f"{kind}.docx")
        key = (str(path), path.stat().st_mtime_ns)  # a template edited while a server runs is read again
        where = f"{self.templates.language}/{kind}.docx"
        if key not in self._parsed:
            try:
                self._parsed[key] = Document(str(path))
            except Exception as exc:  # a firm's file that is not a Word document (python-docx raises many kinds)
                raise TemplateProblem(f"not a readable Word document ({type(exc).__name__})", file=where) from None
        template = _Template(str(path))
        template.docx = copy.deepcopy(self._parsed[key])
        values = dict(context)
        png = context["payment"].get("qr_png") or b""
        values["qr"] = InlineImage(template, io.BytesIO(png), width=Mm(28)) if png else ""
        try:
            template.render(values, jinja_env=_ENV, autoescape=True)
        except TemplateError as exc:
            raise TemplateProblem(str(exc), file=where) from None
        except Exception as exc:  # a firm's template: any failure in it is its error, not a crash
            raise TemplateProblem(f"{type(exc).__name__}: {exc}", file=where) from None
        created = datetime.fromisoformat(context["meta"]["created"].replace("Z", "+00:00")).astimezone(UTC)
        props = template.docx.core_properties
        props.title = context["meta"]["title"]
        props.author = context["meta"]["author"]
        props.last_modified_by = context["meta"]["author"]
        props.language = context["meta"]["lang"]
        props.created = props.modified = created.replace(tzinfo=None)
        props.revision = 1
        return package_bytes(template.docx.part.package)


class _FixedTimeZip:
    """python-docx's physical package writer, with fixed entry times and modes so the same document gives the
    same bytes (its own writer stamps the current time; rewriting its zip afterwards cost a second compression)."""

    def __init__(self, out: io.BytesIO) -> None:
        self._zip = zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED)

    def write(self, pack_uri: Any, blob: bytes) -> None:
        info = zipfile.ZipInfo(pack_uri.membername, date_time=_FIXED_ZIP_TIME)
        info.compress_type = zipfile.ZIP_DEFLATED
        info.external_attr = 0o600 << 16
        self._zip.writestr(info, blob)

    def close(self) -> None:
        self._zip.close()


def package_bytes(package: OpcPackage) -> bytes:
    """What ``OpcPackage.save`` writes, through ``_FixedTimeZip`` (docxtpl's own save only adds media
    replacement, which dossier does not use). ``PackageWriter``'s helpers are python-docx internals: if a
    release changes them, every DOCX test fails at once rather than anything silently differing."""
    for part in package.parts:
        part.before_marshal()
    out = io.BytesIO()
    writer = _FixedTimeZip(out)
    PackageWriter._write_content_types_stream(writer, package.parts)
    PackageWriter._write_pkg_rels(writer, package.rels)
    PackageWriter._write_parts(writer, package.parts)
    writer.close()
    return out.getvalue()
