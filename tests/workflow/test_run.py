"""``dossier run``: the letters due on a date, recorded in each journal; idempotent and crash-safe."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from pypdf import PdfReader
from tests.conftest import copy_sample, sample_dirs, send_drafts

from dossier.cli.main import main
from dossier.output.journal import Journal, document_entry, read, record_document
from dossier.paths import inside
from dossier.workflow.run import run_due
from dossier.workflow.steps import next_steps

DAY = date(2025, 12, 20)


def journal_entries(claim: Path) -> list[dict]:
    """The drafts (``document-rendered``) the claim's journal records."""
    return [r.data for r in read(Journal.of_claim(claim)).records if r.event == "document-rendered"]


def sent_entries(claim: Path) -> list[dict]:
    return [r.data for r in read(Journal.of_claim(claim)).records if r.event == "document-sent"]


def samples_portfolio(tmp_path: Path) -> Path:
    folder = tmp_path / "portfolio"
    folder.mkdir()
    for sample in sample_dirs():
        copy_sample(sample.name, folder / sample.name)
    return folder


def test_run_renders_what_is_due_records_it_and_a_second_run_does_nothing(tmp_path: Path) -> None:
    folder = samples_portfolio(tmp_path)
    first = run_due(folder, DAY, workers=1)
    assert sorted((r["claim"].rsplit("/", 1)[-1], r["step"]) for r in first.recorded) == [
        ("be-b2b-fr", "formal-notice"),
        ("be-consumer-nl", "formal-notice"),
        ("gb-eaw-b2b-en", "second-reminder"),
    ]
    assert first.summary.done == 3 and first.summary.failed == 0
    decisions = sorted(s.loaded.entry.key for s in first.steps if s.step and s.step.status == "decision")
    assert decisions == ["fr-b2b-fr", "nl-consumer-nl"]
    entry = journal_entries(folder / "be-consumer-nl")[-1]
    assert (entry["kind"], entry["date"], entry["step"]) == ("formal-notice", "2025-12-20", "formal-notice")
    assert (folder / "be-consumer-nl" / entry["files"][0]["file"]).is_file()
    assert entry["files"][0]["file"] == "out/" + entry["files"][0]["name"]
    files = sorted(first.out.rglob("*.pdf"))
    stamps = [p.stat().st_mtime_ns for p in files]

    second = run_due(folder, DAY, workers=1)
    assert second.recorded == [] and second.summary.done == 0 and second.due == []
    assert sorted(first.out.rglob("*.pdf")) == files and [p.stat().st_mtime_ns for p in files] == stamps
    assert len(journal_entries(folder / "be-consumer-nl")) == 1
    (sent,) = sent_entries(folder / "be-consumer-nl")  # the post letter, sent on the run's date
    assert (sent["document"], sent["kind"], sent["date"]) == (entry["n"], "formal-notice", "2025-12-20")
    assert sent["channel"] == "post" and sent["tracking"] is None and sent["proof"] is None and sent["forced"] == []
    assert sent["sent_at"].startswith("2025-12-20T00:00:00")
    assert sent["recipient"].startswith("Jan Peeters, ") and sent["recipient"].endswith(", BE")

    after = {s.loaded.entry.key: s.step for s in next_steps(folder, DAY)}
    assert after["be-consumer-nl"].taken.sent == DAY and after["be-consumer-nl"].status == "waiting"


def test_a_crash_between_manifest_and_journal_is_recorded_by_the_next_run(tmp_path: Path) -> None:
    folder = samples_portfolio(tmp_path)
    first = run_due(folder, DAY, workers=1)
    journal_file = folder / "gb-eaw-b2b-en" / "journal.jsonl"
    journal_file.unlink()  # as if killed after the manifest line and before the journal line
    pdf = next(first.out.rglob("*reminder-2*.pdf"))
    stamp = pdf.stat().st_mtime_ns
    again = run_due(folder, DAY, workers=1)
    assert [r["step"] for r in again.recorded] == ["second-reminder"]
    assert again.summary.done == 0 and again.summary.skipped == 1  # not rendered twice
    assert pdf.stat().st_mtime_ns == stamp
    (entry,) = journal_entries(folder / "gb-eaw-b2b-en")
    assert entry["job"] == "gb-eaw-b2b-en/reminder-2/2025-12-20/pdf"
    assert [s["document"] for s in sent_entries(folder / "gb-eaw-b2b-en")] == [entry["n"]]


