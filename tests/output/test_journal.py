"""The claim's journal: appends from many processes keep one whole chain, a line cut by a crash is reported and
skipped, an older ledger still counts and is never written, and ``verify`` names the first line that breaks."""

from __future__ import annotations

import hashlib
import json
import multiprocessing
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from tests.conftest import copy_sample, send_drafts

from dossier import api
from dossier.errors import ClaimError
from dossier.output.journal import Journal, append, document_entry, file_record, read, record_document
from dossier.output.verify import verify

EVENT = "document-rendered"


def lines_of(journal: Journal) -> list[bytes]:
    return journal.path.read_bytes().splitlines()


def _append_many(folder: str, worker: int, count: int) -> None:
    journal = Journal.of_state(Path(folder))
    for n in range(count):
        append(journal, EVENT, {"kind": "statement", "worker": worker, "i": n, "pad": "x" * 300})


def test_four_processes_appending_200_events_each_leave_800_entries_and_a_whole_chain(tmp_path: Path) -> None:
    context = multiprocessing.get_context("fork")
    processes = [context.Process(target=_append_many, args=(str(tmp_path), w, 200)) for w in range(4)]
    for p in processes:
        p.start()
    for p in processes:
        p.join(120)
        assert p.exitcode == 0
    journal = Journal.of_state(tmp_path)
    records = read(journal).records
    assert len(records) == 800
    assert sorted((r.data["worker"], r.data["i"]) for r in records) == [(w, i) for w in range(4) for i in range(200)]
    assert [r.data["n"] for r in records] == list(range(1, 801))
    result = verify(journal)
    assert result.intact and result.entries == 800 and result.partial is None, result.broken


def test_entries_chain_each_line_to_the_one_before(tmp_path: Path) -> None:
    journal = Journal.of_state(tmp_path)
    first = append(journal, EVENT, {"kind": "statement"})
    second = append(journal, EVENT, {"kind": "statement"})
    raw = lines_of(journal)
    assert first["n"] == 1 and first["prev"] is None
    assert second["n"] == 2 and second["prev"] == hashlib.sha256(raw[0]).hexdigest()
    assert json.loads(raw[1])["at"].endswith("Z") and len(json.loads(raw[1])["at"]) == 20  # UTC, seconds
    assert verify(journal).head == hashlib.sha256(raw[1]).hexdigest()


def test_a_payload_may_not_set_the_chain_and_an_event_must_be_known(tmp_path: Path) -> None:
    journal = Journal.of_state(tmp_path)
    with pytest.raises(ValueError, match="may not set prev"):
        append(journal, EVENT, {"prev": None})
    with pytest.raises(ValueError, match="unknown journal event"):
        append(journal, "letter-sent", {})
    assert not journal.path.exists()


def test_a_line_cut_by_a_crash_is_reported_skipped_and_the_next_append_chains_past_it(tmp_path: Path) -> None:
    claim = copy_sample("be-b2b-fr", tmp_path / "claim")
    journal = Journal.of_claim(claim)
    api.render(claim, "reminder", sent=date(2025, 11, 1))
    send_drafts(claim)
    with journal.path.open("ab") as handle:
        handle.write(b'{"n":3,"at":"2026-01-01T00:00:00Z","event":"document-rend')  # killed mid-write
    reading = read(journal)
    assert len(reading.records) == 2
    assert reading.warnings == [
        "journal.jsonl: line 3 was cut while it was written (a crash?): it recorded nothing and is skipped"
    ]
    loaded = api.load_claim(claim)  # the claim still loads, the letter sent before the cut still counts
    assert date(2025, 11, 1) in [h.date for h in loaded.history if h.type == "reminder"]
    assert any("line 3 was cut" in w for w in loaded.warnings)
    result = verify(journal)
    assert result.intact and result.partial == 3 and result.entries == 2

    api.render(claim, "formal-notice", sent=date(2025, 12, 1))
    raw = lines_of(journal)
    assert len(raw) == 4 and raw[2].startswith(b'{"n":3,"at":"2026-01-01')  # nothing rewritten or truncated
    entry = json.loads(raw[3])
    assert entry["n"] == 3 and entry["prev"] == hashlib.sha256(raw[1]).hexdigest()
    assert entry["cut"] == {"sha256": hashlib.sha256(raw[2]).hexdigest(), "bytes": len(raw[2])}
    assert [r.data["kind"] for r in read(journal).records] == ["reminder", "reminder", "formal-notice"]
    assert read(journal).warnings == []
    result = verify(journal)
    assert result.intact and result.partial is None and result.entries == 3


