"""The shape of jurisdiction data files, validated strictly.

Unknown keys, floats, missing sources and malformed dates are errors: a typo
in legal data must stop the program, not change a letter.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any, Literal, get_args

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, model_validator

from dossier.money import cents

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _date(value: Any) -> date:
    if isinstance(value, str) and _ISO_DATE.match(value):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise ValueError(f"{value!r} is not a valid date (expected YYYY-MM-DD)")


def _decimal_text(value: Any) -> Decimal:
    if not isinstance(value, str):
        raise ValueError(f'{value!r} must be a decimal written as a string, e.g. "10.5"')
    try:
        number = Decimal(value)
    except InvalidOperation:
        raise ValueError(f"{value!r} is not a decimal number") from None
    if not number.is_finite() or number < 0:
        raise ValueError(f"{value!r} must be a finite, non-negative number")
    return number


DataDate = Annotated[date, BeforeValidator(_date)]
DataDecimal = Annotated[Decimal, BeforeValidator(_decimal_text)]
ParameterId = Annotated[str, Field(pattern=r"^[a-z0-9_]+(/[a-z0-9_]+)*$")]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Source(_Strict):
    """Where a value comes from: statute and article, official publication, or the page it was read on."""

    title: str = Field(min_length=3)
    href: str | None = Field(default=None, pattern=r"^https?://")
    archived: str | None = Field(default=None, pattern=r"^https?://")
    published: DataDate | None = None


Sources = Annotated[list[Source], Field(min_length=1)]


# --- value kinds, one per unit ------------------------------------------------------------------


def _percent(value: Decimal) -> Decimal:
    if value >= 100:
        raise ValueError(f"{value} is not a yearly percentage")
    return value


Percent = Annotated[DataDecimal, AfterValidator(_percent)]


class Bracket(_Strict):
    """From ``from_`` (inclusive): ``amount`` plus ``rate`` times the part above ``over``."""

    from_: DataDecimal = Field(alias="from")
    amount: DataDecimal = Decimal("0")
    rate: DataDecimal | None = None
    over: DataDecimal | None = None

    @model_validator(mode="after")
    def _rate_needs_over(self) -> Bracket:
        if (self.rate is None) != (self.over is None):
            raise ValueError("a bracket with a rate needs 'over' (the amount the rate applies above), and vice versa")
        return self


class Scale(_Strict):
    """A bracket scale: Book XIX damages, the Dutch WIK costs, the UK fixed sums."""

    brackets: list[Bracket] = Field(min_length=1)
    minimum: DataDecimal | None = None
    maximum: DataDecimal | None = None

    @model_validator(mode="after")
    def _ordered(self) -> Scale:
        starts = [b.from_ for b in self.brackets]
        if starts != sorted(starts) or len(set(starts)) != len(starts) or starts[0] != 0:
            raise ValueError("brackets must start at 0 and be in increasing order of 'from'")
        return self

    def apply(self, base: Decimal) -> Decimal:
        """The scale's amount for ``base``, rounded half-up to the cent, within minimum and maximum."""
        if base <= 0:
            return Decimal("0.00")
        bracket = [b for b in self.brackets if b.from_ <= base][-1]
        amount = bracket.amount
        if bracket.rate is not None and bracket.over is not None:
            amount += bracket.rate * (base - bracket.over)
        if self.minimum is not None:
            amount = max(amount, self.minimum)
        if self.maximum is not None:
            amount = min(amount, self.maximum)
        return cents(amount)


class Notice(_Strict):
    """A letter in the claim's history that a rule waits for, and the period it opens."""

    history: Literal["reminder", "formal_notice"]
    deadline: ParameterId | None = None


