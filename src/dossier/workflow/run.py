"""``dossier run``: every letter that is due on a date, rendered through the batch runner and recorded in each
claim's journal.

Idempotent: a letter recorded in the journal moves the claim to its next step, whose earliest day is later, so
a second run on the same day finds nothing due. Crash-safe: the batch manifest is written before the journal,
and a run that finds a document in the manifest but not in the journal records it then (no duplicate, no gap).
One run at a time per portfolio: a second is refused (an OS lock), naming the run that holds it.

The journal names each letter relative to its own folder: the letter is linked (or copied) from the run folder
into the claim's archive (``CLAIM/out``, or the row's state folder), so whoever reads the journal later, from
whatever working folder (``dossier bundle``), finds it there through the containment check, and nothing points
outside the claim.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from dossier.batch.cluster import check_address
from dossier.batch.manifest import MANIFEST
from dossier.batch.runner import Job, Progress, Summary, run_jobs
from dossier.errors import ClaimError
from dossier.output.files import link_versioned, sha256_of
from dossier.output.journal import Journal, document_entry, file_record, read, record_document
from dossier.output.lock import FolderLock
from dossier.paths import inside
from dossier.workflow.claims import state_folder
from dossier.workflow.steps import ClaimStep, next_steps


@dataclass
class RunResult:
    day: date
    out: Path
    steps: list[ClaimStep]
    summary: Summary
    recorded: list[dict[str, Any]] = field(default_factory=list)

    @property
    def due(self) -> list[ClaimStep]:
        return [s for s in self.steps if s.step is not None and s.step.actionable]

    def as_dict(self) -> dict[str, object]:
        return {
            "date": self.day.isoformat(),
            "out": str(self.out),
            "due": len(self.due),
            "summary": self.summary.as_dict() | {"done": self.summary.done, "skipped": self.summary.skipped},
            "recorded": self.recorded,
            "errors": self.summary.errors,
            "claims": [s.as_dict() for s in self.steps],
        }


def run_due(
    portfolio: Path,
    day: date,
    *,
    out: Path | None = None,
    formats: tuple[str, ...] = ("pdf",),
    channel: str = "post",
    workers: int | None = None,
    templates: Path | None = None,
    scheduler: str | None = None,
    progress: Progress | None = None,
    one_page: bool = False,
) -> RunResult:
    """Render the letters due on ``day`` and record each one in its claim's journal."""
    if scheduler:
        check_address(scheduler)
    lock = FolderLock(
        state_folder(portfolio),
        name=".run.lock",
        what="this portfolio (dossier run)",
        hint="wait for that run to finish: it records the letters due",
    )
    with lock:
        return _run_due(portfolio, day, out, formats, channel, workers, templates, scheduler, progress, one_page)


def _run_due(
    portfolio: Path,
    day: date,
    out: Path | None,
    formats: tuple[str, ...],
    channel: str,
    workers: int | None,
    templates: Path | None,
    scheduler: str | None,
    progress: Progress | None,
    one_page: bool,
) -> RunResult:
    steps = next_steps(portfolio, day)
    target = out or state_folder(portfolio) / "runs" / day.isoformat()
    jobs: list[Job] = []
    by_job: dict[str, ClaimStep] = {}
    for item in steps:
        if item.step is None or not item.step.actionable or item.step.step is None:
            continue
        step = item.step.step
        job = Job(item.loaded.entry, str(step.document), step.level or 1, item.loaded.journal)
        jobs.append(job)
        by_job[job.id(day, formats)] = item
    result = RunResult(day, target, steps, Summary(out=str(target)))

    def record(done: dict[str, Any]) -> None:
        item = by_job.get(done["job"])
        if item is None or item.step is None or item.step.step is None:
            return
        journal = item.loaded.journal
        if any(r.data.get("job") == done["job"] for r in read(journal).records):
            return
        step = item.step.step
        payload = document_entry(
            str(step.document),
            day,
            [_archived(target, journal, f) for f in done["files"]],
            channel=channel,
            level=step.level,
            total_due=done["total_due"],
            currency=done.get("currency") or item.step.currency,
            deadline=done["deadline"],
            rules_version=done.get("rules_version"),
            findings=done.get("findings", []),
            plan=done.get("plan"),
            step=step.name,
            job=done["job"],
            run=os.path.relpath(target.resolve(), journal.folder.resolve()),  # where the day's mail is, for people
        )
        record_document(journal, payload)
        result.recorded.append({"claim": item.loaded.entry.label, "step": step.name, "job": done["job"]})

    if jobs:
        result.summary = run_jobs(
            jobs,
            out=target,
            day=day,
            formats=formats,
            channel=channel,
            workers=workers,
            templates=templates,
            scheduler=scheduler,
            progress=progress,
            on_done=record,
            one_page=one_page,
        )
    return result


def _archived(run_folder: Path, journal: Journal, f: dict[str, Any]) -> dict[str, Any]:
    """The run's letter also in the claim's archive folder (the same versioned name as ``dossier render`` gives;
    an identical copy already there, from a run killed before its journal line, is reused); its journal record."""
    source = inside(run_folder, str(f["path"]), file=MANIFEST, field="files.path")
    name = Path(str(f["path"])).name
    stem, suffix = name.rsplit(".", 1)
    sha = str(f["sha256"])
    if sha256_of(source) != sha:
        raise ClaimError(f"{f['path']} is not the letter the run rendered", file=MANIFEST, path="files.path")
    same = [p for p in sorted(journal.archive.glob(f"{stem}_v*.{suffix}")) if sha256_of(p) == sha]
    kept = same[0] if same else link_versioned(source, journal.archive, stem, suffix)
    return file_record(journal, kept, str(f["format"]), None, run_file=f["path"])
