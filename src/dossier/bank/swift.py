"""SWIFT MT940 customer statements, as Dutch banks (ING, ABN AMRO, Rabobank) send them.

The file is cut into statements and fields here, keeping each field's line number for errors and evidence;
the ``:61:`` statement line and the ``:60F:``/``:62F:`` balances are read with ``mt-940``'s own field patterns
(its whole-file parser keeps no line numbers, and reads ``:86:`` in the German ``?20`` style only). The
``:86:`` of the Dutch banks is read here: its ``/KEY/value`` sub-fields ``/EREF/``, ``/REMI/`` (``USTD//`` free
text or ``STRD/CUR/`` a betalingskenmerk), ``/CNTP/`` (IBAN/BIC/name/city), ``/NAME/``, ``/IBAN/``. Each
statement's opening balance plus its lines must make its closing balance."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from mt940 import tags as mt940_tags

from dossier.bank import references
from dossier.bank.transaction import BankTransaction, minor_units
from dossier.errors import StatementError

_FIELD = re.compile(r"^:(\d{2}[A-Z]?|NS):(.*)$")
_STATEMENT_LINE = mt940_tags.Statement().re
_BALANCE = mt940_tags.BalanceBase().re
_AMOUNT = re.compile(r"^\d{1,15},\d{0,3}$")
_KEYS = (
    "TRTP|EREF|MARF|CSID|CNTP|REMI|PURP|ULTC|ULTD|ULTB|RTRN|ISDT|BENM|ORDP|NAME|IBAN|BIC|ADDR|SVCL|BUSP|IREF|PREF|"
    "CDTRREFTP|CDTRREF"
)
_SUBFIELD = re.compile(rf"/({_KEYS})/")
#: SWIFT's line length (x lines of 65 characters)
_LINE = 65


@dataclass
class _Field:
    tag: str
    line: int
    value: str


@dataclass
class _Statement:
    fields: list[_Field] = field(default_factory=list)


def is_mt940(text: str) -> bool:
    """MT940 has a ``:20:`` reference and a ``:25:`` account, each at the start of a line (what else a statement
    must have is checked when it is read, so that a damaged one is told as such)."""
    return all(re.search(rf"^(\{{4:)?:{tag}:", text, re.MULTILINE) for tag in ("20", "25"))


def _fields(text: str) -> Iterator[_Field]:
    """Each field with the number of the line it starts on; continuation lines are joined with a newline."""
    current: _Field | None = None
    for number, raw in enumerate(text.lstrip("\ufeff").splitlines(), start=1):
        line = raw.rstrip("\r")
        if "{4:" in line:
            line = line.split("{4:", 1)[1]
        found = _FIELD.match(line)
        if found:
            if current:
                yield current
            current = _Field(found.group(1), number, found.group(2))
        elif line.strip() in {"-", "-}"} or line.startswith(("{", "-}")):
            if current:
                yield current
            current = None
        elif current is not None:
            current.value += "\n" + line
    if current:
        yield current


def _statements(text: str, file: str) -> list[_Statement]:
    statements: list[_Statement] = []
    for item in _fields(text):
        if item.tag == "20":
            statements.append(_Statement())
        if not statements:
            raise StatementError(f"field :{item.tag}: before the first :20:", file=file, path=f"line {item.line}")
        statements[-1].fields.append(item)
    return statements


def parse(text: str, file: str) -> list[BankTransaction]:
    """Every ``:61:`` line of every statement in an MT940 file."""
    found: list[BankTransaction] = []
    for statement in _statements(text, file):
        found.extend(_Reader(file, statement).transactions())
    return found


class _Reader:
    """One statement (``:20:`` to ``:62F:``)."""

    def __init__(self, file: str, statement: _Statement) -> None:
        self.file = file
        self.fields = statement.fields

    def fail(self, line: int, message: str) -> StatementError:
        return StatementError(message, file=self.file, path=f"line {line}")

    def one(self, *tags: str) -> _Field:
        for item in self.fields:
            if item.tag in tags:
                return item
        raise self.fail(self.fields[0].line, f"the statement starting here has no :{tags[0]}:")

    def balance(self, item: _Field) -> tuple[Decimal, str, date]:
        found = _BALANCE.match(item.value.strip())
        if not found or not _AMOUNT.match(found["amount"]):
            shape = "D/C, YYMMDD, currency, amount"
            raise self.fail(item.line, f":{item.tag}: {item.value.strip()!r} is not a balance ({shape})")
        amount = _decimal(found["amount"])
        return (-amount if found["status"] == "D" else amount), found["currency"], self.day(item, found)

    def day(self, item: _Field, found: re.Match[str]) -> date:
        try:
            return date(2000 + int(found["year"]), int(found["month"]), int(found["day"]))
        except ValueError:
            text = f"{found['year']}{found['month']}{found['day']}"
            raise self.fail(item.line, f":{item.tag}: {text} is not a date (YYMMDD)") from None

    def transactions(self) -> list[BankTransaction]:
        opening, currency, _ = self.balance(self.one("60F", "60M"))
        closing_field = self.one("62F", "62M")
        closing, closing_currency, _ = self.balance(closing_field)
        if closing_currency != currency:
            raise self.fail(closing_field.line, f"closing balance in {closing_currency}, opening in {currency}")
        account = _account(self.one("25").value, currency)
        found: list[BankTransaction] = []
        for index, item in enumerate(self.fields):
            if item.tag == "61":
                after = self.fields[index + 1] if index + 1 < len(self.fields) else None
                details = after.value if after is not None and after.tag == "86" else ""
                found.append(self.line(item, details, account, currency))
        total = sum(((t.amount if t.credit else -t.amount) for t in found), Decimal(0))
        if opening + total != closing:
            raise self.fail(
                closing_field.line,
                f"closing balance {closing} is not the opening balance {opening} plus the lines' {total}",
            )
        return found

    def line(self, item: _Field, details: str, account: str, currency: str) -> BankTransaction:
        found = _STATEMENT_LINE.match("\n".join(item.value.strip().split("\n")[:2]))
        if not found or not _AMOUNT.match(found["amount"] or ""):
            raise self.fail(item.line, f":61: {item.value.strip()!r} is not a statement line")
        value_date = self.day(item, found)
        text = _unwrap(details)
        sub = _subfields(text)
        structured, free_text = _remittance(sub, text)
        iban, name = _counterparty(sub)
        end_to_end = sub.get("EREF")
        status = found["status"].upper()
        return BankTransaction(
            account=account,
            booking_date=self.entry_date(item, found, value_date),
            value_date=value_date,
            amount=_decimal(found["amount"]),
            currency=currency,
            credit=status in {"C", "RD"},
            bank_reference=_reference(found, item.value + details),
            source=self.file,
            where=f"line {item.line}",
            reversal=status.startswith("R") or "RTRN" in sub,
            structured=structured,
            free_text=free_text,
            counterparty_name=name,
            counterparty_iban=iban,
            end_to_end=None if end_to_end in {None, "", "NOTPROVIDED"} else end_to_end,
        )

    def entry_date(self, item: _Field, found: re.Match[str], value_date: date) -> date:
        """The booking date (``MMDD`` after the value date), in the value date's year or the neighbouring one."""
        month, day = (found["entry_month"] or "").strip(), (found["entry_day"] or "").strip()
        if not (month.isdigit() and day.isdigit()):
            return value_date
        try:
            candidates = [date(value_date.year + shift, int(month), int(day)) for shift in (0, -1, 1)]
        except ValueError:
            raise self.fail(item.line, f":61: entry date {month}{day} is not a date") from None
        return min(candidates, key=lambda d: abs((d - value_date).days))


