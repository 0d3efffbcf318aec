"""Whatever fails in one claim's job is that claim's line in errors.jsonl; the other claims are done."""

from __future__ import annotations

import errno
import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from tests.conftest import copy_sample

from dossier.batch import worker
from dossier.batch.runner import run_batch
from dossier.cli.main import main

DAY = date(2025, 12, 1)
LONG = "R" * 250


def three_good(tmp_path: Path) -> Path:
    folder = tmp_path / "portfolio"
    for name in ("be-b2b-fr", "fr-b2b-fr", "gb-eaw-b2b-en"):
        copy_sample(name, folder / name)
    return folder


def with_long_reference(folder: Path) -> Path:
    claim = copy_sample("be-b2b-fr", folder / "aa-long")
    data = yaml.safe_load((claim / "claim.yaml").read_text())
    data["reference"] = LONG
    (claim / "claim.yaml").write_text(yaml.safe_dump(data, allow_unicode=True))
    return claim


def errors_of(out: Path) -> list[dict[str, Any]]:
    path = out / "errors.jsonl"
    return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []


@pytest.mark.parametrize("workers", [1, 2])
def test_a_file_the_disk_refuses_fails_that_claim_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, workers: int
) -> None:
    """Writing the document raises (here: file name too long); before, the batch died with a traceback."""
    folder = three_good(tmp_path)
    real = worker.replace

    def refusing(path: Path, data: bytes) -> None:
        if "fr-b2b-fr" in str(path):
            raise OSError(errno.ENAMETOOLONG, "File name too long", str(path))
        real(path, data)

    monkeypatch.setattr(worker, "replace", refusing)  # forked workers inherit it
    out = tmp_path / "out"
    summary = run_batch(folder, "reminder", out=out, day=DAY, workers=workers)
    assert (summary.done, summary.failed) == (2, 1)
    assert len(list(out.rglob("*.pdf"))) == 2
    (error,) = errors_of(out)
    assert error["claim"] == str(folder / "fr-b2b-fr")
    assert error["field"] is None and "file" in error
    assert error["message"].startswith("internal error: OSError: [Errno 36] File name too long")
    assert "Traceback" not in json.dumps(summary.errors)
    assert "Traceback" in (out / "errors.log").read_text()  # for whoever debugs it, in the out folder
    monkeypatch.setattr(worker, "replace", real)
    again = run_batch(folder, "reminder", out=out, day=DAY, workers=workers)
    assert (again.done, again.skipped, again.failed) == (1, 2, 0)  # the failed claim is retried


def test_an_unexpected_exception_in_rendering_is_reported_as_internal_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = three_good(tmp_path)
    real = worker.Producer.produce

    def broken(self: Any, claim: Any, *args: Any, **kwargs: Any) -> Any:
        if claim.jurisdiction == "GB-EAW":
            raise KeyError("surprise")
        return real(self, claim, *args, **kwargs)

    monkeypatch.setattr(worker.Producer, "produce", broken)
    out = tmp_path / "out"
    summary = run_batch(folder, "reminder", out=out, day=DAY, workers=1)
    assert (summary.done, summary.failed) == (2, 1)
    assert [e["message"] for e in errors_of(out)] == ["internal error: KeyError: 'surprise'"]


def test_a_250_character_reference_never_stops_the_batch(tmp_path: Path) -> None:
    """The reported case: the good claims are all done, the long one is done or is a clear error, exit code 3
    only if it failed, and no traceback."""
    folder = three_good(tmp_path)
    with_long_reference(folder)
    out = tmp_path / "out"
    result = CliRunner().invoke(
        main, ["batch", str(folder), "--doc", "reminder", "--date", "2025-12-01", "--out", str(out), "--workers", "2"]
    )
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output + result.stderr
    done = {p.parent.name for p in out.rglob("*.pdf")}
    assert {"be-b2b-fr", "fr-b2b-fr", "gb-eaw-b2b-en"} <= done
    errors = errors_of(out)
    if "aa-long" in done:
        assert result.exit_code == 0 and errors == []
        (pdf,) = (out / "aa-long").glob("*.pdf")
        assert len(pdf.name) < 150
    else:
        assert result.exit_code == 3
        assert [e["claim"] for e in errors] == [str(folder / "aa-long")]


def test_a_jsonl_row_nested_too_deeply_fails_alone_and_a_non_utf8_file_is_a_clear_error(tmp_path: Path) -> None:
    data = yaml.safe_load((copy_sample("be-b2b-fr", tmp_path / "c") / "claim.yaml").read_text())
    data.pop("history", None)
    data.pop("pieces", None)
    good = json.dumps(data, default=str)
    portfolio = tmp_path / "claims.jsonl"
    portfolio.write_text(good + "\n" + "[" * 100_000 + "]" * 100_000 + "\n")
    out = tmp_path / "out"
    summary = run_batch(portfolio, "statement", out=out, day=DAY, workers=1)
    assert (summary.done, summary.failed) == (1, 1)
    portfolio.write_bytes(good.encode() + b"\n\xff\xfe\n")
    result = CliRunner().invoke(main, ["batch", str(portfolio), "--doc", "statement", "--out", str(out)])
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit), result.exception
    assert "Error: claims.jsonl: is not UTF-8 text" in result.stderr
