"""dossier payments import / review / assign / ignore from the command line (statements built in memory: the
parsers are dossier.bank's, tested in tests/bank)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from tests.payments.conftest import claim, ogm, paid, portfolio, statement, tx

import dossier.bank
from dossier.cli.main import main


def invoke(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


@pytest.fixture
def book(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    file = tmp_path / "day.xml"
    file.write_text("<Document/>")
    parsed = statement(tx("r1", structured=ogm("A-1")), tx("r2", "5.00", free_text="?"), name=str(file))
    monkeypatch.setattr(dossier.bank, "read_statement", lambda path: parsed, raising=False)
    return portfolio(tmp_path, claim("A-1"), claim("A-2")), file


def test_import_review_assign(book: tuple[Path, Path]) -> None:
    path, file = book
    result = invoke("payments", "import", str(file), "--portfolio", str(path))
    assert result.exit_code == 0
    assert "imported 1 (by ogm 1); queued for review 1; duplicates skipped 0" in result.output
    again = json.loads(invoke("payments", "import", str(file), "--portfolio", str(path), "--json").output)
    assert again["duplicates"] == 2 and again["imported"] == 0
    queue = json.loads(invoke("payments", "review", str(path), "--json").output)
    key = queue[0]["key"]
    assert "why: no reference" in invoke("payments", "review", str(path)).output
    result = invoke("payments", "assign", key, "A-2", "--portfolio", str(path), "--invoice", "INV-A-2")
    assert result.exit_code == 0 and "booked to claim A-2, invoice INV-A-2" in result.output
    assert str(paid(path, "A-2")) == "5.00"
    assert "the review queue is empty" in invoke("payments", "review", str(path)).output


def test_ignore_and_errors_name_what_is_wrong(book: tuple[Path, Path]) -> None:
    path, file = book
    invoke("payments", "import", str(file), "--portfolio", str(path))
    key = json.loads(invoke("payments", "review", str(path), "--json").output)[0]["key"]
    result = invoke("payments", "ignore", key, "--portfolio", str(path), "--reason", "bank fee refund")
    assert result.exit_code == 0 and "ignored (bank fee refund)" in result.output
    result = invoke("payments", "ignore", key, "--portfolio", str(path), "--reason", "again")
    assert result.exit_code != 0 and "is ignored, not in the review queue" in result.output
    assert "Traceback" not in result.output


def test_review_shows_no_terminal_control_sequence_of_a_statement(tmp_path: Path) -> None:
    """A bank file is the sender's text: escape sequences in a CODA communication (clear the screen, set the
    window title, or worse on some terminals) must reach the terminal as visible text, not as commands."""
    sample = Path(__file__).parents[2] / "samples" / "payments" / "be-b2b-fr-2025-12-10.cod"
    hostile = b"\x1b[2J\x1b]0;pwned\x07\x9b"
    file = tmp_path / "day.cod"
    file.write_bytes(sample.read_bytes().replace(b"Facture F-2025-027", hostile.ljust(18), 1))
    path = portfolio(tmp_path, claim("A-1"))
    assert invoke("payments", "import", str(file), "--portfolio", str(path)).exit_code == 0
    shown = invoke("payments", "review", str(path)).output
    assert "remittance:" in shown and "pwned" in shown
    assert not [ch for ch in shown if not ch.isprintable() and ch != "\n"], repr(shown)
    assert "\\x1b]0;pwned\\x07" in shown  # visible, so the reviewer sees the file is odd
