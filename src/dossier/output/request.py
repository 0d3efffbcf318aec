"""One request for a document: what the CLI, the HTTP API, the batch (and ``dossier run``) and the Python API
build, and the producer takes (``Producer.produce``). The file names (``output.files.document_stem``), the batch's
job id and the journal entry (``output.journal.document_entry``) all come from it, so a first reminder is
``reminder-1`` wherever it is made.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

from dossier.engine.letters import PlanRequest
from dossier.engine.settlement import OfferRequest
from dossier.output.files import document_label, document_stem


@dataclass(frozen=True)
class Options:
    """How the document is made, not what it says: PDF/A, the pre-flight overridden, the one-page letter, an exhibit
    (a document filed in the bundle, never sent: it names no channel of sending)."""

    pdfa: bool = False
    force: bool = False
    one_page: bool = False
    exhibit: bool = False


@dataclass(frozen=True)
class DocumentRequest:
    """A document of ``kind`` dated ``date`` (its sending date), for ``channel``; ``level``: a reminder's;
    ``plan``: a payment plan's schedule (also a formal notice offering one); ``formats``: pdf and/or docx;
    ``offer``: what a settlement offer (amount and until) or a deadline extension (until) gives."""

    kind: str
    date: date
    channel: str = "post"
    level: int = 1
    plan: PlanRequest | None = None
    formats: tuple[str, ...] = ("pdf",)
    options: Options = field(default_factory=Options)
    offer: OfferRequest | None = None

    @property
    def label(self) -> str:
        """The kind as files and job ids name it (``reminder-1``, ``formal-notice``)."""
        return document_label(self.kind, self.level)

    def stem(self, reference: str) -> str:
        """The name of this document's files for the claim ``reference`` (``DATE_KIND_REFERENCE``)."""
        return document_stem(self.date.isoformat(), self.kind, self.level, reference)

    def digest(self) -> dict[str, Any]:
        """Everything that changes the document, as JSON-ready values (what a batch's resume compares)."""
        data = asdict(self)
        data["date"] = self.date.isoformat()
        data["formats"] = sorted(self.formats)
        data["offer"] = self.offer.as_dict() if self.offer is not None else None
        return data
