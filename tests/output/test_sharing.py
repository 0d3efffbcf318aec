"""Output on shared folders: file modes follow the umask, appends from many processes lose nothing, a folder
that cannot be written is a clear error naming it, and file names stay within what a disk accepts."""

from __future__ import annotations

import errno
import os
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from tests.conftest import copy_sample

from dossier.cli.main import main
from dossier.output import ledger
from dossier.output.files import keep_as_version, replace, safe_name, write_new
from dossier.output.journal import Journal, append


@pytest.fixture
def umask() -> Iterator[Any]:
    before = os.umask(0o022)
    os.umask(before)

    def set_to(mask: int) -> None:
        os.umask(mask)

    yield set_to
    os.umask(before)


@pytest.mark.parametrize(
    ("mask", "mode"), [(0o002, 0o664), (0o022, 0o644), (0o027, 0o640)], ids=["umask-002", "umask-022", "umask-027"]
)
def test_written_files_get_0666_less_the_umask(tmp_path: Path, umask: Any, mask: int, mode: int) -> None:
    umask(mask)
    write_new(tmp_path / "new.pdf", b"x")
    replace(tmp_path / "replaced.pdf", b"y")
    append(Journal.of_state(tmp_path), "document-rendered", {"kind": "statement"})
    for name in ("new.pdf", "replaced.pdf", "journal.jsonl"):
        assert stat.S_IMODE((tmp_path / name).stat().st_mode) == mode, name


def test_a_legacy_ledger_line_cut_by_a_crash_is_skipped_not_fatal(tmp_path: Path) -> None:
    (tmp_path / "ledger.jsonl").write_bytes(b'{"kind": "statement", "n": 1}\n{"kind": "reminder", "se')
    assert [e["n"] for e in ledger.read(tmp_path)] == [1]


@pytest.fixture
def read_only(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """Make a folder read-only; as root (who writes anyway) the writes into it are refused as the OS would."""
    folders: list[Path] = []

    def refuse_in(path: Any) -> None:
        target = Path(os.fsdecode(path)).absolute()
        if any(target.is_relative_to(f) for f in folders):
            raise PermissionError(errno.EACCES, "Permission denied", os.fsdecode(path))

    if os.geteuid() == 0:
        real_open, real_mkstemp = os.open, tempfile.mkstemp

        def fake_open(path: Any, flags: int, *args: Any, **kwargs: Any) -> int:
            if flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT):
                refuse_in(path)
            return real_open(path, flags, *args, **kwargs)

        def fake_mkstemp(*args: Any, dir: Any = None, **kwargs: Any) -> tuple[int, str]:
            refuse_in(Path(os.fsdecode(dir)) / "x")
            return real_mkstemp(*args, dir=dir, **kwargs)

        monkeypatch.setattr(os, "open", fake_open)
        monkeypatch.setattr(tempfile, "mkstemp", fake_mkstemp)

    def make(folder: Path) -> Path:
        folder.mkdir(parents=True, exist_ok=True)
        folder.chmod(0o555)
        folders.append(folder.absolute())
        return folder

    yield make
    for folder in folders:
        folder.chmod(0o755)


def test_render_into_a_read_only_out_is_a_clear_error_naming_it(tmp_path: Path, read_only: Any) -> None:
    claim = copy_sample("be-b2b-fr", tmp_path / "claim")
    out = read_only(claim / "out")
    result = CliRunner().invoke(main, ["render", str(claim), "--doc", "reminder", "--date", "2025-12-01"])
    assert isinstance(result.exception, SystemExit) and result.exit_code == 1, result.exception
    assert f"Error: {out}: cannot write here: permission denied" in result.stderr
    assert "Traceback" not in result.output + result.stderr


def test_batch_into_a_read_only_out_is_a_clear_error_naming_it(tmp_path: Path, read_only: Any) -> None:
    folder = tmp_path / "portfolio"
    copy_sample("be-b2b-fr", folder / "dubois")
    out = read_only(tmp_path / "out")
    result = CliRunner().invoke(main, ["batch", str(folder), "--doc", "reminder", "--out", str(out)])
    assert isinstance(result.exception, SystemExit) and result.exit_code == 1, result.exception
    assert f"Error: {out}: cannot write here: permission denied" in result.stderr


def test_long_names_are_cut_with_a_hash_so_they_stay_unique() -> None:
    a, b = safe_name("2025-12-01_reminder_" + "A" * 300), safe_name("2025-12-01_reminder_" + "A" * 299 + "B")
    assert len(a) <= 120 and len(b) <= 120 and a != b
    assert safe_name("2025-12-01_reminder_ACME/42") == "2025-12-01_reminder_ACME-42"  # short names unchanged


def test_a_superseded_file_is_kept_once_under_the_next_version(tmp_path: Path) -> None:
    target = tmp_path / "2025-12-01_reminder_X.pdf"
    target.write_bytes(b"first")
    (tmp_path / "2025-12-01_reminder_X_v1.pdf").write_bytes(b"older")
    kept = keep_as_version(target)
    assert kept.name == "2025-12-01_reminder_X_v2.pdf" and kept.read_bytes() == b"first"
    assert keep_as_version(target) == kept  # again (a run killed before replacing): no second copy
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "2025-12-01_reminder_X.pdf",
        "2025-12-01_reminder_X_v1.pdf",
        "2025-12-01_reminder_X_v2.pdf",
    ]
