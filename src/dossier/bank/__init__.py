"""Bank statements read into one shape (``BankTransaction``), whatever the format: Belgian CODA, ISO 20022
camt.053 / camt.054, SWIFT MT940. This layer knows files and formats only; matching a transaction to a claim is
``dossier.payments``'s work."""

from dossier.bank.reading import FORMATS, read_statement, read_statement_bytes
from dossier.bank.transaction import BankTransaction, Statement

__all__ = ["FORMATS", "BankTransaction", "Statement", "read_statement", "read_statement_bytes"]