class InterestRule(_Strict):
    rate: ParameterId | None = Field(description="statutory rate parameter; null: none without a contract")
    rate_by_creditor: dict[Literal["business", "consumer", "public_body"], ParameterId] = Field(
        default_factory=dict,
        description="the statutory rate for a creditor of this type instead of 'rate' (FR, CMF L313-2: a creditor "
        "who is a natural person not acting for professional purposes has its own legal rate)",
    )
    starts: Literal["day_after_due_date", "day_after_notice_period", "day_after_notice"]
    notice: Notice | None = None
    rate_fixed_at_start: bool = False
    day_count: Literal["actual/365", "actual/actual"] = "actual/365"
    compounding: Literal["none", "yearly"] = "none"
    contract_rate: Literal["replaces", "capped", "ignored"] = "replaces"
    cap: ParameterId | None = None
    cap_excess: Literal["void", "reduce"] | None = None
    void_fallback: ParameterId | None = None

    @model_validator(mode="after")
    def _coherent(self) -> InterestRule:
        if self.starts != "day_after_due_date" and self.notice is None:
            raise ValueError(f"starts: {self.starts} needs a notice")
        if self.starts == "day_after_notice_period" and (self.notice is None or self.notice.deadline is None):
            raise ValueError("starts: day_after_notice_period needs notice.deadline")
        if self.contract_rate == "capped" and (self.cap is None or self.cap_excess is None):
            raise ValueError("contract_rate: capped needs cap and cap_excess")
        if self.cap_excess == "void" and self.void_fallback is None:
            raise ValueError("cap_excess: void needs void_fallback (the rate due when the clause is void)")
        return self


class CompensationRule(_Strict):
    method: Literal["none", "per_invoice", "on_claim_after_notice", "contract_clause"]
    scale: ParameterId | None = None
    notice: Notice | None = None
    requires_clause: bool = False
    clause_excess: Literal["void", "reduce"] | None = None
    base_at: Literal["notice", "period_end"] = Field(
        default="period_end", description="when the principal the scale applies to is measured"
    )
    vat_uplift: ParameterId | None = None

    @model_validator(mode="after")
    def _coherent(self) -> CompensationRule:
        if self.method in {"per_invoice", "on_claim_after_notice"} and self.scale is None:
            raise ValueError(f"method: {self.method} needs a scale")
        if self.method == "on_claim_after_notice" and (self.notice is None or self.notice.deadline is None):
            raise ValueError("method: on_claim_after_notice needs notice.deadline")
        if self.method == "contract_clause" and self.notice is None:
            raise ValueError("method: contract_clause needs the notice after which the clause applies")
        if self.requires_clause and self.clause_excess is None:
            raise ValueError("requires_clause needs clause_excess (void or reduce)")
        return self


class Regime(_Strict):
    """How interest and compensation work for one kind of debtor, as the law stood at a date."""

    summary: str = Field(min_length=3)
    interest: InterestRule
    compensation: CompensationRule


Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
DayUnitName = Annotated[str, Field(pattern=r"^[a-z_]+$")]


class Step(_Strict):
    add: int = Field(ge=0, le=60)
    unit: DayUnitName


class DeadlineRule(_Strict):
    """A period a letter gives: its first day per channel, its length, and what happens on a non-working day."""

    first_day: dict[Literal["post", "registered", "email"], list[Step]]
    length: int = Field(ge=1, le=365, description="days; the first day counts as day 1")
    roll_forward: bool = True

    @model_validator(mode="after")
    def _all_channels(self) -> DeadlineRule:
        missing = {"post", "registered", "email"} - set(self.first_day)
        if missing:
            raise ValueError(f"first_day lacks channel(s): {', '.join(sorted(missing))}")
        return self


class Imputation(_Strict):
    """How a payment is applied: the order of parts within a debt, and which debt first."""

    order: list[Literal["costs", "interest", "principal"]] = Field(min_length=3, max_length=3)
    debts: Literal["designated_then_oldest"]
    designation: Literal["debt", "principal_first"] = Field(
        description="what a payment naming an invoice pays: that whole debt, its parts in `order` (debt), or its "
        "principal before its costs and interest (principal_first)"
    )

    @model_validator(mode="after")
    def _each_once(self) -> Imputation:
        if len(set(self.order)) != 3:
            raise ValueError("order must name costs, interest and principal once each")
        return self


DocumentKind = Literal[
    "reminder", "formal-notice", "payment-plan", "statement", "settlement-offer", "deadline-extension"
]
Language = Literal["fr", "nl", "en"]


class LadderStep(_Strict):
    """One rung of the collection ladder: a letter to send, or a decision the creditor must take."""

    name: Annotated[str, Field(pattern=r"^[a-z][a-z0-9-]*$")]
    document: Literal["reminder", "formal-notice"] | None = Field(
        description="the letter this step sends; null: a decision for the creditor (court proceedings)"
    )
    level: int | None = Field(default=None, ge=1, le=3, description="reminder level (1 = first reminder)")
    min_days: int = Field(
        default=0,
        ge=0,
        le=365,
        description="calendar days to wait after the previous letter was sent (first step: after the due date), "
        "on top of the period that letter gave",
    )
    label: dict[Language, Annotated[str, Field(min_length=3)]]

    @model_validator(mode="after")
    def _level(self) -> LadderStep:
        if (self.document == "reminder") != (self.level is not None):
            raise ValueError("a reminder step needs a level, and only a reminder step has one")
        missing = {"fr", "nl", "en"} - set(self.label)
        if missing:
            raise ValueError(f"label lacks {', '.join(sorted(missing))} (reports exist in every language)")
        return self


