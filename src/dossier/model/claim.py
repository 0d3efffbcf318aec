"""A debt claim as it stands in ``claim.yaml``: parties, terms, invoices, payments, history, pieces.

The model checks form and internal consistency (an invoice due before it was
issued, a payment naming an unknown invoice, an IBAN with a bad checksum). What
the law makes of the claim is the engine's business, not the model's.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from functools import lru_cache
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, PrivateAttr, field_validator, model_validator
from stdnum import bic as stdnum_bic
from stdnum import iban as stdnum_iban
from stdnum.be import ogm_vcs
from stdnum.be import vat as be_vat
from stdnum.exceptions import InvalidComponent
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.fr import siren as fr_siren
from stdnum.fr import siret as fr_siret
from stdnum.util import get_cc_module

from dossier.model import limits
from dossier.model.fields import Amount, Date, Days, Rate, text
from dossier.model.references import parse_reference

JurisdictionCode = Literal["BE", "FR", "NL", "GB-EAW"]
Language = Literal["fr", "nl", "en"]
PartyType = Literal["business", "consumer", "public_body"]
Channel = Literal["post", "registered", "email"]
#: a natural person's title: Mr, Mrs, Ms, Mx (gender-neutral), Dr
Honorific = Literal["mr", "mrs", "ms", "mx", "dr"]
HistoryType = Literal[
    "reminder",
    "formal_notice",
    "payment_plan",
    "settlement_offer",
    "deadline_extension",
    "letter_received",
    "email_received",
    "phone_call",
    "other",
]
#: what ``dossier record`` records of what happens outside dossier (a journal ``debtor-event``)
DebtorEventType = Literal[
    "dispute", "dispute-resolved", "promise", "call", "letter-received", "returned-mail", "address-changed"
]
#: history types that are letters the creditor sent (an offer or an extension too: the debtor received it)
SENT_TYPES = ("reminder", "formal_notice", "payment_plan", "settlement_offer", "deadline_extension")


# text fields, each bounded (see dossier.model.limits for why each bound is where it is)
Reference = text(limits.MAX_REFERENCE)
Name = text(limits.MAX_NAME)
Line = text(limits.MAX_LINE)
PostalCode = text(limits.MAX_POSTAL_CODE)
Code = text(limits.MAX_CODE)
Email = text(limits.MAX_EMAIL)
PaymentReference = text(limits.MAX_PAYMENT_REFERENCE)
Description = text(limits.MAX_DESCRIPTION, lines=True)
Summary = text(limits.MAX_SUMMARY, lines=True)
FilePath = text(limits.MAX_PATH)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Address(_Strict):
    street: Line = Field(min_length=1)
    line2: Line | None = None
    postal_code: PostalCode = Field(min_length=1)
    city: Line = Field(min_length=1)
    country: str = Field(pattern=r"^[A-Z]{2}$", description="ISO 3166-1 alpha-2 country code")


class Party(_Strict):
    name: Name = Field(min_length=1)
    type: PartyType
    address: Address
    company_number: Code | None = None
    vat_number: Code | None = None
    iban: Code | None = None
    ibans: list[Annotated[Code, AfterValidator(lambda v: _valid_iban(v))]] = Field(
        default_factory=list,
        max_length=limits.MAX_IBANS,
        description="other accounts the party is known to pay from (payment matching reads them)",
    )
    bic: Code | None = None
    email: Email | None = Field(default=None, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
    phone: Code | None = None
    vat_recoverable: bool = Field(
        default=True,
        description="Whether the party can reclaim VAT (NL: collection costs are raised by VAT otherwise)",
    )
    honorific: Honorific | None = Field(
        default=None,
        description="A natural person's title for the salutation (mx: gender-neutral); none: a neutral salutation",
    )
    family_name: Name | None = Field(
        default=None,
        description="The surname the salutation uses (default: the name without its first word)",
    )

    @field_validator("iban")
    @classmethod
    def _iban(cls, value: str | None) -> str | None:
        return None if value is None else _valid_iban(value)

    @property
    def known_ibans(self) -> list[str]:
        """``iban`` and ``ibans``, once each."""
        return list(dict.fromkeys([*([self.iban] if self.iban else []), *self.ibans]))

    @property
    def warnings(self) -> list[str]:
        """What looks wrong but may be right: an IBAN whose bank code python-stdnum does not know."""
        return [
            f"iban: {iban}: bank code {iban[4:7]} is not in python-stdnum's bank registry "
            "(the check digits are right; check the IBAN with the creditor's bank statement)"
            for iban in self.known_ibans
            if unknown_bank_code(iban)
        ]


    @field_validator("bic")
    @classmethod
    def _bic(cls, value: str | None) -> str | None:
        if value is None:
            return None
        try:
            return stdnum_bic.validate(value)
        except StdnumError as exc:
            raise ValueError(f"{value} is not a valid BIC ({exc})") from None

    @model_validator(mode="after")
    def _person(self) -> Party:
        if (self.honorific or self.family_name) and self.type != "consumer":
            raise ValueError("honorific and family_name are for natural persons (type: consumer)")
        return self

    @property
    def salutation_name(self) -> str | None:
        """The surname a salutation uses ("Lambert" of "Claire Lambert"), None when there is none to use."""
        if self.honorific is None:
            return None
        if self.family_name:
            return self.family_name
        return self.name.partition(" ")[2].strip() or None

    @model_validator(mode="after")
    def _company_number(self) -> Party:
        number = self.company_number
        if number is None:
            return self
        country = self.address.country
        try:
            if country == "BE":
                be_vat.validate(number)
            elif country == "FR" and not (fr_siren.is_valid(number) or fr_siret.is_valid(number)):
                raise StdnumError("not a valid SIREN or SIRET number")
        except StdnumError as exc:
            raise ValueError(f"company_number: {number} is not a valid {country} company number ({exc})") from None
        return self


@lru_cache(maxsize=4096)
def _valid_iban(value: str) -> str:
    """The IBAN compacted, once its check digits (and bank code, where known) are right; cached, as a portfolio
    repeats the creditor's IBAN on every claim and the bank-registry look-up is the slow part of loading one."""
    try:
        return stdnum_iban.validate(value)
    except StdnumError as exc:
        if unknown_bank_code(value):
            return stdnum_iban.compact(value)  # a warning (``Claim.warnings``), not an error
        raise ValueError(f"{value} is not a valid IBAN ({exc})") from None


