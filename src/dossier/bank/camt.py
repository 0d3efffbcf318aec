"""ISO 20022 camt.053 (bank-to-customer statement) and camt.054 (debit/credit notification), versions .001.02
onwards, read with lxml's ``iterparse``: one entry at a time, so a 100,000-entry statement is read in seconds in
little memory.

``pycamt`` is not used: it builds the whole tree, takes the first ``AcctSvcrRef`` found anywhere under an entry,
does not tell a Belgian or RF creditor reference from any other ``Ref``, reads no camt.054, and names no element
when something is missing. The version is detected from the document's namespace. What differs between
versions is handled where it is read: the transaction amount (``TxDtls/Amt`` from .04, ``AmtDtls/TxAmt/Amt``
before), the parties (``Dbtr/Pty/Nm`` from .08, ``Dbtr/Nm`` before), the entry status (``Sts/Cd`` from .08)."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from lxml import etree

from dossier.bank import references
from dossier.bank.transaction import BankTransaction, minor_units
from dossier.errors import StatementError

_NAMESPACE = re.compile(r"^urn:iso:std:iso:20022:tech:xsd:(camt\.05[34])\.001\.(\d{2})$")
_AMOUNT = re.compile(r"^\d{1,18}(\.\d{1,5})?$")
_CONTAINERS = {"camt.053": "Stmt", "camt.054": "Ntfctn"}


@dataclass
class _Group:
    """The statement (or notification) being read: its account and the sums its entries make."""

    element: etree._Element
    index: int
    account: str = ""
    entries: int = 0
    credit: Decimal = Decimal(0)
    debit: Decimal = Decimal(0)
    booked_credit: Decimal = Decimal(0)
    booked_debit: Decimal = Decimal(0)


class _Reader:
    """Reads one camt document; ``where`` paths are relative to the message (``Stmt[1]/Ntry[3]/...``)."""

    def __init__(self, file: str, namespace: str, message: str) -> None:
        self.file = file
        self.ns = {"c": namespace}
        self.message = message
        self.container = _CONTAINERS[message]
        self.version = int(namespace[-2:])

    def fail(self, where: str, message: str) -> StatementError:
        return StatementError(message, file=self.file, path=where)

    def text(self, element: etree._Element, path: str) -> str | None:
        found = element.findtext(_qualify(path), namespaces=self.ns)
        return found.strip() if found is not None and found.strip() else None

    def required(self, element: etree._Element, path: str, where: str) -> str:
        found = self.text(element, path)
        if found is None:
            raise self.fail(f"{where}/{path}", "missing mandatory element")
        return found

    def amount(self, element: etree._Element, path: str, where: str) -> tuple[Decimal, str]:
        found = element.find(_qualify(path), namespaces=self.ns)
        if found is None or not (found.text or "").strip():
            raise self.fail(f"{where}/{path}", "missing mandatory element")
        text, currency = found.text.strip(), found.get("Ccy", "")
        if not _AMOUNT.match(text):
            raise self.fail(f"{where}/{path}", f"{text!r} is not an amount")
        if not re.fullmatch(r"[A-Z]{3}", currency):
            raise self.fail(f"{where}/{path}/@Ccy", f"{currency!r} is not a currency code")
        return minor_units(Decimal(text)), currency

    def day(self, element: etree._Element, path: str, where: str) -> date | None:
        """A ``Dt`` or the date part of a ``DtTm`` under ``path``."""
        text = self.text(element, f"{path}/Dt") or self.text(element, f"{path}/DtTm")
        if text is None:
            return None
        try:
            return date.fromisoformat(text[:10])
        except ValueError:
            raise self.fail(f"{where}/{path}", f"{text!r} is not a date") from None

    def direction(self, element: etree._Element, where: str) -> bool:
        indicator = self.required(element, "CdtDbtInd", where)
        if indicator not in {"CRDT", "DBIT"}:
            raise self.fail(f"{where}/CdtDbtInd", f"{indicator!r} is neither CRDT nor DBIT")
        return indicator == "CRDT"

    # -- one group (Stmt / Ntfctn) --------------------------------------------------------------------------

    def open_group(self, element: etree._Element, index: int) -> _Group:
        where = f"{self.container}[{index}]"
        account = self.text(element, "Acct/Id/IBAN") or self.text(element, "Acct/Id/Othr/Id")
        if account is None:
            raise self.fail(f"{where}/Acct/Id", "missing mandatory element")
        return _Group(element, index, account=account.replace(" ", ""))

    def close_group(self, group: _Group) -> None:
        """The entries against the statement's own totals and balances, where it states them."""
        where = f"{self.container}[{group.index}]"
        summary = group.element.find(_qualify("TxsSummry"), namespaces=self.ns)
        if summary is not None:
            self._check_sum(summary, "TtlCdtNtries", group.credit, f"{where}/TxsSummry")
            self._check_sum(summary, "TtlDbtNtries", group.debit, f"{where}/TxsSummry")
            count = self.text(summary, "TtlNtries/NbOfNtries")
            if count is not None and count != str(group.entries):
                path = f"{where}/TxsSummry/TtlNtries/NbOfNtries"
                raise self.fail(path, f"says {count} entries, found {group.entries}")
        self._check_balances(group, where)

    def _check_sum(self, summary: etree._Element, name: str, found: Decimal, where: str) -> None:
        stated = self.text(summary, f"{name}/Sum")
        if stated is not None and _AMOUNT.match(stated) and Decimal(stated) != found:
            raise self.fail(f"{where}/{name}/Sum", f"says {stated}, the entries add up to {found}")

    def _check_balances(self, group: _Group, where: str) -> None:
        balances: dict[str, Decimal] = {}
        for balance in group.element.iterfind(_qualify("Bal"), namespaces=self.ns):
            kind = self.text(balance, "Tp/CdOrPrtry/Cd")
            amount = self.text(balance, "Amt")
            if kind in {"OPBD", "PRCD", "CLBD"} and amount and _AMOUNT.match(amount):
                sign = -1 if self.text(balance, "CdtDbtInd") == "DBIT" else 1
                balances.setdefault("open" if kind != "CLBD" else "close", sign * Decimal(amount))
        if {"open", "close"} <= balances.keys():
            expected = balances["open"] + group.booked_credit - group.booked_debit
            if expected != balances["close"]:
                raise self.fail(
                    f"{where}/Bal",
                    f"closing balance {balances['close']} is not the opening balance {balances['open']} "
                    f"plus booked credits {group.booked_credit} minus debits {group.booked_debit}",
                )

    # -- one entry (Ntry) -----------------------------------------------------------------------------------

    def entry(self, ntry: etree._Element, group: _Group, index: int) -> Iterator[BankTransaction]:
        where = f"{self.container}[{group.index}]/Ntry[{index}]"
        amount, currency = self.amount(ntry, "Amt", where)
        credit = self.direction(ntry, where)
        group.entries += 1
        if credit:
            group.credit += amount
        else:
            group.debit += amount
        status = self.text(ntry, "Sts/Cd") or self.text(ntry, "Sts")
        if status is not None and status != "BOOK":
            return  # pending or information only: not (yet) on the account
        if credit:
            group.booked_credit += amount
        else:
            group.booked_debit += amount
        booked = self.day(ntry, "BookgDt", where)
        if booked is None:
            raise self.fail(f"{where}/BookgDt", "missing mandatory element (a booked entry has a booking date)")
        common = {
            "account": group.account,
            "booking_date": booked,
            "value_date": self.day(ntry, "ValDt", where) or booked,
            "currency": currency,
            "source": self.file,
            "reversal": (self.text(ntry, "RvslInd") or "").lower() in {"true", "1"},
        }
        details = ntry.findall(_qualify("NtryDtls/TxDtls"), namespaces=self.ns)
        if not details:
            reference = self._entry_reference(ntry, where)
            free_text = self.text(ntry, "AddtlNtryInf") or ""
            yield BankTransaction(
                amount=amount, credit=credit, bank_reference=reference, where=where, free_text=free_text, **common
            )
            return
        for number, detail in enumerate(details, start=1):
            single = amount if len(details) == 1 else None
            yield self.detail(ntry, detail, single, credit, common, where, number, len(details))

    def _entry_reference(self, ntry: etree._Element, where: str) -> str:
        reference = self.text(ntry, "AcctSvcrRef") or self.text(ntry, "NtryRef")
        if reference is None:
            raise self.fail(f"{where}/AcctSvcrRef", "missing: the entry has no bank reference to key it by")
        return reference

    def detail(
        self,
        ntry: etree._Element,
        detail: etree._Element,
        entry_amount: Decimal | None,
        credit: bool,
        common: dict[str, object],
        entry_where: str,
        number: int,
        count: int,
    ) -> BankTransaction:
        where = f"{entry_where}/NtryDtls/TxDtls[{number}]"
        amount = entry_amount
        if amount is None:
            path = "Amt" if detail.find(_qualify("Amt"), namespaces=self.ns) is not None else "AmtDtls/TxAmt/Amt"
            amount, _ = self.amount(detail, path, where)
        own = self.text(detail, "CdtDbtInd")
        if own in {"CRDT", "DBIT"}:
            credit = own == "CRDT"
        reference = self.text(detail, "Refs/AcctSvcrRef")
        if reference is None:
            reference = self._entry_reference(ntry, entry_where)
            reference = reference if count == 1 else f"{reference}/{number}"
        # the other party is the payer of a credit, the payee of a debit; a reversal names the original's parties
        payer = credit != common["reversal"]
        party, account = ("Dbtr", "DbtrAcct") if payer else ("Cdtr", "CdtrAcct")
        name = self.text(detail, f"RltdPties/{party}/Pty/Nm") or self.text(detail, f"RltdPties/{party}/Nm")
        iban = self.text(detail, f"RltdPties/{account}/Id/IBAN")
        structured, free_text = self.remittance(detail)
        end_to_end = self.text(detail, "Refs/EndToEndId")
        return BankTransaction(
            amount=amount,
            credit=credit,
            bank_reference=reference,
            where=where,
            structured=structured,
            free_text=free_text,
            counterparty_name=name,
            counterparty_iban=iban.replace(" ", "") if iban else None,
            end_to_end=None if end_to_end in {None, "NOTPROVIDED"} else end_to_end,
            **common,  # type: ignore[arg-type]
        )

    def remittance(self, detail: etree._Element) -> tuple[str | None, str]:
        """(normalised structured reference, free text): ``Strd/CdtrRefInf`` read by its scheme (``Tp/Issr``:
        ``BBA`` Belgian, ``CUR`` Dutch, ``ISO``; else by its shape); a reference of no known scheme is kept as
        text."""
        texts = [t.text.strip() for t in detail.findall(_qualify("RmtInf/Ustrd"), namespaces=self.ns) if t.text]
        found: str | None = None
        for block in detail.iterfind(_qualify("RmtInf/Strd/CdtrRefInf"), namespaces=self.ns):
            reference = self.text(block, "Ref")
            scheme = self.text(block, "Tp/Issr") or self.text(block, "Tp/CdOrPrtry/Cd")
            normalised = references.structured(reference, scheme)
            if normalised and found is None:
                found = normalised
            elif reference:
                texts.append(reference)
        return found, " ".join(texts)