def test_a_complete_last_line_without_its_newline_is_kept(tmp_path: Path) -> None:
    journal = Journal.of_state(tmp_path)
    append(journal, EVENT, {"kind": "statement"})
    journal.path.write_bytes(journal.path.read_bytes().rstrip(b"\n"))
    append(journal, EVENT, {"kind": "statement"})
    assert [r.data["n"] for r in read(journal).records] == [1, 2] and verify(journal).intact


def test_a_damaged_line_in_the_middle_is_an_error_naming_it_and_nothing_is_appended(tmp_path: Path) -> None:
    journal = Journal.of_state(tmp_path)
    append(journal, EVENT, {"kind": "statement"})
    append(journal, EVENT, {"kind": "statement"})
    raw = lines_of(journal)
    journal.path.write_bytes(raw[0] + b"\n{garbage\n" + raw[1] + b"\n")
    with pytest.raises(ClaimError, match="line 2 is not JSON"):
        read(journal)
    assert str(verify(journal).broken).startswith("journal.jsonl: line 2: is not a journal entry")
    journal.path.write_bytes(raw[0] + b"\n{garbage\n")
    with pytest.raises(ClaimError, match="its last complete line is not a journal entry"):
        append(journal, EVENT, {"kind": "statement"})
    assert journal.path.read_bytes() == raw[0] + b"\n{garbage\n"


@pytest.fixture
def rendered_twice(tmp_path: Path) -> Path:
    claim = copy_sample("be-b2b-fr", tmp_path / "claim")
    api.render(claim, "reminder", sent=date(2025, 11, 1))
    api.render(claim, "formal-notice", sent=date(2025, 12, 1))
    return claim


def test_render_then_verify_is_intact_and_two_renders_make_a_chain_of_two(rendered_twice: Path) -> None:
    journal = Journal.of_claim(rendered_twice)
    raw = lines_of(journal)
    entries = [json.loads(line) for line in raw]
    assert [(e["n"], e["event"], e["kind"]) for e in entries] == [
        (1, EVENT, "reminder"),
        (2, EVENT, "formal-notice"),
    ]
    assert entries[1]["prev"] == hashlib.sha256(raw[0]).hexdigest()
    first = entries[0]
    assert first["date"] == "2025-11-01" and first["level"] == 1 and first["channel"] == "post"
    assert first["rules_version"].startswith("BE-") and first["deadline"] and first["total_due"]
    (pdf,) = first["files"]
    assert pdf["file"] == f"out/{pdf['name']}" and pdf["format"] == "pdf"
    assert hashlib.sha256((rendered_twice / pdf["file"]).read_bytes()).hexdigest() == pdf["sha256"]
    result = verify(journal)
    assert result.intact and result.entries == 2 and result.files == 2
    assert not (rendered_twice / "out" / "ledger.jsonl").exists()


def _edit(journal: Journal, number: int, change: dict[str, object]) -> None:
    raw = lines_of(journal)
    entry = json.loads(raw[number - 1]) | change
    raw[number - 1] = json.dumps(entry, separators=(",", ":")).encode()
    journal.path.write_bytes(b"\n".join(raw) + b"\n")


def test_an_edited_line_breaks_at_that_line(rendered_twice: Path) -> None:
    journal = Journal.of_claim(rendered_twice)
    _edit(journal, 1, {"date": "2025-10-01"})
    broken = verify(journal).broken
    assert broken is not None and broken.line == 1 and "was changed after it was written" in broken.message


def test_an_edit_that_recomputes_the_digest_still_breaks_the_next_line(rendered_twice: Path) -> None:
    from dossier.output.journal import digest_of

    journal = Journal.of_claim(rendered_twice)
    entry = json.loads(lines_of(journal)[0]) | {"total_due": "1.00"}
    _edit(journal, 1, {"total_due": "1.00", "digest": digest_of(entry)})
    broken = verify(journal).broken
    assert broken is not None and broken.line == 2 and "does not follow the line before it" in broken.message


