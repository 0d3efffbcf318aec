"""Batch runs: errors per claim, resumability (also after kill -9), CSV and JSON Lines, Dask."""

from __future__ import annotations

import csv
import json
import os
import signal
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import yaml
from click.testing import CliRunner
from tests.conftest import SAMPLES, copy_sample

from dossier.batch.runner import run_batch
from dossier.cli.main import main

DAY = date(2025, 12, 1)


def portfolio(tmp_path: Path, copies: int = 1, bad: bool = True) -> Path:
    folder = tmp_path / "portfolio"
    for n in range(copies):
        for name in ("be-b2b-fr", "fr-b2b-fr", "gb-eaw-b2b-en"):
            copy_sample(name, folder / f"{name}-{n}")
    if bad:
        broken = folder / "zz-broken"
        copy_sample("be-b2b-fr", broken)
        text = (broken / "claim.yaml").read_text().replace("due_date: 2025-02-09", "due_date: 2025-02-30")
        (broken / "claim.yaml").write_text(text)
    return folder


def manifest_jobs(out: Path) -> list[str]:
    return [json.loads(line)["job"] for line in (out / "manifest.jsonl").read_text().splitlines()]


def test_one_bad_claim_never_stops_the_run_and_a_rerun_skips_what_is_done(tmp_path: Path) -> None:
    folder = portfolio(tmp_path)
    out = tmp_path / "out"
    first = run_batch(folder, "reminder", out=out, day=DAY, workers=2)
    assert (first.done, first.skipped, first.failed) == (3, 0, 1)
    errors = [json.loads(line) for line in (out / "errors.jsonl").read_text().splitlines()]
    assert errors == [
        {
            "run": first.run,
            "claim": str(folder / "zz-broken"),
            "file": "claim.yaml",
            "field": "invoices[0].due_date",
            "message": "2025-02-30 is not a valid date (expected YYYY-MM-DD)",
        }
    ]
    assert len(list(out.rglob("*.pdf"))) == 3
    second = run_batch(folder, "reminder", out=out, day=DAY, workers=2)
    assert (second.done, second.skipped, second.failed) == (0, 3, 1)
    assert sorted(manifest_jobs(out)) == sorted(set(manifest_jobs(out)))  # no duplicate


def test_a_tampered_document_is_redone(tmp_path: Path) -> None:
    folder = portfolio(tmp_path, bad=False)
    out = tmp_path / "out"
    run_batch(folder, "statement", out=out, day=DAY, workers=1)
    victim = next(out.rglob("*.pdf"))
    victim.write_bytes(b"%PDF-1.4 truncated")
    again = run_batch(folder, "statement", out=out, day=DAY, workers=1)
    assert (again.done, again.skipped) == (1, 2)
    assert victim.read_bytes().startswith(b"%PDF") and len(victim.read_bytes()) > 1000


def test_killed_with_sigkill_the_next_run_finishes_with_no_duplicate_and_no_gap(tmp_path: Path) -> None:
    folder = portfolio(tmp_path, copies=6, bad=False)  # 18 claims
    out = tmp_path / "out"
    command = [
        sys.executable,
        "-m",
        "dossier.cli.main",
        "batch",
        str(folder),
        "--doc",
        "reminder",
        "--date",
        "2025-12-01",
        "--out",
        str(out),
        "--workers",
        "2",
    ]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if (out / "manifest.jsonl").exists() and len((out / "manifest.jsonl").read_text().splitlines()) >= 3:
            break
        time.sleep(0.05)
    os.killpg(process.pid, signal.SIGKILL)  # the parent and its workers, at once
    process.wait()
    partial = len(manifest_jobs(out))
    assert 3 <= partial < 18
    rerun = run_batch(folder, "reminder", out=out, day=DAY, workers=2)
    jobs = manifest_jobs(out)
    assert rerun.done + rerun.skipped == 18 and rerun.failed == 0
    assert len(set(jobs)) == 18 and len(jobs) == len(set(jobs))
    assert not list(out.rglob("*.part"))
    assert len(list(out.rglob("*.pdf"))) == 18


def flat_claim(name: str) -> dict:
    data = yaml.safe_load((SAMPLES / name / "claim.yaml").read_text())
    data.pop("history", None)
    data.pop("pieces", None)
    return json.loads(json.dumps(data, default=str))


def test_csv_and_jsonl_portfolios(tmp_path: Path) -> None:
    claims = [flat_claim("be-b2b-fr"), flat_claim("nl-consumer-nl")]
    jsonl = tmp_path / "claims.jsonl"
    jsonl.write_text("\n".join(json.dumps(c) for c in claims) + "\n{not json\n")
    result = run_batch(jsonl, "statement", out=tmp_path / "j", day=DAY, workers=1)
    assert (result.done, result.failed) == (2, 1)
    csv_path = tmp_path / "claims.csv"
    columns = sorted({k for c in claims for k in c})
    with csv_path.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns)
        writer.writeheader()
        for c in claims:
            writer.writerow({k: json.dumps(v) if isinstance(v, dict | list) else v for k, v in c.items()})
    result = run_batch(csv_path, "statement", out=tmp_path / "c", day=DAY, workers=1)
    assert (result.done, result.failed) == (2, 0)
    assert sorted(p.parent.name for p in (tmp_path / "c").rglob("*.pdf")) == ["ACME-2025-0042", "ZPD-2024-0788"]


def test_cli_summary_progress_and_exit_code(tmp_path: Path) -> None:
    folder = portfolio(tmp_path)
    result = CliRunner().invoke(
        main,
        [
            "batch",
            str(folder),
            "--doc",
            "reminder",
            "--date",
            "2025-12-01",
            "--out",
            str(tmp_path / "out"),
            "--workers",
            "1",
        ],
    )
    assert result.exit_code == 3  # something failed
    assert "batch: 4/4 done" in result.stderr
    assert "3 done, 0 skipped (already done), 1 failed of 4" in result.stdout


def test_a_batch_names_a_first_reminder_as_render_does(tmp_path: Path) -> None:
    """One naming rule (issue 13 item 8): the batch wrote ``_reminder_`` where render writes ``_reminder-1_``."""
    portfolio = tmp_path / "portfolio"
    claim = copy_sample("be-b2b-fr", portfolio / "acme")
    run_batch(portfolio, "reminder", out=tmp_path / "out", day=DAY, workers=1, formats=("docx",), force=True)
    batch_names = sorted(p.name for p in (tmp_path / "out").rglob("*.docx"))
    result = CliRunner().invoke(
        main, ["render", str(claim), "--doc", "reminder", "--date", DAY.isoformat(), "--format", "docx", "--force"]
    )
    assert result.exit_code == 0, result.output
    rendered = sorted(p.name.replace("_v1", "") for p in (claim / "out").glob("*.docx"))
    assert batch_names == rendered == [f"{DAY.isoformat()}_reminder-1_ACME-2025-0042.docx"]
