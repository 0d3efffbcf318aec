"""Belgian CODA 2.x (Febelfin "Coded statement of account"): 128-character records 0, 1, 2.1-2.3, 3.1-3.3, 4, 8
and 9.

Fields are read by ``febelfin-coda``. Before it, every record is checked here, because the library checks
with ``assert`` (gone under ``python -O``, and never naming a line): the record length, the record code, the
numbers and dates, the new balance (record 8) against the old balance (record 1) plus the movements, and the
trailer's record count and totals (record 9). Also here, where the library falls short: a value date of
``000000`` (the standard's "unknown", on which it fails) reads as the entry date; an ISO 11649 communication
(type 100, which it leaves raw); the counterparty IBAN without the currency that follows it in record 2.3;
the reversal codes."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

import coda as febelfin

from dossier.bank import references
from dossier.bank.transaction import BankTransaction, minor_units
from dossier.errors import StatementError

RECORD = 128
_KNOWN = {"0", "1", "21", "22", "23", "31", "32", "33", "4", "8", "9"}
#: Febelfin transaction codes 49 and 89 of every family: "cancellation or correction" (contre-passation)
_CANCELLATION = {"49", "89"}
#: record 2.2 position 113, SEPA R-transactions: 1 reject, 2 return, 3 refund, 4 reversal, 5 cancellation
_R_TRANSACTIONS = {"1", "2", "3", "4", "5"}


@dataclass
class _Checked:
    """What the pre-check learnt of one statement (records 0 to 9): the line of each movement record 2.1."""

    lines: dict[tuple[str, str], int] = field(default_factory=dict)
    balance: Decimal = Decimal("0.00")
    credit: Decimal = Decimal("0.00")
    debit: Decimal = Decimal("0.00")
    records: int = 0
    movement: str | None = None


def is_coda(text: str) -> bool:
    """A CODA file starts with a header record: ``0``, ``0000``, the creation date (DDMMYY). Whether it has its 128
    characters is checked when it is read, so that a damaged one is told as such."""
    first = text.lstrip("\ufeff").split("\n", 1)[0].rstrip("\r")
    return re.match(r"^00000\d{6}", first) is not None


def parse(text: str, file: str) -> list[BankTransaction]:
    """Every movement of every statement in a CODA file, details of a globalised total instead of the total."""
    lines = [line.rstrip("\r") for line in text.lstrip("\ufeff").split("\n")]
    while lines and not lines[-1].strip():
        lines.pop()
    checked = list(_check(lines, file))
    fixed = [_fix_value_date(line) for line in lines]
    try:
        parsed = febelfin.CODA(io.StringIO("\n".join(fixed) + "\n"))
    except (AssertionError, ValueError, IndexError, KeyError, InvalidOperation) as exc:
        raise StatementError(f"not a valid CODA file ({type(exc).__name__}: {exc})", file=file) from exc
    found: list[BankTransaction] = []
    for statement, check in zip(parsed.statements, checked, strict=True):
        found.extend(_transactions(statement, check, file))
    return found


def _fail(file: str, number: int, message: str) -> StatementError:
    return StatementError(message, file=file, path=f"line {number}")


def _amount(text: str, file: str, number: int, what: str) -> Decimal:
    """A CODA amount: a sign (0 credit, 1 debit) then 15 digits with 3 decimals."""
    if len(text) != 16 or text[0] not in "01" or not text[1:].isdigit():
        raise _fail(file, number, f"{what} {text!r} is not a sign and 15 digits")
    value = minor_units(Decimal(text[1:]) / 1000)
    return -value if text[0] == "1" else value


def _date(text: str, file: str, number: int, what: str, *, unknown: bool = False) -> date | None:
    if unknown and text == "000000":
        return None
    try:
        return datetime.strptime(text, "%d%m%y").date()
    except ValueError:
        raise _fail(file, number, f"{what} {text!r} is not a date (DDMMYY)") from None


def _check(lines: list[str], file: str) -> Iterator[_Checked]:
    """Check each record and each statement's sums; yield per statement the lines of its movements."""
    current: _Checked | None = None
    for number, line in enumerate(lines, start=1):
        code = line[:1] + (line[1:2] if line[:1] in "23" else "")
        if len(line) != RECORD:
            raise _fail(file, number, f"a CODA record has 128 characters, this one has {len(line)}")
        if code not in _KNOWN:
            raise _fail(file, number, f"unknown record code {line[:2]!r}")
        if code == "0":
            if line[127] != "2":
                raise _fail(file, number, f"CODA version {line[127]!r}: only version 2 is read")
            _date(line[5:11], file, number, "creation date")
            current = _Checked()
            continue
        if current is None:
            raise _fail(file, number, "a record before the header record (0)")
        _check_record(code, line, file, number, current)
        if code == "9":
            yield current
            current = None
    if current is not None:
        raise _fail(file, len(lines), "the file ends without a trailer record (9)")


