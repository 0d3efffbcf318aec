"""Running a batch: jobs to warm workers (processes here, or a Dask cluster), results recorded by this process.

Only this process writes the manifest and errors.jsonl; workers write documents atomically under deterministic
names. So a run killed at any moment (even ``kill -9``) leaves no half-written file, and the next run skips
what the manifest proves done from the same inputs and redoes the rest: no duplicate, no gap. One run at a time
writes an output folder (an OS lock; a second run is refused, naming the holder). Whatever fails in one
claim's job is that claim's line in errors.jsonl; the other claims go on.
"""

from __future__ import annotations

import multiprocessing
import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from dossier.batch import worker
from dossier.batch.cluster import check_address, on_dask
from dossier.batch.inputs import environment, job_digest
from dossier.batch.manifest import ErrorLog, Manifest, new_run_id
from dossier.batch.portfolio import Entry, entries
from dossier.errors import DossierError
from dossier.output.files import make_folder, write_problem
from dossier.output.journal import Journal
from dossier.output.lock import FolderLock
from dossier.output.request import DocumentRequest, Options


@dataclass
class Summary:
    total: int = 0
    done: int = 0
    skipped: int = 0
    failed: int = 0
    seconds: float = 0.0
    pages: int = 0
    peak_worker_mb: float = 0.0
    out: str = ""
    workers: int = 1
    run: str = ""
    errors: list[dict[str, Any]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        rate = self.done / self.seconds if self.seconds else 0.0
        return {
            "total": self.total,
            "done": self.done,
            "skipped": self.skipped,
            "failed": self.failed,
            "seconds": round(self.seconds, 3),
            "documents_per_second": round(rate, 2),
            "pages": self.pages,
            "pages_per_second": round(self.pages / self.seconds, 2) if self.seconds else 0,
            "peak_worker_mb": round(self.peak_worker_mb, 1),
            "out": self.out,
            "workers": self.workers,
            "run": self.run,
        }


Progress = Callable[[int, int, float], None]


@dataclass(frozen=True)
class Job:
    """One document to render for one claim: the ``request`` (kind, date, channel, level, formats, options).
    ``journal``: the claim's journal, whose letters count as its history (what ``dossier run`` uses so each
    letter sees the ones sent before it)."""

    entry: Entry
    request: DocumentRequest
    journal: Journal | None = None

    @property
    def id(self) -> str:
        """``KEY/KIND/DATE/FORMATS``, the kind named as files name it (``reminder-1``)."""
        r = self.request
        return f"{self.entry.key}/{r.label}/{r.date.isoformat()}/{'+'.join(sorted(r.formats))}"


@dataclass(frozen=True)
class Batch:
    """Where and how a batch runs (the same for all its jobs): the output folder, the templates, the workers or
    the Dask scheduler; ``on_done`` sees each finished record right after the manifest has it; ``redo``: render
    every document again, even those the manifest holds from the same inputs."""

    out: Path
    workers: int | None = None
    templates: Path | None = None
    scheduler: str | None = None
    progress: Progress | None = None
    on_done: Callable[[dict[str, Any]], None] | None = None
    redo: bool = False


def run_batch(
    portfolio: Path,
    doc: str,
    *,
    out: Path,
    day: date,
    formats: tuple[str, ...] = ("pdf",),
    channel: str = "post",
    workers: int | None = None,
    templates: Path | None = None,
    force: bool = False,
    scheduler: str | None = None,
    progress: Progress | None = None,
    one_page: bool = False,
    redo: bool = False,
) -> Summary:
    """Render ``doc`` for every claim of ``portfolio`` into ``out``; resumable, one bad claim never stops it.
    ``redo``: render every document again, even those the manifest holds from the same inputs."""
    options = Options(force=force, one_page=one_page)
    request = DocumentRequest(doc, day, channel, formats=tuple(formats), options=options)
    batch = Batch(out, workers, templates, scheduler, progress, redo=redo)
    return run_jobs([Job(entry, request) for entry in entries(portfolio)], batch)


def run_jobs(wanted: list[Job], batch: Batch) -> Summary:
    """Render each job into ``batch.out``: the manifest makes it resumable. A ``DossierError`` before any job
    runs (``out`` not writable, held by another run, a bad scheduler address) stops the whole run."""
    if batch.scheduler:
        check_address(batch.scheduler)
    make_folder(batch.out)
    with FolderLock(batch.out):
        return _run_locked(wanted, batch)


def work_item(job: Job, batch: Batch, inputs: str, previous: dict[str, str]) -> dict[str, Any]:
    """What a worker is handed for ``job`` (picklable: it may go to another process or a Dask worker)."""
    return {
        "id": job.id,
        "inputs": inputs,
        "entry": job.entry,
        "journal": job.journal,
        "request": job.request,
        "out": str(batch.out),
        "templates": str(batch.templates) if batch.templates else None,
        "previous": previous,
    }


def manifest_record(result: dict[str, Any], inputs: str) -> dict[str, Any]:
    """THE manifest line of a finished document: what the worker made, and the inputs it was made from."""
    record = {k: result[k] for k in ("job", "claim", "files", "total_due", "deadline", "findings", "plan")}
    record["inputs"] = inputs
    return record


def _run_locked(wanted: list[Job], batch: Batch) -> Summary:
    out = batch.out
    try:
        for stale in out.rglob(".*.part"):  # temporary files of a run that was killed (no run holds the lock)
            stale.unlink(missing_ok=True)
    except OSError as exc:
        raise write_problem(exc, out) from None
    manifest = Manifest(out)
    run_id = new_run_id()
    errors = ErrorLog(out, run_id)
    summary = Summary(total=len(wanted), out=str(out), run=run_id)
    env = environment(batch.templates)
    jobs = []
    for job in wanted:
        try:
            inputs = job_digest(job.entry, job.journal, env, job.request.digest())
        except OSError:
            inputs = ""  # a file it cannot read: never "done"; the worker reports the claim's error
        if not batch.redo and manifest.finished(job.id, inputs):
            if _recorded(batch.on_done, manifest.done[job.id], job.entry.label, errors, summary):
                summary.skipped += 1
            continue
        jobs.append(work_item(job, batch, inputs, manifest.previous(job.id)))
    count = batch.workers or os.cpu_count() or 1
    summary.workers = count
    start = time.perf_counter()
    finished = summary.skipped
    progress = batch.progress
    if progress:
        progress(finished, summary.total, 0.0)
    by_id = {job["id"]: job for job in jobs}
    for result in _execute(jobs, count, batch.templates, batch.scheduler):
        job = by_id.pop(result.get("job"), None)
        if job is None:
            continue  # not one of ours (or already counted)
        if "error" not in result:
            record = manifest_record(result, job["inputs"])
            try:
                manifest.record(record)
            except Exception as exc:
                result = {**result, "error": worker.internal_error(result["claim"], exc)}
            else:
                summary.peak_worker_mb = max(summary.peak_worker_mb, result.get("rss_mb", 0.0))
                if _recorded(batch.on_done, record, result["claim"], errors, summary):
                    summary.done += 1
                    summary.pages += sum(f["pages"] for f in result["files"])
        if "error" in result:
            _failed(errors, summary, result["claim"], result["error"])
        finished += 1
        if progress:
            progress(finished, summary.total, time.perf_counter() - start)
    for job in by_id.values():  # a job whose result never came back (its worker died)
        _failed(errors, summary, job["entry"].label, [{"file": job["entry"].label, "message": "no result came back"}])
    summary.seconds = time.perf_counter() - start
    return summary


def _failed(errors: ErrorLog, summary: Summary, claim: str, problems: list[dict[str, Any]]) -> None:
    summary.failed += 1
    errors.write(claim, problems)
    shown = [{k: v for k, v in p.items() if k != "trace"} for p in problems]  # tracebacks only in errors.log
    summary.errors.append({"claim": claim, "problems": shown})


def _recorded(
    on_done: Callable[[dict[str, Any]], None] | None,
    record: dict[str, Any],
    claim: str,
    errors: ErrorLog,
    summary: Summary,
) -> bool:
    """``on_done`` for one document; if it fails, that claim fails (the document stays, a re-run records it)
    and the others go on."""
    if on_done is None:
        return True
    try:
        on_done(record)
    except DossierError as exc:
        _failed(errors, summary, claim, [p.as_dict() for p in exc.problems])
        return False
    except Exception as exc:
        _failed(errors, summary, claim, worker.internal_error(claim, exc))
        return False
    return True


def _execute(
    jobs: list[dict[str, Any]], count: int, templates: Path | None, scheduler: str | None
) -> Iterator[dict[str, Any]]:
    if not jobs:
        return
    if scheduler:
        yield from on_dask(jobs, scheduler, worker.run, _lost)
        return
    if count == 1:
        worker.init(str(templates) if templates else None)
        for job in jobs:
            yield worker.run(job)
        return
    context = multiprocessing.get_context("fork")
    with context.Pool(count, initializer=worker.init, initargs=(str(templates) if templates else None,)) as pool:
        results = pool.imap_unordered(worker.run, jobs, chunksize=_chunk(len(jobs), count))
        while True:
            try:
                yield next(results)
            except StopIteration:
                return
            except Exception:  # a result that could not come back (e.g. not picklable): reported as lost
                continue


def _lost(job: dict[str, Any], exc: BaseException) -> dict[str, Any]:
    return {"job": job["id"], "claim": job["entry"].label, "error": worker.internal_error(job["entry"].label, exc)}


def _chunk(jobs: int, workers: int) -> int:
    return max(1, min(16, jobs // (workers * 8)))
