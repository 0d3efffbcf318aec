"""The format is told by the content, never by the name; a file of no known format is refused, naming it."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest
from tests.bank.conftest import DATA

from dossier.bank import read_statement, read_statement_bytes
from dossier.errors import DossierError, StatementError


@pytest.mark.parametrize(
    ("source", "disguise", "expected"),
    [
        ("coda-be-2025-12-03.cod", "statement.xml", "coda"),
        ("camt053-v08-be-2025-12-03.xml", "statement.cod", "camt.053"),
        ("camt054-v08-nl-2025-12-04.xml", "statement.sta", "camt.054"),
        ("mt940-ing-2025-12-01_02.sta", "statement.txt", "mt940"),
    ],
)
def test_the_format_is_read_from_the_content(tmp_path: Path, source: str, disguise: str, expected: str) -> None:
    target = tmp_path / disguise
    shutil.copyfile(DATA / source, target)
    statement = read_statement(target)
    assert statement.format == expected
    assert statement.file == disguise
    assert statement.transactions
    assert all(t.source == disguise for t in statement.transactions)


def test_the_sha256_is_of_the_bytes() -> None:
    data = (DATA / "coda-be-2025-12-03.cod").read_bytes()
    assert read_statement_bytes(data, "x.cod").sha256 == hashlib.sha256(data).hexdigest()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"date;amount;text\n2025-12-03;12.00;x\n", "not a statement file of a known format"),
        (b"", "the file is empty"),
        (b"\xff\xfe\x00garbage", "not a statement file of a known format"),
        (
            b'<?xml version="1.0"?><Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.001.001.09"/>',
            "not a camt.053 or camt.054 message (namespace 'urn:iso:std:iso:20022:tech:xsd:pain.001.001.09')",
        ),
    ],
)
def test_a_file_of_no_known_format_is_refused_naming_it(content: bytes, message: str) -> None:
    with pytest.raises(StatementError) as caught:
        read_statement_bytes(content, "upload.bin")
    assert isinstance(caught.value, DossierError)
    assert caught.value.file == "upload.bin"
    assert message in caught.value.message


def test_a_missing_file_is_an_error_not_a_traceback(tmp_path: Path) -> None:
    with pytest.raises(StatementError, match="cannot be read"):
        read_statement(tmp_path / "nothing.cod")


def test_a_damaged_header_is_told_as_damaged_not_as_unknown(damaged) -> None:
    """The format is recognised from what is left, so the error says what is wrong where."""
    with pytest.raises(StatementError, match="128 characters") as caught:
        read_statement(damaged("coda-be-2025-12-03.cod", " 0000000001ACME", "0000000001ACME", encoding="cp1252"))
    assert caught.value.path == "line 1"
    with pytest.raises(StatementError, match="has no :60F:") as caught:
        read_statement(damaged("mt940-ing-2025-12-01_02.sta", ":60F:C251130EUR5000,00", ""))
    assert caught.value.path == "line 4"


def test_xml_without_a_root_element_is_invalid() -> None:
    with pytest.raises(StatementError, match="invalid XML"):
        read_statement_bytes(b"<?xml version='1.0'?>\n<!-- nothing -->\n", "empty.xml")