class Ladder(_Strict):
    """The order of collection steps for a debtor type, and where a lapsed payment plan resumes it."""

    steps: list[LadderStep] = Field(min_length=2)
    plan_lapse: str = Field(description="the step (by name) a lapsed payment plan leads to, at the earliest")
    promise_grace_days: int = Field(
        ge=0,
        le=90,
        description="calendar days after the day a debtor promised to pay by before the ladder resumes, for a "
        "payment made that day to arrive (dossier record --event promise); the creditor's practice",
    )

    @model_validator(mode="after")
    def _coherent(self) -> Ladder:
        names = [s.name for s in self.steps]
        if len(set(names)) != len(names):
            raise ValueError("step names must be unique")
        if self.plan_lapse not in names:
            raise ValueError(f"plan_lapse names unknown step {self.plan_lapse!r} (known: {', '.join(names)})")
        levels = [s.level for s in self.steps if s.level is not None]
        if levels != list(range(1, len(levels) + 1)):
            raise ValueError("reminder steps must have levels 1, 2, ... in order")
        kinds = [s.document for s in self.steps]
        if kinds.count("formal-notice") > 1:
            raise ValueError("at most one formal-notice step")
        if "formal-notice" in kinds and any(k == "reminder" for k in kinds[kinds.index("formal-notice") :]):
            raise ValueError("reminders come before the formal notice")
        if self.steps[-1].document is not None:
            raise ValueError("the last step is the creditor's decision (document: null)")
        return self


SenderRole = Literal["creditor", "lawyer", "collection_agency", "bailiff"]
DebtorType = Literal["business", "consumer", "public_body"]


class Applies(_Strict):
    """Which letters a mention must appear in."""

    documents: list[DocumentKind] = Field(min_length=1)
    debtor: list[DebtorType] = Field(min_length=1)
    sender: list[SenderRole] = Field(min_length=1)
    levels: list[int] | None = Field(default=None, description="reminder levels (1 = first reminder); null: all")
    costs: Literal["announced", "due"] | None = Field(
        default=None,
        description="the state of the costs a notice opens (NL art. 6:96 lid 6 BW, Book XIX): 'announced' only while "
        "they are not yet due (the letter threatens them), 'due' only once they are (the letter states them); null: "
        "either",
    )


class Mention(_Strict):
    """Wording the law requires (or the jurisdiction's consequences), per language, with Jinja placeholders."""

    applies: Applies
    emphasis: bool = Field(default=False, description="the law requires it to stand out (bold, separate paragraph)")
    placement: Literal["body", "annex"] = Field(default="body", description="annex: an enclosure on its own page")
    title: dict[Literal["fr", "nl", "en"], str] | None = Field(default=None, description="heading of an annex")
    text: dict[Literal["fr", "nl", "en"], Annotated[str, Field(min_length=10)]]


Channel = Literal["post", "registered", "email"]
#: the letters a jurisdiction says how to send (a settlement offer has its place once it exists)
SentKind = Literal["reminder", "formal-notice", "payment-plan", "settlement-offer"]


class Sending(_Strict):
    """How a letter of one kind is sent in a jurisdiction: the channel that is customary (or required), the
    channels allowed (is e-mail allowed for it?), and how each channel is named on the letter, per language.
    Whether this is law or custom is said by the file's sources and note."""

    customary: Channel
    allowed: list[Channel] = Field(min_length=1)
    wording: dict[Channel, dict[Language, Annotated[str, Field(min_length=3)]]] = Field(
        description="channel -> language -> the words printed on the letter (e.g. 'Par lettre recommandée avec "
        "demande d'avis de réception')"
    )

    @model_validator(mode="after")
    def _coherent(self) -> Sending:
        if len(set(self.allowed)) != len(self.allowed):
            raise ValueError("allowed names a channel twice")
        if self.customary not in self.allowed:
            raise ValueError(f"the customary channel {self.customary!r} is not among the allowed ones")
        missing = {"post", "registered", "email"} - set(self.wording)
        if missing:
            raise ValueError(f"wording lacks channel(s): {', '.join(sorted(missing))} (a letter may be sent on any)")
        return self

