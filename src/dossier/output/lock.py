"""Locks between dossier processes: one run per output folder and per portfolio, and appends that never
interleave or lose a line.

An OS lock (``flock``) on a small file: the kernel drops it when its holder exits, even after ``kill -9``, so
a stale lock cannot block a later run. The holder writes who it is (pid, host, command, start time) into the
file, so the process refused can say who holds it.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import json
import os
import socket
import stat
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import BinaryIO

from dossier.errors import ClaimError, DossierError
from dossier.output.files import OutputError, make_folder, write_problem
from dossier.strictyaml import json_line


class Busy(DossierError):
    """Another dossier process is working in the same folder."""


#: descriptors of the locks this process holds; a forked child (a batch worker) closes its copies, so the lock
#: dies with the process that took it even if a worker outlives it (a ``flock`` is shared by every copy)
_HELD: set[int] = set()


def _forget_in_child() -> None:
    for fd in list(_HELD):
        with contextlib.suppress(OSError):
            os.close(fd)
    _HELD.clear()


os.register_at_fork(after_in_child=_forget_in_child)


def _holder() -> dict[str, object]:
    return {
        "pid": os.getpid(),
        "host": socket.gethostname(),
        "command": " ".join(os.path.basename(a) if i == 0 else a for i, a in enumerate(sys.argv))[:500],
        "started": datetime.now(UTC).replace(microsecond=0).isoformat(),
    }


def _describe(text: str) -> str:
    try:
        who = json_line(text)
        return f"process {who['pid']} on {who['host']} ({who['command']}), started {who['started']}"
    except (ValueError, KeyError, TypeError):
        return "another process (it has not said who yet)"


class _NotPlain(Exception):
    """What was opened is a FIFO, a device or a folder."""


def _plain_fd(path: Path, flags: int) -> int:
    """``os.open`` of ``path`` never through a symbolic link (``OSError`` ELOOP) and only as a plain file
    (``_NotPlain`` for a FIFO, a device or a folder: refused, never waited on), blocking once open."""
    fd = os.open(path, flags | os.O_CLOEXEC | os.O_NOFOLLOW | os.O_NONBLOCK, 0o666)
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise _NotPlain
    os.set_blocking(fd, True)
    return fd


def open_own(path: Path, flags: int) -> int:
    """A descriptor of ``path``, one of dossier's own files (a lock, a ledger, a manifest), created if missing.

    Those files live in folders others may write to (a shared drive, a claim folder received from a client):
    a symbolic link planted under the name is not followed (else a run would empty, cut or append to a file
    anywhere the user can write), and a FIFO or device is refused rather than waited on or written to."""
    try:
        return _plain_fd(path, flags | os.O_CREAT)
    except _NotPlain:
        raise _not_plain(path) from None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            hint = f"remove the link {path.name} (dossier recreates the file)"
            raise _linked(path, OutputError, "writes", hint) from None
        if exc.errno == errno.ENXIO:  # a FIFO nobody reads
            raise _not_plain(path) from None
        raise write_problem(exc, path.parent) from None


def read_own(path: Path) -> bytes | None:
    """The bytes of one of dossier's own files (a claim's journal, the payment ledger), None when there is none."""
    handle = reading_own(path)
    if handle is None:
        return None
    with handle:
        return handle.read()


def reading_own(path: Path) -> BinaryIO | None:
    """One of dossier's own files open for reading (a line at a time, say), None when there is none.

    As ``open_own`` for writing: a symbolic link planted under its name is not followed (another claim's journal
    would count that claim's letters and payments for this one, ``/dev/zero`` would fill the memory) and a FIFO
    or device is refused, not waited on."""
    try:
        fd = _plain_fd(path, os.O_RDONLY)
    except FileNotFoundError:
        return None
    except _NotPlain:
        what = f"{path.name} is not a plain file (a FIFO, a device or a folder?)"
        raise ClaimError(what, file=str(path.parent)) from None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise _linked(path, ClaimError, "reads", f"put the file itself in place of the link {path.name}") from None
        raise ClaimError(f"cannot be read ({exc.strerror})", file=str(path)) from None
    return os.fdopen(fd, "rb")


def _linked(path: Path, error: type[DossierError], doing: str, hint: str) -> DossierError:
    return error(
        f"{path.name} is a symbolic link: dossier {doing} its own files only, never through a link",
        file=str(path.parent),
        hint=hint,
    )


def _not_plain(path: Path) -> OutputError:
    return OutputError(
        f"{path.name} is not a plain file (a FIFO, a device or a folder?)",
        file=str(path.parent),
        hint=f"remove {path.name} (dossier recreates the file)",
    )


class FolderLock:
    """Held while one process writes a folder; ``acquire`` never waits: a second process gets ``Busy``."""

    def __init__(
        self,
        folder: Path,
        name: str = ".dossier.lock",
        what: str = "this output folder",
        hint: str = "wait for that run to finish, or use another --out",
    ) -> None:
        self.folder = folder
        self.path = folder / name
        self.what = what
        self.hint = hint
        self._fd: int | None = None

    def acquire(self) -> FolderLock:
        make_folder(self.folder)
        fd = open_own(self.path, os.O_RDWR)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            try:
                held = os.pread(fd, 4096, 0).decode("utf-8", "replace")
            finally:
                os.close(fd)
            raise Busy(
                f"{self.what} is in use by {_describe(held)}",
                file=str(self.folder),
                hint=self.hint,
            ) from None
        except OSError as exc:  # a file system without locks (some network shares)
            os.close(fd)
            raise OutputError(
                f"cannot lock this folder ({exc.strerror or type(exc).__name__})",
                file=str(self.folder),
                hint="use a folder on a file system with locks, e.g. a local disk",
            ) from None
        record = json.dumps(_holder(), ensure_ascii=False).encode("utf-8")
        os.ftruncate(fd, 0)
        os.pwrite(fd, record, 0)
        self._fd = fd
        _HELD.add(fd)
        return self

    def release(self) -> None:
        if self._fd is not None and self._fd in _HELD:
            _HELD.discard(self._fd)
            with contextlib.suppress(OSError):
                os.ftruncate(self._fd, 0)  # nobody holds it now; the file stays (deleting it would race)
            os.close(self._fd)  # closing drops the flock
        self._fd = None

    def __enter__(self) -> FolderLock:
        return self.acquire()

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.release()


@contextlib.contextmanager
def appending(path: Path, *, mend: bool = True, sync: bool = True) -> Iterator[int]:
    """An ``O_APPEND`` descriptor of ``path`` (readable with ``os.pread``) held under an exclusive ``flock``
    (waiting for other writers), so lines written through it by several processes never interleave and none is
    lost. ``mend``: a last line cut by a crash (no newline, not JSON) is dropped first, and a complete last line
    without its newline gets one; without it the caller deals with the tail (the journal never truncates).
    ``sync=False``: no ``fsync`` here; the caller syncs many files at once (``os.sync``) before it writes what
    depends on them (a payments import journals thousands of claims, then its own ledger)."""
    make_folder(path.parent)
    fd = _locked(path)
    try:
        if mend:
            _mend_tail(path, fd)
        yield fd
        if sync:
            os.fsync(fd)
    except OSError as exc:
        raise write_problem(exc, path.parent) from None
    finally:
        os.close(fd)


def _locked(path: Path) -> int:
    """``path`` opened for appending and locked. A file replaced under that name while this process waited for
    the lock (a journal set aside by ``dossier verify --start-new-segment``) is let go and the new one locked,
    so no line goes to a file that no longer bears the name."""
    while True:
        fd = open_own(path, os.O_RDWR | os.O_APPEND)  # never through a link, never a FIFO
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            held = os.fstat(fd)
            try:
                now = os.stat(path)
            except FileNotFoundError:
                now = None
            if now is not None and (now.st_ino, now.st_dev) == (held.st_ino, held.st_dev):
                return fd
        except OSError as exc:
            os.close(fd)
            raise write_problem(exc, path.parent) from None
        os.close(fd)


def _mend_tail(path: Path, fd: int) -> None:
    size = os.fstat(fd).st_size
    if size == 0:
        return
    with path.open("rb") as reader:
        reader.seek(size - 1)
        if reader.read(1) == b"\n":
            return  # the usual case: one byte read
        reader.seek(max(0, size - 65536))
        tail = reader.read(size - reader.tell())
    cut = tail.rfind(b"\n")
    if cut < 0 and size > len(tail):
        return  # a single line longer than we read: leave it to the reader to complain
    last = tail[cut + 1 :]
    try:
        json_line(last)
    except ValueError:
        os.ftruncate(fd, size - len(last))  # half a line from a crash: nothing was recorded by it
        return
    os.write(fd, b"\n")


def write_all(fd: int, data: bytes) -> None:
    """``data`` through ``fd``: one ``write`` unless the kernel takes less."""
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def append_line(path: Path, line: bytes) -> None:
    """Append one line (``line`` ends with a newline) under the lock, in one write, synced. Several lines
    (each ending with a newline) go in one write the same way."""
    with appending(path) as fd:
        write_all(fd, line)
