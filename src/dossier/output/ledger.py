"""The older ledger, ``out/ledger.jsonl``: one JSON line per document dossier produced (``kind``, ``sent``,
``channel``, ``files`` by ``name`` in the same folder, with sha256). Replaced by the claim's journal
(``dossier.output.journal``): a ledger is still read, before the journal, its letters counting as they always
did, and is never written again. It has no chain: ``dossier verify`` does not vouch for it.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from dossier.errors import ClaimError
from dossier.paths import inside
from dossier.strictyaml import json_line

LEDGER = "ledger.jsonl"


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
    """The entries of ``folder/ledger.jsonl`` (none if there is no such file); a last line cut by a crash is
    skipped, any other line that is not a JSON object is a ``ClaimError`` naming it."""
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
            entry = json_line(line)
        except ValueError as exc:  # not JSON, nested too deeply, a number too long for Python
            if cut:
                continue  # it recorded nothing
            reason = exc.msg if isinstance(exc, json.JSONDecodeError) else str(exc).split(":")[0]
            raise ClaimError(f"line {number} is not JSON ({reason})", file=str(path), path=f"line {number}") from None
        if not isinstance(entry, dict):
            raise ClaimError(f"line {number} is not a JSON object", file=str(path), path=f"line {number}")
        entries.append(entry)
    return entries
