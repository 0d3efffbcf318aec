"""Atomic, non-overwriting file writes: a temporary file in the same folder, then a link or rename.

A run killed at any moment leaves either the complete file or nothing under the final name.
"""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def safe_name(text: str) -> str:
    return _UNSAFE.sub("-", text).strip("-.") or "document"


def _staged(path: Path, data: bytes) -> str:
    """``data`` written and synced to a temporary file beside ``path``; returns its name."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    return temp


def write_new(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path``, which must not exist yet (``FileExistsError`` otherwise)."""
    temp = _staged(path, data)
    try:
        os.link(temp, path)  # fails if path exists: never overwrite silently
    finally:
        os.unlink(temp)


def replace(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path``, replacing it atomically if it exists."""
    temp = _staged(path, data)
    try:
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def next_version(folder: Path, stem: str, suffixes: list[str]) -> int:
    """The first version number for which none of ``stem_vN.<suffix>`` exists."""
    version = 1
    while any((folder / f"{stem}_v{version}.{s}").exists() for s in suffixes):
        version += 1
    return version
