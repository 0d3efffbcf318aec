"""dossier writes its own files (ledger, manifest, errors, locks) in folders that others may write to (a shared
office drive): a symbolic link or a special file planted under one of those names is refused, never written
through, so a run cannot empty, cut or append to a file outside the folder."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner
from tests.conftest import copy_sample

from dossier.cli.main import main
from dossier.errors import DossierError
from dossier.output import journal
from dossier.output.lock import FolderLock, append_line

PRECIOUS = "precious line 1\nprecious last line without a newline"


@pytest.fixture
def victim(tmp_path: Path) -> Path:
    path = tmp_path / "someone-elses-file"
    path.write_text(PRECIOUS, encoding="utf-8")
    return path


def test_an_append_does_not_follow_a_link(tmp_path: Path, victim: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "errors.jsonl").symlink_to(victim)
    with pytest.raises(DossierError, match="link"):
        append_line(out / "errors.jsonl", b'{"claim": "x"}\n')
    assert victim.read_text(encoding="utf-8") == PRECIOUS


def test_a_folder_lock_does_not_follow_a_link(tmp_path: Path, victim: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / ".dossier.lock").symlink_to(victim)
    with pytest.raises(DossierError, match="link"):
        FolderLock(out).acquire()
    assert victim.read_text(encoding="utf-8") == PRECIOUS


def test_a_journal_linked_outside_is_never_appended_to(tmp_path: Path, victim: Path) -> None:
    claim = copy_sample("be-b2b-fr", tmp_path / "claim")
    target = journal.Journal.of_claim(claim)
    target.path.symlink_to(victim)
    with pytest.raises(DossierError, match="link"):
        journal.append(target, "document-rendered", {"kind": "reminder", "date": "2025-08-01", "files": []})
    assert victim.read_text(encoding="utf-8") == PRECIOUS


def test_an_append_to_a_fifo_is_refused_not_a_hang(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "manifest.jsonl")
    reader = os.open(tmp_path / "manifest.jsonl", os.O_RDONLY | os.O_NONBLOCK)  # else the old code hung here
    try:
        with pytest.raises(DossierError, match="not a plain file"):
            append_line(tmp_path / "manifest.jsonl", b"{}\n")
    finally:
        os.close(reader)


def test_plain_files_are_still_appended_and_locked(tmp_path: Path) -> None:
    append_line(tmp_path / "errors.jsonl", b'{"a": 1}\n')
    append_line(tmp_path / "errors.jsonl", b'{"a": 2}\n')
    assert (tmp_path / "errors.jsonl").read_bytes() == b'{"a": 1}\n{"a": 2}\n'
    with FolderLock(tmp_path):
        pass


def test_a_dangling_link_under_the_next_version_name_is_skipped_not_a_traceback(tmp_path: Path) -> None:
    claim = copy_sample("be-b2b-fr", tmp_path / "claim")
    (claim / "out").mkdir()
    planted = claim / "out" / "2025-08-01_reminder-1_ACME-2025-0042_v1.pdf"
    planted.symlink_to(tmp_path / "not-there-yet")
    result = CliRunner().invoke(
        main, ["render", str(claim), "--doc", "reminder", "--date", "2025-08-01", "--force"], catch_exceptions=True
    )
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert result.exit_code == 0, result.output
    assert (claim / "out" / "2025-08-01_reminder-1_ACME-2025-0042_v2.pdf").is_file()
    assert not (tmp_path / "not-there-yet").exists() and planted.is_symlink()


# reading: a claim's journal and the payment ledger are dossier's own files, read without following a link


def test_a_journal_linked_to_another_claims_journal_is_refused_not_counted(tmp_path: Path) -> None:
    """Before, the other claim's payments and letters silently counted for this claim."""
    from datetime import date

    from dossier import api
    from dossier.output.journal import Journal, append
    from dossier.output.verify import verify

    other = copy_sample("be-b2b-fr", tmp_path / "other")
    append(Journal.of_claim(other), "payment-imported", {"key": "t1", "value_date": "2025-06-01", "amount": "500.00"})
    claim = copy_sample("be-b2b-fr", tmp_path / "claim")
    (claim / "journal.jsonl").symlink_to(other / "journal.jsonl")
    with pytest.raises(DossierError, match=r"journal\.jsonl is a symbolic link"):
        api.statement(api.load_claim(claim), as_of=date(2025, 12, 31))
    with pytest.raises(DossierError, match="is a symbolic link"):
        verify(Journal.of_claim(claim))
    result = CliRunner().invoke(main, ["statement", str(claim), "--as-of", "2025-12-31"])
    assert result.exit_code == 1 and "journal.jsonl is a symbolic link" in result.output


@pytest.mark.parametrize("special", ["device", "fifo"])
def test_a_journal_that_is_a_device_or_a_fifo_is_refused_not_read(tmp_path: Path, special: str) -> None:
    """A link to /dev/zero would fill the memory; a FIFO made every command that reads the journal hang."""
    import threading

    claim = copy_sample("be-b2b-fr", tmp_path / "claim")
    target = claim / "journal.jsonl"
    if special == "device":
        target.symlink_to("/dev/null")
    else:
        os.mkfifo(target)

        def writer() -> None:  # lets a blocking reader (the old code) through with an empty read, not a hang
            for _ in range(500):
                try:
                    os.close(os.open(target, os.O_WRONLY | os.O_NONBLOCK))
                    return
                except OSError:
                    threading.Event().wait(0.01)

        threading.Thread(target=writer, daemon=True).start()
    with pytest.raises(DossierError, match=r"link|not a plain file"):
        journal.read(journal.Journal.of_claim(claim))


def test_a_payment_ledger_linked_elsewhere_is_refused_not_read(tmp_path: Path, victim: Path) -> None:
    from dossier.payments.state import FOLDER, LEDGER, PaymentState

    state = tmp_path / "state"
    (state / FOLDER).mkdir(parents=True)
    (state / FOLDER / LEDGER).symlink_to(victim)
    with pytest.raises(DossierError, match="is a symbolic link"):
        PaymentState.load(state)


@pytest.mark.parametrize(
    "command",
    [["render", "--doc", "reminder", "--date", "2025-12-01", "--format", "pdf"], ["bundle", "--date", "2026-01-15"]],
)
def test_an_out_folder_planted_as_a_link_elsewhere_is_never_written_through(
    tmp_path: Path, command: list[str]
) -> None:
    """A claim folder received from a client may hold ``out`` as a link: letters and bundles were written wherever
    it pointed (any folder the user can write to)."""
    claim = copy_sample("be-b2b-fr", tmp_path / "claim")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (claim / "out").symlink_to(elsewhere)
    result = CliRunner().invoke(main, [command[0], str(claim), *command[1:]])
    assert result.exit_code == 1, result.output
    assert "out leads outside the claim folder" in result.output
    assert list(elsewhere.iterdir()) == []
