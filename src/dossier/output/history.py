"""What a claim's journal (and its older ledger) adds to the claim: the letters dossier produced, as history,
and their files, for the bundle.

In this version a ``document-rendered`` letter counts as sent, as a ledger entry always did: the statement, the
next collection step and later letters see it from its date.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path, PurePosixPath

from pydantic import ValidationError

from dossier.errors import ClaimError, Problem
from dossier.model import Claim
from dossier.model.claim import AgreedPlan, DebtorEvent, HistoryItem
from dossier.output.journal import Journal, Record, read
from dossier.paths import existing_file, inside

#: document kinds that are letters to the debtor, and the claim-history type each one stands for
LETTER_TYPES = {"reminder": "reminder", "formal-notice": "formal_notice", "payment-plan": "payment_plan"}


def _day(record: Record) -> date:
    """The document's date (``date``; ``sent`` in a legacy ledger line)."""
    return date.fromisoformat(str(record.data.get("date") if not record.legacy else record.data["sent"]))


def _date_field(record: Record) -> str:
    return "sent" if record.legacy else "date"


def with_journal(claim: Claim, journal: Journal, *, before: date | None = None) -> Claim:
    """The claim with the letters its journal (and older ledger) records added to its history (a letter already
    in the history, same type and date, is not added twice) and the newest payment plan recorded, if newer than
    the claim's. ``before``: only letters dated before that day (a letter being redone on its date does not cite
    itself). A journal line cut by a crash becomes one of the claim's warnings."""
    reading = read(journal)
    if not reading.records and not reading.warnings:
        return claim
    seen = {(h.type, h.date) for h in claim.history}
    added: list[HistoryItem] = []
    plan = claim.payment_plan
    problems: list[Problem] = []
    for record in reading.records:
        if record.event != "document-rendered":
            continue
        kind = LETTER_TYPES.get(str(record.data.get("kind")))
        if kind is None:
            continue
        shown = str(journal.folder / record.file) if not record.legacy else str(journal.legacy)
        try:
            sent = _day(record)
            if before is not None and sent >= before:
                continue
            channel = record.data.get("channel")
            channel = channel if channel in ("post", "registered", "email") else None
            if (kind, sent) not in seen:
                seen.add((kind, sent))
                files = record.data.get("files")
                names = ", ".join(
                    f["name"] for f in (files if isinstance(files, list) else []) if isinstance(f, dict)
                    and isinstance(f.get("name"), str) and f["name"].isprintable()
                )  # a name that is not plain text is refused where the file is read (bundle), not in this summary
                added.append(
                    HistoryItem(date=sent, type=kind, channel=channel, summary=f"dossier ledger: {names or kind}")
                )
            if kind == "payment_plan" and record.data.get("plan"):
                recorded = AgreedPlan.model_validate(record.data["plan"])
                if plan is None or recorded.agreed > plan.agreed:
                    plan = recorded
        except (KeyError, ValueError, ValidationError) as exc:
            problems.append(Problem(f"is not a valid journal entry ({exc})".splitlines()[0], shown, record.where))
    events = debtor_events(journal, reading.records)  # all of them: a dispute of the letter's day still counts
    if problems:
        raise ClaimError(problems[0].message, problems=problems)
    if not added and not events and plan is claim.payment_plan and not reading.warnings:
        return claim
    history = sorted([*claim.history, *added], key=lambda h: h.date)
    update = {"history": history, "payment_plan": plan, "events": sorted([*claim.events, *events], key=_day_of)}
    copy = claim.model_copy(update=update)
    copy.add_warnings(reading.warnings)
    return copy


def _day_of(event: DebtorEvent) -> date:
    return event.date


#: the payload keys of a ``debtor-event`` entry that the claim model reads
EVENT_FIELDS = ("type", "date", "until", "amount", "note", "file")


def debtor_events(journal: Journal, records: list[Record]) -> list[DebtorEvent]:
    """The ``debtor-event`` entries (``dossier record``) as typed events, in the journal's order; an entry the
    model refuses is a ``ClaimError`` naming the journal line and the field. The engine reads each from its
    date (``dossier.engine.pauses``)."""
    out: list[DebtorEvent] = []
    for record in records:
        if record.event != "debtor-event" or record.legacy:
            continue
        data = {k: record.data.get(k) for k in EVENT_FIELDS if record.data.get(k) is not None}
        if isinstance(data.get("file"), dict):
            data["file"] = data["file"].get("file")
        try:
            event = DebtorEvent.model_validate(data)
        except ValidationError as exc:
            error = exc.errors()[0]
            where = ".".join(str(p) for p in error["loc"])
            field = f"{record.where}: {where}" if where else record.where
            raise ClaimError(
                f"is not a valid debtor event ({error['msg']})", file=str(journal.folder / record.file), path=field
            ) from None
        out.append(event)
    return out


@dataclass(frozen=True)
class LetterFile:
    """A PDF the journal says dossier produced, inside the claim folder."""

    kind: str
    sent: date
    name: str
    path: Path | None  # None: recorded, but no longer there (or never written in the claim folder)
    shown: str  # how errors and the bundle index name it (``out/<name>``): never a server path
    field: str  # where the journal names it: ``line N: files[K].file``
    file: str  # the journal (or ledger) that names it, from the claim folder


def letter_files(claim_folder: Path, kinds: tuple[str, ...]) -> list[LetterFile]:
    """The PDF files of the documents of ``kinds`` that the claim's journal (and older ledger) records.

    Both are files anyone with access to the claim folder can edit, so a file's name is only trusted once
    ``dossier.paths`` finds it inside the claim folder, symlinks resolved; anything else is a ``ClaimError``
    naming the journal line, never the path. A legacy ledger names a file by ``name`` in ``out/`` (a ``path`` an
    older ``dossier run`` line may hold is never read); the journal by ``file``, from the claim folder."""
    journal = Journal.of_claim(claim_folder)
    found: list[LetterFile] = []
    problems: list[Problem] = []
    for record in read(journal).records:
        entry = record.data
        if record.event != "document-rendered" or entry.get("kind") not in kinds:
            continue
        where, line = record.file, record.where
        files = entry.get("files", [])
        if not isinstance(files, list):
            problems.append(Problem("must be a list", where, f"{line}: files"))
            continue
        try:
            sent = _day(record)
        except (KeyError, ValueError):
            problems.append(Problem("must be a date (YYYY-MM-DD)", where, f"{line}: {_date_field(record)}"))
            continue
        for k, item in enumerate(files):
            if not isinstance(item, dict) or item.get("format") != "pdf":
                continue
            name = item.get("name")
            if record.legacy or "file" not in item:
                field = f"{line}: files[{k}].name"
                if not isinstance(name, str):
                    problems.append(Problem("must be a file name", where, field))
                    continue
                shown = (PurePosixPath("out") / name.replace("\\", "/")).as_posix() if name else ""
                if not record.legacy:  # written outside the claim folder: recorded, not archived here
                    found.append(LetterFile(str(entry["kind"]), sent, name, None, shown, field, where))
                    continue
            else:
                field = f"{line}: files[{k}].file"
                shown = item["file"] if isinstance(item["file"], str) else ""
                if not isinstance(name, str):
                    name = PurePosixPath(shown).name
            try:
                target = inside(claim_folder, shown, file=where, field=field)
                path = existing_file(claim_folder, shown, file=where, field=field) if target.exists() else None
            except ClaimError as exc:
                problems += exc.problems
                continue
            found.append(LetterFile(str(entry["kind"]), sent, name, path, shown, field, where))
    if problems:
        raise ClaimError(problems[0].message, problems=problems)
    return found
