"""The older ledger, ``out/ledger.jsonl``: one JSON line per document dossier produced (``kind``, ``sent``,
``channel``, ``files`` by ``name`` in the same folder, with sha256). Replaced by the claim's journal
(``dossier.output.journal``): a ledger is still read, before the journal, its letters counting as they always
did, and is never written again. It has no chain: ``dossier verify`` does not vouch for it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from dossier.errors import ClaimError

LEDGER = "ledger.jsonl"


def read(folder: Path) -> list[dict[str, Any]]:
    """The entries of ``folder/ledger.jsonl`` (none if there is no such file); a last line cut by a crash is
    skipped, any other line that is not a JSON object is a ``ClaimError`` naming it."""
    path = folder / LEDGER
    if not path.exists():
        return []
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    entries = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            entry = json.loads(line)
        except json.JSONDecodeError as exc:
            if number == len(lines) and not text.endswith("\n"):
                continue  # the last line, cut by a crash while it was written: it recorded nothing
            raise ClaimError(f"line {number} is not JSON ({exc.msg})", file=str(path), path=f"line {number}") from None
        if not isinstance(entry, dict):
            raise ClaimError(f"line {number} is not a JSON object", file=str(path), path=f"line {number}")
        entries.append(entry)
    return entries
