"""Atomic, non-overwriting file writes: a temporary file in the same folder, then a link or rename.

A run killed at any moment leaves either the complete file or nothing under the final name. Files get the
mode a normal file would (0666 less the umask), so a shared office drive shares them; a folder that cannot be
written is an ``OutputError`` naming it, not a traceback.
"""

from __future__ import annotations

import errno
import glob
import hashlib
import os
import re
import tempfile
from pathlib import Path

from dossier.errors import DossierError

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
#: longest stem ``safe_name`` returns: room for ``_v123.docx`` and the ``.part`` temporary under 255 bytes
MAX_NAME = 120


class OutputError(DossierError):
    """An output folder or file cannot be written (read-only, missing permission, disk full...)."""


def safe_name(text: str) -> str:
    """``text`` as a portable file name; a long one is cut and ends with a hash of the whole, so it stays unique."""
    name = _UNSAFE.sub("-", text).strip("-.") or "document"
    if len(name) <= MAX_NAME:
        return name
    return name[: MAX_NAME - 9].rstrip("-.") + "-" + hashlib.sha256(name.encode("utf-8")).hexdigest()[:8]


def document_label(kind: str, level: int | None) -> str:
    """A document's kind as names show it: a reminder's carries its level (``reminder-1``, ``reminder-2``)."""
    return f"{kind}-{level or 1}" if kind == "reminder" else kind


def document_stem(day: str, kind: str, level: int | None, reference: str) -> str:
    """The one name of a document's files, wherever it is made (render, batch, run, HTTP e-mail attachment):
    ``DATE_KIND_REFERENCE``, a reminder's kind carrying its level (``reminder-1``, ``reminder-2``)."""
    return safe_name(f"{day}_{document_label(kind, level)}_{reference}")


def _startup_umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


_STARTUP_UMASK = _startup_umask()  # at import, before any thread: os.umask is process-wide


def current_umask() -> int:
    """The process umask, read without changing it (Linux ``/proc``); elsewhere the one at start-up."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    return _STARTUP_UMASK


def write_problem(exc: OSError, folder: Path) -> OutputError:
    """A clear error for a failed write in ``folder`` (its name, and why in words)."""
    reasons = {
        errno.EACCES: "permission denied",
        errno.EPERM: "permission denied",
        errno.EROFS: "the folder is on a read-only file system",
        errno.ENOSPC: "the disk is full",
        errno.EDQUOT: "the disk quota is exceeded",
        errno.ENAMETOOLONG: "a file name is too long",
        errno.ENOTDIR: "a file is in the way of this folder",
        errno.EEXIST: "a file is in the way of this folder",
    }
    reason = reasons.get(exc.errno or 0, exc.strerror or type(exc).__name__)
    return OutputError(f"cannot write here: {reason}", file=str(folder), hint="choose another folder with --out")


def make_folder(folder: Path) -> None:
    """``folder`` and its parents, or an ``OutputError`` naming it."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise write_problem(exc, folder) from None


def _staged(path: Path, data: bytes) -> str:
    """``data`` written and synced to a temporary file beside ``path``; returns its name."""
    make_folder(path.parent)
    try:
        fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name[:100]}.", suffix=".part")
    except OSError as exc:
        raise write_problem(exc, path.parent) from None
    try:
        os.fchmod(fd, 0o666 & ~current_umask())  # mkstemp makes 0600; a document is an ordinary file
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException as exc:
        Path(temp).unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise write_problem(exc, path.parent) from None
        raise
    return temp


def write_new(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path``, which must not exist yet (``FileExistsError`` otherwise)."""
    temp = _staged(path, data)
    try:
        os.link(temp, path)  # fails if path exists: never overwrite silently
    except FileExistsError:
        raise
    except OSError as exc:
        raise write_problem(exc, path.parent) from None
    finally:
        os.unlink(temp)


def replace(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path``, replacing it atomically if it exists."""
    temp = _staged(path, data)
    try:
        os.replace(temp, path)
    except BaseException as exc:
        Path(temp).unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise write_problem(exc, path.parent) from None
        raise


def next_version(folder: Path, stem: str, suffixes: list[str]) -> int:
    """The first version number for which none of ``stem_vN.<suffix>`` exists (a link counts, even one leading
    nowhere: the new file is never written through it, and its name is taken)."""
    version = 1
    while any(os.path.lexists(folder / f"{stem}_v{version}.{s}") for s in suffixes):
        version += 1
    return version


def sha256_of(path: Path) -> str | None:
    """The file's sha256, or None when it is not a readable regular file."""
    try:
        if not path.is_file():
            return None
        digest = hashlib.sha256()
        with path.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
        return digest.hexdigest()
    except OSError:
        return None


def link_versioned(source: Path, folder: Path, stem: str, suffix: str) -> Path:
    """``source`` also under ``folder/stem_vN.suffix``, N the first free number: a hard link (atomic, never
    overwriting, no copy), or a copy where links fail (another disk, a share without links)."""
    while True:
        target = folder / f"{stem}_v{next_version(folder, stem, [suffix])}.{suffix}"
        try:
            make_folder(folder)
            os.link(source, target)
            return target
        except FileExistsError:
            continue  # taken meanwhile: the next number
        except OSError:
            try:
                write_new(target, source.read_bytes())
                return target
            except FileExistsError:
                continue


def keep_as_version(path: Path) -> Path:
    """The existing ``path`` also as ``stem_vN.ext`` before it is replaced, so a superseded document is kept
    (once: a version already holding the same bytes, from a run killed right after it, is the one)."""
    stem, suffix = path.stem, path.suffix.lstrip(".")
    current = sha256_of(path)
    for kept in sorted(path.parent.glob(f"{glob.escape(stem)}_v*.{glob.escape(suffix)}")):
        if sha256_of(kept) == current:
            return kept
    return link_versioned(path, path.parent, stem, suffix)


def private_folder(folder: Path) -> None:
    """Make ``folder`` (and missing parents) for the server's user alone (0700, set, not left to the umask): the
    state folder's index and portal files decide which client sees what. An existing folder is left as it is
    (``dossier serve`` warns when it is writable by others)."""
    folder.parent.mkdir(parents=True, exist_ok=True)
    try:
        folder.mkdir(mode=0o700)
    except FileExistsError:
        return
    os.chmod(folder, 0o700)


def private_file(path: Path) -> None:
    """Create ``path`` empty, for the server's user alone (0600, set), unless it exists. SQLite then gives its
    ``-wal`` and ``-shm`` files the same mode."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return
    try:
        os.fchmod(fd, 0o600)
    finally:
        os.close(fd)


def open_to_others(path: Path) -> bool:
    """Whether group or others may write ``path`` (a folder or file the server trusts)."""
    try:
        return bool(path.stat().st_mode & 0o022)
    except OSError:
        return False
