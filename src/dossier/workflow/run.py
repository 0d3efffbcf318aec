"""``dossier run``: every letter that is due on a date, rendered through the batch runner and recorded in each
claim's journal.

Each post (or registered) letter the run renders is recorded as a draft (``document-rendered``) and then as sent
on the run's date (``document-sent``, to the debtor's postal address), unless ``hold_post``: then it stays a
draft for ``dossier send``. An e-mail run's letters stay drafts (sending them is ``dossier send``'s).

Idempotent: a letter sent moves the claim to its next step, whose earliest day is later, so a second run on the
same day finds nothing due. Crash-safe: the batch manifest is written before the journal, and a run that finds a
document in the manifest but not in the journal records it then; a letter the run rendered but did not yet
record as sent (killed between the two lines) is recorded as sent by the next run, on its own date, before that
run looks for what is due (no duplicate, no gap).
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
from dossier.batch.manifest import MANIFEST, ErrorLog, new_run_id
from dossier.batch.runner import Batch, Job, Progress, Summary, run_jobs
from dossier.errors import ClaimError, DossierError
from dossier.model import Claim
from dossier.output.files import link_versioned, sha256_of
from dossier.output.history import mark_sent
from dossier.output.journal import Journal, Record, document_entry, file_record, read, record_document
from dossier.output.lock import FolderLock
from dossier.output.request import DocumentRequest, Options
from dossier.paths import inside
from dossier.workflow.claims import journal_of, portfolio_entries, state_folder
from dossier.workflow.payments import unique_references
from dossier.workflow.steps import ClaimStep, next_steps


@dataclass
class RunResult:
    day: date
    out: Path
    steps: list[ClaimStep]
    summary: Summary
    recorded: list[dict[str, Any]] = field(default_factory=list)
    mailed: list[dict[str, Any]] = field(default_factory=list)  # what --send e-mailed, or failed to
    mail: dict[str, Any] | None = None  # the day's post for the mailroom (--send): files, letters, pages
    mailing: list[tuple[ClaimStep, dict[str, Any]]] = field(default_factory=list, repr=False)

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
            "mailed": self.mailed,
            "mail": self.mail,
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
    hold_post: bool = False,
    send: bool = False,
    settings: Path | None = None,
) -> RunResult:
    """Render the letters due on ``day``, record each one in its claim's journal and, a post letter, as sent on
    ``day`` (unless ``hold_post``: then it stays a draft for ``dossier send``). ``send``: e-mail the letters the
    jurisdiction's data allows by e-mail to a debtor with an e-mail address (SMTP ``settings`` as ``dossier send``
    takes them), and write the day's post for the mailroom (``dossier.workflow.mailroom``)."""
    if scheduler:
        check_address(scheduler)
    lock = FolderLock(
        state_folder(portfolio),
        name=".run.lock",
        what="this portfolio (dossier run)",
        hint="wait for that run to finish: it records the letters due",
    )
    with lock:
        _finish_sending(portfolio)
        unique_references(portfolio)  # before any letter prints one
        result = _run_due(
            portfolio, day, out, formats, channel, workers, templates, scheduler, progress, one_page, hold_post, send
        )
        if send:
            _send_mail(result, settings, templates)
            result.mail = _mail_pack(result)
        return result


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
    hold_post: bool,
    send: bool = False,
) -> RunResult:
    steps = next_steps(portfolio, day)
    target = out or state_folder(portfolio) / "runs" / day.isoformat()
    jobs: list[Job] = []
    by_job: dict[str, ClaimStep] = {}
    channels: dict[str, str] = {}  # job id -> the channel its letter goes by
    mailing: list[tuple[ClaimStep, dict[str, Any]]] = []  # drafts this run e-mails once rendered
    held = 0
    for item in steps:
        if item.step is None or not item.step.actionable or item.step.step is None:
            continue
        step = item.step.step
        how = _channel_of(item, str(step.document), day, channel, send)
        request = DocumentRequest(
            str(step.document), day, how, step.level or 1, formats=tuple(formats), options=Options(one_page=one_page)
        )
        job = Job(item.loaded.entry, request, item.loaded.journal)
        job_id = job.id
        records = read(item.loaded.journal).records
        drafted = next((r for r in records if not r.legacy and r.data.get("job") == job_id), None)
        if drafted is not None:
            held += 1  # drafted by an earlier run and held for dossier send: not rendered twice
            if send and _unmailed(drafted, records):  # an e-mail an earlier run could not hand over: again
                mailing.append((item, drafted.data))
            continue
        jobs.append(job)
        by_job[job_id] = item
        channels[job_id] = how
    result = RunResult(day, target, steps, Summary(out=str(target)))
    result.mailing = mailing

    def record(done: dict[str, Any]) -> None:
        item = by_job.get(done["job"])
        if item is None or item.step is None or item.step.step is None:
            return
        journal = item.loaded.journal
        records = read(journal).records
        drafted = next((r for r in records if r.data.get("job") == done["job"] and not r.legacy), None)
        if drafted is not None:  # recorded by a run killed before it was sent: send it now, once
            if _unsent(drafted, records) and item.loaded.claim is not None:
                _send(journal, drafted.data, item.loaded.claim)
            return
        step = item.step.step
        how = channels.get(done["job"], channel)
        payload = document_entry(
            str(step.document),
            day,
            [_archived(target, journal, f) for f in done["files"]],
            channel=how,
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
            held=hold_post if how in POST else not send,
        )
        entry = record_document(journal, payload)
        claim = item.loaded.claim
        sent = not payload["held"] and claim is not None and how in POST
        if sent and claim is not None:
            _send(journal, entry, claim)
        elif how == "email" and send:
            result.mailing.append((item, entry))
        result.recorded.append(
            {
                "claim": item.loaded.entry.label,
                "step": step.name,
                "job": done["job"],
                "channel": how,
                "sent": sent,
                "warnings": list(done.get("findings") or []),
            }
        )

    if jobs:
        batch = Batch(target, workers, templates, scheduler, progress, on_done=record)
        result.summary = run_jobs(jobs, batch)
    result.summary.total += held
    result.summary.skipped += held
    return result