def unknown_bank_code(iban: str) -> bool:
    """Whether ``iban`` passes every check (mod 97, format, national check digits) except the look-up of its bank
    code in python-stdnum's registry. The registry lags behind the banks (BE68 5390 0754 7034, the common example,
    is missing), so that alone is a warning; a wrong check digit stays an error."""
    try:
        number = stdnum_iban.validate(iban, check_country=False)
    except StdnumError:
        return False
    module = get_cc_module(number[:2].lower(), "iban")
    if module is None or not hasattr(module, "info"):
        return False
    try:
        module.validate(number)
    except InvalidComponent:
        return not module.info(number)
    except StdnumError:
        return False
    return False


class Representative(_Strict):
    name: Name = Field(min_length=1)
    role: Literal["lawyer", "collection_agency", "bailiff"]
    address: Address
    registration: Line | None = Field(
        default=None, description="Registration number where the law requires one (e.g. BE collection agencies)"
    )
    email: Email | None = Field(default=None, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
    phone: Code | None = None
    reference: Reference | None = None
    signatory: Name | None = Field(default=None, description="The person who signs the letters (e.g. the lawyer)")


class Penalty(_Strict):
    """A contractual penalty clause (clause pénale / boetebeding)."""

    rate: Rate | None = Field(default=None, description="fraction of the amount due, e.g. 0.10")
    minimum: Amount | None = None
    maximum: Amount | None = None
    statutory_scale: bool = Field(
        default=False, description="the clause grants the lump sum the law allows (e.g. BE Book XIX scale)"
    )

    @model_validator(mode="after")
    def _one_kind(self) -> Penalty:
        if self.statutory_scale and (self.rate or self.minimum or self.maximum):
            raise ValueError("a penalty is either statutory_scale or rate/minimum/maximum, not both")
        if not self.statutory_scale and self.rate is None and self.minimum is None:
            raise ValueError("a penalty needs a rate, a minimum, or statutory_scale: true")
        return self


class Terms(_Strict):
    payment_days: Days | None = Field(default=None, ge=0, le=365)
    interest_rate: Rate | None = Field(default=None, description="contractual yearly rate as a fraction")
    penalty: Penalty | None = None
    contract_date: Date | None = None


class Invoice(_Strict):
    number: Reference = Field(min_length=1)
    date: Date
    due_date: Date
    amount: Amount
    description: Description | None = None
    payment_reference: PaymentReference | None = Field(
        default=None,
        description="the structured reference printed on the invoice (OGM, RF or Dutch betalingskenmerk): debtors "
        "often pay with it",
    )

    @field_validator("payment_reference")
    @classmethod
    def _reference(cls, value: str | None) -> str | None:
        return _structured_reference(value)

    @model_validator(mode="after")
    def _due_after_issue(self) -> Invoice:
        if self.due_date < self.date:
            raise ValueError(f"due_date {self.due_date} is before the invoice date {self.date}")
        return self


def _structured_reference(value: str | None) -> str | None:
    """A structured reference (OGM, RF, betalingskenmerk), kept as written once its check digits are right."""
    if value is not None:
        parse_reference(value)
    return value


class Payment(_Strict):
    date: Date
    amount: Amount
    reference: PaymentReference | None = None
    invoice: Reference | None = Field(default=None, description="number of the invoice the debtor designated")

    @field_validator("reference")
    @classmethod
    def _structured(cls, value: str | None) -> str | None:
        if value and value.startswith("+++"):
            try:
                ogm_vcs.validate(value)
            except StdnumError as exc:
                raise ValueError(f"{value} is not a valid structured communication ({exc})") from None
        return value


class HistoryItem(_Strict):
    date: Date
    type: HistoryType
    channel: Channel | Literal["phone", "hand"] | None = None
    file: FilePath | None = None
    summary: Summary | None = None


class DebtorEvent(_Strict):
    """Something that happened outside dossier (``dossier record``): a dispute and its resolution, a promise to
    pay (``amount`` by ``until``), a call, a letter received, returned mail, an address change. Read from the
    claim's journal; the ladder pauses on an open dispute, a promise not yet due and returned mail."""

    date: Date
    type: DebtorEventType
    until: Date | None = Field(default=None, description="a promise: the day the debtor promised to pay by")
    amount: Amount | None = Field(default=None, description="a promise: the amount promised")
    note: Summary | None = None
    file: FilePath | None = Field(default=None, description="the archived copy (out/...), from the claim folder")

    @model_validator(mode="after")
    def _promise(self) -> DebtorEvent:
        if self.type == "promise" and self.until is None:
            raise ValueError("a promise needs the day it runs until (until)")
        if self.type != "promise" and (self.until is not None or self.amount is not None):
            raise ValueError("only a promise has a date it runs until (until) and an amount")
        if self.until is not None and self.until < self.date:
            raise ValueError(f"until ({self.until}) is before the promise was made ({self.date})")
        return self


class PlanInstalment(_Strict):
    due_date: Date
    amount: Amount


class AgreedPlan(_Strict):
    """A payment plan the debtor accepted: it lapses when an instalment is not paid by its date plus the grace."""

    agreed: Date = Field(description="the day the plan was agreed; payments from this day count towards it")
    grace_days: Days = Field(default=0, ge=0, le=90, description="days after an instalment's date before it is late")
    instalments: list[PlanInstalment] = Field(min_length=1, max_length=limits.MAX_INSTALMENTS)

    @model_validator(mode="after")
    def _ordered(self) -> AgreedPlan:
        days = [i.due_date for i in self.instalments]
        if days != sorted(days) or len(set(days)) != len(days):
            raise ValueError("instalments must have distinct dates in order")
        if days[0] < self.agreed:
            raise ValueError(f"the first instalment ({days[0]}) is before the plan was agreed ({self.agreed})")
        return self


class Piece(_Strict):
    file: FilePath = Field(min_length=1)
    title: Line = Field(min_length=1)
    date: Date | None = None


class Offer(_Strict):
    """A letter that gave the debtor something (issue 15): a settlement offer (pay ``amount`` by ``until`` and the
    rest is written off) or a deadline extension (more time, until ``until``). Read from the journal's SENT
    letters; listed here too when agreed outside dossier."""

    date: Date = Field(description="the day the letter went out")
    kind: Literal["settlement", "extension"]
    until: Date = Field(description="the last day of the offer or of the extended period")
    amount: Amount | None = Field(default=None, description="a settlement: the reduced amount that settles the claim")

    @model_validator(mode="after")
    def _coherent(self) -> Offer:
        if self.until < self.date:
            raise ValueError(f"until ({self.until}) is before the letter ({self.date})")
        if (self.kind == "settlement") != (self.amount is not None):
            raise ValueError("a settlement offer has an amount; an extension has none")
        return self


class Claim(_Strict):
    reference: Reference = Field(min_length=1)
    jurisdiction: JurisdictionCode
    language: Language
    currency: str = Field(pattern=r"^[A-Z]{3}$")
    creditor: Party
    representative: Representative | None = None
    debtor: Party
    terms: Terms = Field(default_factory=Terms)
    invoices: list[Invoice] = Field(min_length=1, max_length=limits.MAX_INVOICES)
    payments: list[Payment] = Field(default_factory=list, max_length=limits.MAX_PAYMENTS)
    history: list[HistoryItem] = Field(default_factory=list, max_length=limits.MAX_HISTORY)
    pieces: list[Piece] = Field(default_factory=list, max_length=limits.MAX_PIECES)
    events: list[DebtorEvent] = Field(
        default_factory=list,
        max_length=limits.MAX_HISTORY,
        description="what happened outside dossier (dossier record writes them to the journal; listed here too)",
    )
    payment_plan: AgreedPlan | None = Field(
        default=None, description="the plan in force, when one was agreed outside dossier (else the journal's)"
    )
    offers: list[Offer] = Field(
        default_factory=list,
        max_length=limits.MAX_HISTORY,
        description="settlement offers and deadline extensions sent (the journal's, or agreed outside dossier)",
    )
    payment_reference: PaymentReference | None = Field(
        default=None,
        description="the structured reference letters print (OGM or RF); else the one dossier assigned "
        "(journal reference-assigned), else one derived from the claim reference",
    )

    @field_validator("payment_reference")
    @classmethod
    def _reference(cls, value: str | None) -> str | None:
        return _structured_reference(value)
    #: warnings about the records read with the claim (a journal line cut by a crash), not about its fields
    _notes: tuple[str, ...] = PrivateAttr(default=())

    def add_warnings(self, warnings: list[str]) -> None:
        """Keep ``warnings`` about what was read with the claim (``warnings`` lists them after its own)."""
        self._notes = (*self._notes, *warnings)

    def sent_history(self, kind: str, *, not_before: date | None = None) -> list[HistoryItem]:
        """Letters of ``kind`` the creditor sent, oldest first."""
        items = [h for h in self.history if h.type == kind and (not_before is None or h.date >= not_before)]
        return sorted(items, key=lambda h: h.date)

    @property
    def warnings(self) -> list[str]:
        """Things to check that do not make the claim invalid, each starting with its field path."""
        return [
            f"{role}.{warning}"
            for role, party in (("creditor", self.creditor), ("debtor", self.debtor))
            for warning in party.warnings
        ] + list(self._notes)

    @property
    def principal(self) -> Decimal:
        return sum((i.amount for i in self.invoices), Decimal("0.00"))
