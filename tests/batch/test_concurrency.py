"""Two runs on one output folder or one portfolio: the second is refused, naming the first; nothing a
previous run wrote to errors.jsonl is wiped."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner
from tests.conftest import copy_sample

from dossier.batch.runner import run_batch
from dossier.cli.main import main
from dossier.workflow.run import run_due

DAY = date(2025, 12, 1)


def many(tmp_path: Path, count: int, sample: str = "be-b2b-fr") -> Path:
    folder = tmp_path / "portfolio"
    for n in range(count):
        copy_sample(sample, folder / f"claim-{n:02d}")
    return folder


def start(args: list[str]) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "dossier.cli.main", *args]
    return subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)


def wait_for_lines(path: Path, count: int, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline and process.poll() is None:
        if path.exists() and len(path.read_text().splitlines()) >= count:
            return
        time.sleep(0.05)
    pytest.fail(f"the first run wrote no line to {path.name} in time")


def stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGKILL)
    process.wait()


def test_a_second_batch_into_the_same_out_is_refused_naming_the_first(tmp_path: Path) -> None:
    folder = many(tmp_path, 16)
    out = tmp_path / "out"
    first = start(["batch", str(folder), "--doc", "reminder", "--date", "2025-12-01", "--out", str(out), "--workers=1"])
    try:
        wait_for_lines(out / "manifest.jsonl", 1, first)
        args = ["batch", str(folder), "--doc", "statement", "--out", str(out), "--workers=1"]
        second = CliRunner().invoke(main, args)
        still_running = first.poll() is None
    finally:
        stop(first)
    assert second.exit_code == 1, second.output
    assert still_running, "the first batch ended before the second started: the test proves nothing"
    assert "Traceback" not in second.stderr
    assert "is in use by process" in second.stderr and f"process {first.pid} on " in second.stderr
    assert "batch" in second.stderr and "started 20" in second.stderr  # its command and start time
    assert not list(out.rglob("*statement*"))  # the second did nothing


def test_a_second_run_on_one_portfolio_is_refused_and_renders_nothing(tmp_path: Path) -> None:
    folder = many(tmp_path, 16)
    first = start(["run", str(folder), "--date", "2025-12-20", "--workers", "1"])
    runs = folder / "_dossier" / "runs" / "2025-12-20"
    try:
        wait_for_lines(runs / "manifest.jsonl", 1, first)
        with pytest.raises(Exception, match=r"this portfolio .* is in use by process") as refused:
            run_due(folder, date(2025, 12, 20), workers=1)
        still_running = first.poll() is None
    finally:
        stop(first)
    assert still_running, "the first run ended before the second started: the test proves nothing"
    assert type(refused.value).__name__ == "Busy"
    assert f"process {first.pid} on " in str(refused.value) and "run" in str(refused.value)


def test_errors_of_a_previous_run_are_kept_with_their_run_id(tmp_path: Path) -> None:
    folder = many(tmp_path, 1)
    broken = copy_sample("be-b2b-fr", folder / "zz-broken")
    (broken / "claim.yaml").write_text((broken / "claim.yaml").read_text().replace("2025-02-09", "2025-02-30"))
    out = tmp_path / "out"
    first = run_batch(folder, "reminder", out=out, day=DAY, workers=1)
    (folder / "zz-broken" / "claim.yaml").unlink()  # no longer a claim: the second run has no error
    other = tmp_path / "other"
    copy_sample("fr-b2b-fr", other / "dupont")
    second = run_batch(other, "reminder", out=out, day=DAY, workers=1)
    assert (first.failed, second.failed) == (1, 0)
    lines = [json.loads(line) for line in (out / "errors.jsonl").read_text().splitlines()]
    assert [e["field"] for e in lines] == ["invoices[0].due_date"]  # the second run did not wipe it
    assert [e["run"] for e in lines] == [first.run]
    assert first.run != second.run