def test_a_deleted_line_breaks_where_it_was(rendered_twice: Path) -> None:
    journal = Journal.of_claim(rendered_twice)
    api.render(rendered_twice, "statement", sent=date(2025, 12, 2))
    raw = lines_of(journal)
    journal.path.write_bytes(raw[0] + b"\n" + raw[2] + b"\n")
    broken = verify(journal).broken
    assert broken is not None and broken.line == 2
    assert "is entry 3 where entry 2 was expected: 1 line(s) before it were deleted" in broken.message


def test_reordered_lines_break(rendered_twice: Path) -> None:
    journal = Journal.of_claim(rendered_twice)
    raw = lines_of(journal)
    journal.path.write_bytes(raw[1] + b"\n" + raw[0] + b"\n")
    broken = verify(journal).broken
    assert broken is not None and broken.line == 1 and "is entry 2 where entry 1 was expected" in broken.message


def test_a_changed_or_missing_archived_file_breaks_at_the_line_recording_it(rendered_twice: Path) -> None:
    journal = Journal.of_claim(rendered_twice)
    second = json.loads(lines_of(journal)[1])["files"][0]["file"]
    (rendered_twice / second).write_bytes(b"%PDF-1.4 another letter")
    broken = verify(journal).broken
    assert broken is not None and broken.line == 2
    assert broken.message == f"files[0]: {second} was changed (its sha256 is not the one recorded)"
    (rendered_twice / second).unlink()
    assert verify(journal).broken.message == f"files[0]: {second} is missing"


def test_a_file_recorded_outside_the_claim_folder_is_never_read(tmp_path: Path) -> None:
    claim = copy_sample("be-b2b-fr", tmp_path / "claim")
    (tmp_path / "secret.pdf").write_bytes(b"%PDF-1.4 secret")
    journal = Journal.of_claim(claim)
    files = [{"name": "secret.pdf", "file": "../secret.pdf", "format": "pdf", "sha256": "0" * 64}]
    record_document(journal, document_entry("reminder", date(2025, 11, 1), files, level=1))
    broken = verify(journal).broken
    assert broken is not None and "must be a path inside the claim folder" in broken.message
    assert str(tmp_path) not in broken.message


def test_a_file_written_outside_the_claim_folder_is_recorded_without_a_path(tmp_path: Path) -> None:
    claim = copy_sample("be-b2b-fr", tmp_path / "claim")
    produced = api.render(claim, "reminder", sent=date(2025, 11, 1), out=tmp_path / "elsewhere")
    assert "file" not in produced.entry["files"][0]
    assert file_record(Journal.of_claim(claim), claim / "out" / "x.pdf", "pdf", b"x")["file"] == "out/x.pdf"
    result = verify(Journal.of_claim(claim))
    assert result.intact and result.unarchived == 1 and result.files == 0


def test_a_legacy_ledger_still_counts_and_is_never_written(tmp_path: Path) -> None:
    """A claim from before the journal: its out/ledger.jsonl letters are history, read before the journal; the
    next render starts the journal and leaves the ledger byte for byte as it was."""
    claim = copy_sample("be-consumer-nl", tmp_path / "claim")
    (claim / "out").mkdir()
    # the sample already lists a reminder of 2025-11-28: this second free first reminder is forced
    reminder = api.render(claim, "reminder", sent=date(2025, 12, 1), force=True).files[0]
    (claim / "journal.jsonl").unlink()  # as if an older dossier had rendered it
    legacy = {
        "kind": "reminder",
        "level": 1,
        "sent": "2025-12-01",
        "channel": "post",
        "files": [{k: reminder[k] for k in ("name", "format", "sha256", "bytes")}],
    }
    ledger_file = claim / "out" / "ledger.jsonl"
    ledger_file.write_text(json.dumps(legacy) + "\n")
    before = ledger_file.read_bytes()
    history = api.load_claim(claim).history
    assert [(h.type, h.date, h.channel) for h in history if h.date == date(2025, 12, 1)] == [
        ("reminder", date(2025, 12, 1), "post")
    ]
    # the Book XIX formal notice needs the free first reminder: the ledger's counts, so it is not refused
    api.render(claim, "formal-notice", sent=date(2026, 1, 5))
    assert ledger_file.read_bytes() == before
    records = read(Journal.of_claim(claim)).records
    assert [(r.legacy, r.data["kind"], r.file) for r in records] == [
        (True, "reminder", "out/ledger.jsonl"),
        (False, "formal-notice", "journal.jsonl"),
    ]
    result = verify(Journal.of_claim(claim))
    assert result.intact and result.entries == 1 and result.legacy == 1


