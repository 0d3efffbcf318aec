"""Bad input: one test per kind of mistake, each checking the file, the field path and the words."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from tests.conftest import sample_dirs

from dossier.errors import ClaimError
from dossier.model import claim_from_data, load_claim


def write_claim(folder: Path, data: dict[str, Any], name: str = "claim.yaml") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    text = json.dumps(data) if name.endswith(".json") else yaml.safe_dump(data, allow_unicode=True)
    (folder / name).write_text(text, encoding="utf-8")
    return folder


def problems(data: dict[str, Any]) -> list[str]:
    with pytest.raises(ClaimError) as info:
        claim_from_data(data, file="claim.yaml")
    return [str(p) for p in info.value.problems]


@pytest.mark.parametrize("folder", sample_dirs(), ids=lambda p: p.name)
def test_every_sample_is_valid(folder: Path) -> None:
    claim = load_claim(folder)
    assert claim.invoices and claim.payments


def test_impossible_date_names_file_field_and_value(claim_data: dict[str, Any]) -> None:
    claim_data["invoices"][0]["due_date"] = "2025-02-30"
    assert problems(claim_data) == [
        "claim.yaml: invoices[0].due_date: 2025-02-30 is not a valid date (expected YYYY-MM-DD)"
    ]


def test_a_number_is_not_a_date(claim_data: dict[str, Any]) -> None:
    claim_data["invoices"][0]["date"] = 20250110
    assert problems(claim_data) == ["claim.yaml: invoices[0].date: 20250110 is not a valid date (expected YYYY-MM-DD)"]


def test_unknown_key_is_an_error_not_ignored(claim_data: dict[str, Any]) -> None:
    claim_data["invoices"][0]["ammount"] = "10.00"
    assert problems(claim_data) == ["claim.yaml: invoices[0].ammount: unknown field 'ammount' (check the spelling)"]


def test_missing_field(claim_data: dict[str, Any]) -> None:
    del claim_data["debtor"]["address"]
    assert problems(claim_data) == ["claim.yaml: debtor.address: is required but missing"]


def test_every_problem_is_reported_at_once(claim_data: dict[str, Any]) -> None:
    claim_data["invoices"][0]["amount"] = "-5"
    claim_data["language"] = "de"
    found = problems(claim_data)
    assert len(found) == 2
    assert any("language: 'de' is not allowed" in p for p in found)
    assert any("invoices[0].amount: -5 must be greater than zero" in p for p in found)


@pytest.mark.parametrize(
    ("field", "value", "words"),
    [
        ("amount", "12.345", "has more than two decimals"),
        ("amount", "abc", "is not a valid amount"),
        ("amount", "NaN", "is not a valid amount"),
        ("amount", True, "is not a valid amount"),
        ("due_date", "2025-01-01", "due_date 2025-01-01 is before the invoice date 2025-01-10"),
    ],
)
def test_bad_invoice_values(claim_data: dict[str, Any], field: str, value: Any, words: str) -> None:
    claim_data["invoices"][0][field] = value
    found = problems(claim_data)
    assert len(found) == 1 and found[0].startswith("claim.yaml: invoices[0]") and words in found[0]


def test_rate_must_be_a_fraction(claim_data: dict[str, Any]) -> None:
    claim_data["terms"] = {"interest_rate": "10"}
    assert problems(claim_data) == [
        'claim.yaml: terms.interest_rate: 10 is not a yearly rate as a fraction (write "0.10" for 10 %)'
    ]


def test_bad_iban_checksum(claim_data: dict[str, Any]) -> None:
    claim_data["creditor"]["iban"] = "BE71096123456768"
    (found,) = problems(claim_data)
    assert found.startswith("claim.yaml: creditor.iban: BE71096123456768 is not a valid IBAN")


def test_bad_belgian_company_number(claim_data: dict[str, Any]) -> None:
    claim_data["creditor"]["company_number"] = "BE0403170702"
    (found,) = problems(claim_data)
    assert found.startswith("claim.yaml: creditor.company_number: BE0403170702 is not a valid BE company number")


def test_bad_structured_communication(claim_data: dict[str, Any]) -> None:
    claim_data["payments"] = [{"date": "2025-03-01", "amount": "10.00", "reference": "+++090/9337/55494+++"}]
    (found,) = problems(claim_data)
    assert found.startswith("claim.yaml: payments[0].reference: +++090/9337/55494+++ is not a valid structured")


def test_payment_naming_an_unknown_invoice(claim_data: dict[str, Any]) -> None:
    claim_data["payments"] = [{"date": "2025-03-01", "amount": "10.00", "invoice": "F9"}]
    assert problems(claim_data) == ["claim.yaml: payments[0].invoice: F9 is not the number of an invoice of this claim"]


def test_duplicate_invoice_number(claim_data: dict[str, Any]) -> None:
    claim_data["invoices"].append(dict(claim_data["invoices"][0]))
    assert problems(claim_data) == ["claim.yaml: invoices[1].number: F1 appears twice"]


def test_claim_must_be_a_mapping() -> None:
    with pytest.raises(ClaimError, match="must be a mapping"):
        claim_from_data(["not", "a", "claim"], file="claim.yaml")


@pytest.mark.parametrize(
    ("rel", "message"),
    [
        ("../outside.pdf", "../outside.pdf must be a path inside the claim folder"),
        ("/etc/passwd", "the path given must be a path inside the claim folder"),
        ("C:\\Windows\\win.ini", "the path given must be a path inside the claim folder"),
        ("documents/missing.pdf", "documents/missing.pdf does not exist in the claim folder"),
    ],
)
def test_named_files_must_exist_inside_the_folder(
    tmp_path: Path, claim_data: dict[str, Any], rel: str, message: str
) -> None:
    (tmp_path / "outside.pdf").write_bytes(b"%PDF-1.4")
    claim_data["pieces"] = [{"file": rel, "title": "Contract"}]
    folder = write_claim(tmp_path / "claim", claim_data)
    with pytest.raises(ClaimError) as info:
        load_claim(folder)
    assert str(info.value).startswith(f"claim.yaml: pieces[0].file: {message}")


def test_symlink_leading_outside_is_refused(tmp_path: Path, claim_data: dict[str, Any]) -> None:
    (tmp_path / "secret.pdf").write_bytes(b"%PDF-1.4")
    folder = write_claim(tmp_path / "claim", claim_data)
    (folder / "link.pdf").symlink_to(tmp_path / "secret.pdf")
    claim_data["pieces"] = [{"file": "link.pdf", "title": "Contract"}]
    write_claim(folder, claim_data)
    with pytest.raises(ClaimError, match="leads outside the claim folder"):
        load_claim(folder)


def test_absolute_paths_are_never_echoed_nor_probed(tmp_path: Path, claim_data: dict[str, Any]) -> None:
    """An absolute path that exists and one that does not get the same answer, which names neither."""
    secret = tmp_path / "server" / "secret.pdf"
    secret.parent.mkdir()
    secret.write_bytes(b"%PDF-1.4")
    answers = []
    for rel in (str(secret), str(tmp_path / "server" / "nothing.pdf")):
        claim_data["pieces"] = [{"file": rel, "title": "Contract"}]
        claim_data["history"] = [{"date": "2025-03-01", "type": "reminder", "file": rel}]
        folder = write_claim(tmp_path / "claim", claim_data)
        with pytest.raises(ClaimError) as info:
            load_claim(folder)
        answers.append([str(p) for p in info.value.problems])
        assert str(tmp_path) not in str(info.value)
    refused = "the path given must be a path inside the claim folder (no absolute path, no '..')"
    expected = [f"claim.yaml: history[0].file: {refused}", f"claim.yaml: pieces[0].file: {refused}"]
    assert answers[0] == answers[1] == expected


def test_a_symlinked_folder_leading_outside_is_refused(tmp_path: Path, claim_data: dict[str, Any]) -> None:
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "secret.pdf").write_bytes(b"%PDF-1.4")
    folder = write_claim(tmp_path / "claim", claim_data)
    (folder / "documents").symlink_to(tmp_path / "elsewhere", target_is_directory=True)
    claim_data["pieces"] = [{"file": "documents/secret.pdf", "title": "Contract"}]
    write_claim(folder, claim_data)
    with pytest.raises(ClaimError) as info:
        load_claim(folder)
    assert str(info.value) == "claim.yaml: pieces[0].file: documents/secret.pdf leads outside the claim folder"


def test_a_nul_in_a_file_name_is_a_clear_error(tmp_path: Path, claim_data: dict[str, Any]) -> None:
    claim_data["pieces"] = [{"file": "documents/a\x00.pdf", "title": "Contract"}]
    folder = write_claim(tmp_path / "claim", claim_data)
    with pytest.raises(ClaimError) as info:
        load_claim(folder)
    assert str(info.value).startswith("claim.yaml: pieces[0].file: holds a control character (U+0000)")


def test_json_claims_are_accepted(tmp_path: Path, claim_data: dict[str, Any]) -> None:
    folder = write_claim(tmp_path / "c", claim_data, "claim.json")
    assert load_claim(folder).reference == "T-1"


def test_two_claim_files_are_ambiguous(tmp_path: Path, claim_data: dict[str, Any]) -> None:
    folder = write_claim(tmp_path / "c", claim_data)
    write_claim(folder, claim_data, "claim.json")
    with pytest.raises(ClaimError, match=r"holds both claim\.yaml and claim\.json"):
        load_claim(folder)


def test_folder_without_claim_file(tmp_path: Path) -> None:
    with pytest.raises(ClaimError, match=r"no claim\.yaml or claim\.json"):
        load_claim(tmp_path)


def test_not_a_folder(tmp_path: Path) -> None:
    with pytest.raises(ClaimError, match="is not a folder"):
        load_claim(tmp_path / "nope")


def test_yaml_duplicate_key_in_a_claim_file(tmp_path: Path) -> None:
    (tmp_path / "claim.yaml").write_text("reference: A\nreference: B\n")
    with pytest.raises(ClaimError, match=r"claim.yaml: duplicate key 'reference' at line 2"):
        load_claim(tmp_path)


def test_yaml_amount_written_as_number_is_read_exactly(tmp_path: Path, claim_data: dict[str, Any]) -> None:
    text = yaml.safe_dump(claim_data).replace("amount: '1000.00'", "amount: 1000.10")
    (tmp_path / "claim.yaml").write_text(text)
    assert str(load_claim(tmp_path).invoices[0].amount) == "1000.10"
