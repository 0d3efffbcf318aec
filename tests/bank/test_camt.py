"""camt.053 (.02, .08) and camt.054: booked entries as transactions; a damaged file refused, naming the element."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from tests.bank.conftest import DATA

from dossier.bank import read_statement
from dossier.errors import StatementError

V08 = "camt053-v08-be-2025-12-03.xml"
V02 = "camt053-v02-usd-2025-11-28.xml"
NOTIFICATION = "camt054-v08-nl-2025-12-04.xml"


def by_reference(name: str) -> dict[str, object]:
    return {t.bank_reference: t for t in read_statement(DATA / name).transactions}


def test_version_08_entries_with_their_details() -> None:
    found = by_reference(V08)
    first = found["GEBA-20251203-0000000101"]
    assert (first.account, first.amount, first.currency) == ("BE71096123456769", Decimal("1210.00"), "EUR")
    assert (first.credit, first.structured, first.end_to_end) == (True, "974996057546", "E2E-BE-0001")
    assert first.where == "Stmt[1]/Ntry[1]/NtryDtls/TxDtls[1]"
    assert (first.counterparty_name, first.counterparty_iban) == ("Boulangerie Dubois SRL", "BE75068234567851")
    assert found["GEBA-20251203-0000000102"].structured == "RF18539007547034"
    assert found["GEBA-20251203-0000000102"].end_to_end is None
    assert found["GEBA-20251203-0000000103"].free_text == "Facture F-2025-014 Dubois"


def test_a_debit_names_the_payee_and_a_reversal_the_original_payer() -> None:
    found = by_reference(V08)
    debit, reversal = found["GEBA-20251203-0000000104"], found["GEBA-20251203-0000000105"]
    assert (debit.credit, debit.reversal, debit.counterparty_name) == (False, False, "bpost SA")
    assert (reversal.credit, reversal.reversal, reversal.counterparty_iban) == (False, True, "BE62510007547061")


def test_a_batch_entry_is_read_as_its_transactions_with_their_own_references() -> None:
    found = by_reference(V08)
    assert "GEBA-20251203-0000000106" not in found
    assert found["GEBA-20251203-0000000106-1"].structured == "090933755493"
    assert found["GEBA-20251203-0000000106-2"].amount == Decimal("100.00")


def test_version_02_a_foreign_currency_and_details_without_references() -> None:
    found = by_reference(V02)
    assert set(found) == {"USD-B-000917/1", "USD-B-000917/2", "USD-R-000918", "USD-I-000919"}
    first = found["USD-B-000917/1"]
    assert (first.amount, first.currency, first.structured) == (Decimal("1000.00"), "USD", "RF40TVJ20250093")
    assert (first.booking_date, first.value_date) == (date(2025, 11, 28), date(2025, 11, 27))
    assert first.counterparty_name == "Harbour Interiors Ltd"
    assert found["USD-B-000917/2"].free_text == "INV-3190 part payment"
    assert found["USD-R-000918"].reversal
    interest = found["USD-I-000919"]
    assert (interest.where, interest.free_text) == ("Stmt[1]/Ntry[3]", "Credit interest November")
    assert interest.counterparty_iban is None


def test_a_notification_reads_booked_entries_only() -> None:
    statement = read_statement(DATA / NOTIFICATION)
    assert statement.format == "camt.054"
    found = {t.bank_reference: t for t in statement.transactions}
    assert set(found) == {"ABN-NTF-000451", "ABN-NTF-000453", "ABN-NTF-000454"}  # 000452 is pending
    assert found["ABN-NTF-000451"].structured == "5000056789012345"  # a betalingskenmerk, as given
    assert found["ABN-NTF-000451"].booking_date == date(2025, 12, 4)  # from a DtTm
    assert found["ABN-NTF-000453"].structured == "974996057546"
    assert (found["ABN-NTF-000454"].structured, found["ABN-NTF-000454"].free_text) == (None, "restant ZPD-24-1610")


@pytest.mark.parametrize("version", ["03", "04", "05", "06", "07"])
def test_the_versions_between_are_read_by_their_namespace(tmp_path: Path, version: str) -> None:
    text = (DATA / V08).read_text(encoding="utf-8").replace("camt.053.001.08", f"camt.053.001.{version}")
    path = tmp_path / "statement.xml"
    path.write_text(text, encoding="utf-8")
    assert len(read_statement(path).transactions) == 7


@pytest.mark.parametrize(
    ("name", "old", "new", "where", "message"),
    [
        (V08, '<Amt Ccy="EUR">99.50</Amt>\n        <CdtDbtInd>CRDT', "<CdtDbtInd>CRDT", "Stmt[1]/Ntry[3]/Amt",
         "missing mandatory element"),
        (V08, "<Sum>1859.50</Sum>", "<Sum>1859.00</Sum>", "Stmt[1]/TxsSummry/TtlCdtNtries/Sum",
         "says 1859.00, the entries add up to 1859.50"),
        (V08, "<NbOfNtries>6</NbOfNtries>", "<NbOfNtries>7</NbOfNtries>", "Stmt[1]/TxsSummry/TtlNtries/NbOfNtries",
         "says 7 entries, found 6"),
        (V02, '<Amt Ccy="USD">1280.00</Amt>', '<Amt Ccy="USD">1208.00</Amt>', "Stmt[1]/Bal",
         "closing balance 1208.00 is not the opening balance 200.00 plus booked credits 1580.00 minus debits 500.00"),
        (V08, "<CdtDbtInd>DBIT</CdtDbtInd>\n        <Sts>", "<CdtDbtInd>DEBIT</CdtDbtInd>\n        <Sts>",
         "Stmt[1]/Ntry[4]/CdtDbtInd", "'DEBIT' is neither CRDT nor DBIT"),
        (V08, "<IBAN>BE71096123456769</IBAN>", "", "Stmt[1]/Acct/Id", "missing mandatory element"),
        (V08, "<BookgDt><Dt>2025-12-03</Dt></BookgDt>", "<BookgDt><Dt>2025-12-32</Dt></BookgDt>",
         "Stmt[1]/Ntry[1]/BookgDt", "'2025-12-32' is not a date"),
        (V02, '<Amt Ccy="USD">500.00</Amt></TxAmt>', '<Amt Ccy="USD">5OO.00</Amt></TxAmt>',
         "Stmt[1]/Ntry[1]/NtryDtls/TxDtls[2]/AmtDtls/TxAmt/Amt", "'5OO.00' is not an amount"),
        (NOTIFICATION, "<BookgDt><Dt>2025-12-04</Dt></BookgDt>", "", "Ntfctn[1]/Ntry[3]/BookgDt",
         "missing mandatory element (a booked entry has a booking date)"),
        (V08, "</Ntry>\n    </Stmt>", "</Ntry>\n    </Stmnt>", "line 200", "invalid XML"),
    ],
)
def test_a_damaged_file_is_refused_naming_the_element(refused, name, old, new, where, message) -> None:
    refused(name, old, new, where, message)


def test_a_file_cut_short_is_invalid_xml(tmp_path: Path) -> None:
    path = tmp_path / V08
    path.write_bytes((DATA / V08).read_bytes()[:4000])
    with pytest.raises(StatementError, match="invalid XML") as caught:
        read_statement(path)
    assert caught.value.path.startswith("line ")


def test_entities_are_not_expanded(tmp_path: Path) -> None:
    """An XML bomb or an external entity is refused or left alone, never expanded from the disk."""
    text = (DATA / V08).read_text(encoding="utf-8")
    doctype = '<!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
    text = text.replace('<?xml version="1.0" encoding="UTF-8"?>', f'<?xml version="1.0"?>\n{doctype}')
    text = text.replace("Facture F-2025-014 Dubois", "&x;")
    path = tmp_path / "x.xml"
    path.write_text(text, encoding="utf-8")
    found = read_statement(path).transactions
    assert found[2].free_text == ""
    assert all("root:" not in t.free_text for t in found)


def test_a_message_of_two_statements_gives_both(tmp_path: Path) -> None:
    text = (DATA / V02).read_text(encoding="utf-8")
    block = text[text.index("<Stmt>") : text.index("</Stmt>") + len("</Stmt>")]
    path = tmp_path / "two.xml"
    path.write_text(text.replace(block, block + block.replace("USD-2025-0211", "USD-2025-0212")), encoding="utf-8")
    found = read_statement(path).transactions
    assert len(found) == 8
    assert found[4].where == "Stmt[2]/Ntry[1]/NtryDtls/TxDtls[1]"