def test_book_xix_chain_first_reminder_then_formal_notice_citing_it(tmp_path: Path) -> None:
    """A BE consumer claim with no letter: the run sends the free first reminder; the formal notice is not due
    before the reminder's period ends (SPF Economie: 14 days from the third working day), then it is, and it
    cites the reminder the journal recorded."""
    folder = tmp_path / "portfolio"
    claim_dir = copy_sample("be-consumer-nl", folder / "peeters")
    data = yaml.safe_load((claim_dir / "claim.yaml").read_text())
    data.pop("history")
    (claim_dir / "claim.yaml").write_text(yaml.safe_dump(data, allow_unicode=True))

    reminder = run_due(folder, date(2025, 11, 28), workers=1)
    assert [r["step"] for r in reminder.recorded] == ["first-reminder"]
    assert run_due(folder, date(2025, 12, 16), workers=1).recorded == []
    notice = run_due(folder, date(2025, 12, 17), workers=1)
    assert [r["step"] for r in notice.recorded] == ["formal-notice"]
    assert notice.summary.failed == 0  # the Book XIX pre-flight saw the reminder in the journal
    pdf = next(notice.out.rglob("*.pdf"))
    text = " ".join(" ".join((p.extract_text() or "").split()) for p in PdfReader(pdf).pages)
    assert "Herinnering van 28 november 2025 (brief)" in text, text  # the reminder the run sent, in words


def test_a_lapsed_plan_leads_the_run_to_the_formal_notice(tmp_path: Path) -> None:
    folder = tmp_path / "portfolio"
    claim_dir = copy_sample("be-b2b-fr", folder / "dubois")
    data = yaml.safe_load((claim_dir / "claim.yaml").read_text())
    data["payment_plan"] = {
        "agreed": "2025-07-03",
        "grace_days": 10,
        "instalments": [
            {"due_date": "2025-08-01", "amount": "1000.00"},
            {"due_date": "2025-09-01", "amount": "1000.00"},
        ],
    }
    (claim_dir / "claim.yaml").write_text(yaml.safe_dump(data, allow_unicode=True))
    (step,) = next_steps(folder, date(2025, 8, 5))
    assert step.step.status == "plan"
    result = run_due(folder, date(2025, 8, 20), workers=1)
    assert [r["step"] for r in result.recorded] == ["formal-notice"]
    (step,) = result.steps
    assert step.step.plan.lapsed_on == date(2025, 8, 12)


def test_rows_of_a_jsonl_portfolio_keep_their_journals_in_the_state_folder(tmp_path: Path) -> None:
    rows = []
    for name in ("be-b2b-fr", "fr-b2b-fr"):
        data = yaml.safe_load((sample_dirs()[0].parent / name / "claim.yaml").read_text())
        data.pop("pieces", None)
        for item in data.get("history", []):
            item.pop("file", None)
        rows.append(json.loads(json.dumps(data, default=str)))
    portfolio = tmp_path / "claims.jsonl"
    portfolio.write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    first = run_due(portfolio, DAY, workers=1)
    assert [r["step"] for r in first.recorded] == ["formal-notice"]
    state = tmp_path / "claims_dossier" / "ledgers" / "ACME-2025-0042"
    entry, sent = [json.loads(line) for line in (state / "journal.jsonl").read_text().splitlines()]
    assert (state / entry["files"][0]["file"]).is_file() and "/" not in entry["files"][0]["file"]
    assert (sent["event"], sent["document"], sent["date"]) == ("document-sent", entry["n"], "2025-12-20")
    assert not (state / "ledger.jsonl").exists()
    assert run_due(portfolio, DAY, workers=1).recorded == []
    verified = CliRunner().invoke(main, ["verify", str(state)])
    assert verified.exit_code == 0 and "intact: 2 entries, 1 archived files checked" in verified.stdout


def test_the_journal_names_run_letters_inside_its_folder_so_a_bundle_from_elsewhere_finds_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """README's way: `dossier run my-portfolio` with a relative path, later `dossier bundle` from another folder."""
    folder = samples_portfolio(tmp_path)
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["run", "portfolio", "--date", DAY.isoformat(), "--workers", "1"])
    assert result.exit_code == 0, result.output
    assert "formal-notice recorded in its journal (sent by post on 2025-12-20)" in result.output
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    bundled = CliRunner().invoke(
        main, ["bundle", "../portfolio/be-consumer-nl", "--date", "2025-12-21", "--out", "b.pdf", "--json"]
    )
    assert bundled.exit_code == 0, bundled.output
    titles = [i["title"] for i in json.loads(bundled.stdout)["index"]]
    assert "Ingebrekestelling (brief)" in titles, titles  # the letter the run sent, titled in words
    assert not any(".pdf" in t or "formal-notice" in t for t in titles), titles
    claim = folder / "be-consumer-nl"
    (entry,) = [e for e in journal_entries(claim) if e["kind"] == "formal-notice"]
    for f in entry["files"]:
        assert inside(claim, f["file"]).is_file() and "path" not in f


