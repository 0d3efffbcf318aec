"""Adding the rendered wording to a document context: ``t`` (all texts), ``s`` (this document's section)."""

from __future__ import annotations

from typing import Any

from dossier.render.templates import TemplateSet

SECTIONS = {
    "reminder": "reminder",
    "formal-notice": "formal_notice",
    "payment-plan": "payment_plan",
    "statement": "statement",
    "settlement-offer": "settlement_offer",
    "deadline-extension": "deadline_extension",
}
#: wording every document may use besides ``labels`` and ``common`` (its own block in texts.yaml)
SHARED = ("document_labels",)


def compose(context: dict[str, Any], templates: TemplateSet) -> dict[str, Any]:
    """The full template context of a document of kind ``context['doc']['kind']``."""
    name = SECTIONS[context["doc"]["kind"]]
    texts = templates.texts(context, (*SHARED, name))
    section = texts[name]
    meta = dict(context["meta"], title=f"{section['title']} – {context['doc']['reference']}")
    return {**context, "t": texts, "s": section, "meta": meta}
