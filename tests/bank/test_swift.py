"""MT940 as ING sends it: the Dutch :86: sub-fields, overlapping statements, a damaged file refused by line."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from tests.bank.conftest import DATA

from dossier.bank import read_statement, read_statement_bytes
from dossier.errors import StatementError

FIRST = "mt940-ing-2025-12-01_02.sta"
SECOND = "mt940-ing-2025-12-02_03.sta"


def by_reference(name: str) -> dict[str, object]:
    return {t.bank_reference: t for t in read_statement(DATA / name).transactions}


def test_ing_sub_fields_counterparty_and_betalingskenmerk() -> None:
    found = by_reference(FIRST)["00000000000101"]
    assert (found.account, found.currency, found.amount) == ("NL20INGB0001234567", "EUR", Decimal("450.00"))
    assert found.credit
    assert found.structured == "8234567890123456"
    assert (found.counterparty_iban, found.counterparty_name) == ("NL44RABO0123456789", "S. de Vries")
    assert (found.end_to_end, found.where, found.booking_date) == ("E2E-NL-0101", "line 8", date(2025, 12, 1))


def test_free_text_a_debit_and_an_rf_reference_alone_in_the_text() -> None:
    found = by_reference(FIRST)
    debit = found["00000000000102"]
    assert (debit.credit, debit.free_text, debit.end_to_end) == (False, "Kantoorartikelen november", None)
    assert found["00000000000201"].free_text == "Factuur ZPD-24-1610 P. Bakker"
    assert found["00000000000202"].structured == "RF18539007547034"


def test_a_storno_is_a_reversal_debit() -> None:
    found = by_reference(SECOND)["00000000000301"]
    assert (found.credit, found.reversal, found.amount) == (False, True, Decimal("450.00"))
    assert found.structured == "8234567890123456"


def test_overlapping_statements_give_the_shared_day_the_same_keys() -> None:
    first = {t.key for t in read_statement(DATA / FIRST).transactions}
    second = {t.key for t in read_statement(DATA / SECOND).transactions}
    day = "NL20INGB0001234567|2025-12-02"
    assert first & second == {f"{day}|00000000000201", f"{day}|00000000000202"}
    assert len(first | second) == 5


def test_abn_amro_style_sub_fields_and_an_entry_date_across_the_year() -> None:
    text = "\n".join([
        ":20:ABN0001", ":25:NL91ABNA0417164300", ":28C:1/1", ":60F:C251231EUR100,00",
        ":61:2512310102C25,50N654NONREF",
        ":86:/TRTP/SEPA OVERBOEKING/IBAN/NL18RABO0123459876/BIC/RABONL2U/NAME/P. Bakker",
        "/REMI/ZPD-24-1610/EREF/NOTPROVIDED",
        ":62F:C260102EUR125,50", "-",
    ])
    (found,) = read_statement_bytes(text.encode(), "abn.sta").transactions
    assert (found.counterparty_iban, found.counterparty_name) == ("NL18RABO0123459876", "P. Bakker")
    assert found.free_text == "ZPD-24-1610"
    assert (found.value_date, found.booking_date) == (date(2025, 12, 31), date(2026, 1, 2))
    assert found.bank_reference.startswith("sha256:")  # no reference at all: a digest of the line keys it


@pytest.mark.parametrize(
    ("old", "new", "line", "message"),
    [
        (":62F:C251201EUR5374,75", ":62F:C251201EUR5374,70", "line 15",
         "closing balance 5374.70 is not the opening balance 5000.00 plus the lines' 374.75"),
        (":61:2512011201D75,25NTRF", ":61:2512011201X75,25NTRF", "line 12", "is not a statement line"),
        (":61:2512011201C450,00", ":61:2513011201C450,00", "line 8", ":61: 251301 is not a date"),
        (":60F:C251130EUR5000,00", ":60F:C251130EUR", "line 7", "is not a balance"),
        (":62F:C251201EUR5374,75", ":62F:C251201USD5374,75", "line 15", "closing balance in USD, opening in EUR"),
    ],
)
def test_a_damaged_file_is_refused_naming_the_line(refused, old: str, new: str, line: str, message: str) -> None:
    refused(FIRST, old, new, line, message)


def test_a_statement_without_its_closing_balance_is_refused(damaged) -> None:
    with pytest.raises(StatementError, match="has no :62F:") as caught:
        read_statement(damaged(FIRST, ":62F:C251201EUR5374,75", ":65:C251201EUR5374,75"))
    assert caught.value.path == "line 4"


@pytest.mark.parametrize(
    ("first", "expected"),
    [
        ("Payment of invoice 2025-17", "Payment of invoice 2025-17 thank you"),  # a short line ended a line of text
        ("Payment of invoice 2025-17 for installing the solar panels, t", "Payment of invoice 2025-17 for "
         "installing the solar panels, thank you"),  # cut at 65 characters (with ':86:'): the text goes on
    ],
)
def test_a_plain_86_is_unwrapped(first: str, expected: str) -> None:
    text = "\n".join([
        ":20:X", ":25:NL91ABNA0417164300", ":60F:C251201EUR0,00", ":61:2512011201C1,00NTRFNONREF//B1",
        f":86:{first}", "hank you" if len(first) == 61 else "thank you", ":62F:C251201EUR1,00",
    ])
    (found,) = read_statement_bytes(text.encode(), "plain.sta").transactions
    assert found.free_text == expected