def _append_one(folder: str, go: Any) -> None:
    go.wait(30)
    append(Journal.of_state(Path(folder)), EVENT, {"kind": "statement", "late": True})


def test_an_append_waiting_while_the_journal_is_replaced_goes_to_the_new_journal(tmp_path: Path) -> None:
    """``--start-new-segment`` replaces journal.jsonl under the lock: a writer that was waiting must not append
    to the file set aside."""
    import os
    import time

    from dossier.output.lock import appending

    journal = Journal.of_state(tmp_path)
    append(journal, EVENT, {"kind": "statement"})
    kept = journal.path.read_bytes()
    context = multiprocessing.get_context("fork")
    go = context.Event()
    child = context.Process(target=_append_one, args=(str(tmp_path), go))
    child.start()  # before the lock is taken: a forked child would share it
    with appending(journal.path, mend=False):
        go.set()
        time.sleep(0.5)  # the child now waits for the lock
        os.link(journal.path, tmp_path / "aside.jsonl")
        (tmp_path / "new.jsonl").write_bytes(kept)
        os.replace(tmp_path / "new.jsonl", journal.path)
    child.join(30)
    assert child.exitcode == 0
    assert (tmp_path / "aside.jsonl").read_bytes() == kept
    assert [r.data.get("late") for r in read(journal).records] == [None, True] and verify(journal).intact


def test_a_first_line_cut_by_a_crash_is_skipped_and_the_first_entry_records_it(tmp_path: Path) -> None:
    journal = Journal.of_state(tmp_path)
    journal.path.write_bytes(b'{"n":1,"at":"2026-')
    assert read(journal).records == [] and verify(journal).partial == 1
    entry = append(journal, EVENT, {"kind": "statement"})
    assert entry["n"] == 1 and entry["prev"] is None and entry["cut"]["bytes"] == 18
    assert [r.line for r in read(journal).records] == [2] and verify(journal).intact



DEEP = b"[" * 50_000 + b"]" * 50_000  # json.loads raises RecursionError, not ValueError
LONG_NUMBER = b'{"n": ' + b"1" * 5000 + b"}"  # json.loads raises Python's integer-digits ValueError


@pytest.mark.parametrize("line", [DEEP, LONG_NUMBER], ids=["deep", "long-number"])
def test_a_planted_line_nested_too_deep_or_with_a_huge_number_is_an_error_naming_it(
    tmp_path: Path, line: bytes
) -> None:
    journal = Journal.of_state(tmp_path)
    append(journal, EVENT, {"kind": "statement"})
    append(journal, EVENT, {"kind": "statement"})
    raw = lines_of(journal)
    journal.path.write_bytes(raw[0] + b"\n" + line + b"\n" + raw[1] + b"\n")
    with pytest.raises(ClaimError, match="line 2 is not JSON"):
        read(journal)
    assert str(verify(journal).broken).startswith("journal.jsonl: line 2: is not a journal entry")
    journal.path.write_bytes(raw[0] + b"\n" + raw[1] + b"\n" + line)  # as a last line cut by a crash
    assert len(read(journal).records) == 2 and verify(journal).intact


def test_a_planted_line_nested_too_deep_in_a_claims_journal_is_a_clear_cli_error(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from dossier.cli.main import main

    claim = copy_sample("be-b2b-fr", tmp_path / "claim")
    (claim / "journal.jsonl").write_bytes(DEEP + b"\n")
    for command in (["statement", str(claim), "--as-of", "2025-12-31"], ["verify", str(claim)]):
        result = CliRunner().invoke(main, command)
        assert result.exit_code == 1, result.output
        assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
        assert "journal.jsonl: line 1" in result.output


def test_an_entrys_time_is_formatted_once_per_second(monkeypatch) -> None:
    import dossier.output.journal as journal_module

    monkeypatch.setattr(journal_module.time, "time", lambda: 1764646800.25)  # 2025-12-02 03:40:00.25 UTC
    first = journal_module.now()
    monkeypatch.setattr(journal_module.time, "time", lambda: 1764646800.75)
    assert journal_module.now() is first and first == "2025-12-02T03:40:00Z"
    monkeypatch.setattr(journal_module.time, "time", lambda: 1764646801.0)
    assert journal_module.now() == "2025-12-02T03:40:01Z"
