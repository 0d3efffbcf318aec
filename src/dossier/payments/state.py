"""A portfolio's payment state: ``<state folder>/payments/transactions.jsonl``, append-only, one line per
transaction seen and per decision about one, the newest line of a key saying where it stands:

- ``imported`` (booked to ``claim``, by ``rule``), ``queued`` (in the review queue: ``reasons``, ``candidates``),
  ``debit``, ``duplicate`` (the same transaction from another format's statement: ``of``), ``reversal`` (of
  ``of``, or of nothing imported), ``ignored`` (a person settled it: ``reason``);
- every line carries the transaction (``tx``) and its statement file, so the queue and a later assign need nothing
  else.

Lines are appended under the OS lock, many in one write, synced; the claim journals they rely on are synced
before (``payments.importer``). A line cut by a crash recorded nothing and is skipped.
"""

from __future__ import annotations

import hashlib
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from dossier.bank import BankTransaction, Statement
from dossier.errors import ClaimError
from dossier.output.journal import now
from dossier.output.lock import FolderLock, append_line, reading_own
from dossier.payments.index import compact_text
from dossier.strictyaml import json_line

FOLDER = "payments"
#: the lines kept whole in memory (the queue lists them, assign books them); of the others only what is needed to
#: find the payment a reversal reverses (an import of 100,000 transactions keeps 100,000 of them)
KEPT_WHOLE = ("queued", "ignored")


class Booked(NamedTuple):
    """What is kept in memory of an imported transaction: what finds the payment a reversal reverses."""

    claim: str
    account: str
    amount: str
    currency: str
    value_date: str
    end_to_end: str | None
    structured: str | None
    counterparty_iban: str | None
LEDGER = "transactions.jsonl"
#: what ``PaymentState.latest`` keeps of a transaction's newest line
Seen = dict[str, Any] | Booked | str


def status_of(seen: Seen) -> str:
    """The status of a transaction's newest line, as ``PaymentState.latest`` keeps it."""
    if isinstance(seen, Booked):
        return "imported"
    return seen if isinstance(seen, str) else str(seen.get("status"))


def fingerprint(tx: BankTransaction) -> str:
    """The same transfer however the bank delivered it (CODA and camt of one day carry different references):
    account, value date, amount, currency, direction, sender's IBAN and the remittance. The parser's own, when it
    gives one."""
    own = getattr(tx, "fingerprint", None)
    if isinstance(own, str) and own:
        return own
    remittance = tx.structured or compact_text(tx.free_text)
    parts = [tx.account, tx.value_date.isoformat(), f"{tx.amount:.2f}", tx.currency, str(tx.credit),
             tx.counterparty_iban or "", remittance]
    return hashlib.sha256("|".join(parts).encode("utf-8")).hexdigest()


def tx_record(tx: BankTransaction, statement: Statement) -> dict[str, Any]:
    """The transaction as the ledger and the claim journal keep it (strings only)."""
    return {
        "key": tx.key,
        "account": tx.account,
        "booking_date": sys.intern(tx.booking_date.isoformat()),  # interned: a day's 100,000 lines share them
        "value_date": sys.intern(tx.value_date.isoformat()),
        "amount": sys.intern(f"{tx.amount:.2f}"),
        "currency": tx.currency,
        "credit": tx.credit,
        "reversal": tx.reversal,
        "bank_reference": tx.bank_reference,
        "counterparty_name": tx.counterparty_name,
        "counterparty_iban": tx.counterparty_iban,
        "structured": tx.structured,
        "remittance": tx.free_text,
        "end_to_end": tx.end_to_end,
        "statement": {"file": Path(statement.file).name, "sha256": statement.sha256, "format": statement.format,
                      "where": tx.where},
    }


def _short(mark: str) -> bytes:
    """A fingerprint as kept in memory: 16 bytes of its BLAKE2b, not a string of 100 characters (100,000 of them
    in a day's statement)."""
    return hashlib.blake2b(mark.encode("utf-8"), digest_size=16).digest()


@dataclass
class PaymentState:
    """What the ledger says: the newest line per transaction key, and the formats each fingerprint came in."""

    folder: Path
    #: transaction key -> its newest line: whole when a person may settle it (``KEPT_WHOLE``), the ``Booked``
    #: of an imported one, else its status alone (``status_of``)
    latest: dict[str, Seen] = field(default_factory=dict)
    #: fingerprint (``_short``) -> the formats it came in, "a b"
    fingerprints: dict[bytes, str] = field(default_factory=dict)
    pending: list[dict[str, Any]] = field(default_factory=list)

    @property
    def path(self) -> Path:
        return self.folder / LEDGER

    @classmethod
    def load(cls, state_folder: Path) -> PaymentState:
        state = cls(state_folder / FOLDER)
        handle = reading_own(state.path)  # never through a link, nor a FIFO or device
        if handle is None:
            return state
        try:
            with handle:  # a line at a time: a year of imports is never held whole
                for line in handle:
                    try:
                        entry = json_line(line)
                    except ValueError:
                        continue  # empty, or cut by a crash: it recorded nothing
                    if isinstance(entry, dict) and isinstance(entry.get("key"), str):
                        state._see(entry)
        except OSError as exc:
            raise ClaimError(f"cannot be read ({exc.strerror})", file=str(state.path)) from None
        return state

    def _see(self, entry: dict[str, Any]) -> None:
        tx = entry.get("tx") or {}
        mark = entry.get("fingerprint")
        if isinstance(mark, str):
            fmt = sys.intern(str(tx.get("statement", {}).get("format")))
            short = _short(mark)
            known = self.fingerprints.get(short)
            if known is None or fmt not in known.split(" "):
                self.fingerprints[short] = fmt if known is None else f"{known} {fmt}"
        status = entry.get("status")
        if status == "imported":  # what reversal matching needs, not the whole line
            self.latest[entry["key"]] = Booked(str(entry.get("claim")), *(tx.get(k) for k in Booked._fields[1:]))
        elif status in KEPT_WHOLE:
            self.latest[entry["key"]] = entry
        else:
            self.latest[entry["key"]] = sys.intern(str(status))

    def formats(self, mark: str) -> list[str]:
        """The statement formats the transaction of fingerprint ``mark`` came in."""
        return self.fingerprints.get(_short(mark), "").split()

    def record(self, status: str, tx: dict[str, Any], **details: Any) -> dict[str, Any]:
        """Queue one line (written by ``flush``)."""
        entry = {"key": tx["key"], "at": now(), "status": status, "tx": tx} | details
        self._see(entry)
        self.pending.append(entry)
        return entry

    def take(self) -> list[dict[str, Any]]:
        """The queued lines (to ``write``), and none queued any more."""
        lines, self.pending = self.pending, []
        return lines

    def write(self, lines: list[dict[str, Any]]) -> None:
        """Append ``lines`` in one write, synced."""
        if lines:
            append_line(self.path, b"".join(json.dumps(e, ensure_ascii=False, sort_keys=True).encode("utf-8") + b"\n"
                                            for e in lines))

    def flush(self) -> None:
        """Append the queued lines in one write, synced."""
        self.write(self.take())

    def queue(self) -> list[dict[str, Any]]:
        """The review queue: transactions whose newest line is ``queued``, oldest first."""
        return [e for e in self.latest.values() if isinstance(e, dict) and e.get("status") == "queued"]

    def lock(self) -> FolderLock:
        """One import or decision at a time per portfolio."""
        return FolderLock(self.folder, ".payments.lock", "this portfolio's payments",
                          "wait for that import or decision to finish")
