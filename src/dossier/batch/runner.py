"""Running a batch: jobs to warm workers (processes here, or a Dask cluster), results recorded by this process.

Only this process writes the manifest and errors.jsonl; workers write documents atomically under deterministic
names. So a run killed at any moment (even ``kill -9``) leaves no half-written file, and the next run skips
what the manifest proves done and redoes the rest: no duplicate, no gap.
"""

from __future__ import annotations

import multiprocessing
import os
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from dossier.batch import worker
from dossier.batch.manifest import ErrorLog, Manifest
from dossier.batch.portfolio import Entry, entries


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
        }


Progress = Callable[[int, int, float], None]


@dataclass(frozen=True)
class Job:
    """One document to render for one claim. ``ledger``: a folder whose ledger's letters count as the claim's
    history (what ``dossier run`` uses so each letter sees the ones sent before it)."""

    entry: Entry
    doc: str
    level: int = 1
    ledger: str | None = None

    def id(self, day: date, formats: tuple[str, ...]) -> str:
        kind = self.doc + (f"-{self.level}" if self.level != 1 else "")
        return f"{self.entry.key}/{kind}/{day.isoformat()}/{'+'.join(sorted(formats))}"


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
) -> Summary:
    """Render ``doc`` for every claim of ``portfolio`` into ``out``; resumable, one bad claim never stops it."""
    return run_jobs(
        [Job(entry, doc) for entry in entries(portfolio)],
        out=out,
        day=day,
        formats=formats,
        channel=channel,
        workers=workers,
        templates=templates,
        force=force,
        scheduler=scheduler,
        progress=progress,
        one_page=one_page,
    )


def run_jobs(
    wanted: list[Job],
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
    on_done: Callable[[dict[str, Any]], None] | None = None,
    one_page: bool = False,
) -> Summary:
    """Render each job into ``out``: the manifest makes it resumable; ``on_done`` sees each finished record
    right after the manifest has it (also for jobs the manifest already held)."""
    out.mkdir(parents=True, exist_ok=True)
    for stale in out.rglob(".*.part"):  # temporary files of a run that was killed
        stale.unlink(missing_ok=True)
    manifest = Manifest(out)
    errors = ErrorLog(out)
    summary = Summary(total=len(wanted), out=str(out))
    jobs = []
    for job in wanted:
        job_id = job.id(day, formats)
        if manifest.finished(job_id):
            summary.skipped += 1
            if on_done:
                on_done(manifest.done[job_id])
            continue
        jobs.append(
            {
                "id": job_id,
                "entry": job.entry,
                "doc": job.doc,
                "level": job.level,
                "ledger": job.ledger,
                "date": day.isoformat(),
                "channel": channel,
                "formats": sorted(formats),
                "out": str(out),
                "templates": str(templates) if templates else None,
                "force": force,
                "one_page": one_page,
            }
        )
    count = workers or os.cpu_count() or 1
    summary.workers = count
    start = time.perf_counter()
    finished = summary.skipped
    if progress:
        progress(finished, summary.total, 0.0)
    for result in _execute(jobs, count, templates, scheduler):
        if "error" in result:
            summary.failed += 1
            errors.write(result["claim"], result["error"])
            summary.errors.append({"claim": result["claim"], "problems": result["error"]})
        else:
            record = {k: result[k] for k in ("job", "claim", "files", "total_due", "deadline", "findings", "plan")}
            manifest.record(record)
            if on_done:
                on_done(record)
            summary.done += 1
            summary.pages += sum(f["pages"] for f in result["files"])
            summary.peak_worker_mb = max(summary.peak_worker_mb, result.get("rss_mb", 0.0))
        finished += 1
        if progress:
            progress(finished, summary.total, time.perf_counter() - start)
    summary.seconds = time.perf_counter() - start
    return summary


def _execute(
    jobs: list[dict[str, Any]], count: int, templates: Path | None, scheduler: str | None
) -> Iterator[dict[str, Any]]:
    if not jobs:
        return
    if scheduler:
        yield from _on_dask(jobs, scheduler)
        return
    if count == 1:
        worker.init(str(templates) if templates else None)
        for job in jobs:
            yield worker.run(job)
        return
    context = multiprocessing.get_context("fork")
    with context.Pool(count, initializer=worker.init, initargs=(str(templates) if templates else None,)) as pool:
        yield from pool.imap_unordered(worker.run, jobs, chunksize=_chunk(len(jobs), count))


def _chunk(jobs: int, workers: int) -> int:
    return max(1, min(16, jobs // (workers * 8)))


def _on_dask(jobs: list[dict[str, Any]], scheduler: str) -> Iterable[dict[str, Any]]:
    """The same jobs on a Dask distributed cluster; each Dask worker keeps its own warm Producer."""
    from distributed import Client, as_completed

    with Client(scheduler) as client:
        futures = client.map(worker.run, jobs, pure=False)
        for future in as_completed(futures):
            yield future.result()
