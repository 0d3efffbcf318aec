"""The claim's journal: one append-only JSON Lines file of the events of the file, each line chained to the one
before it by sha256, so that an edited, deleted or reordered line is detectable (``dossier verify``).

Where (``Journal``): ``CLAIM/journal.jsonl`` for a claim folder, beside ``claim.yaml`` (the file's state; the
documents themselves stay in ``CLAIM/out/``); ``<portfolio>_dossier/ledgers/<key>/journal.jsonl`` for a claim
that is a row of a CSV / JSON Lines file (its documents are archived in that same folder). An archived file is
named relative to the journal's folder (``out/2025-12-01_formal-notice_X_v1.pdf``).

A line is one JSON object: ``n`` (1, 2, ... in the order written), ``at`` (UTC, seconds), ``event``, the
event's payload, ``prev`` (the sha256 of the previous line's bytes, its newline excluded; ``null`` on the first
line) and ``digest`` (the sha256 of the entry itself, as canonical JSON without ``digest``: an edit of the last
line, which no later ``prev`` covers, shows too). See docs/journal.md.

Appends take the OS lock of ``dossier.output.lock`` and write one line with ``O_APPEND``; ``n`` and ``prev``
come from the last complete line, read while the lock is held. The file is never truncated or rewritten: a
line cut by a crash stays, and the next append starts on a new line and records it as ``cut`` (its sha256).

An older ``out/ledger.jsonl`` (``dossier.output.ledger``) is still read, before the journal, and never written.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from dossier.errors import ClaimError
from dossier.model import CLAIM_FILES
from dossier.output import ledger
from dossier.output.lock import appending, read_own, write_all
from dossier.paths import inside
from dossier.strictyaml import json_line

JOURNAL = "journal.jsonl"
VERSION = "0.1.0"

#: the events a journal holds. A ``document-rendered`` document is a draft; it counts once a ``document-sent``
#: entry sends it (``dossier.output.history``), written by ``dossier send`` (dossier.output.send) or ``dossier run``
#: for post letters. The ones marked reserved keep their names for what comes next (bounces).
EVENTS = {
    "document-rendered": "a draft dossier produced: kind, date, channel, files with sha256, rules version",
    "document-sent": "a draft sent: the document's n, the day it went out, channel, date and time, recipient, "
    "tracking, proof, e-mail",
    "delivery-failed": "a letter that did not reach the debtor: refused by the mail server, a bounce, returned post",
    "debtor-event": "what happened outside dossier (dossier record): a dispute, a promise, a call, returned mail...",
    "payment-imported": "a payment read from a bank statement (dossier payments import / assign): the transaction, "
    "its statement file, how it was matched and the evidence, the invoice designated",
    "payment-reversed": "the bank reversed an imported payment (names its key and n): it no longer counts",
    "reference-assigned": "the structured reference (OGM or RF) the claim's letters print, unique in its portfolio",
    "journal-restarted": "the journal started again from its intact lines; names the damaged file kept aside",
}
#: keys the journal sets on every line; a payload may not carry them
HEADER = ("n", "at", "event", "prev", "cut", "digest")


@dataclass(frozen=True)
class Journal:
    """Where a claim's journal is (``folder/journal.jsonl``) and where its documents are archived."""

    folder: Path
    archive: Path

    @classmethod
    def of_claim(cls, folder: Path) -> Journal:
        folder = Path(folder)
        return cls(folder, folder / "out")

    @classmethod
    def of_state(cls, folder: Path) -> Journal:
        """A portfolio row's: the journal and its documents in one state folder."""
        folder = folder if isinstance(folder, Path) else Path(folder)  # a portfolio import makes 100,000
        return cls(folder, folder)

    @classmethod
    def of_folder(cls, folder: Path) -> Journal:
        """A claim folder's (it has a claim file), else a state folder's."""
        if any((Path(folder) / name).is_file() for name in CLAIM_FILES):
            return cls.of_claim(folder)
        return cls.of_state(folder)

    @functools.cached_property
    def path(self) -> Path:
        return self.folder / JOURNAL

    @property
    def legacy(self) -> Path:
        """The older ledger, read and never written."""
        return self.archive / ledger.LEDGER

    def own_archive(self) -> Path:
        """``archive``, once ``dossier.paths`` finds it inside the journal's folder: a claim's ``out`` planted as a
        link to another folder would have dossier write its letters, messages and bundles there."""
        if self.archive != self.folder:
            inside(self.folder, self.archive.name, file=str(self.folder), field="out")
        return self.archive

    def relative(self, path: Path) -> str | None:
        """``path`` named from the journal's folder, or None when it is not under it."""
        try:
            return Path(os.path.abspath(path)).relative_to(os.path.abspath(self.folder)).as_posix()
        except ValueError:
            return None