def test_a_letter_the_journal_records_but_that_is_gone_is_an_error_not_left_out(tmp_path: Path) -> None:
    folder = samples_portfolio(tmp_path)
    run_due(folder, DAY, workers=1)
    claim = folder / "be-consumer-nl"
    (entry,) = journal_entries(claim)
    (claim / entry["files"][0]["file"]).unlink()
    bundled = CliRunner().invoke(main, ["bundle", str(claim), "--date", "2025-12-21", "--out", str(tmp_path / "b.pdf")])
    assert bundled.exit_code == 1
    assert entry["files"][0]["name"] in bundled.stderr and "does not exist" in bundled.stderr


def test_a_run_killed_before_its_journal_line_links_no_second_copy(tmp_path: Path) -> None:
    folder = samples_portfolio(tmp_path)
    run_due(folder, DAY, workers=1)
    (folder / "gb-eaw-b2b-en" / "journal.jsonl").unlink()  # killed after linking the letter, before the journal line
    again = run_due(folder, DAY, workers=1)
    assert [r["step"] for r in again.recorded] == ["second-reminder"]
    assert len(list((folder / "gb-eaw-b2b-en" / "out").glob("*.pdf"))) == 1


@pytest.mark.parametrize("where", ["journal", "ledger"])
def test_a_journal_or_ledger_name_leading_out_of_its_folder_is_refused(tmp_path: Path, where: str) -> None:
    claim = copy_sample("be-b2b-fr", tmp_path / "claim")
    if where == "ledger":
        entry = {"kind": "reminder", "sent": "2025-11-01", "files": [{"name": "../../secret.pdf", "format": "pdf"}]}
        (claim / "out").mkdir(exist_ok=True)
        (claim / "out" / "ledger.jsonl").write_text(json.dumps(entry) + "\n")
    else:
        files = [{"name": "secret.pdf", "file": "../secret.pdf", "format": "pdf"}]
        record_document(Journal.of_claim(claim), document_entry("reminder", date(2025, 11, 1), files, level=1))
        send_drafts(claim)  # a draft is never filed: only a sent letter's file is read
    (tmp_path / "secret.pdf").write_bytes(next(claim.rglob("*.pdf")).read_bytes())  # a real PDF outside
    bundled = CliRunner().invoke(main, ["bundle", str(claim), "--date", "2025-12-21", "--out", str(tmp_path / "b.pdf")])
    assert bundled.exit_code == 1
    assert "must be a path inside the claim folder" in bundled.stderr and str(tmp_path) not in bundled.stderr


def test_hold_post_keeps_the_run_letters_drafts_until_they_are_sent(tmp_path: Path) -> None:
    folder = samples_portfolio(tmp_path)
    cli = CliRunner().invoke(main, ["run", str(folder), "--date", DAY.isoformat(), "--workers", "1", "--hold-post"])
    assert cli.exit_code == 0 and "(a draft, to send with dossier send)" in cli.output, cli.output
    first = run_due(folder, DAY, workers=1, hold_post=True)  # a second run: nothing more
    assert first.recorded == [] and first.summary.done == 0
    claim = folder / "be-consumer-nl"
    assert sent_entries(claim) == [] and journal_entries(claim)[0]["held"] is True
    # a draft counts nowhere: the next run on the same day finds the same letters due, renders none twice
    again = run_due(folder, DAY, workers=1, hold_post=True)
    assert again.recorded == [] and again.summary.done == 0 and again.summary.skipped == 3 and len(again.due) == 3
    assert len(journal_entries(claim)) == 1 and sent_entries(claim) == []
    send_drafts(claim)
    after = {s.loaded.entry.key: s.step for s in next_steps(folder, DAY)}
    assert after["be-consumer-nl"].status == "waiting" and after["gb-eaw-b2b-en"].status == "due"


def test_a_run_killed_between_its_draft_and_its_sent_line_is_finished_by_the_next_run(tmp_path: Path) -> None:
    folder = samples_portfolio(tmp_path)
    run_due(folder, DAY, workers=1)
    claim = folder / "gb-eaw-b2b-en"
    journal = claim / "journal.jsonl"
    lines = journal.read_bytes().splitlines(keepends=True)
    assert [json.loads(line)["event"] for line in lines] == ["document-rendered", "document-sent"]
    journal.write_bytes(lines[0])  # as if killed after the draft's line, before the sent line
    # another day: the draft is finished first (sent on its own date), so nothing is due twice
    later = run_due(folder, date(2025, 12, 21), workers=1)
    assert "gb-eaw-b2b-en" not in [r["claim"].rsplit("/", 1)[-1] for r in later.recorded]
    (entry,) = journal_entries(claim)
    (sent,) = sent_entries(claim)
    assert (sent["document"], sent["date"], sent["channel"]) == (entry["n"], "2025-12-20", "post")
    assert run_due(folder, date(2025, 12, 21), workers=1).recorded == [] and len(sent_entries(claim)) == 1
