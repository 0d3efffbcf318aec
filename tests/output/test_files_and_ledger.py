from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from tests.conftest import copy_sample

from dossier.cli.main import main
from dossier.output.files import next_version, write_new


def test_write_new_never_overwrites_and_leaves_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "a.pdf"
    write_new(target, b"first")
    with pytest.raises(FileExistsError):
        write_new(target, b"second")
    assert target.read_bytes() == b"first"
    assert [p.name for p in tmp_path.iterdir()] == ["a.pdf"]


def test_next_version_skips_any_format_taken(tmp_path: Path) -> None:
    (tmp_path / "x_v1.docx").write_bytes(b"")
    assert next_version(tmp_path, "x", ["pdf"]) == 1
    assert next_version(tmp_path, "x", ["pdf", "docx"]) == 2


@pytest.fixture
def claim_dir(tmp_path: Path) -> Path:
    target = tmp_path / "claim"
    copy_sample("be-b2b-fr", target)
    return target


def invoke(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_render_writes_versions_and_records_the_journal(claim_dir: Path) -> None:
    args = ("render", str(claim_dir), "--doc", "formal-notice", "--date", "2025-12-01", "--format", "both", "--json")
    first = json.loads(invoke(*args).stdout)
    second = json.loads(invoke(*args).stdout)
    names = sorted(p.name for p in (claim_dir / "out").iterdir())
    assert names == [
        "2025-12-01_formal-notice_ACME-2025-0042_v1.docx",
        "2025-12-01_formal-notice_ACME-2025-0042_v1.pdf",
        "2025-12-01_formal-notice_ACME-2025-0042_v2.docx",
        "2025-12-01_formal-notice_ACME-2025-0042_v2.pdf",
    ]
    assert first["total_due"] == "3201.23" and first["deadline"] == "2025-12-16"
    assert [f["sha256"] for f in first["files"]] == [f["sha256"] for f in second["files"]]  # same input, same bytes
    entries = [json.loads(line) for line in (claim_dir / "journal.jsonl").read_text().splitlines()]
    assert [e["n"] for e in entries] == [1, 2] and {e["event"] for e in entries} == {"document-rendered"}
    entry = entries[0]
    assert entry["kind"] == "formal-notice" and entry["date"] == "2025-12-01" and entry["channel"] == "post"
    assert entry["rules_version"].startswith("BE-") and entry["total_due"] == "3201.23"
    assert {f["format"] for f in entry["files"]} == {"pdf", "docx"}


def test_premature_book_xix_letter_is_refused_unless_forced(tmp_path: Path) -> None:
    target = tmp_path / "c"
    copy_sample("be-consumer-nl", target)
    result = CliRunner().invoke(main, ["render", str(target), "--doc", "formal-notice", "--date", "2025-12-10"])
    assert result.exit_code == 1
    assert "the first reminder's period runs until 2025-12-16" in result.stderr
    assert not (target / "out").exists() or not list((target / "out").glob("*.pdf"))
    forced = CliRunner().invoke(
        main, ["render", str(target), "--doc", "formal-notice", "--date", "2025-12-10", "--force"]
    )
    assert forced.exit_code == 0


def test_render_refuses_a_bad_claim_without_writing(tmp_path: Path) -> None:
    target = tmp_path / "c"
    copy_sample("be-b2b-fr", target)
    text = (target / "claim.yaml").read_text().replace("due_date: 2025-02-09", "due_date: 2025-02-30")
    (target / "claim.yaml").write_text(text)
    result = CliRunner().invoke(main, ["render", str(target), "--doc", "reminder"])
    assert result.exit_code == 1
    assert "claim.yaml: invoices[0].due_date: 2025-02-30 is not a valid date" in result.stderr
    assert not (target / "out").exists()


def test_payment_plan_options(claim_dir: Path) -> None:
    result = invoke(
        "render",
        str(claim_dir),
        "--doc",
        "payment-plan",
        "--date",
        "2025-12-01",
        "--amount",
        "500",
        "--first-date",
        "2026-01-05",
        "--waive-interest",
        "--json",
    )
    manifest = json.loads(result.stdout)
    assert manifest["files"][0]["format"] == "pdf"
    both = CliRunner().invoke(
        main, ["render", str(claim_dir), "--doc", "payment-plan", "--amount", "5", "--instalments", "3"]
    )
    assert both.exit_code == 2


def test_templates_check_passes_on_ours_and_flags_a_broken_firm_template(tmp_path: Path) -> None:
    firm = tmp_path / "firm"
    (firm / "nl").mkdir(parents=True)
    (firm / "nl" / "texts.yaml").write_text('common:\n  closing: "{{ sender.nickname }}"\n', encoding="utf-8")
    samples = tmp_path / "samples"
    samples.mkdir()
    copy_sample("be-consumer-nl", samples / "be-consumer-nl")
    result = CliRunner().invoke(main, ["templates", "check", "--templates", str(firm), "--samples", str(samples)])
    assert result.exit_code == 1
    assert (
        "Problem: nl/texts.yaml: common.closing: be-consumer-nl (nl, reminder): 'dict object' has no attribute "
        "'nickname'" in result.stderr
    )
    assert "12 documents rendered from 1 sample(s); 6 problem(s)" in result.stdout


def test_private_folders_and_files_are_the_users_alone_whatever_the_umask(tmp_path: Path) -> None:
    import os
    import stat

    from dossier.output.files import open_to_others, private_file, private_folder

    old = os.umask(0)
    try:
        private_folder(tmp_path / "state")
        private_file(tmp_path / "state" / "db.sqlite")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "state").stat().st_mode) == 0o700
    assert stat.S_IMODE((tmp_path / "state" / "db.sqlite").stat().st_mode) == 0o600
    assert not open_to_others(tmp_path / "state")
    (tmp_path / "shared").mkdir()
    (tmp_path / "shared").chmod(0o775)
    private_folder(tmp_path / "shared")  # an existing folder is left as it is; dossier serve warns about it
    assert open_to_others(tmp_path / "shared")
