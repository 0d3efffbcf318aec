"""A portfolio file's rows are parsed like claim.json: a hostile row fails alone, saying why, never a traceback."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests.conftest import BASE_CLAIM

from dossier.batch.portfolio import entries
from dossier.errors import ClaimError


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("[" * 100_000 + "]" * 100_000, "nested too deeply to be a claim or rules file"),
        ('{"reference": NaN}', "not valid JSON: NaN is not a number JSON allows"),
        ('{"a": 1, "a": 2}', "duplicate key 'a' at line 0"),
        ("{", "not valid JSON: Expecting property name enclosed in double quotes at line 1"),
        ("[1, 2]", "must be a JSON object of claim fields"),
    ],
)
def test_a_hostile_jsonl_row_fails_alone_with_its_reason(tmp_path: Path, line: str, reason: str) -> None:
    portfolio = tmp_path / "p.jsonl"
    portfolio.write_text(json.dumps(BASE_CLAIM) + "\n" + line + "\n", encoding="utf-8")
    good, bad = entries(portfolio)
    assert good.load().reference == BASE_CLAIM["reference"]
    with pytest.raises(ClaimError) as info:
        bad.load()
    assert [str(p) for p in info.value.problems] == [f"p.jsonl:2: {reason}"]


def test_a_hostile_csv_cell_names_its_column(tmp_path: Path) -> None:
    portfolio = tmp_path / "p.csv"
    portfolio.write_text('reference,invoices\nX,"' + "[" * 5000 + '"\n', encoding="utf-8")
    (entry,) = entries(portfolio)
    with pytest.raises(ClaimError) as info:
        entry.load()
    assert any("column invoices: nested" in str(p) for p in info.value.problems), info.value.problems


def test_no_two_rows_share_a_key_and_so_a_journal(tmp_path: Path) -> None:
    """``a/b`` is keyed ``a-b-2`` (``a-b`` came first); a row whose own reference is ``a-b-2`` got the same key,
    so the two claims shared one journal folder (letters and payments of one counted for the other)."""
    from dossier.workflow.claims import journal_of

    portfolio = tmp_path / "p.jsonl"
    references = ["a-b", "a/b", "a-b-2", "a b", "a-b"]
    portfolio.write_text("".join(json.dumps({**BASE_CLAIM, "reference": r}) + "\n" for r in references))
    found = entries(portfolio)
    keys = [e.key for e in found]
    assert len(set(keys)) == len(keys) and keys[:2] == ["a-b", "a-b-2"], keys
    assert len({journal_of(e, portfolio).folder for e in found}) == len(found)


def test_no_two_claim_folders_share_a_key_and_a_plain_name_keeps_its_own(tmp_path: Path) -> None:
    """Folders ``a b`` and ``a-b`` were both keyed ``a-b``: one index row, one payment account, one batch output
    folder for two claims."""
    for name in ("a b", "a+b", "a-b", "a-b-2"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "claim.yaml").write_text("reference: X\n", encoding="utf-8")
    keys = {Path(str(e.folder)).name: e.key for e in entries(tmp_path)}
    assert keys["a-b"] == "a-b" and keys["a-b-2"] == "a-b-2"
    assert len(set(keys.values())) == 4, keys