def _check_record(code: str, line: str, file: str, number: int, state: _Checked) -> None:
    """One record of a statement: its numbers, and the sums where record 8 and record 9 state them."""
    if code not in {"4", "9"}:
        state.records += 1
    if code == "1":
        state.balance = _amount(line[42:58], file, number, "old balance")
        _date(line[58:64], file, number, "old balance date")
    elif code == "21":
        _check_movement(line, file, number, state)
    elif code == "8":
        new = _amount(line[41:57], file, number, "new balance")
        if new != state.balance + state.credit - state.debit:
            raise _fail(
                file, number,
                f"new balance {new} is not the old balance {state.balance} plus credits {state.credit} "
                f"minus debits {state.debit}",
            )
    elif code == "9":
        _check_trailer(line, file, number, state)


def _check_movement(line: str, file: str, number: int, state: _Checked) -> None:
    """A record 2.1: its numbers; a detail (types 5 to 8) follows the movement (0 to 3) of its sequence number."""
    amount = _amount(line[31:47], file, number, "amount")
    _date(line[47:53], file, number, "value date", unknown=True)
    _date(line[115:121], file, number, "entry date")
    state.lines[(line[2:6], line[6:10])] = number
    kind = line[53]
    if kind == "9":
        raise _fail(file, number, "movement type 9 (detail of a detail) is not read: febelfin-coda 0.5 fails on it")
    if kind in "0123":
        state.movement = line[2:6]
        state.credit += max(amount, Decimal(0))
        state.debit += max(-amount, Decimal(0))
    elif kind in "5678" and state.movement != line[2:6]:
        raise _fail(file, number, f"a detail (type {kind}) of movement {line[2:6]}, which is not the one before it")
    elif kind not in "5678":
        raise _fail(file, number, f"unknown movement type {kind!r} (transaction code {line[53:61]!r})")


def _check_trailer(line: str, file: str, number: int, state: _Checked) -> None:
    if not line[16:22].isdigit() or int(line[16:22]) != state.records:
        raise _fail(file, number, f"the trailer counts {line[16:22]!r} records, the statement has {state.records}")
    debit = _amount("0" + line[22:37], file, number, "debit total")
    credit = _amount("0" + line[37:52], file, number, "credit total")
    if (debit, credit) != (state.debit, state.credit):
        raise _fail(
            file, number,
            f"the trailer's totals (debit {debit}, credit {credit}) are not the movements' "
            f"(debit {state.debit}, credit {state.credit})",
        )


def _fix_value_date(line: str) -> str:
    """A movement's value date ``000000`` (unknown) becomes its entry date, which the library can read."""
    if line[:2] == "21" and line[47:53] == "000000":
        return line[:47] + line[115:121] + line[53:]
    return line


def _leaves(statement: febelfin.Statement) -> Iterator[febelfin.Move]:
    """The movements a payment can be: a single amount (types 0, 3) as such; a total globalised by the customer
    or the bank (types 1, 2) as its details (5, 6, 7; 7 as its own details, 9, when it has them)."""
    for move in statement.moves:
        if move.transaction_type in {"1", "2"} and move.moves:
            for detail in move.moves:
                yield from (detail.moves or [detail])
        else:
            yield move


def _transactions(statement: febelfin.Statement, check: _Checked, file: str) -> Iterator[BankTransaction]:
    account = statement.account.replace(" ", "")
    currency = statement.account_currency.strip()
    for move in _leaves(statement):
        yield _transaction(move, account, currency, check, file, statement.old_sequence)


def _transaction(
    move: febelfin.Move, account: str, currency: str, check: _Checked, file: str, paper: str
) -> BankTransaction:
    line = check.lines[(move.sequence, move.detail_sequence)]
    bank_reference = move.bank_reference.strip() or f"{paper}/{move.sequence}"
    if move.detail_sequence != "0000":
        bank_reference += f"/{move.detail_sequence}"
    structured, free_text = _communication(move)
    counterparty = (move.counterparty_account or "")[:34].strip() or None
    return BankTransaction(
        account=account,
        booking_date=move.entry_date,
        value_date=move.value_date,
        amount=minor_units(abs(move.amount)),
        currency=currency,
        credit=move.amount > 0,
        bank_reference=bank_reference,
        source=file,
        where=f"line {line}",
        reversal=move.transaction_transaction in _CANCELLATION or (move.r_transaction or "") in _R_TRANSACTIONS,
        structured=structured,
        free_text=free_text,
        counterparty_name=move.counterparty_name or None,
        counterparty_iban=counterparty.replace(" ", "") if counterparty else None,
        end_to_end=(move.customer_reference or None),
    )


def _communication(move: febelfin.Move) -> tuple[str | None, str]:
    """(structured reference, free text): type 101/102 Belgian structured (12 digits), type 100 ISO 11649;
    any other structured type, or a structured one whose check digits fail, is kept as text."""
    kind = move.communication_type
    text = " ".join((move.communication or "").split())
    found = None
    if kind in {"101", "102"}:
        found = references.ogm(text)
    elif kind == "100":
        found = references.rf(text.split()[0] if text else "")
    return (found, "") if found else (None, text)
