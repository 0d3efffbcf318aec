"""``dossier record``: what happened outside dossier (a dispute, a promise to pay, a call, a letter received,
returned mail, an address change), journaled as a ``debtor-event`` with a copy of its paper, if any.

The ladder reads these events back (``output.history.debtor_events``): a dispute pauses it until resolved, a
promise until its day plus the ladder's grace, returned mail until an address change.
"""

from __future__ import annotations

import os
from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from dossier.errors import ClaimError
from dossier.model import DebtorEvent, load_claim
from dossier.model.claim import DebtorEventType
from dossier.output.files import safe_name, write_new
from dossier.output.history import mark_failed
from dossier.output.journal import Journal, Record, append, file_record, read
from dossier.output.send import choose
from dossier.paths import inside
from dossier.validation import problems_from

#: the event types, as ``--event`` offers them
EVENT_TYPES: tuple[str, ...] = DebtorEventType.__args__  # type: ignore[attr-defined]
#: the largest paper ``--file`` may attach (a scan of a letter, a photo of an envelope)
MAX_FILE_BYTES = 50 * 1024 * 1024


def _event(
    event: str, day: date, until: date | None, amount: Decimal | str | None, note: str | None
) -> DebtorEvent:
    """The event, validated by the claim model's rules (dates, amounts, bounded printable text)."""
    if event == "promise" and until is None:
        raise ClaimError("a promise needs the day the debtor promised to pay by (--until)", path="until")
    if event != "promise":
        for name, value in (("until", until), ("amount", amount)):
            if value is not None:
                raise ClaimError(f"only a promise has {name} (this event is {event!r})", path=name)
    if until is not None and until < day:
        raise ClaimError(f"{until} is before the promise was made ({day})", path="until")
    data: dict[str, Any] = {"type": event, "date": day, "until": until, "note": note}
    if amount is not None:
        data["amount"] = str(amount) if not isinstance(amount, str) else amount
    try:
        return DebtorEvent.model_validate(data)
    except ValidationError as exc:
        problems = [replace(p, file=None) for p in problems_from(exc, "")]
        raise ClaimError("invalid event", problems=problems) from None


def _read_paper(source: Path) -> bytes:
    """The bytes of the paper given with ``--file``: a regular file, not too large."""
    shown = str(source)
    try:
        if not source.is_file():
            raise ClaimError("is not a file", file=shown, path="file")
        if source.stat().st_size > MAX_FILE_BYTES:
            raise ClaimError(f"is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB", file=shown, path="file")
        return source.read_bytes()
    except OSError as exc:
        raise ClaimError(f"cannot be read ({exc.strerror})", file=shown, path="file") from None


def _archive(journal: Journal, folder: Path, event: DebtorEvent, source: Path, data: bytes) -> dict[str, Any]:
    """Copy the paper into the claim's ``out/`` under a new name (never over a file already there)."""
    stem, suffix = os.path.splitext(source.name)
    base = safe_name(f"{event.date.isoformat()}_{event.type}_{stem}")
    ext = safe_name(suffix.lstrip(".").lower())[:10] if suffix.strip(".") else ""
    for version in range(1, 1000):
        name = f"{base}{'' if version == 1 else f'_v{version}'}{'.' + ext if ext else ''}"
        target = inside(folder, f"out/{name}", field="file")
        try:
            write_new(target, data)
        except FileExistsError:
            continue
        return file_record(journal, target, ext or "bin", data)
    raise ClaimError("too many files of that name in out/", path="file")  # pragma: no cover


def _sending(journal: Journal, document: str) -> Record:
    """The first ``document-sent`` entry of the letter ``document`` names (line number or file name)."""
    draft = choose(journal, document)
    records = read(journal).records
    sent = [r for r in records if r.event == "document-sent" and r.data.get("document") == draft.data.get("n")]
    if not sent:
        raise ClaimError(
            f"line {draft.line} of the journal was never sent: it cannot have come back",
            file=str(journal.path),
            path="document",
            hint="dossier send records a letter that went out",
        )
    return sent[0]


def record_event(
    folder: Path,
    event: str,
    day: date,
    *,
    until: date | None = None,
    amount: Decimal | str | None = None,
    note: str | None = None,
    file: Path | None = None,
    document: str | None = None,
) -> dict[str, Any]:
    """Validate the event, archive its paper in ``folder/out/`` and append it to the claim's journal; returns
    the entry written. Returned mail naming the ``document`` that came back (its journal line number, or one of
    its file names) is a ``delivery-failed`` entry for that letter (a bounce for an e-mail), which the ladder
    reads as returned mail and the bundle files behind the letter. ``ClaimError`` (naming the field, and the
    file for ``file``) for anything invalid; nothing is written then."""
    if event not in EVENT_TYPES:
        raise ClaimError(f"{event!r} is not an event ({', '.join(EVENT_TYPES)})", path="event")
    if document is not None and event != "returned-mail":
        raise ClaimError("only returned mail names the letter that came back (--document)", path="document")
    load_claim(folder)  # a claim folder, valid: the journal is the claim's
    typed = _event(event, day, until, amount, note)
    journal = Journal.of_claim(Path(folder))
    sending = _sending(journal, document) if document is not None else None
    paper = None
    if file is not None:
        data = _read_paper(Path(file))
        paper = _archive(journal, Path(folder), typed, Path(file), data)
    if sending is not None:  # the letter that came back: its delivery failed
        channel = str(sending.data.get("channel"))
        return mark_failed(
            journal,
            int(sending.data["document"]),
            day=typed.date,
            channel=channel,
            recipient=sending.data.get("recipient"),
            source="bounce" if channel == "email" else "returned-mail",
            note=typed.note,
            file=paper,
        )
    payload = {
        "type": typed.type,
        "date": typed.date.isoformat(),
        "until": typed.until.isoformat() if typed.until else None,
        "amount": f"{typed.amount:.2f}" if typed.amount is not None else None,
        "note": typed.note,
        "file": paper,
    }
    return append(journal, "debtor-event", payload)
