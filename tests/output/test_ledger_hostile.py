"""A claim's ledger (``out/ledger.jsonl``) is a file anyone with access to ``out/`` can plant or link: it is read
only when it is a file inside ``out/``, and a damaged one is a clear error, never a traceback."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from tests.conftest import copy_sample

from dossier.cli.main import main
from dossier.errors import ClaimError
from dossier.output import ledger


@pytest.fixture
def claim_dir(tmp_path: Path) -> Path:
    target = tmp_path / "claim"
    copy_sample("be-b2b-fr", target)
    (target / "out").mkdir()
    return target


def _statement(folder: Path):
    return CliRunner().invoke(main, ["statement", str(folder), "--as-of", "2025-08-01"], catch_exceptions=True)


def test_a_ledger_that_is_not_utf8_is_a_clear_error(claim_dir: Path) -> None:
    (claim_dir / "out" / "ledger.jsonl").write_bytes(b'{"kind": "reminder"}\n\xd0\xff\xfe binary\n')
    result = _statement(claim_dir)
    assert result.exit_code != 0
    assert not isinstance(result.exception, UnicodeDecodeError), result.exception
    assert "ledger.jsonl" in result.output and "line 2" in result.output
    assert "Traceback" not in result.output


def test_a_ledger_linked_outside_out_is_refused_not_read(claim_dir: Path, tmp_path: Path) -> None:
    other = tmp_path / "other-claim-ledger.jsonl"
    other.write_text(json.dumps({"kind": "reminder", "sent": "2025-07-20", "files": []}) + "\n", encoding="utf-8")
    (claim_dir / "out" / "ledger.jsonl").symlink_to(other)
    with pytest.raises(ClaimError) as caught:
        ledger.read(claim_dir / "out")
    assert str(tmp_path) not in str(caught.value.as_dict()["problems"][0]["message"])
    result = _statement(claim_dir)
    assert result.exit_code != 0 and "outside" in result.output


def test_a_ledger_linked_to_a_device_is_refused(claim_dir: Path) -> None:
    (claim_dir / "out" / "ledger.jsonl").symlink_to("/dev/null")  # /dev/zero would be read without end
    with pytest.raises(ClaimError):
        ledger.read(claim_dir / "out")


def test_a_ledger_that_is_a_folder_is_refused(claim_dir: Path) -> None:
    (claim_dir / "out" / "ledger.jsonl").mkdir()
    with pytest.raises(ClaimError):
        ledger.read(claim_dir / "out")


@pytest.mark.parametrize(
    "line", [b"[" * 50_000 + b"]" * 50_000, b'{"kind": ' + b"1" * 5000 + b"}"], ids=["deep", "long-number"]
)
def test_a_ledger_line_nested_too_deep_or_with_a_huge_number_is_a_clear_error(claim_dir: Path, line: bytes) -> None:
    (claim_dir / "out" / "ledger.jsonl").write_bytes(line + b"\n")
    with pytest.raises(ClaimError, match="line 1 is not JSON"):
        ledger.read(claim_dir / "out")
    result = _statement(claim_dir)
    assert result.exit_code != 0
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "ledger.jsonl" in result.output and "line 1" in result.output
