"""The claim's ledger (``out/ledger.jsonl``): one JSON line per document dossier produced, the archive of
what was sent, with each file's sha256 and the version of the rules used.

The letters it records are part of the claim's history: ``with_ledger`` adds them to the claim, so the
statement, the next collection step and later letters see what dossier already sent.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from datetime import date
from pathlib import Path, PurePosixPath
from typing import Any

from pydantic import ValidationError

from dossier.errors import ClaimError, Problem
from dossier.model import Claim
from dossier.model.claim import AgreedPlan, HistoryItem
from dossier.output.lock import append_line
from dossier.paths import existing_file, inside

LEDGER = "ledger.jsonl"
#: ledger kinds that are letters sent to the debtor, and the claim-history type each one stands for
LETTER_TYPES = {"reminder": "reminder", "formal-notice": "formal_notice", "payment-plan": "payment_plan"}


def _ledger_file(folder: Path) -> Path | None:
    """The ledger in ``folder`` as a regular file inside it (``dossier.paths``: a ledger linked elsewhere, to
    another claim's ledger, a device or a server file, is refused, not read); None if there is none."""
    path = folder / LEDGER
    if not os.path.lexists(path):
        return None
    target = inside(folder, LEDGER, file=str(path))
    if not target.is_file():
        raise ClaimError("is not a plain file: the ledger must be a JSON-lines file", file=str(path))
    return target


def read(folder: Path) -> list[dict[str, Any]]:
    target = _ledger_file(folder)
    if target is None:
        return []
    path = folder / LEDGER
    data = target.read_bytes()
    lines = data.splitlines()
    entries = []
    for number, raw in enumerate(lines, start=1):
        cut = number == len(lines) and not data.endswith(b"\n")  # the last line, cut by a crash while written
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError:
            if cut:
                continue
            raise ClaimError(
                f"line {number} is not UTF-8 text (a damaged or foreign file?)", file=str(path), path=f"line {number}"
            ) from None
        if not line.strip():
            continue
        try:
            entry = json.loads(line)
        except json.JSONDecodeError as exc:
            if cut:
                continue  # it recorded nothing
            raise ClaimError(f"line {number} is not JSON ({exc.msg})", file=str(path), path=f"line {number}") from None
        if not isinstance(entry, dict):
            raise ClaimError(f"line {number} is not a JSON object", file=str(path), path=f"line {number}")
        entries.append(entry)
    return entries


def append(folder: Path, entry: dict[str, Any]) -> None:
    """Append one entry: one ``O_APPEND`` write under an exclusive lock, so processes appending at the same
    time (``dossier render`` while ``dossier run`` records) never lose or mix a line. The file is not
    rewritten; half a line left by a crash is dropped before the next append (and skipped by ``read``). A
    ledger linked out of its folder is refused (``_ledger_file``), never written through."""
    _ledger_file(folder)
    line = json.dumps(entry, sort_keys=True, ensure_ascii=False).encode("utf-8") + b"\n"
    append_line(folder / LEDGER, line)


def with_ledger(claim: Claim, folder: Path, *, before: date | None = None) -> Claim:
    """The claim with the letters its ledger records added to its history (a letter already in the history, same
    type and date, is not added twice) and the newest payment plan the ledger records, if newer than the claim's.
    ``before``: only letters sent before that day (a letter being redone on its date does not cite itself)."""
    entries = read(folder)
    if not entries:
        return claim
    path = str(folder / LEDGER)
    seen = {(h.type, h.date) for h in claim.history}
    added: list[HistoryItem] = []
    plan = claim.payment_plan
    problems: list[Problem] = []
    for number, entry in enumerate(entries, start=1):
        kind = LETTER_TYPES.get(str(entry.get("kind")))
        if kind is None:
            continue
        try:
            sent = date.fromisoformat(str(entry["sent"]))
            if before is not None and sent >= before:
                continue
            channel = entry.get("channel") if entry.get("channel") in ("post", "registered", "email") else None
            if (kind, sent) not in seen:
                seen.add((kind, sent))
                files = entry.get("files")
                names = ", ".join(
                    f["name"] for f in (files if isinstance(files, list) else []) if isinstance(f, dict)
                    and isinstance(f.get("name"), str) and f["name"].isprintable()
                )  # a name that is not plain text is refused where the file is read (bundle), not in this summary
                added.append(
                    HistoryItem(date=sent, type=kind, channel=channel, summary=f"dossier ledger: {names or kind}")
                )
            if kind == "payment_plan" and entry.get("plan"):
                recorded = AgreedPlan.model_validate(entry["plan"])
                if plan is None or recorded.agreed > plan.agreed:
                    plan = recorded
        except (KeyError, ValueError, ValidationError) as exc:
            problems.append(Problem(f"is not a valid ledger entry ({exc})".splitlines()[0], path, f"line {number}"))
    if problems:
        raise ClaimError(problems[0].message, problems=problems)
    if not added and plan is claim.payment_plan:
        return claim
    history = sorted([*claim.history, *added], key=lambda h: h.date)
    return claim.model_copy(update={"history": history, "payment_plan": plan})


@dataclass(frozen=True)
class LetterFile:
    """A PDF the ledger says dossier sent: ``out/<name>`` in the claim folder."""

    kind: str
    sent: date
    name: str
    path: Path | None  # None: recorded, but no longer there
    shown: str  # how errors and the bundle index name it (``out/<name>``): never a server path
    field: str  # where the ledger names it: ``line N: files[K].name``


def letter_files(claim_folder: Path, kinds: tuple[str, ...]) -> list[LetterFile]:
    """The PDF files of the ledger entries of ``kinds`` in ``CLAIM/out/ledger.jsonl``.

    The ledger is a file anyone with access to ``out/`` can edit, so a file's ``name`` is only trusted once
    ``dossier.paths`` finds it inside the claim folder, symlinks resolved; anything else is a ``ClaimError``
    naming the ledger line, never the path. A ``path`` a ledger line may hold (older ``dossier run`` letters)
    is never read: only ``out/<name>`` is."""
    where = f"out/{LEDGER}"
    found: list[LetterFile] = []
    problems: list[Problem] = []
    for number, entry in enumerate(read(claim_folder / "out"), start=1):
        if entry.get("kind") not in kinds:
            continue
        files = entry.get("files", [])
        if not isinstance(files, list):
            problems.append(Problem("must be a list", where, f"line {number}: files"))
            continue
        try:
            sent = date.fromisoformat(str(entry.get("sent")))
        except ValueError:
            problems.append(Problem("must be a date (YYYY-MM-DD)", where, f"line {number}: sent"))
            continue
        for k, item in enumerate(files):
            if not isinstance(item, dict) or item.get("format") != "pdf":
                continue
            field = f"line {number}: files[{k}].name"
            name = item.get("name")
            if not isinstance(name, str):
                problems.append(Problem("must be a file name", where, field))
                continue
            shown = (PurePosixPath("out") / name.replace("\\", "/")).as_posix() if name else ""
            try:
                target = inside(claim_folder, shown, file=where, field=field)
                path = existing_file(claim_folder, shown, file=where, field=field) if target.exists() else None
            except ClaimError as exc:
                problems += exc.problems
                continue
            found.append(LetterFile(str(entry["kind"]), sent, name, path, shown, field))
    if problems:
        raise ClaimError(problems[0].message, problems=problems)
    return found