#: channels a run sends itself, by handing the day's mail to the post
POST = ("post", "registered")


def postal_address(claim: Claim) -> str:
    """The debtor's postal address on one line, as a ``document-sent`` entry records it."""
    a = claim.debtor.address
    parts = [claim.debtor.name, a.street, a.line2, f"{a.postal_code} {a.city}", a.country]
    return ", ".join(p for p in parts if p)


def _unsent(draft: Record, records: list[Record]) -> bool:
    """A run's post letter the run meant to record as sent (not held) and did not."""
    if draft.data.get("held", True) or draft.data.get("channel") not in POST:
        return False
    n = draft.data.get("n")
    return not any(r.event == "document-sent" and r.data.get("document") == n for r in records)


def _send(journal: Journal, entry: dict[str, Any], claim: Claim) -> None:
    """Record a run's post letter as sent on its date, on its channel, to the debtor's postal address."""
    mark_sent(
        journal,
        int(entry["n"]),
        channel=str(entry["channel"]),
        day=date.fromisoformat(str(entry["date"])),
        recipient=postal_address(claim),
    )


def _finish_sending(portfolio: Path) -> None:
    """Record as sent the letters an earlier run rendered and was killed before recording as sent."""
    for entry in portfolio_entries(portfolio):
        journal = journal_of(entry, portfolio)
        if not journal.path.is_file():
            continue
        records = read(journal).records
        pending = [r for r in records if not r.legacy and r.event == "document-rendered" and "job" in r.data]
        pending = [r for r in pending if _unsent(r, records)]
        if not pending:
            continue
        try:
            claim = entry.load()
        except DossierError:
            continue  # a claim that no longer loads is reported by next_steps
        for draft in pending:
            _send(journal, draft.data, claim)


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
    kept = same[0] if same else link_versioned(source, journal.own_archive(), stem, suffix)
    return file_record(journal, kept, str(f["format"]), None, run_file=f["path"])


