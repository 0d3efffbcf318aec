"""What one worker does for one claim: load it, render the document, write the files atomically.

Each worker process keeps one ``Producer`` (templates compiled, stylesheet parsed, fonts configured) for all
the claims it handles. Output names are deterministic, so a document redone after a crash replaces itself.
"""

from __future__ import annotations

import hashlib
import os
import resource
import traceback
from datetime import date
from pathlib import Path
from typing import Any

from dossier.batch.portfolio import Entry
from dossier.errors import DossierError
from dossier.output.files import replace, safe_name
from dossier.output.ledger import with_ledger
from dossier.output.produce import Producer, agreed_plan
from dossier.rules import load_rules

_PRODUCER: Producer | None = None


def init(templates: str | None) -> None:
    global _PRODUCER
    _PRODUCER = Producer(Path(templates) if templates else None)


def run(job: dict[str, Any]) -> dict[str, Any]:
    """Render one document; returns what the parent records (never raises for a bad claim)."""
    if _PRODUCER is None:
        init(job.get("templates"))
    assert _PRODUCER is not None
    entry: Entry = job["entry"]
    result: dict[str, Any] = {"job": job["id"], "claim": entry.label, "pid": os.getpid()}
    try:
        claim = entry.load()
        if job.get("ledger"):
            claim = with_ledger(claim, Path(job["ledger"]), before=date.fromisoformat(job["date"]))
        rules = load_rules(claim.jurisdiction)
        level = int(job.get("level") or 1)
        rendered = _PRODUCER.render(
            claim,
            rules,
            job["doc"],
            date.fromisoformat(job["date"]),
            channel=job["channel"],
            level=level,
            formats=tuple(job["formats"]),
            force=job["force"],
            one_page=bool(job.get("one_page")),
        )
    except DossierError as exc:
        result["error"] = [p.as_dict() for p in exc.problems]
        return result
    except Exception as exc:  # a bug must not stop the batch; it is reported with the claim
        result["error"] = [
            {
                "file": entry.label,
                "path": None,
                "message": f"internal error: {exc!r}",
                "trace": traceback.format_exc(limit=3),
            }
        ]
        return result
    out = Path(job["out"])
    kind = job["doc"] + (f"-{level}" if level != 1 else "")
    stem = safe_name(f"{job['date']}_{kind}_{claim.reference}")
    files = []
    for fmt, data in sorted(rendered.outputs.items()):
        relative = Path(entry.key) / f"{stem}.{fmt}"
        replace(out / relative, data)
        pages = rendered.pages if fmt == "pdf" else 0
        files.append(
            {
                "path": relative.as_posix(),
                "format": fmt,
                "sha256": hashlib.sha256(data).hexdigest(),
                "bytes": len(data),
                "pages": pages,
            }
        )
    statement = rendered.facts.statement
    result.update(
        files=files,
        total_due=f"{statement.totals['due']:.2f}",
        deadline=rendered.facts.deadline.last_day.isoformat() if rendered.facts.deadline else None,
        findings=list(rendered.facts.findings),
        plan=agreed_plan(rendered.facts),
        rss_mb=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    )
    return result