def _qualify(path: str) -> str:
    return "/".join(f"c:{part}" for part in path.split("/"))


def message_of(data: bytes, file: str) -> tuple[str, str]:
    """(message name ``camt.053``/``camt.054``, namespace), from the root element's namespace."""
    try:
        _, root = next(etree.iterparse(io.BytesIO(data), events=("start",), resolve_entities=False, no_network=True))
    except etree.XMLSyntaxError as exc:
        raise _syntax(exc, file) from None
    namespace = etree.QName(root).namespace or ""
    found = _NAMESPACE.match(namespace)
    if not found:
        raise StatementError(
            f"an XML document that is not a camt.053 or camt.054 message (namespace {namespace or 'none'!r})",
            file=file,
            path=etree.QName(root).localname,
        )
    return found.group(1), namespace


def _syntax(exc: etree.XMLSyntaxError, file: str) -> StatementError:
    line = exc.lineno or (exc.position[0] if exc.position else None)
    return StatementError(f"invalid XML: {exc.msg}", file=file, path=f"line {line}" if line else None)


def parse(data: bytes, file: str) -> tuple[str, list[BankTransaction]]:
    """The message name and every booked transaction of a camt.053 / camt.054 document."""
    message, namespace = message_of(data, file)
    reader = _Reader(file, namespace, message)
    tags = (f"{{{namespace}}}{reader.container}", f"{{{namespace}}}Ntry")
    found: list[BankTransaction] = []
    group: _Group | None = None
    groups = entries = 0
    events = etree.iterparse(
        io.BytesIO(data), events=("end",), tag=tags, resolve_entities=False, no_network=True
    )
    try:
        for _, element in events:
            if element.tag == tags[0]:
                groups += 1
                reader.close_group(group or reader.open_group(element, groups))
                group, entries = None, 0
                element.clear()
            else:
                if group is None:
                    group = reader.open_group(element.getparent(), groups + 1)
                entries += 1
                found.extend(reader.entry(element, group, entries))
                _forget(element)
    except etree.XMLSyntaxError as exc:
        raise _syntax(exc, file) from None
    if groups == 0:
        raise StatementError(f"missing mandatory element {reader.container}", file=file, path=reader.container)
    return message, found


def _forget(ntry: etree._Element) -> None:
    """Free an entry already read (and the one before it), keeping the statement's other children."""
    ntry.clear()
    previous = ntry.getprevious()
    if previous is not None and previous.tag == ntry.tag:
        ntry.getparent().remove(previous)
