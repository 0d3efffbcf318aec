"""Resuming redoes what changed: a document is keyed by what it is made from (claim, rules, templates,
options), the one it supersedes is kept, and --redo redoes everything."""

from __future__ import annotations

import csv
import hashlib
import json
import shutil
from datetime import date
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from tests.conftest import JURISDICTIONS, SAMPLES, copy_sample

from dossier.batch.runner import run_batch
from dossier.cli.main import main

DAY = date(2025, 12, 1)


def portfolio(tmp_path: Path) -> Path:
    folder = tmp_path / "portfolio"
    for name in ("be-b2b-fr", "fr-b2b-fr", "gb-eaw-b2b-en"):
        copy_sample(name, folder / name)
    return folder


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_corrected_claim_is_rendered_again_and_the_old_letter_kept(tmp_path: Path) -> None:
    folder = portfolio(tmp_path)
    out = tmp_path / "out"
    assert run_batch(folder, "statement", out=out, day=DAY, workers=1).done == 3
    (old,) = (out / "be-b2b-fr").glob("*.pdf")
    before = sha(old)
    claim = folder / "be-b2b-fr" / "claim.yaml"
    claim.write_text(claim.read_text().replace('amount: "605.00"', 'amount: "650.00"'))
    again = run_batch(folder, "statement", out=out, day=DAY, workers=1)
    assert (again.done, again.skipped, again.failed) == (1, 2, 0)
    assert sha(old) != before  # the current letter is the corrected one, under the same name
    (kept,) = (out / "be-b2b-fr").glob("*_v1.pdf")
    assert kept.name == old.name.replace(".pdf", "_v1.pdf") and sha(kept) == before
    third = run_batch(folder, "statement", out=out, day=DAY, workers=1)
    assert (third.done, third.skipped) == (0, 3)


def test_changed_templates_or_rules_redo_the_documents(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = portfolio(tmp_path)
    out = tmp_path / "out"
    firm = tmp_path / "firm"
    firm.mkdir()
    assert run_batch(folder, "statement", out=out, day=DAY, workers=1, templates=firm).done == 3
    assert run_batch(folder, "statement", out=out, day=DAY, workers=1, templates=firm).skipped == 3
    (firm / "fr").mkdir()
    (firm / "fr" / "texts.yaml").write_text("statement:\n  title: Relevé de compte corrigé\n")
    after_templates = run_batch(folder, "statement", out=out, day=DAY, workers=1, templates=firm)
    assert after_templates.done == 3
    rules = tmp_path / "jurisdictions"
    shutil.copytree(JURISDICTIONS, rules)
    monkeypatch.setenv("DOSSIER_JURISDICTIONS", str(rules))
    assert run_batch(folder, "statement", out=out, day=DAY, workers=1, templates=firm).skipped == 3  # same data
    meta = rules / "gb-eaw" / "jurisdiction.yaml"
    meta.write_text(meta.read_text() + "\n# corrected source\n")
    assert run_batch(folder, "statement", out=out, day=DAY, workers=1, templates=firm).done == 3


def test_other_options_are_other_documents(tmp_path: Path) -> None:
    folder = portfolio(tmp_path)
    out = tmp_path / "out"
    run_batch(folder, "reminder", out=out, day=DAY, workers=1)
    assert run_batch(folder, "reminder", out=out, day=DAY, workers=1, channel="registered").done == 3
    assert run_batch(folder, "reminder", out=out, day=DAY, workers=1, channel="registered").skipped == 3


def test_redo_renders_everything_again(tmp_path: Path) -> None:
    folder = portfolio(tmp_path)
    out = tmp_path / "out"
    args = ["batch", str(folder), "--doc", "statement", "--date", "2025-12-01", "--out", str(out), "--workers=1"]
    assert CliRunner().invoke(main, args).exit_code == 0
    result = CliRunner().invoke(main, [*args, "--redo", "--json"])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert (summary["done"], summary["skipped"]) == (3, 0)
    lines = (out / "manifest.jsonl").read_text().splitlines()
    assert len(lines) == 6 and not list(out.rglob("*_v1.pdf"))  # same inputs, same bytes: nothing superseded


def test_a_jsonl_and_a_csv_portfolio_of_one_name_get_their_own_out_folders(tmp_path: Path) -> None:
    data = yaml.safe_load((SAMPLES / "be-b2b-fr" / "claim.yaml").read_text())
    data.pop("history", None)
    data.pop("pieces", None)
    row = json.loads(json.dumps(data, default=str))
    (tmp_path / "claims.jsonl").write_text(json.dumps(row) + "\n")
    with (tmp_path / "claims.csv").open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=sorted(row))
        writer.writeheader()
        writer.writerow({k: json.dumps(v) if isinstance(v, dict | list) else v for k, v in row.items()})
    for name in ("claims.jsonl", "claims.csv"):
        result = CliRunner().invoke(
            main, ["batch", str(tmp_path / name), "--doc", "statement", "--date", "2025-12-01", "--workers=1"]
        )
        assert result.exit_code == 0, result.output
        assert "1 done, 0 skipped" in result.stdout  # the second is not taken for the first, resumed
    assert sorted(p.name for p in tmp_path.glob("*-out")) == ["claims-csv-out", "claims-jsonl-out"]


def test_the_batch_inputs_hash_covers_the_journal_and_the_legacy_ledger(tmp_path: Path) -> None:
    from dossier.batch.inputs import job_digest
    from dossier.batch.portfolio import Entry
    from dossier.output.journal import Journal, append

    claim = copy_sample("be-b2b-fr", tmp_path / "claim")
    entry, journal = Entry("claim", str(claim), folder=str(claim)), Journal.of_claim(claim)
    digests = [job_digest(entry, journal, "env", {})]
    append(journal, "document-rendered", {"kind": "statement"})
    digests.append(job_digest(entry, journal, "env", {}))
    (claim / "out").mkdir()
    (claim / "out" / "ledger.jsonl").write_text('{"kind": "statement", "sent": "2025-01-01"}\n')
    digests.append(job_digest(entry, journal, "env", {}))
    assert len(set(digests)) == 3