#: the wording variants templates know (``letter.NAME``); a jurisdiction turns on those its law or custom wants
VariantName = Literal["pap", "letter_before_action", "fourteen_day_letter", "reservation_of_rights", "late_penalties"]
VARIANTS: tuple[str, ...] = get_args(VariantName)


class LetterVariant(_Strict):
    """A named way of writing a letter that the law or the country's custom makes this jurisdiction's: the
    templates' wording chooses by name (``letter.pap``), the data says when it applies and why."""

    name: VariantName
    applies: Applies
    summary: str = Field(min_length=3)
    sources: Sources


class LetterSpec(_Strict):
    """How this jurisdiction's letters are laid out and worded, as data (not branches in code or templates)."""

    window: Literal["left", "right"] = Field(description="the side of the envelope's address window")
    window_sources: Sources
    variants: list[LetterVariant] = Field(default_factory=list)

    @model_validator(mode="after")
    def _unique(self) -> LetterSpec:
        names = [v.name for v in self.variants]
        if len(set(names)) != len(names):
            raise ValueError("variant names must be unique")
        return self

    def chosen(self, document: str, debtor: str, sender: str, level: int | None) -> dict[str, bool]:
        """Every known variant's name, true where this jurisdiction's variant applies to this letter (templates
        test ``letter.NAME``; a variant the jurisdiction does not have is false)."""
        chosen = dict.fromkeys(VARIANTS, False)
        chosen.update({v.name: applies_to(v.applies, document, debtor, sender, level) for v in self.variants})
        return chosen


def applies_to(
    applies: Applies, document: str, debtor: str, sender: str, level: int | None, costs: str | None = None
) -> bool:
    """Whether a letter (kind, debtor type, sender role, reminder level, and whether its collection costs are
    ``announced`` or ``due``) is one ``applies`` names."""
    return (
        document in applies.documents
        and debtor in applies.debtor
        and sender in applies.sender
        and (applies.levels is None or level is None or level in applies.levels)
        and (applies.costs is None or costs is None or applies.costs == costs)
    )


VALUE_KINDS: dict[str, Any] = {
    "text": Mention,
    "percent_per_year": Percent,
    "percent": Percent,
    "amount": DataDecimal,
    "scale": Scale,
    "regime": Regime,
    "deadline": DeadlineRule,
    "imputation": Imputation,
    "ladder": Ladder,
    "sending": Sending,
}
Unit = Literal[
    "text", "percent_per_year", "percent", "amount", "scale", "regime", "deadline", "imputation", "ladder", "sending"
]


#: units whose values are figures a document states, so its legal-basis annex must be able to cite them
CITED_UNITS = frozenset({"percent_per_year", "percent", "amount", "scale"})
_WEB = re.compile(r"https?://|www\.|\b[\w-]+\.(?:nl|be|fr|eu|uk|com|org|net|int)\b", re.IGNORECASE)
_DOUBT = re.compile(r"\b(?:assumed|unconfirmed|not found|no decree|not seen|verify)\b", re.IGNORECASE)


def _citation_text(value: str) -> str:
    if _WEB.search(value):
        raise ValueError(f"{value!r}: a citation names a statute, decree or official publication, not a web site")
    if _DOUBT.search(value):
        raise ValueError(
            f"{value!r}: a citation states the source, never a doubt about it (say that in 'note' and 'status')"
        )
    return value


CitationText = Annotated[str, Field(min_length=5, max_length=300), AfterValidator(_citation_text)]
Citation = dict[Language, Annotated[list[CitationText], Field(min_length=1)]]


class ValueEntry(_Strict):
    from_: DataDate = Field(alias="from")
    until: DataDate | None
    value: Any
    status: Literal["official", "secondary", "derived", "unconfirmed"] = Field(
        description="official: read in the official text; secondary: reported by reliable secondary sources; "
        "derived: computed from the legal formula and sourced inputs; unconfirmed: assumed, to be checked"
    )
    sources: Sources
    citation: Citation | None = Field(
        default=None,
        description="per language, the primary sources of this value a document cites (the decree or official "
        "publication), after the parameter's own citation",
    )
    note: str | None = None

    @model_validator(mode="after")
    def _ordered(self) -> ValueEntry:
        if self.until is not None and self.until < self.from_:
            raise ValueError(f"until {self.until} is before from {self.from_}")
        return self