def _unwrap(value: str) -> str:
    """A field's lines as one text: a line cut at SWIFT's 65 characters goes on without a space (banks cut in the
    middle of words), a shorter line ended a line of text."""
    lines = value.split("\n")
    text, previous = lines[0], len(lines[0]) + len(":86:")
    for line in lines[1:]:
        text += ("" if previous >= _LINE else " ") + line
        previous = len(line)
    return text


def _decimal(text: str) -> Decimal:
    return minor_units(Decimal(text.replace(",", ".").rstrip(".") or "0"))


def _account(value: str, currency: str) -> str:
    """``:25:`` as the bare account: ING's ``NL69INGB0123456789EUR`` or ``INGBNL2A/NL69...`` without the extras."""
    account = value.strip().replace(" ", "").split("/")[-1]
    if account.endswith(currency) and len(account) > len(currency):
        account = account[: -len(currency)]
    return account


def _reference(found: re.Match[str], raw: str) -> str:
    """The bank's reference (after ``//``), else the customer's unless ``NONREF``, else a digest of the line."""
    bank = (found["bank_reference"] or "").strip()
    customer = (found["customer_reference"] or "").strip()
    if bank:
        return bank
    if customer and customer.upper() not in {"NONREF", "EREF"}:
        return customer
    return "sha256:" + hashlib.sha256(raw.encode("utf-8")).hexdigest()[:20]


def _subfields(text: str) -> dict[str, str]:
    """The ``/KEY/value`` sub-fields of a Dutch ``:86:`` (empty when it is plain text)."""
    marks = list(_SUBFIELD.finditer(text))
    found: dict[str, str] = {}
    for number, mark in enumerate(marks):
        end = marks[number + 1].start() if number + 1 < len(marks) else len(text)
        found.setdefault(mark.group(1), text[mark.end() : end].rstrip("/").strip())
    return found


def _remittance(sub: dict[str, str], details: str) -> tuple[str | None, str]:
    """(structured reference, free text) from ``/REMI/`` (``STRD/CUR/ref`` or ``USTD//text``), or the whole
    ``:86:`` when it has no sub-fields."""
    if not sub:
        return None, " ".join(details.split())
    remi = sub.get("REMI", "")
    parts = remi.split("/")
    if parts[0] in {"STRD", "CUST"} and len(parts) >= 3:
        found = references.structured(parts[-1] or parts[-2], parts[1] or None)
        if found:
            return found, ""
    if parts[0] == "USTD":
        remi = "/".join(parts[1:]).lstrip("/")
    text = " ".join(remi.split())
    compact = text.replace(" ", "")
    alone = references.rf(text) or (references.betalingskenmerk(text) if len(compact) == 16 else None)
    return (alone, "") if alone else (None, text)


def _counterparty(sub: dict[str, str]) -> tuple[str | None, str | None]:
    """(IBAN, name): ``/CNTP/IBAN/BIC/name/city`` (ING), else ``/IBAN/`` and ``/NAME/`` (ABN AMRO, Rabobank)."""
    if "CNTP" in sub:
        parts = [*sub["CNTP"].split("/"), "", "", ""]
        return (parts[0].replace(" ", "") or None), (parts[2].strip() or None)
    iban = sub.get("IBAN", "").replace(" ", "")
    return (iban or None), (sub.get("NAME") or None)
