"""A piece is checked (inside the claim folder, links resolved) and then read: one swapped for a link or a FIFO
between the two, by someone writing into the claim folder at that moment, is not read."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from tests.bundle.test_hostile import DAY, SECRET, all_text, bundles_in, pdf_bytes
from tests.conftest import copy_sample

from dossier.bundle import assemble
from dossier.cli.main import main


def _swapping(swap: Any) -> Any:
    """``existing_file`` that, once it has checked the first piece, swaps it (the race, made certain)."""
    real = assemble.existing_file

    def checked(root: Path, name: str, **kwargs: Any) -> Path:
        path = real(root, name, **kwargs)
        if name.startswith("documents/conditions-generales"):
            path.unlink()
            swap(path)
        return path

    return checked


def test_a_piece_swapped_for_a_link_after_the_check_is_not_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    claim = copy_sample("be-b2b-fr", tmp_path / "claim")
    secret = tmp_path / "server" / "secret.pdf"
    secret.parent.mkdir()
    secret.write_bytes(pdf_bytes(SECRET))
    monkeypatch.setattr(assemble, "existing_file", _swapping(lambda path: path.symlink_to(secret)))
    result = CliRunner().invoke(main, ["bundle", str(claim), "--date", DAY, "--skip-bad"])
    assert result.exit_code == 0, result.output
    [made] = bundles_in(claim)
    assert SECRET not in all_text(made)
    assert str(secret.parent) not in result.output


def test_a_piece_swapped_for_a_fifo_is_refused_not_a_hang(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    claim = copy_sample("be-b2b-fr", tmp_path / "claim")
    held: list[int] = []

    def fifo(path: Path) -> None:
        os.mkfifo(path)
        held.append(os.open(path, os.O_RDWR))  # a writer that never closes: the code before read without end

    monkeypatch.setattr(assemble, "existing_file", _swapping(fifo))
    try:
        result = CliRunner().invoke(main, ["bundle", str(claim), "--date", DAY])
    finally:
        for fd in held:
            os.close(fd)
    assert result.exit_code == 1, result.output
    assert "documents/conditions-generales.pdf" in result.output and "Traceback" not in result.output
