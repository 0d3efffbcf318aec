"""One bank transaction as every parser returns it, and the statement file it came from.

The shape is the contract between the parsers (``dossier.bank``) and matching (``dossier.payments``): a parser
fills every field it can read from its format and nothing more; matching never looks at the file again."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

_CENT = Decimal("0.01")


def minor_units(value: Decimal) -> Decimal:
    """An amount with (at least) two decimals, as bank files state them in several ways (``1210``, ``1210.000``)."""
    cents = value.quantize(_CENT)
    return cents if cents == value else value


@dataclass(frozen=True, slots=True)
class BankTransaction:
    """A credit or debit booked on one of the creditor's accounts.

    ``amount`` is positive (a Decimal with the currency's minor units); ``credit`` tells its direction.
    ``bank_reference`` is the bank's own reference for the entry (camt ``AcctSvcrRef``, CODA bank reference,
    MT940 ``:61:`` bank reference / ``:86:`` reference); with ``account`` and ``booking_date`` it keys the
    transaction for idempotent imports (``key``).
    ``structured`` is a structured creditor reference as printed by the debtor's bank, normalised: a Belgian
    structured communication as its 12 digits (no ``+++`` or slashes), or an ISO 11649 ``RF..`` reference in
    upper case without spaces. ``free_text`` is the unstructured remittance information, lines joined by a space.
    ``where`` names the line (CODA, MT940: ``line 12``) or element (camt: ``Ntry[3]/NtryDtls/TxDtls[1]``) the
    transaction was read from, for evidence and errors."""

    account: str
    booking_date: date
    value_date: date
    amount: Decimal
    currency: str
    credit: bool
    bank_reference: str
    source: str
    where: str
    reversal: bool = False
    structured: str | None = None
    free_text: str = ""
    counterparty_name: str | None = None
    counterparty_iban: str | None = None
    end_to_end: str | None = None

    @property
    def key(self) -> str:
        """The idempotency key: account, booking day and the bank's reference (see ``Statement``)."""
        return f"{self.account}|{self.booking_date.isoformat()}|{self.bank_reference}"

    @property
    def fingerprint(self) -> str:
        """What the transaction *is*, whatever file told it: account, value date, direction, amount, currency,
        counterparty IBAN and the remittance (the structured reference, else the free text in lower case with
        only letters and digits kept).

        The key cannot find the same day delivered both as CODA and as camt.053 (Belgian banks offer both): the
        CODA bank reference (21 characters, record 2.1) and the camt ``AcctSvcrRef`` (up to 35) are each the
        bank's own choice, and neither Febelfin's CODA standard nor its XML statement guidelines require them
        to be equal. Matching uses this fingerprint as the second test of an import: a transaction whose key is
        new but whose fingerprint was already imported *from another file format* is the same transaction.
        Two genuine identical payments on one day (same payer, amount and reference) share a fingerprint, so
        it must not be used within one format, where the key is exact."""
        remittance = self.structured or re.sub(r"[^0-9a-z]", "", self.free_text.lower())
        direction = "C" if self.credit else "D"
        parts = (self.account, self.value_date.isoformat(), direction, f"{self.amount:.2f}", self.currency)
        return "|".join((*parts, self.counterparty_iban or "", remittance))


@dataclass(frozen=True)
class Statement:
    """A parsed statement file: its detected format (``coda``, ``camt.053``, ``camt.054``, ``mt940``), the
    sha256 of its bytes, and its transactions in file order."""

    file: str
    format: str
    sha256: str
    transactions: tuple[BankTransaction, ...] = field(default_factory=tuple)
