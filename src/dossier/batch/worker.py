"""What a worker does for one claim: load it, render the document, write the files atomically.

Each worker process keeps one ``Producer`` (templates compiled, stylesheet parsed, fonts configured) for all
the claims it handles. Output names are deterministic, so a document redone after a crash replaces itself; a
document redone because its inputs changed keeps the one it supersedes under a versioned name.

``run`` never raises: whatever goes wrong in a claim's job (a bad claim, a file name the disk refuses, a bug)
comes back as that claim's error, so one claim never stops a batch.
"""

from __future__ import annotations

import hashlib
import os
import resource
import traceback
from pathlib import Path
from typing import Any

from dossier.batch.portfolio import Entry
from dossier.errors import DossierError
from dossier.output.files import keep_as_version, replace, sha256_of
from dossier.output.history import with_journal
from dossier.output.produce import Producer, agreed_plan
from dossier.output.request import DocumentRequest
from dossier.rules import load_rules

_PRODUCER: Producer | None = None


def init(templates: str | None) -> None:
    global _PRODUCER
    _PRODUCER = Producer(Path(templates) if templates else None)


def internal_error(label: str, exc: BaseException) -> list[dict[str, Any]]:
    """An unexpected failure as one problem: its type and message for the user, the traceback for the log."""
    text = " ".join(str(exc).split())
    message = f"internal error: {type(exc).__name__}: {text}" if text else f"internal error: {type(exc).__name__}"
    trace = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    return [{"file": label, "path": None, "message": message, "trace": trace}]


def run(job: dict[str, Any]) -> dict[str, Any]:
    """Render one document; returns what the parent records, or the claim's ``error`` (never raises)."""
    entry: Entry = job["entry"]
    result: dict[str, Any] = {"job": job["id"], "claim": entry.label, "pid": os.getpid()}
    try:
        result.update(_run(job, entry))
    except DossierError as exc:
        result["error"] = [p.as_dict() for p in exc.problems]
    except (Exception, SystemExit) as exc:  # a bug or an OS refusal must not stop the batch
        result["error"] = internal_error(entry.label, exc)
    return result


def _run(job: dict[str, Any], entry: Entry) -> dict[str, Any]:
    if _PRODUCER is None:
        init(job.get("templates"))
    assert _PRODUCER is not None
    request: DocumentRequest = job["request"]
    claim = entry.load()
    if job.get("journal"):
        claim = with_journal(claim, job["journal"], before=request.date)
    rules = load_rules(claim.jurisdiction)
    rendered = _PRODUCER.produce(claim, rules, request)
    out = Path(job["out"])
    previous: dict[str, str] = job.get("previous") or {}
    stem = request.stem(claim.reference)
    files = []
    for fmt, data in sorted(rendered.outputs.items()):
        relative = Path(entry.key) / f"{stem}.{fmt}"
        target = out / relative
        sha = hashlib.sha256(data).hexdigest()
        recorded = previous.get(relative.as_posix())
        if recorded is not None and recorded != sha and sha256_of(target) == recorded:
            keep_as_version(target)  # the document this one supersedes stays, under stem_vN
        replace(target, data)
        files.append(
            {
                "path": relative.as_posix(),
                "format": fmt,
                "sha256": sha,
                "bytes": len(data),
                "pages": rendered.pages if fmt == "pdf" else 0,
            }
        )
    statement = rendered.facts.statement
    return {
        "files": files,
        "total_due": f"{statement.totals['due']:.2f}",
        "deadline": rendered.facts.deadline.last_day.isoformat() if rendered.facts.deadline else None,
        "findings": [str(f) for f in rendered.facts.findings],
        "currency": statement.currency,
        "rules_version": statement.rules_version,
        "plan": agreed_plan(rendered.facts),
        "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }
