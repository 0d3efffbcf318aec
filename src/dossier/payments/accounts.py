"""One claim as payment matching sees it: what the index needs of the claim (``Facts``: small, so 100,000 of them
fit in memory), its jurisdiction's reference kind, what its journal already says about payments (the
transactions imported, the ones reversed), and the whole claim loaded again only when a payment needs its
statement."""

from __future__ import annotations

from collections.abc import Mapping, Set
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from types import MappingProxyType
from typing import NamedTuple, Protocol

from dossier.engine.statement import Statement, compute_statement
from dossier.model import Claim, Payment
from dossier.output.journal import Journal, read
from dossier.rules import Jurisdiction

#: the paid total of a claim without payments, one object for all of them (a Decimal is 104 bytes)
NOTHING = Decimal(0)


@dataclass(frozen=True, slots=True)
class Facts:
    """What matching reads of a claim for every transaction."""

    reference: str
    currency: str
    principal: Decimal
    paid: Decimal  # every payment the claim (and its journal) records
    payment_reference: str | None
    invoices: tuple[tuple[str, str | None], ...]  # number, the reference printed on it
    ibans: tuple[str, ...]


def facts_of(claim: Claim) -> Facts:
    return Facts(
        claim.reference,
        claim.currency,
        claim.principal,
        sum((p.amount for p in claim.payments), NOTHING) if claim.payments else NOTHING,
        claim.payment_reference,
        tuple((i.number, i.payment_reference) for i in claim.invoices),
        tuple(claim.debtor.known_ibans),
    )


class Added(NamedTuple):
    """A payment this import booked to the claim, as plain values: what ``least_due`` adds up for every booked
    transaction; validated as a ``Payment`` only when a statement needs it (``Account.statement``)."""

    date: date
    amount: Decimal
    reference: str | None = None
    invoice: str | None = None

    def payment(self) -> Payment:
        return Payment(date=self.date, amount=self.amount, reference=self.reference, invoice=self.invoice)


class Imported(NamedTuple):
    """A ``payment-imported`` entry of the claim's journal, as an import keeps it: its ``n`` (what a reversal
    names) and the IBAN the payment came from (a known IBAN for matching)."""

    n: int | None
    counterparty_iban: str | None = None


_EMPTY: Mapping[str, object] = MappingProxyType({})


class Home(Protocol):
    """Where a portfolio keeps its claims and their journals (``workflow.payments`` knows portfolios)."""

    def journal(self, item: Account) -> Journal: ...

    def load(self, item: Account) -> Claim: ...


@dataclass(eq=False, slots=True)
class Account:
    """A claim of the portfolio, as one import sees it. ``imported``: transaction key -> the ``n`` of its
    ``payment-imported`` entry in the claim's journal (a re-run after a crash finds them and journals nothing
    twice); ``added``: the payments this import journaled, not yet in the claim's own. ``home`` gives the
    claim's journal, and reads the whole claim again when it is needed (``row``: a portfolio row's data,
    pickled, or where the home keeps it); without a home the claim is kept and nothing is journaled (matching
    only). The three collections are made on first use: most claims of a 100,000-claim portfolio never need
    them, and three empty ones per claim were 35 MB."""

    key: str
    label: str
    facts: Facts
    rules: Jurisdiction
    home: Home | None = None
    row: object | None = None
    kept: Claim | None = None
    first_document: str | None = None
    _imported: dict[str, Imported] | None = None
    _reversed: set[str] | None = None
    _added: dict[str, Added] | None = None  # transaction key -> payment

    @property
    def imported(self) -> Mapping[str, Imported]:
        return self._imported if self._imported is not None else _EMPTY  # type: ignore[return-value]

    def note_imported(self, key: str, entry: Imported) -> None:
        if self._imported is None:
            self._imported = {}
        self._imported[key] = entry

    @property
    def reversed_keys(self) -> Set[str]:
        return self._reversed if self._reversed is not None else frozenset()

    def note_reversed(self, key: str) -> None:
        """The payment ``key`` was reversed: it no longer counts."""
        if self._reversed is None:
            self._reversed = set()
        self._reversed.add(key)
        if self._added is not None:
            self._added.pop(key, None)

    @property
    def added(self) -> Mapping[str, Added]:
        return self._added if self._added is not None else _EMPTY  # type: ignore[return-value]

    def add(self, key: str, payment: Added) -> None:
        """A payment this import (or proposal) booked to the claim."""
        if self._added is None:
            self._added = {}
        self._added[key] = payment

    @property
    def claim(self) -> Claim:
        """The whole claim, loaded on first use, with the payment reference this import assigned, if any."""
        if self.kept is None:
            if self.home is None:  # pragma: no cover - account() keeps the claim when there is no home
                raise ValueError(f"claim {self.key} has no home to load it from")
            self.kept = self.home.load(self)
        if self.kept.payment_reference != self.facts.payment_reference:
            self.kept = self.kept.model_copy(update={"payment_reference": self.facts.payment_reference})
        return self.kept

    def assign_reference(self, shown: str) -> None:
        self.facts = replace(self.facts, payment_reference=shown)

    @property
    def journal(self) -> Journal | None:
        return self.home.journal(self) if self.home is not None else None

    @property
    def writable(self) -> Journal:
        """The claim's journal, for an import that books (never for matching only)."""
        if self.home is None:
            raise ValueError(f"claim {self.key} is loaded for matching only: nothing may be journaled")
        return self.home.journal(self)

    @property
    def kind(self) -> str:
        """The reference kind the claim's letters print (``ogm`` or ``rf``: jurisdiction data)."""
        return self.rules.meta.payment_reference

    @property
    def least_due(self) -> Decimal:
        """A floor of what the claim owes on any day: the principal less every payment known (interest,
        compensation and costs only add to it), so a payment up to it is never an overpayment."""
        if self._added is None:
            return self.facts.principal - self.facts.paid
        return self.facts.principal - self.facts.paid - sum((p.amount for p in self._added.values()), Decimal(0))

    def statement(self, day: date) -> Statement:
        """What is owed on ``day``, with the payments this import added."""
        claim = self.claim
        if self.added:
            added = [a.payment() for a in self.added.values()]
            payments = sorted([*claim.payments, *added], key=lambda p: p.date)
            claim = claim.model_copy(update={"payments": payments})
        return compute_statement(claim, self.rules, day)


def account(
    key: str, label: str, claim: Claim, rules: Jurisdiction, home: Home | None = None, row: object | None = None,
    journal: Journal | None = None,
) -> Account:
    """The account of ``claim`` (already completed from its journal by ``output.history.with_journal``), with the
    payment entries of its journal and the time of its first document (who keeps a reference two claims share).
    With a ``home`` only the claim's ``Facts`` are kept (and its ``row``, if it is one). ``journal``: the claim's,
    when the caller has it already (else the home's)."""
    found = Account(key, label, facts_of(claim), rules, home, row, None if home else claim)
    journal = journal or found.journal
    if journal is None or not journal.path.exists():
        return found
    for record in read(journal).records:
        data = record.data
        if record.event == "payment-imported" and isinstance(data.get("key"), str):
            if data["key"] not in found.imported:  # not the whole entry
                n, iban = data.get("n"), data.get("counterparty_iban")
                found.note_imported(data["key"], Imported(n if isinstance(n, int) else None,
                                                          iban if isinstance(iban, str) else None))
        elif record.event == "payment-reversed" and isinstance(data.get("key"), str):
            found.note_reversed(data["key"])
        elif record.event == "document-rendered" and found.first_document is None and not record.legacy:
            found.first_document = str(data.get("at"))
    return found
