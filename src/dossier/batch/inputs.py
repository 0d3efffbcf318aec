"""What a batch document is made from, as one hash: a document whose hash changed is redone.

The hash covers the claim (its claim file's bytes, or its row of a CSV / JSON Lines file), the journal (and
older ledger) whose letters join its history, the rules (every file of the jurisdiction data), the templates
(ours and the firm's folder), the dossier version and every option of the job. A letter uses no piece's content
(the pieces are listed from the claim file, and only the court bundle reads them), so piece files are not hashed.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

from dossier.batch.portfolio import Entry
from dossier.model import CLAIM_FILES
from dossier.output.journal import Journal
from dossier.output.produce import VERSION
from dossier.render.templates import templates_root
from dossier.rules.load import data_root


def folder_digest(folder: Path) -> str:
    """Every regular file under ``folder`` (name and bytes); a symlink counts by where it points, unread."""
    digest = hashlib.sha256()
    if not folder.is_dir():
        return digest.hexdigest()
    for base, dirs, files in os.walk(folder):  # does not follow linked folders
        dirs.sort()
        for name in sorted(files):
            path = Path(base) / name
            rel = path.relative_to(folder).as_posix().encode("utf-8", "surrogateescape")
            if path.is_symlink():
                digest.update(b"L" + rel + b"\0" + os.readlink(path).encode("utf-8", "surrogateescape") + b"\0")
            elif path.is_file():
                digest.update(b"F" + rel + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def environment(templates: Path | None) -> str:
    """The rules data, our templates, the firm's templates and the dossier version, hashed once per run."""
    parts = [VERSION, folder_digest(data_root()), folder_digest(templates_root())]
    parts.append(folder_digest(templates) if templates else "-")
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def claim_digest(entry: Entry) -> str:
    """The claim's own bytes: its claim file(s) in its folder, or its row as canonical JSON."""
    digest = hashlib.sha256()
    if entry.folder is not None:
        for name in CLAIM_FILES:
            path = Path(entry.folder) / name
            if path.is_file():
                digest.update(name.encode() + b"\0" + path.read_bytes() + b"\0")
    else:
        digest.update(json.dumps(entry.data, sort_keys=True, default=str, ensure_ascii=False).encode("utf-8"))
    return digest.hexdigest()


def job_digest(entry: Entry, journal: Journal | None, environment_digest: str, options: dict[str, Any]) -> str:
    """One document's inputs: the claim, its journal (and older ledger) if it has one, the environment and the
    options."""
    digest = hashlib.sha256()
    digest.update(claim_digest(entry).encode() + b"\n" + environment_digest.encode() + b"\n")
    if journal is not None:
        for name, path in (("ledger", journal.legacy), ("journal", journal.path)):
            digest.update(name.encode() + b"\0" + (path.read_bytes() if path.is_file() else b"") + b"\n")
    digest.update(json.dumps(options, sort_keys=True, default=str).encode("utf-8"))
    return digest.hexdigest()
