"""Statement files written by hand to the published specs (see data/README.md), and a way to damage a copy."""

from __future__ import annotations

from pathlib import Path

import pytest

from dossier.bank import read_statement
from dossier.errors import StatementError

DATA = Path(__file__).parent / "data"


@pytest.fixture
def damaged(tmp_path: Path):
    """``damaged(name, old, new)``: a copy of a data file under tmp_path with ``old`` replaced once by ``new``."""

    def make(name: str, old: str, new: str, *, encoding: str = "utf-8") -> Path:
        text = (DATA / name).read_bytes().decode(encoding)
        assert text.count(old) >= 1, f"{old!r} is not in {name}"
        target = tmp_path / name
        target.write_bytes(text.replace(old, new, 1).encode(encoding))
        return target

    return make


@pytest.fixture
def refused(damaged):
    """``refused(name, old, new, where, message)``: the damaged copy is refused whole, naming the file, the line or
    element (``where``) and what is wrong (``message`` is part of it)."""

    def check(name: str, old: str, new: str, where: str, message: str, *, encoding: str = "utf-8") -> None:
        with pytest.raises(StatementError) as caught:
            read_statement(damaged(name, old, new, encoding=encoding))
        assert (caught.value.file, caught.value.path) == (name, where)
        assert message in caught.value.message

    return check
