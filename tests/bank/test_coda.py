"""CODA 2.6: every movement as a transaction, and a damaged file refused whole, naming the line."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from tests.bank.conftest import DATA
from tests.conftest import SAMPLES

from dossier.bank import read_statement
from dossier.errors import StatementError

FILE = "coda-be-2025-12-03.cod"


def transactions() -> dict[str, object]:
    return {t.bank_reference: t for t in read_statement(DATA / FILE).transactions}


def test_a_structured_communication_with_the_payer_and_the_end_to_end_id() -> None:
    found = transactions()["2025120300001"]
    assert (found.account, found.currency, found.amount) == ("BE71096123456769", "EUR", Decimal("1210.00"))
    assert found.credit
    assert (found.booking_date, found.value_date) == (date(2025, 12, 3), date(2025, 12, 3))
    assert found.structured == "974996057546"
    assert (found.counterparty_name, found.counterparty_iban) == ("Boulangerie Dubois SRL", "BE75068234567851")
    assert found.end_to_end == "E2E-BE-0001"
    assert (found.where, found.source, found.reversal) == ("line 3", FILE, False)


def test_an_iso_11649_communication_type_100() -> None:
    found = transactions()["2025120300002"]
    assert (found.structured, found.free_text) == ("RF18539007547034", "")


def test_free_text_a_debit_and_a_cancellation() -> None:
    found = transactions()
    assert (found["2025120300003"].structured, found["2025120300003"].free_text) == (None, "Facture F-2025-014 Dubois")
    debit = found["2025120300004"]
    assert (debit.credit, debit.reversal, debit.counterparty_name) == (False, False, "bpost SA")
    cancelled = found["2025120300005"]
    assert (cancelled.credit, cancelled.reversal, cancelled.amount) == (False, True, Decimal("250.00"))


def test_a_total_globalised_by_the_bank_is_read_as_its_details() -> None:
    found = transactions()
    assert "2025120300006" not in found
    first, second = found["2025120300006/0001"], found["2025120300006/0002"]
    assert (first.amount, first.structured, first.where) == (Decimal("200.00"), "090933755493", "line 18")
    assert (second.amount, second.structured) == (Decimal("100.00"), "123123412328")
    assert second.counterparty_name == "Jan Peeters"
    assert len(found) == 7


def test_an_unknown_value_date_is_the_entry_date(damaged) -> None:
    path = damaged(FILE, "2025120300003        0000000000099500031225", "2025120300003        0000000000099500000000",
                   encoding="cp1252")
    found = {t.bank_reference: t for t in read_statement(path).transactions}["2025120300003"]
    assert found.value_date == date(2025, 12, 3)


@pytest.mark.parametrize(
    ("old", "new", "line", "message"),
    [
        ("Rue Haute 12 ", "Rue Haute 12", "line 9", "a CODA record has 128 characters, this one has 127"),
        ("0000000002564500031225", "0000000002564400031225", "line 23",
         "new balance 2564.40 is not the old balance 1000.00 plus credits 1859.50 minus debits 295.00"),
        ("000021000000000295000", "000021000000000296000", "line 24",
         "the trailer's totals (debit 296.00, credit 1859.50) are not the movements' (debit 295.00, "),
        ("9               000021", "9               000020", "line 24", "the trailer counts '000020' records"),
        ("0000000000099500031225", "0000000000099500311325", "line 11", "value date '311325' is not a date"),
        ("2300040000", "2700040000", "line 14", "unknown record code '27'"),
        ("1000000000250000031225001490000", "10000000002500x0031225001490000", "line 15", "amount"),
        ("21000600012025120300006", "21000700012025120300006", "line 18",
         "a detail (type 6) of movement 0007, which is not the one before it"),
    ],
)
def test_a_damaged_file_is_refused_naming_the_line(refused, old: str, new: str, line: str, message: str) -> None:
    refused(FILE, old, new, line, message, encoding="cp1252")


def test_a_file_cut_before_its_trailer_is_refused(tmp_path: Path) -> None:
    lines = (DATA / FILE).read_bytes().split(b"\r\n")
    path = tmp_path / FILE
    path.write_bytes(b"\r\n".join(lines[:20]) + b"\r\n")
    with pytest.raises(StatementError, match="ends without a trailer record"):
        read_statement(path)


def test_coda_version_1_is_refused(damaged) -> None:
    path = damaged(FILE, "                                       2\r\n", "                                       1\r\n",
                   encoding="cp1252")
    with pytest.raises(StatementError, match="CODA version '1': only version 2 is read"):
        read_statement(path)


def test_a_file_of_two_statements_gives_both(tmp_path: Path) -> None:
    path = tmp_path / "two.cod"
    path.write_bytes((DATA / FILE).read_bytes() + (SAMPLES / "payments" / "be-b2b-fr-2025-12-10.cod").read_bytes())
    found = read_statement(path).transactions
    assert len(found) == 10
    assert (found[7].bank_reference, found[7].where) == ("2025121000001", "line 27")


def test_a_structured_communication_with_wrong_check_digits_is_kept_as_text(damaged) -> None:
    path = damaged(FILE, "1101974996057546", "1101974996057547", encoding="cp1252")
    found = read_statement(path).transactions[0]
    assert (found.structured, found.free_text) == (None, "974996057547")
