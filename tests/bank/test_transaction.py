"""The same day delivered as CODA and as camt.053: different keys (each format's own bank reference), one
fingerprint per transaction, so an import can tell they are the same."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

from tests.bank.conftest import DATA

from dossier.bank import read_statement


def test_the_same_day_as_coda_and_as_camt_is_recognisably_the_same() -> None:
    coda = read_statement(DATA / "coda-be-2025-12-03.cod").transactions
    camt = read_statement(DATA / "camt053-v08-be-2025-12-03.xml").transactions
    assert len(coda) == len(camt) == 7
    assert not {t.key for t in coda} & {t.key for t in camt}
    assert [t.fingerprint for t in coda] == [t.fingerprint for t in camt]
    assert len({t.fingerprint for t in coda}) == 7


def test_the_fingerprint_changes_with_what_the_transaction_is() -> None:
    base = read_statement(DATA / "coda-be-2025-12-03.cod").transactions[2]
    assert base.fingerprint == "BE71096123456769|2025-12-03|C|99.50|EUR|BE75068234567851|facturef2025014dubois"
    assert replace(base, free_text="FACTURE F 2025/014 - Dubois").fingerprint == base.fingerprint
    for changed in (
        replace(base, value_date=date(2025, 12, 4)),
        replace(base, amount=Decimal("99.51")),
        replace(base, credit=False),
        replace(base, counterparty_iban="BE62510007547061"),
        replace(base, structured="974996057546"),
    ):
        assert changed.fingerprint != base.fingerprint
