"""``dossier verify CLAIM_DIR``: exit 0 on an intact journal, 1 naming the first line that breaks; a line cut by a
crash is a warning."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from tests.conftest import copy_sample, send_drafts

from dossier.cli.main import main


def invoke(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A claim with three documents rendered (a journal of three lines), copied by each test."""
    claim = copy_sample("be-b2b-fr", tmp_path_factory.mktemp("rendered") / "claim")
    for doc, day in (("reminder", "2025-11-01"), ("formal-notice", "2025-12-01"), ("statement", "2025-12-02")):
        assert invoke("render", str(claim), "--doc", doc, "--date", day).exit_code == 0
    return claim


@pytest.fixture
def claim(rendered: Path, tmp_path: Path) -> Path:
    import shutil

    return Path(shutil.copytree(rendered, tmp_path / "claim", symlinks=True))


def journal_lines(claim: Path) -> list[bytes]:
    return (claim / "journal.jsonl").read_bytes().splitlines()


def write_lines(claim: Path, lines: list[bytes]) -> None:
    (claim / "journal.jsonl").write_bytes(b"".join(line + b"\n" for line in lines))


def test_an_intact_journal_exits_0(claim: Path) -> None:
    result = invoke("verify", str(claim))
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(f"{claim / 'journal.jsonl'}: intact: 3 entries, 3 archived files checked; head ")
    data = json.loads(invoke("verify", str(claim), "--json").stdout)
    assert data["intact"] is True and data["entries"] == 3 and data["broken"] is None and data["partial_line"] is None


def test_an_edited_line_fails_naming_it(claim: Path) -> None:
    lines = journal_lines(claim)
    lines[1] = lines[1].replace(b'"total_due":"3201.23"', b'"total_due":"320.23"')
    write_lines(claim, lines)
    result = invoke("verify", str(claim))
    assert result.exit_code == 1
    assert (
        f"Error: {claim / 'journal.jsonl'}: line 2: was changed after it was written (its digest does not match "
        "its contents)"
    ) in result.stderr
    data = json.loads(invoke("verify", str(claim), "--json").stdout)
    assert data["intact"] is False and data["broken"]["line"] == 2


def test_a_deleted_line_fails_naming_where_it_was(claim: Path) -> None:
    lines = journal_lines(claim)
    write_lines(claim, [lines[0], lines[2]])
    result = invoke("verify", str(claim))
    assert result.exit_code == 1
    assert "journal.jsonl: line 2: is entry 3 where entry 2 was expected: 1 line(s) before it were deleted" in (
        result.stderr
    )


def test_a_changed_archived_file_fails_naming_the_line_and_the_file(claim: Path) -> None:
    entry = json.loads(journal_lines(claim)[0])
    name = entry["files"][0]["file"]
    (claim / name).write_bytes((claim / name).read_bytes() + b"\n%% appended")
    result = invoke("verify", str(claim))
    assert result.exit_code == 1
    assert f"journal.jsonl: line 1: files[0]: {name} was changed (its sha256 is not the one recorded)" in result.stderr


def test_a_line_cut_by_a_crash_is_a_warning_and_exit_0(claim: Path) -> None:
    with (claim / "journal.jsonl").open("ab") as handle:
        handle.write(b'{"n":4,"at":"2026-')
    result = invoke("verify", str(claim))
    assert result.exit_code == 0, result.output
    assert "intact: 3 entries" in result.stdout
    assert "Warning: " in result.stderr and "line 4 was cut while it was written" in result.stderr
    assert json.loads(invoke("verify", str(claim), "--json").stdout)["partial_line"] == 4
    assert invoke("validate", str(claim)).exit_code == 0  # the claim still loads


def test_a_claim_without_a_journal_and_one_with_only_a_legacy_ledger(tmp_path: Path) -> None:
    claim = copy_sample("be-b2b-fr", tmp_path / "claim")
    result = invoke("verify", str(claim))
    assert result.exit_code == 0 and result.stdout == f"{claim / 'journal.jsonl'}: no journal yet\n"
    (claim / "out").mkdir()
    (claim / "out" / "ledger.jsonl").write_text('{"kind": "reminder", "sent": "2025-11-01", "files": []}\n')
    result = invoke("verify", str(claim))
    assert result.exit_code == 0
    assert "out/ledger.jsonl holds 1 older entries, without a chain: verify cannot vouch for it" in result.stderr


def test_verify_is_listed_and_its_api_is_public(claim: Path) -> None:
    import dossier

    assert "  verify " in invoke("--help").stdout
    assert dossier.verify(claim).intact and dossier.verify(claim).entries == 3


def test_a_folder_that_does_not_exist_is_a_usage_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["verify", str(tmp_path / "nope")])
    assert result.exit_code == 2 and "does not exist" in result.output


def test_start_new_segment_keeps_the_damaged_journal_and_restarts_from_its_intact_lines(claim: Path) -> None:
    original = journal_lines(claim)
    lines = list(original)
    lines[1] = lines[1].replace(b'"total_due":"3201.23"', b'"total_due":"320.23"')
    write_lines(claim, lines)
    damaged_bytes = (claim / "journal.jsonl").read_bytes()
    result = invoke("verify", str(claim), "--start-new-segment")
    assert result.exit_code == 0, result.output
    assert "line 2: was changed after it was written" in result.stdout
    (damaged,) = claim.glob("journal.damaged-*.jsonl")
    assert damaged.read_bytes() == damaged_bytes  # kept as evidence, byte for byte
    new = journal_lines(claim)
    assert new[0] == original[0] and len(new) == 2
    restart = json.loads(new[1])
    assert restart["event"] == "journal-restarted" and restart["n"] == 2
    assert restart["damaged"]["name"] == damaged.name and restart["damaged"]["line"] == 2
    assert restart["damaged"]["sha256"] == hashlib.sha256(damaged_bytes).hexdigest()
    assert invoke("verify", str(claim)).exit_code == 0
    # the formal notice of the damaged line is gone; the reminder before it is still there (sent now, it counts)
    send_drafts(claim)
    steps = json.loads(invoke("next", str(claim), "--date", "2025-12-20", "--json").stdout)
    assert steps[0]["taken"]["step"] != "formal-notice" and steps[0]["taken"]["sent"] == "2025-11-01", steps
    assert invoke("render", str(claim), "--doc", "statement", "--date", "2025-12-21").exit_code == 0
    assert json.loads(journal_lines(claim)[3])["n"] == 4 and invoke("verify", str(claim)).exit_code == 0


def test_start_new_segment_leaves_an_intact_journal_alone(claim: Path) -> None:
    before = (claim / "journal.jsonl").read_bytes()
    result = invoke("verify", str(claim), "--start-new-segment")
    assert result.exit_code == 0 and result.stdout.endswith(": intact: nothing to do\n")
    assert (claim / "journal.jsonl").read_bytes() == before and not list(claim.glob("journal.damaged-*"))