@dataclass(frozen=True)
class Record:
    """One entry read back: from the journal, or from the legacy ledger (then ``event`` is ``document-rendered``
    and ``date`` is the ledger's ``sent``)."""

    data: dict[str, Any]
    file: str  # where it is, named from the journal's folder: "journal.jsonl" or "out/ledger.jsonl"
    line: int
    legacy: bool = False

    @property
    def event(self) -> str:
        return str(self.data.get("event"))

    @property
    def where(self) -> str:
        return f"line {self.line}"


@dataclass
class Reading:
    records: list[Record] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def encode(entry: dict[str, Any]) -> bytes:
    """The canonical form the digest covers: sorted keys, no spaces, UTF-8."""
    return json.dumps(entry, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def digest_of(entry: dict[str, Any]) -> str:
    return hashlib.sha256(encode({k: v for k, v in entry.items() if k != "digest"})).hexdigest()


def parse_object(raw: bytes) -> dict[str, Any] | None:
    try:
        value = json_line(raw)
    except ValueError:
        return None
    return value if isinstance(value, dict) else None


def split(data: bytes) -> tuple[list[bytes], bytes | None]:
    """The complete lines of a journal's bytes, and a last line without its newline (None if there is none)."""
    lines = data.split(b"\n")
    last = lines.pop()
    return lines, (last or None)


def read(journal: Journal) -> Reading:
    """The legacy ledger's entries, then the journal's. Only JSON is checked here (``verify`` checks the chain):
    a line that is not a JSON object is a ``ClaimError`` naming it, unless it is the last line, cut by a crash
    (a warning), or such a cut line that the next entry recorded as ``cut``."""
    reading = Reading()
    for number, entry in enumerate(ledger.read(journal.archive), start=1):
        shown = journal.relative(journal.legacy) or ledger.LEDGER
        data = {**entry, "event": "document-rendered", "date": entry.get("sent")}
        reading.records.append(Record(data, shown, number, legacy=True))
    raw = read_own(journal.path)
    if raw is None:
        return reading
    lines, last = split(raw)
    pending: tuple[int, bytes] | None = None  # a cut line, waiting for the entry that skips it
    for number, line in enumerate(lines, start=1):
        entry = parse_object(line)
        if entry is None:
            if pending is not None:
                break
            pending = (number, line)
            continue
        if pending is not None:
            if not skips(entry, pending[1]):
                break
            pending = None
        reading.records.append(Record(entry, JOURNAL, number))
    if pending is not None:
        raise ClaimError(
            f"line {pending[0]} is not JSON",
            file=str(journal.path),
            path=f"line {pending[0]}",
            hint="dossier verify names what is wrong; docs/journal.md says how to recover",
        )
    if last is not None:
        entry = parse_object(last)
        if entry is None:
            reading.warnings.append(
                f"{JOURNAL}: line {len(lines) + 1} was cut while it was written (a crash?): it recorded nothing and "
                "is skipped"
            )
        else:
            reading.records.append(Record(entry, JOURNAL, len(lines) + 1))
    return reading


def skips(entry: dict[str, Any], line: bytes) -> bool:
    cut = entry.get("cut")
    return isinstance(cut, dict) and cut.get("sha256") == hashlib.sha256(line).hexdigest()


def _tail(fd: int) -> tuple[bytes | None, bytes | None, bool]:
    """Read under the lock: the last complete line, a cut last line after it, and whether the next line must
    start with a newline."""
    size = os.fstat(fd).st_size
    if size == 0:
        return None, None, False
    chunk, start, buf = 65536, size, b""
    while True:
        begin = max(0, start - chunk)
        buf = os.pread(fd, start - begin, begin) + buf
        start = begin
        if buf.count(b"\n") >= 2 or start == 0:
            break
        chunk *= 2
    segments = buf.split(b"\n")
    if buf.endswith(b"\n"):
        return segments[-2], None, False
    last = segments[-1]
    before = segments[-2] if len(segments) >= 2 else None
    if parse_object(last) is not None:
        return last, None, True  # complete, only its newline missing
    return before, last, True


_clock: tuple[int, str] = (0, "")


def now() -> str:
    """The time of an entry, UTC to the second, formatted once per second (an import writes 100,000 entries)."""
    global _clock
    second = int(time.time())
    if _clock[0] != second:
        _clock = (second, datetime.fromtimestamp(second, UTC).strftime("%Y-%m-%dT%H:%M:%SZ"))
    return _clock[1]


def append(journal: Journal, event: str, payload: dict[str, Any], *, sync: bool = True) -> dict[str, Any]:
    """Append one event; returns the entry written. One ``O_APPEND`` write under the exclusive lock, so
    processes appending at once never lose or mix a line and the chain stays whole. ``sync=False``: the caller
    makes it durable with others at once (``os.sync``) before it records anything that relies on it."""
    if event not in EVENTS:
        raise ValueError(f"unknown journal event {event!r}")
    clash = sorted(set(payload) & set(HEADER))
    if clash:
        raise ValueError(f"a journal payload may not set {', '.join(clash)}")
    with appending(journal.path, mend=False, sync=sync) as fd:
        last, cut, newline = _tail(fd)
        previous = parse_object(last) if last is not None else None
        if last is not None and (previous is None or not isinstance(previous.get("n"), int)):
            raise ClaimError(
                "its last complete line is not a journal entry: nothing more is written to it",
                file=str(journal.path),
                hint="run dossier verify on the claim; docs/journal.md says how to recover",
            )
        entry: dict[str, Any] = {"n": previous["n"] + 1 if previous else 1, "at": now(), "event": event}
        entry.update(sorted(payload.items()))
        entry["prev"] = hashlib.sha256(last).hexdigest() if last is not None else None
        if cut is not None:
            entry["cut"] = {"sha256": hashlib.sha256(cut).hexdigest(), "bytes": len(cut)}
        entry["digest"] = digest_of(entry)
        line = json.dumps(entry, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        write_all(fd, (b"\n" if newline else b"") + line + b"\n")
    return entry


def file_record(journal: Journal, path: Path, fmt: str, data: bytes | None = None, **extra: Any) -> dict[str, Any]:
    """How an entry names one file it archives: its ``name``, where it is from the journal's folder (``file``;
    left out when it was written outside it), format, sha256 and size (of ``data``, or of the file)."""
    if data is None:
        data = path.read_bytes()
    record: dict[str, Any] = {
        "name": path.name,
        "format": fmt,
        "sha256": hashlib.sha256(data).hexdigest(),
        "bytes": len(data),
    }
    where = journal.relative(path)
    if where is not None:
        record["file"] = where
    return record | extra


def document_entry(
    kind: str,
    day: date,
    files: Sequence[dict[str, Any]],
    *,
    channel: str | None = None,
    level: int | None = None,
    total_due: str | None = None,
    currency: str | None = None,
    deadline: str | None = None,
    rules_version: str | None = None,
    findings: Sequence[str] = (),
    plan: dict[str, Any] | None = None,
    **extra: Any,
) -> dict[str, Any]:
    """THE payload of a ``document-rendered`` event, whoever produced the document (render, run, batch, bundle,
    HTTP). ``extra``: what one producer adds (a run's ``job``/``step``/``run``, a bundle's ``pages``)."""
    return {
        "kind": kind,
        "date": day.isoformat(),
        "level": level if kind == "reminder" else None,
        "channel": channel,
        "files": [dict(f) for f in files],
        "total_due": total_due,
        "currency": currency,
        "deadline": deadline,
        "rules_version": rules_version,
        "dossier_version": VERSION,
        "findings": [str(f) for f in findings],
        "plan": plan,
    } | extra


def record_document(journal: Journal, payload: dict[str, Any]) -> dict[str, Any]:
    """Journal a produced document (see ``document_entry``)."""
    return append(journal, "document-rendered", payload)
