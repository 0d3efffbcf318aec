"""``dossier verify``: is a claim's journal as it was written? Its chain, line by line, and every file it archives
against the sha256 it recorded. The first line that breaks is named, with why; nothing is changed.

What it can tell: a line edited (its ``digest`` no longer matches, or the next line's ``prev`` does not), a line
deleted or moved (``n`` out of sequence, ``prev`` not the line before), an archived file changed or gone. What
it cannot: the last lines removed all together leave a shorter journal that is whole. ``head`` (the sha256 of
the last line) and ``entries`` are printed so they can be noted elsewhere and compared later.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from typing import Any

from dossier.errors import ClaimError
from dossier.output import ledger
from dossier.output.files import replace, sha256_of
from dossier.output.journal import JOURNAL, Journal, append, digest_of, now, parse_object, skips, split
from dossier.output.lock import appending, read_own
from dossier.paths import inside

NOT_AN_ENTRY = "is not a journal entry (not a JSON object)"


@dataclass(frozen=True)
class Break:
    """The first line that breaks, and why."""

    file: str  # the journal, named from the claim folder
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}: line {self.line}: {self.message}"


@dataclass
class Verification:
    journal: str
    exists: bool = False
    entries: int = 0
    files: int = 0  # archived files checked
    head: str | None = None  # sha256 of the last complete line
    broken: Break | None = None
    partial: int | None = None  # the number of a last line cut by a crash (a warning: it recorded nothing)
    legacy: int = 0  # entries of an older ledger.jsonl, not chained: not vouched for (-1: unreadable)
    legacy_file: str = "out/ledger.jsonl"
    unarchived: int = 0  # files recorded as written outside the claim folder: not checked

    @property
    def intact(self) -> bool:
        return self.broken is None

    def as_dict(self) -> dict[str, Any]:
        return {
            "journal": self.journal,
            "exists": self.exists,
            "intact": self.intact,
            "entries": self.entries,
            "files_checked": self.files,
            "head": self.head,
            "broken": None
            if self.broken is None
            else {"file": self.broken.file, "line": self.broken.line, "message": self.broken.message},
            "partial_line": self.partial,
            "legacy_entries": self.legacy,
            "legacy_file": self.legacy_file,
            "unarchived_files": self.unarchived,
        }


def verify(journal: Journal) -> Verification:
    """Check ``journal`` (see module); stops at the first line that breaks."""
    result = Verification(JOURNAL, legacy_file=journal.relative(journal.legacy) or ledger.LEDGER)
    try:
        result.legacy = len(ledger.read(journal.archive))
    except ClaimError:
        result.legacy = -1  # unreadable; the claim's own loading says why
    raw = read_own(journal.path)
    if raw is None:
        return result
    result.exists = True
    lines, last = split(raw)
    if last is not None:
        if parse_object(last) is None:
            result.partial = len(lines) + 1
        else:
            lines.append(last)  # complete: only its newline is missing
    latest = _latest_files(lines)
    previous: bytes | None = None
    cut: tuple[int, bytes] | None = None  # a line cut by a crash, until the entry that records it as cut
    for number, line in enumerate(lines, start=1):
        entry = parse_object(line)
        if entry is None:
            if cut is not None or number == len(lines):
                result.broken = Break(JOURNAL, cut[0] if cut else number, NOT_AN_ENTRY)
                return result
            cut = (number, line)
            continue
        if cut is not None and not skips(entry, cut[1]):
            result.broken = Break(JOURNAL, cut[0], NOT_AN_ENTRY + ", and the next entry does not record it as cut")
            return result
        problem = _check(entry, result.entries + 1, previous, cut is not None)
        problem = problem or _check_files(journal, entry, number, latest, result)
        if problem:
            result.broken = Break(JOURNAL, number, problem)
            return result
        result.entries += 1
        previous, cut = line, None
        result.head = hashlib.sha256(line).hexdigest()
    return result


def _check(entry: dict[str, Any], expected: int, previous: bytes | None, after_cut: bool) -> str | None:
    if entry.get("digest") != digest_of(entry):
        return "was changed after it was written (its digest does not match its contents)"
    n = entry.get("n")
    if not isinstance(n, int) or isinstance(n, bool):
        return "has no sequence number n"
    if n > expected:
        return f"is entry {n} where entry {expected} was expected: {n - expected} line(s) before it were deleted"
    if n < expected:
        return f"is entry {n} where entry {expected} was expected: lines were moved or repeated"
    want = hashlib.sha256(previous).hexdigest() if previous is not None else None
    if entry.get("prev") != want:
        return (
            "does not follow the line before it (its prev is not that line's sha256): a line before it was "
            "changed, deleted or moved"
        )
    if entry.get("cut") is not None and not after_cut:
        return "records a cut line before it that is not there"
    return None


def _records(entry: dict[str, Any] | None) -> list[tuple[str, Any]]:
    """The file records an entry holds, with where: ``files[k]`` (a document), ``proof`` (a receipt's scan),
    ``email.eml`` (the message sent), ``file`` (a debtor event's)."""
    if entry is None:
        return []
    found: list[tuple[str, Any]] = []
    files = entry.get("files")
    if isinstance(files, list):
        found += [(f"files[{k}]", item) for k, item in enumerate(files)]
    for key in ("proof", "file"):
        if isinstance(entry.get(key), dict):
            found.append((key, entry[key]))
    mail = entry.get("email")
    if isinstance(mail, dict) and isinstance(mail.get("eml"), dict):
        found.append(("email.eml", mail["eml"]))
    return found


def _latest_files(lines: list[bytes]) -> dict[str, int]:
    """The last line that records each archived file: a bundle replaced in place (``bundle --out FILE``) is
    checked against its newest record only."""
    latest: dict[str, int] = {}
    for number, line in enumerate(lines, start=1):
        for _, item in _records(parse_object(line)):
            if isinstance(item, dict) and isinstance(item.get("file"), str):
                latest[item["file"]] = number
    return latest


def _check_files(
    journal: Journal, entry: dict[str, Any], number: int, latest: dict[str, int], result: Verification
) -> str | None:
    files = entry.get("files")
    if files is not None and not isinstance(files, list):
        return "files must be a list"
    for label, item in _records(entry):
        if not isinstance(item, dict):
            return f"{label} must be an object"
        name = item.get("file")
        if name is None:
            result.unarchived += 1
            continue
        if latest.get(str(name), number) > number:
            continue  # replaced since: a later line records it
        try:
            path = inside(journal.folder, str(name), file=JOURNAL, field=f"{label}.file")
        except ClaimError as exc:
            return f"{label}.file: {exc.problems[0].message}"
        if not path.is_file():
            return f"{label}: {name} is missing"
        if sha256_of(path) != item.get("sha256"):
            return f"{label}: {name} was changed (its sha256 is not the one recorded)"
        result.files += 1
    return None


@dataclass(frozen=True)
class Restart:
    """What ``start_new_segment`` did: the damaged journal kept aside, and the entry that starts the new one."""

    damaged: str  # its file name, in the journal's folder
    sha256: str
    kept: int  # lines of the damaged journal copied into the new one (those before the break)
    entry: dict[str, Any]


def start_new_segment(journal: Journal) -> tuple[Verification, Restart | None]:
    """For a journal that breaks at line N: keep it, byte for byte, as ``journal.damaged-<UTC time>.jsonl``,
    start ``journal.jsonl`` again from its lines before N (they verified), and append a ``journal-restarted``
    entry naming the damaged file, its sha256 and the line that broke. What line N and the lines after it
    recorded no longer counts. Nothing is done to an intact journal, or when there is none (``None``)."""
    if not journal.path.is_file():
        return verify(journal), None
    with appending(journal.path, mend=False):  # no append meanwhile; a waiting one reopens the new file after
        result = verify(journal)
        if result.broken is None:
            return result, None
        raw = journal.path.read_bytes()
        lines, _ = split(raw)
        kept = lines[: result.broken.line - 1]
        while kept and parse_object(kept[-1]) is None:
            kept.pop()  # a cut line just before the break recorded nothing (it stays in the damaged file)
        stamp = now().replace("-", "").replace(":", "")
        damaged = journal.folder / f"journal.damaged-{stamp}.jsonl"
        number = 1
        while True:
            try:
                os.link(journal.path, damaged)
                break
            except FileExistsError:
                number += 1
                damaged = journal.folder / f"journal.damaged-{stamp}-{number}.jsonl"
        replace(journal.path, b"".join(line + b"\n" for line in kept))
    digest = hashlib.sha256(raw).hexdigest()
    entry = append(
        journal,
        "journal-restarted",
        {
            "damaged": {
                "name": damaged.name,
                "sha256": digest,
                "bytes": len(raw),
                "line": result.broken.line,
                "why": result.broken.message,
            },
            "kept_lines": len(kept),
        },
    )
    return result, Restart(damaged.name, digest, len(kept), entry)
