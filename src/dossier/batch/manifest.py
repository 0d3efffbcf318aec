"""The manifest of a batch output folder: one JSON line per finished document, appended and synced by the
parent process only. A document counts as done when its line is there and its file has that sha256."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

MANIFEST = "manifest.jsonl"
ERRORS = "errors.jsonl"


class Manifest:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.path = folder / MANIFEST
        self.done: dict[str, dict[str, Any]] = {}
        if self.path.exists():
            for line in self.path.read_text(encoding="utf-8").splitlines():
                try:
                    entry = json.loads(line)
                except json.JSONDecodeError:
                    continue  # a line cut by a crash: that document is simply redone
                self.done[entry["job"]] = entry

    def finished(self, job: str) -> bool:
        """Done before, and every file still there with the recorded sha256."""
        entry = self.done.get(job)
        if entry is None:
            return False
        for f in entry["files"]:
            path = self.folder / f["path"]
            if not path.is_file() or hashlib.sha256(path.read_bytes()).hexdigest() != f["sha256"]:
                return False
        return True

    def record(self, entry: dict[str, Any]) -> None:
        with self.path.open("ab") as handle:
            handle.write(json.dumps(entry, sort_keys=True, ensure_ascii=False).encode("utf-8") + b"\n")
            handle.flush()
            os.fsync(handle.fileno())
        self.done[entry["job"]] = entry


class ErrorLog:
    """errors.jsonl of this run (a new run retries the failures, so it starts empty)."""

    def __init__(self, folder: Path) -> None:
        self.path = folder / ERRORS
        self.path.write_bytes(b"")

    def write(self, claim: str, problems: list[dict[str, Any]]) -> None:
        with self.path.open("ab") as handle:
            for p in problems:
                record = {"claim": claim, "file": p.get("file"), "field": p.get("path"), "message": p.get("message")}
                handle.write(json.dumps(record, sort_keys=True, ensure_ascii=False).encode("utf-8") + b"\n")
