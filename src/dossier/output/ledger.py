"""The claim's ledger (``out/ledger.jsonl``): one JSON line per document dossier produced, the archive of
what was sent, with each file's sha256 and the version of the rules used."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from dossier.output.files import replace

LEDGER = "ledger.jsonl"


def read(folder: Path) -> list[dict[str, Any]]:
    path = folder / LEDGER
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def append(folder: Path, entry: dict[str, Any]) -> None:
    """Append one entry; the ledger is rewritten atomically so a crash never leaves half a line."""
    path = folder / LEDGER
    existing = path.read_bytes() if path.exists() else b""
    if existing and not existing.endswith(b"\n"):
        existing += b"\n"
    line = json.dumps(entry, sort_keys=True, ensure_ascii=False).encode("utf-8") + b"\n"
    replace(path, existing + line)
