"""One request object for a document: the batch, ``dossier run`` and ``dossier render`` name a first reminder
``reminder-1`` alike (files and job ids), and the same request gives the same document whichever way it came."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from click.testing import CliRunner
from tests.conftest import copy_sample

from dossier.batch.runner import run_batch
from dossier.cli.main import main
from dossier.output.journal import Journal, read

DAY = date(2025, 12, 1)


def test_the_batch_names_a_first_reminder_reminder_1_in_its_job_ids_as_render_does(tmp_path: Path) -> None:
    folder = tmp_path / "portfolio"
    folder.mkdir()
    claim = copy_sample("be-b2b-fr", folder / "dubois")
    out = tmp_path / "out"
    summary = run_batch(folder, "reminder", out=out, day=DAY, workers=1)
    assert summary.done == 1
    [line] = [json.loads(x) for x in (out / "manifest.jsonl").read_text(encoding="utf-8").splitlines()]
    assert line["job"] == "dubois/reminder-1/2025-12-01/pdf"
    [batch_file] = line["files"]
    assert batch_file["path"] == "dubois/2025-12-01_reminder-1_ACME-2025-0042.pdf"

    rendered = CliRunner().invoke(main, ["render", str(claim), "--doc", "reminder", "--date", DAY.isoformat()])
    assert rendered.exit_code == 0, rendered.output
    [entry] = [r.data for r in read(Journal.of_claim(claim)).records if r.event == "document-rendered"]
    [render_file] = entry["files"]
    assert render_file["name"] == "2025-12-01_reminder-1_ACME-2025-0042_v1.pdf"
    assert render_file["sha256"] == batch_file["sha256"]  # the same request, the same document
