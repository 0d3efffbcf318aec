"""The one containment check for every path dossier reads from a file it did not write itself.

Claim files, ledgers, journals and manifests name other files by relative path. Any of them can be planted
or edited, so a name is trusted only once it resolves, symlinks followed, to a file under the folder it
belongs to. The error never echoes a server path and never says whether something outside the folder exists:
it only says that the name is not acceptable.
"""

from __future__ import annotations

import os
from pathlib import Path, PurePosixPath, PureWindowsPath

from dossier.errors import ClaimError

#: the longest file name (one part of a path) and whole path, in bytes, that Linux and macOS take
NAME_MAX = 255
PATH_MAX = 4095


def _shown(name: str) -> str:
    """The name as it may appear in an error: a relative name as given, anything else withheld."""
    if not name or "\x00" in name or PurePosixPath(name).is_absolute() or PureWindowsPath(name).is_absolute():
        return "the path given"
    return name if len(name) <= 120 else name[:117] + "..."


def inside(root: Path, name: str, *, file: str | None = None, field: str | None = None) -> Path:
    """``root / name`` resolved, or a ``ClaimError`` if ``name`` is absolute, climbs with ``..``, holds a NUL,
    is no file name the system can hold (too long, a lone surrogate from a ``\\ud800`` in JSON), or leads (through
    a symlink anywhere on the way) out of ``root``. Existence is not checked here."""
    text = str(name)
    pure = PurePosixPath(text.replace("\\", "/"))
    if not text or "\x00" in text or pure.is_absolute() or PureWindowsPath(text).is_absolute() or ".." in pure.parts:
        raise ClaimError(
            f"{_shown(text)} must be a path inside the claim folder (no absolute path, no '..')", file=file, path=field
        )
    _encodable(text, file, field)
    try:
        base = root.resolve()
        target = (base / text).resolve()
    except (OSError, RuntimeError):  # a symbolic link loop (RuntimeError before Python 3.13), a name too long
        raise ClaimError(
            f"{_shown(text)} cannot be followed (a symbolic link loop?)", file=file, path=field
        ) from None
    if target == base or not target.is_relative_to(base):
        raise ClaimError(f"{_shown(text)} leads outside the claim folder", file=file, path=field)
    if len(os.fsencode(target)) > PATH_MAX:
        raise ClaimError(f"{_shown(text)} is too long a path for this system", file=file, path=field)
    return target


def _encodable(text: str, file: str | None, field: str | None) -> None:
    """A ``ClaimError`` unless every part of ``text`` is a file name the system can hold: the OS would raise
    ``UnicodeEncodeError`` or ``ENAMETOOLONG`` (with the server path in it) from any later look at it."""
    try:
        parts = [os.fsencode(part) for part in PurePosixPath(text).parts]
    except UnicodeError:
        raise ClaimError("the path given holds a character no file name can hold", file=file, path=field) from None
    if any(len(part) > NAME_MAX for part in parts):
        raise ClaimError(
            f"{_shown(text)} holds a name longer than {NAME_MAX} bytes, which no file can have", file=file, path=field
        )


def existing_file(root: Path, name: str, *, file: str | None = None, field: str | None = None) -> Path:
    """Like ``inside``, and the target must be a regular file."""
    target = inside(root, name, file=file, field=field)
    try:
        found = target.is_file()
    except OSError:  # unreadable on the way (permissions...): the error must not carry the server path
        found = False
    if not found:
        raise ClaimError(f"{_shown(name)} does not exist in the claim folder", file=file, path=field)
    return target
