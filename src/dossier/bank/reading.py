"""One entry point for every statement format: the format is told by the content, never by the file's name."""

from __future__ import annotations

import hashlib
from decimal import InvalidOperation
from pathlib import Path

from dossier.bank import camt, coda, swift
from dossier.bank.transaction import BankTransaction, Statement
from dossier.errors import StatementError

FORMATS = "CODA 2.x, ISO 20022 camt.053 / camt.054 (.001.02 onwards) or SWIFT MT940"


def read_statement(path: Path) -> Statement:
    """The statement file at ``path``, all of it or an error (``StatementError``) and nothing."""
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise StatementError(f"cannot be read ({exc.strerror or exc})", file=Path(path).name) from None
    return read_statement_bytes(data, Path(path).name)


def read_statement_bytes(data: bytes, name: str) -> Statement:
    """A statement file's bytes (an upload); ``name`` is used in errors and as each transaction's ``source``."""
    kind, transactions = _parse(data, name)
    return Statement(file=name, format=kind, sha256=hashlib.sha256(data).hexdigest(), transactions=tuple(transactions))


def _parse(data: bytes, name: str) -> tuple[str, list[BankTransaction]]:
    head = data.lstrip(b"\xef\xbb\xbf \t\r\n")
    if not head:
        raise StatementError(f"the file is empty: expected {FORMATS}", file=name)
    try:
        if head.startswith(b"<"):
            return camt.parse(data, name)
        text = _decode(data)
        if coda.is_coda(text):
            return "coda", coda.parse(text, name)
        if swift.is_mt940(text):
            return "mt940", swift.parse(text, name)
    except (ValueError, IndexError, KeyError, ArithmeticError, InvalidOperation) as exc:
        raise StatementError(f"damaged statement file ({type(exc).__name__}: {exc})", file=name) from None
    raise StatementError(f"not a statement file of a known format: expected {FORMATS}", file=name)


def _decode(data: bytes) -> str:
    """UTF-8 when it is, else Windows-1252 (CODA's and most MT940 files' encoding), else Latin-1 (never fails)."""
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")