def _channel_of(item: ClaimStep, kind: str, day: date, channel: str, send: bool) -> str:
    """The channel of a letter this run renders: e-mail when sending (``--send``) to a debtor with an e-mail
    address and the jurisdiction's data allows e-mail for this letter; else the run's post channel."""
    post = channel if channel in POST else "post"
    claim, rules = item.loaded.claim, item.loaded.rules
    if not send:
        return channel
    if claim is None or rules is None or not claim.debtor.email:
        return post
    rule = rules.sending(kind, day)
    return "email" if rule is not None and "email" in rule.value.allowed else post


def _unmailed(draft: Record, records: list[Record]) -> bool:
    """A run's e-mail draft the run meant to send (not held) that neither went out nor failed for good."""
    if draft.data.get("held", True) or draft.data.get("channel") != "email":
        return False
    n = draft.data.get("n")
    return not any(r.event in ("document-sent", "delivery-failed") and r.data.get("document") == n for r in records)


def _send_mail(result: RunResult, settings: Path | None, templates: Path | None) -> None:
    """E-mail the drafts the run queued, through ``dossier send``'s code (one message each, archived as .eml
    and journaled); a failure is that claim's error (a permanent refusal is journaled as ``delivery-failed``), and
    the other claims go on. Dated the run's day when it is not today (as its post letters are)."""
    from dossier.output.mail import MailSettings
    from dossier.output.send import send
    from dossier.render.templates import TemplateSet

    if not result.mailing:
        return
    try:
        mail: MailSettings | None = MailSettings.load(settings)
        mail.host  # type: ignore[union-attr]  # noqa: B018 - a missing server is named before any message is built
        problem: DossierError | None = None
    except DossierError as exc:  # no message can go: each e-mail letter stays a draft, for the next run
        mail, problem = None, exc
    at = None if result.day == date.today() else result.day.isoformat()
    for item, entry in result.mailing:
        claim, rules, label = item.loaded.claim, item.loaded.rules, item.loaded.entry.label
        assert claim is not None and rules is not None
        done: dict[str, Any] = {"claim": label, "document": entry["n"], "kind": entry.get("kind")}
        try:
            if problem is not None:
                raise problem
            sent = send(
                item.loaded.journal,
                claim,
                str(entry["n"]),
                channel="email",
                at=at,
                settings=mail,
                templates=TemplateSet(claim.language, templates),
                locale=rules.meta.locales.get(claim.language, "en_GB"),
            )
        except DossierError as exc:
            failed = bool(getattr(exc, "permanent", False))
            result.mailed.append(done | {"sent": False, "delivery_failed": failed, "error": str(exc.problems[0])})
            problems = [p.as_dict() for p in exc.problems]
            result.summary.failed += 1
            result.summary.errors.append({"claim": label, "problems": problems})
            ErrorLog(result.out, result.summary.run or new_run_id()).write(label, problems)
            continue
        done |= {"sent": True, "to": sent.payload["recipient"], "message_id": sent.payload["email"]["message_id"]}
        result.mailed.append(done)


def _mail_pack(result: RunResult) -> dict[str, Any] | None:
    """The day's post letters of this run folder (this run's and those of an earlier run of the same day, held
    or sent), printed in one file with the mailroom list."""
    from dossier.workflow.mailroom import post_letter, write_pack

    letters = []
    for item in result.steps:
        claim, journal = item.loaded.claim, item.loaded.journal
        if claim is None or not journal.path.is_file():
            continue
        run = os.path.relpath(result.out.resolve(), journal.folder.resolve())
        for record in read(journal).records:
            data = record.data
            if record.legacy or record.event != "document-rendered" or data.get("run") != run:
                continue
            if data.get("date") == result.day.isoformat() and data.get("channel") in POST:
                letter = post_letter(item.loaded.entry.key, claim, journal, record)
                if letter is not None:
                    letters.append(letter)
    return write_pack(result.out, result.day, letters)
