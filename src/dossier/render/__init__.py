"""Rendering: a document context through the firm's or our templates into PDF (WeasyPrint) and DOCX (docxtpl)."""

from dossier.render.templates import TemplateSet, templates_root

__all__ = ["TemplateSet", "templates_root"]
