"""A batch folder's manifest is a file anyone with access to the folder can edit or replace: a damaged line
means "redo that document", a link or special file under its name is refused, never a traceback or a hang."""

from __future__ import annotations

from pathlib import Path

import pytest

from dossier.batch.manifest import MANIFEST, Manifest
from dossier.errors import DossierError


@pytest.mark.parametrize(
    "line",
    [
        b"\xd0\xff not utf-8",
        b"[1, 2]",
        b'{"job": "j", "inputs": "i", "files": 5}',
        b'{"job": "j", "inputs": "i", "files": "x"}',
        b'{"job": "j", "inputs": "i", "files": [1]}',
    ],
)
def test_a_damaged_line_means_redo_not_a_traceback(tmp_path: Path, line: bytes) -> None:
    (tmp_path / MANIFEST).write_bytes(line + b"\n")
    manifest = Manifest(tmp_path)
    assert not manifest.finished("j", "i")
    assert manifest.previous("j") == {}


def test_a_manifest_linked_elsewhere_is_refused_not_read(tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere.jsonl"  # or /dev/zero, which the code before read without end
    elsewhere.write_text('{"job": "j", "inputs": "i", "files": []}\n', encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    (out / MANIFEST).symlink_to(elsewhere)
    with pytest.raises(DossierError, match="link"):
        Manifest(out)
