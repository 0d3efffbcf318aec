"""The manifest of a batch output folder: one JSON line per finished document, appended and synced by the
parent process only. A document counts as done when its line is there, made from the same inputs (the hash
of ``dossier.batch.inputs``), and its files still have their sha256.

Paths in the manifest are relative to the output folder and are read back through ``dossier.paths.inside``:
a manifest is a file anyone may edit, so it never leads a run outside its folder.
"""

from __future__ import annotations

import json
import os
import secrets
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from dossier.errors import DossierError
from dossier.output.files import sha256_of
from dossier.output.lock import append_line, open_own
from dossier.paths import inside
from dossier.strictyaml import json_line

MANIFEST = "manifest.jsonl"
ERRORS = "errors.jsonl"
ERRORS_LOG = "errors.log"


def _line(record: dict[str, Any]) -> bytes:
    return json.dumps(record, sort_keys=True, ensure_ascii=False).encode("utf-8") + b"\n"


class Manifest:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.path = folder / MANIFEST
        self.done: dict[str, dict[str, Any]] = {}
        if os.path.lexists(self.path):  # a link or a FIFO under its name is refused, not read (``open_own``)
            with os.fdopen(open_own(self.path, os.O_RDONLY), "rb") as handle:
                data = handle.read()
            for line in data.splitlines():
                try:
                    entry = json_line(line)
                    self.done[str(entry["job"])] = entry
                except (ValueError, KeyError, TypeError):  # ValueError: not JSON, or not UTF-8
                    continue  # a line cut by a crash (or not ours): that document is simply redone

    def _files(self, job: str) -> list[tuple[str, Path | None, str]]:
        """(recorded path, the file inside the folder or None if the path is refused, recorded sha256)."""
        out = []
        files = self.done.get(job, {}).get("files")
        for f in files if isinstance(files, list) else []:
            try:
                name, sha = str(f["path"]), str(f["sha256"])
            except (KeyError, TypeError):
                continue
            try:
                out.append((name, inside(self.folder, name, file=MANIFEST), sha))
            except DossierError:
                out.append((name, None, sha))
        return out

    def finished(self, job: str, inputs: str) -> bool:
        """Done before from the same inputs, and every file still there with the recorded sha256."""
        entry = self.done.get(job)
        if entry is None or entry.get("inputs") != inputs:
            return False
        files = self._files(job)
        return bool(files) and all(path is not None and sha256_of(path) == sha for _, path, sha in files)

    def previous(self, job: str) -> dict[str, str]:
        """The files the manifest recorded for ``job`` (path relative to the folder: sha256): a redone document
        keeps such a file under a versioned name instead of overwriting it."""
        return {name: sha for name, path, sha in self._files(job) if path is not None}

    def record(self, entry: dict[str, Any]) -> None:
        append_line(self.path, _line(entry))
        self.done[entry["job"]] = entry


def new_run_id() -> str:
    """When, by which process, and a random tail (two runs of one process in one second): sorts by time."""
    return f"{datetime.now(UTC).strftime('%Y%m%dT%H%M%SZ')}-{os.getpid()}-{secrets.token_hex(3)}"


class ErrorLog:
    """``errors.jsonl``: one line per problem, each with the id of its run. A run appends to it and never
    empties it, so the failures of an earlier run stay (a run retries them; its own lines carry its id).
    Tracebacks of unexpected errors go to ``errors.log`` beside it, never to the user's terminal."""

    def __init__(self, folder: Path, run: str) -> None:
        self.path = folder / ERRORS
        self.log = folder / ERRORS_LOG
        self.run = run
        self.count = 0

    def write(self, claim: str, problems: list[dict[str, Any]]) -> None:
        lines = b""
        for p in problems:
            record = {
                "run": self.run,
                "claim": claim,
                "file": p.get("file"),
                "field": p.get("path"),
                "message": p.get("message"),
            }
            lines += _line(record)
            self.count += 1
            if p.get("trace"):
                text = f"--- run {self.run}, claim {claim}: {p.get('message')}\n{p['trace']}\n"
                append_line(self.log, text.encode("utf-8", "replace"))
        if lines:
            append_line(self.path, lines)
