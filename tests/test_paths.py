"""``dossier.paths``: the containment check itself, on names and links an intruder would plant."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from tests.conftest import copy_sample

from dossier.cli.main import main
from dossier.errors import ClaimError
from dossier.paths import existing_file, inside


def test_a_symlink_loop_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "a").symlink_to("b")
    (tmp_path / "b").symlink_to("a")
    for check in (inside, existing_file):
        with pytest.raises(ClaimError) as info:
            check(tmp_path, "a", file="claim.yaml", field="pieces[0].file")
        assert str(tmp_path) not in info.value.message
        assert info.value.problems[0].path == "pieces[0].file"


def test_a_piece_that_is_a_symlink_loop_is_a_clear_error_on_the_cli(tmp_path: Path) -> None:
    claim = copy_sample("be-b2b-fr", tmp_path / "claim")
    target = claim / "documents" / "conditions-generales.pdf"
    target.unlink()
    target.symlink_to("conditions-generales.pdf")
    result = CliRunner().invoke(main, ["validate", str(claim)])
    assert result.exit_code != 0
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "pieces[0].file" in result.output


@pytest.mark.parametrize(
    "name", ["/etc/passwd", "../x.pdf", "a/../../x.pdf", "..\\x.pdf", "C:\\x.pdf", "a\x00b", "", "."]
)
def test_names_that_leave_the_folder_are_refused_without_echoing_a_server_path(tmp_path: Path, name: str) -> None:
    with pytest.raises(ClaimError) as info:
        inside(tmp_path, name)
    assert "/etc" not in info.value.message and str(tmp_path) not in info.value.message


@pytest.mark.parametrize(
    "name",
    [
        "é" * 200,  # 400 bytes: over the 255 a file name may have (ENAMETOOLONG from stat)
        "documents/" + "x" * 256 + ".pdf",
        "a/" * 2100 + "b.pdf",  # each name short, the whole path over PATH_MAX
        "\ud800.pdf",  # a lone surrogate (JSON "\ud800"): no file name can hold it (UnicodeEncodeError)
    ],
)
def test_names_no_file_can_have_are_a_clear_error_without_the_server_path(tmp_path: Path, name: str) -> None:
    for check in (inside, existing_file):
        with pytest.raises(ClaimError) as info:
            check(tmp_path, name, file="claim.yaml", field="pieces[0].file")
        assert str(tmp_path) not in str(info.value.as_dict())
        assert info.value.problems[0].path == "pieces[0].file"


@pytest.mark.parametrize("command", [["validate"], ["bundle", "--date", "2026-01-15"]])
def test_a_piece_named_too_long_is_a_clear_error_on_the_cli(tmp_path: Path, command: list[str]) -> None:
    claim = copy_sample("be-b2b-fr", tmp_path / "claim")
    text = (claim / "claim.yaml").read_text(encoding="utf-8")
    (claim / "claim.yaml").write_text(
        text.replace("documents/conditions-generales.pdf", "documents/" + "é" * 200 + ".pdf", 1), encoding="utf-8"
    )
    result = CliRunner().invoke(main, [command[0], str(claim), *command[1:]])
    assert result.exit_code != 0
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "pieces[0].file" in result.output and str(tmp_path) not in result.output


def test_a_claim_file_linked_to_another_claims_is_refused(tmp_path: Path) -> None:
    """Someone who may write the claim folder but not read another claim plants ``claim.yaml`` as a link to it:
    dossier put that claim's parties and amounts in letters written where the planter can read them."""
    other = copy_sample("be-b2b-fr", tmp_path / "other")
    claim = tmp_path / "claim"
    claim.mkdir()
    (claim / "claim.yaml").symlink_to(other / "claim.yaml")
    result = CliRunner().invoke(main, ["statement", str(claim), "--as-of", "2025-12-31"])
    assert result.exit_code == 1, result.output
    assert "claim.yaml leads outside the claim folder" in result.output and "ACME" not in result.output
    inner = copy_sample("be-b2b-fr", tmp_path / "inner")
    (inner / "claim.yaml").rename(inner / "real.yaml")
    (inner / "claim.yaml").symlink_to("real.yaml")  # a link inside the folder is still followed
    assert CliRunner().invoke(main, ["validate", str(inner)]).exit_code == 0