class ParameterFile(_Strict):
    description: str = Field(min_length=3)
    unit: Unit
    currency: str | None = Field(default=None, pattern=r"^[A-Z]{3}$")
    cadence: Literal["semiannual", "annual", "irregular"]
    checked_on: DataDate
    legal_basis: Sources
    citation: Citation | None = Field(
        default=None,
        description="per language, the primary sources (statute and article, decree, official publication) a "
        "document's legal-basis annex prints for this parameter: required for figures (rates, scales, amounts)",
    )
    values: list[ValueEntry] = Field(min_length=1)

    @model_validator(mode="after")
    def _currency(self) -> ParameterFile:
        if self.unit in {"amount", "scale"} and self.currency is None:
            raise ValueError(f"unit {self.unit} needs a currency")
        return self


class HolidaySpec(_Strict):
    country: str = Field(pattern=r"^[A-Z]{2}$")
    subdivision: str | None = None
    categories: list[str] = Field(default_factory=lambda: ["public"])
    exclude: list[str] = Field(default_factory=list, description="holiday names the law does not count")
    add: list[Annotated[str, Field(pattern=r"^\d{2}-\d{2}$")]] = Field(
        default_factory=list, description="fixed days (MM-DD) the law counts that the package lacks"
    )


class DayUnit(_Strict):
    skip_weekdays: list[Weekday] = Field(default_factory=list)
    skip_holidays: bool = False


class CalendarSpec(_Strict):
    holidays: HolidaySpec
    working_days: DayUnit
    day_units: dict[DayUnitName, DayUnit] = Field(default_factory=dict)
    sources: Sources


class JurisdictionFile(_Strict):
    code: str = Field(pattern=r"^[A-Z]{2}(-[A-Z]{3})?$")
    name: dict[Literal["en", "fr", "nl"], str]
    currency: str = Field(pattern=r"^[A-Z]{3}$")
    languages: list[Literal["fr", "nl", "en"]] = Field(min_length=1)
    locales: dict[Literal["fr", "nl", "en"], str]
    calendar: CalendarSpec
    regimes: dict[Literal["business", "consumer", "public_body"], ParameterId]
    imputation: ParameterId
    deadlines: dict[
        Literal["reminder", "reminder_followup", "formal_notice"],
        dict[Literal["business", "consumer", "public_body"], ParameterId],
    ] = Field(description="letter kind -> debtor type -> deadline parameter")
    ladders: dict[Literal["business", "consumer", "public_body"], ParameterId] = Field(
        description="debtor type -> collection ladder parameter"
    )
    sending: dict[SentKind, ParameterId] = Field(
        description="letter kind -> how it is sent (customary channel, channels allowed, wording)"
    )
    plan_default: dict[Literal["business", "consumer", "public_body"], ParameterId] = Field(
        default_factory=dict,
        description="debtor type -> the period a reminder of a missed payment-plan instalment must leave before "
        "the whole balance falls due, where the law forbids a plan to accelerate without one (a deadline "
        "parameter); a debtor type not named: the plan's own grace",
    )
    letter: LetterSpec = Field(description="layout and wording variants of the letters")
    payment_reference: Literal["ogm", "rf"] = Field(
        description="the structured reference letters print in the payment box and EPC QR code: the Belgian "
        "structured communication (ogm) or an ISO 11649 creditor reference (rf)"
    )

    @model_validator(mode="after")
    def _complete(self) -> JurisdictionFile:
        wanted = {"business", "consumer", "public_body"}
        tables = [("regimes", self.regimes), ("ladders", self.ladders)]
        tables += [(f"deadlines.{k}", v) for k, v in self.deadlines.items()]
        for name, table in tables:
            missing = wanted - set(table)
            if missing:
                raise ValueError(f"{name} lacks debtor type(s): {', '.join(sorted(missing))}")
        if set(self.deadlines) != {"reminder", "reminder_followup", "formal_notice"}:
            raise ValueError("deadlines needs reminder, reminder_followup and formal_notice")
        missing_kinds = {"reminder", "formal-notice", "payment-plan"} - set(self.sending)
        if missing_kinds:
            raise ValueError(f"sending lacks letter kind(s): {', '.join(sorted(missing_kinds))}")
        return self
