"""From the letter's facts to what the document shows: strings formatted for the claim's locale.

Templates receive this and compute nothing; the same context feeds the HTML (PDF) and the DOCX templates, so
both carry the same figures.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from functools import lru_cache
from typing import Any

from jinja2 import StrictUndefined, Template
from jinja2.sandbox import ImmutableSandboxedEnvironment
from stdnum.fr import siren as fr_siren
from stdnum.fr import siret as fr_siret

from dossier.context.carry import carried
from dossier.context.formatting import Formatter
from dossier.context.offer import offer_context, ran_out_context
from dossier.context.payment import epc_qr, letter_reference, qr_data_uri, qr_png
from dossier.context.typography import de, french_spacing, le
from dossier.context.words import amount_in_words, number_in_words, ordinal_in_words
from dossier.engine.letters import LetterFacts
from dossier.errors import RulesError
from dossier.model import Address, Claim, Party
from dossier.model.claim import HistoryItem
from dossier.model.references import shown_reference
from dossier.rules import DatedValue, DeadlineRule, Jurisdiction

# mention snippets from jurisdiction data are rendered as plain text in a sandbox: data never becomes code
_SNIPPETS = ImmutableSandboxedEnvironment(autoescape=False, undefined=StrictUndefined, keep_trailing_newline=False)
_SNIPPETS.filters.update({"de": de, "le": le})


@lru_cache(maxsize=512)
def _snippet(source: str) -> Template:
    """A mention's text compiled once per process (a batch renders the same few mentions thousands of times)."""
    return _SNIPPETS.from_string(source)


def locale_for(claim: Claim, rules: Jurisdiction) -> str:
    return rules.meta.locales.get(claim.language, "en_GB")


def build_context(
    facts: LetterFacts, claim: Claim, rules: Jurisdiction, formats: tuple[str, ...] = ("pdf", "docx")
) -> dict[str, Any]:
    """The document context of one letter (plain data: str, bool, list, dict); the QR code is drawn only in the
    forms ``formats`` need (SVG for PDF, PNG for DOCX)."""
    locale = locale_for(claim, rules)
    f = Formatter(locale, claim.currency)
    st = facts.statement
    sender_party = claim.representative or claim.creditor
    due = st.totals["due"]

    creditor = _party(claim.creditor)
    sender = _party(sender_party) | {
        "role": facts.sender_role,
        "registration": getattr(sender_party, "registration", None) or "",
        "our_reference": getattr(sender_party, "reference", None) or claim.reference,
        "signatory": getattr(sender_party, "signatory", None) or "",
    }
    deadline = None
    if facts.deadline is not None:
        d = facts.deadline
        deadline = {
            "date": f.date(d.last_day),
            "iso": d.last_day.isoformat(),
            "first_day": f.date(d.first_day),
            "days": d.rule.value.length,
            "trail": list(d.trail),
            "rule": d.rule.parameter,
        }

    kind, reference = letter_reference(claim, rules.meta.payment_reference)
    communication = shown_reference(kind, reference)
    iban = claim.creditor.iban
    to_pay, pay_by = facts.payable()  # a plan's first instalment, a settlement's amount: what the QR code carries
    payment: dict[str, Any] = {
        "iban": _iban(iban),
        "bic": claim.creditor.bic or "",
        "beneficiary": claim.creditor.name,
        "communication": communication,
        "amount": f.money(to_pay),
        "by": f.date(pay_by) if pay_by else "",
        "qr_image": "",
        "qr_png": b"",
        "structured": kind == "ogm",
        **_uk_account(iban),
    }
    if iban and claim.currency == "EUR" and to_pay > 0:
        rf = reference if kind == "rf" else None
        code = epc_qr(claim.creditor.name, iban, to_pay, communication, claim.creditor.bic, reference=rf)
        if code is not None and "pdf" in formats:
            payment["qr_image"] = qr_data_uri(code)
        if code is not None and "docx" in formats:
            payment["qr_png"] = qr_png(code)

    invoices = [
        {
            "number": line.number,
            "date": f.short_date(line.issued),
            "due_date": f.short_date(line.due_date),
            "description": line.description or "",
            "amount": f.money(line.amount),
            "interest": f.money(line.interest),
            "compensation": f.money(line.compensation),
            "paid": f.money(sum(line.paid.values(), Decimal(0))),
            "outstanding": f.money(line.outstanding["total"]),
            "rate_source": line.periods[-1].source if line.periods else "",
        }
        for line in st.invoices
    ]
    periods = [
        {
            "invoice": p.invoice,
            "from": f.short_date(p.first),
            "to": f.short_date(p.last),
            "days": str(p.days),
            "year_days": str(p.year_days),
            "rate": f.rate(p.percent),
            "base": f.money(p.base),
            "amount": f.money(p.amount),
            "rule": p.rule.parameter if p.rule else "contract",
        }
        for line in st.invoices
        for p in line.periods
    ]
    payments = [
        {
            "date": f.short_date(a.payment.date),
            "amount": f.money(a.payment.amount),
            "reference": a.payment.reference or "",
            "invoice": a.payment.invoice or "",
            "applied": [
                {
                    "debt": x.debt,
                    "notice": f.date(x.notice) if x.notice else "",
                    "part": x.part,
                    "amount": f.money(x.amount),
                }
                for x in a.applications
            ],
        }
        for a in st.payments
    ]
    compensation = [
        {
            "invoices": ", ".join(c.invoices),
            "amount": f.money(c.amount),
            "base": f.money(c.base),
            "due_from": f.short_date(c.due_from),
            "rule": c.rules[0].parameter if c.rules else "",
        }
        for c in st.compensation
    ]
    # earlier correspondence, in date order: the letters we sent (the claim's history and the journal's SENT
    # letters, never drafts) apart from the letters the debtor sent us; a phone call is not correspondence.
    # Each item is named in words by the template (type, date, channel), never by a file name.
    earlier = [h for h in sorted(claim.history, key=lambda h: h.date) if h.date <= facts.sent]
    history = [_history_item(h, f) for h in earlier if h.type not in RECEIVED_TYPES and h.type != "phone_call"]
    received = [_history_item(h, f) for h in earlier if h.type in RECEIVED_TYPES]
    unanswered = _unanswered(earlier, [a.payment.date for a in st.payments])

    # the legal basis: the primary sources of the rules used, in the letter's language, each once; never the
    # research sources or notes (an unconfirmed value is the user's warning, not a sentence to the debtor). The
    # regime's statutes come first, then those of the figures.
    used = sorted(st.rules, key=lambda r: rules.parameter(r.parameter.split(":", 1)[1]).unit != "regime")
    cited = dict.fromkeys(c for r in used for c in r.cited(claim.language))
    rules_cited = [{"title": _typeset(text, claim.language)} for text in cited]

    ctx: dict[str, Any] = {
        "doc": {
            "kind": facts.kind,
            "level": facts.level,
            "reference": claim.reference,
            "language": claim.language,
            "jurisdiction": claim.jurisdiction,
            "channel": facts.channel,
            "sending": _sending_words(facts, claim.language),
            "sent_iso": facts.sent.isoformat(),
        },
        "flags": {
            "consumer": claim.debtor.type == "consumer",
            "book_xix_first": facts.book_xix_first_reminder,
            "costs_due": facts.costs_due is not None,
            "represented": claim.representative is not None,
            # nothing came from the debtor since our last letter: a second reminder may then say so
            "unanswered": unanswered,
            "be": claim.jurisdiction == "BE",
            "window_left": rules.meta.letter.window == "left",
            # an invoice the table lists is settled (its balance is nil) while others are not: a letter may not
            # say that all of them "remain unpaid"
            "some_settled": any(line.outstanding["total"] <= 0 for line in st.invoices)
            and st.totals["due"] > 0,
        },
        # the jurisdiction's wording variants for this letter (jurisdiction.yaml ``letter.variants``), by name
        "letter": rules.meta.letter.chosen(facts.kind, claim.debtor.type, facts.sender_role, facts.level),
        # the variants of the formal notice that would follow (a last reminder announces it by its name)
        "next_notice": rules.meta.letter.chosen("formal-notice", claim.debtor.type, facts.sender_role, None),
        "sender": sender,
        "creditor": creditor,
        "debtor": _party(claim.debtor),
        "place": sender_party.address.city,
        "date": f.date(facts.sent),
        "invoices": invoices,
        "periods": periods,
        "payments": payments,
        "compensation": compensation,
        "history": history,
        "received": received,
        "totals": {k: f.money(v) for k, v in st.totals.items()},
        "outstanding": {k: f.money(v) for k, v in st.outstanding.items()},
        "due": f.money(due),
        "due_words": amount_in_words(due, claim.currency, locale),
        "daily_interest": f.money(st.daily_interest),
        "has_interest": st.totals["interest"] > 0,
        "has_compensation": st.totals["compensation"] > 0,
        "tomorrow": f.date(facts.sent + timedelta(days=1)),
        "deadline": deadline,
        "payment": payment,
        "plan": _plan(facts, f, claim, locale),
        "offer": offer_context(facts, f, claim, locale),
        "lapsed": ran_out_context(facts.lapsed, f),
        "expired": ran_out_context(facts.expired, f),
        "carry": carried(facts, f),
        # what the debt arises from (a Letter of Claim identifies the agreement: date, parties, what was supplied)
        "agreement": {
            "date": f.date(claim.terms.contract_date) if claim.terms.contract_date else "",
            "supplies": [i.description or i.number for i in claim.invoices],
            "invoices": [i.number for i in claim.invoices],
        },
        "rules": rules_cited,
        "rules_version": st.rules_version,
        "meta": {
            "title": "",
            "author": sender_party.name,
            "lang": locale.replace("_", "-"),
            "created": facts.sent.isoformat() + "T00:00:00Z",
        },
    }
    ctx["mentions"] = _mentions(facts, claim, ctx, f)
    return ctx


def _sending_words(facts: LetterFacts, language: str) -> str:
    """How the letter says it is sent ("Par lettre recommandée avec demande d'avis de réception"), from the
    jurisdiction's data; empty for a document that is not a letter (a statement)."""
    if facts.sending is None:
        return ""
    return str(facts.sending.value.wording.get(facts.channel, {}).get(language, ""))


#: history types that are correspondence the debtor sent us
RECEIVED_TYPES = ("letter_received", "email_received")


def _unanswered(earlier: list[HistoryItem], paid_on: list[date]) -> bool:
    """True when the debtor neither paid, wrote nor spoke to us after our last letter (before any letter: ever),
    so that a letter saying "we have received neither your payment nor any reply" never contradicts the file."""
    contact = (*RECEIVED_TYPES, "phone_call")
    sent = [h.date for h in earlier if h.type not in contact]
    since = max(sent) if sent else date.min
    heard = [h.date for h in earlier if h.type in contact] + list(paid_on)
    return not any(day > since for day in heard)


def _history_item(h: HistoryItem, f: Formatter) -> dict[str, Any]:
    return {"date": f.date(h.date), "iso": h.date.isoformat(), "type": h.type, "channel": h.channel or ""}


def _party(party: Party | Any) -> dict[str, Any]:
    return {
        "name": party.name,
        "lines": address_lines(party.address),
        "country": party.address.country,
        "honorific": getattr(party, "honorific", None) or "",
        "family_name": (party.salutation_name if isinstance(party, Party) else None) or "",
        "company_number": _company_number(getattr(party, "company_number", None), party.address.country),
        "vat_number": getattr(party, "vat_number", None) or "",
        "email": party.email or "",
        "phone": party.phone or "",
        "iban": _iban(getattr(party, "iban", None)),
        "bic": getattr(party, "bic", None) or "",
    }


def address_lines(address: Address) -> list[str]:
    """The lines of a postal address under the name, in the form of the address's country: a UK address ends
    with the post town in capitals and the postcode on its own line (Post Office, *Clear addressing*); the
    others put the postal code before the town."""
    street = [address.street, *([address.line2] if address.line2 else [])]
    if address.country == "GB":
        return [*street, address.city.upper(), address.postal_code.upper()]
    return [*street, f"{address.postal_code} {address.city}"]


def _company_number(number: str | None, country: str) -> str:
    """A company number as its register writes it: a French SIREN in groups of three (``812 345 676``)."""
    if not number:
        return ""
    if country == "FR" and fr_siren.is_valid(number):
        return fr_siren.format(number)
    if country == "FR" and fr_siret.is_valid(number):
        return fr_siret.format(number)
    return number


def _uk_account(iban: str | None) -> dict[str, str]:
    """Sort code and account number of a UK IBAN (GBkk BBBB SSSSSS AAAAAAAA): payers in the UK pay by them."""
    if not iban or not iban.startswith("GB") or len(iban) != 22:
        return {"sort_code": "", "account_number": ""}
    sort = iban[8:14]
    return {"sort_code": f"{sort[0:2]}-{sort[2:4]}-{sort[4:6]}", "account_number": iban[14:22]}


def _fill(source: str, values: dict[str, Any], language: str) -> str:
    """A snippet of the rules data with its placeholders filled, typeset for the letter's language."""
    return _typeset(_snippet(source).render(**values), language)


def _typeset(text: str, language: str) -> str:
    """Text from the rules data as French typography wants it in a French document, as it is otherwise."""
    return french_spacing(text) if language == "fr" else text


_BOX = "[ ]"


def _form_paragraph(para: str) -> dict[str, Any]:
    """A paragraph of a form (a Reply Form): the text before its first ``[ ]`` and each ticked option after one,
    so that documents draw real tick boxes instead of printing brackets."""
    lead, *options = para.split(_BOX)
    return {"text": lead.strip(), "options": [o.strip() for o in options if o.strip()]}


def _iban(iban: str | None) -> str:
    if not iban:
        return ""
    return " ".join(iban[i : i + 4] for i in range(0, len(iban), 4))


def _plan(facts: LetterFacts, f: Formatter, claim: Claim, locale: str) -> dict[str, Any] | None:
    plan = facts.plan
    if plan is None or facts.plan_request is None:
        return None
    return {
        "count": str(len(plan.instalments)),
        "debt": f.money(plan.debt),
        "debt_words": amount_in_words(plan.debt, claim.currency, locale),
        "total": f.money(plan.total),
        "total_words": amount_in_words(plan.total, claim.currency, locale),
        "interest": f.money(plan.interest),
        "rate": f.rate(plan.percent) if plan.percent else "",
        # debts at different rates (a Late Payment Act rate is fixed for the life of its debt): each one's rate
        "rates": [{"invoice": b.key, "rate": f.rate(b.percent)} for b in plan.rates] if plan.percent is None else [],
        "first": f.date(plan.first),
        "frequency": plan.frequency,
        "grace_days": str(facts.plan_request.grace_days),
        # interest would run and the plan waives it (false when no interest applies at all: nothing to waive)
        "waived": facts.plan_waives,
        "default": _plan_default(facts.plan_default, locale),
        "rows": [
            {
                "n": str(i.number),
                "due": f.short_date(i.due),
                "amount": f.money(i.amount),
                "words": amount_in_words(i.amount, claim.currency, locale),
                "interest": f.money(i.interest),
                "principal": f.money(i.principal),
                "remaining": f.money(i.remaining),
            }
            for i in plan.instalments
        ],
    }


def _plan_default(rule: DatedValue | None, locale: str) -> dict[str, str] | None:
    """The period a reminder of a missed instalment must leave before the balance falls due (the law's), in words:
    its length, and the day it starts after a paper and after an electronic reminder (``troisième``, ``premier``);
    None where the law sets none and the plan's own clause applies."""
    if rule is None:
        return None
    value: DeadlineRule = rule.value

    def start(channel: str, unit: str) -> str:
        steps = value.first_day[channel]  # type: ignore[index]
        if len(steps) != 1 or steps[0].unit != unit:  # the clause's wording says "the Nth <unit> after sending"
            raise RulesError(
                f"the payment plan's clause has wording for a period starting one count of {unit} after a "
                f"{channel} reminder, not for {[(s.add, s.unit) for s in steps]}",
                file=f"{rule.parameter}.yaml",
                path=f"values.value.first_day.{channel}",
            )
        return ordinal_in_words(steps[0].add, locale)

    return {
        "days": number_in_words(value.length, locale),
        "paper": start("post", "working_days"),
        "electronic": start("email", "calendar_days"),
    }


def _mentions(facts: LetterFacts, claim: Claim, ctx: dict[str, Any], f: Formatter) -> list[dict[str, Any]]:
    """The jurisdiction's wording for this letter, its placeholders filled from the context."""
    values = {
        "deadline": ctx["deadline"]["date"] if ctx["deadline"] else "",
        "period_start": ctx["deadline"]["first_day"] if ctx["deadline"] else "",
        "creditor": claim.creditor.name,
        "creditor_number": claim.creditor.company_number or "",
        "sender": ctx["sender"]["name"],
        "principal": ctx["outstanding"]["principal"],
        "daily_interest": ctx["daily_interest"],
        "tomorrow": ctx["tomorrow"],
        "reference": ctx["sender"]["our_reference"],
        "interest_running": facts.statement.daily_interest > 0,
        "letter": ctx["letter"],
        "if_unpaid_amount": "",
        "if_unpaid_rate": "",
        "if_unpaid_from": "",
        "costs_amount": "",
        "costs_since": "",
        "costs_notice": "",
    }
    if facts.costs_due is not None:
        values["costs_amount"] = f.money(facts.costs_due.amount)
        values["costs_since"] = f.date(facts.costs_due.since)
        values["costs_notice"] = f.date(facts.costs_due.notice)
    unpaid = facts.if_unpaid
    if unpaid is not None:
        values["if_unpaid_amount"] = f.money(unpaid.compensation) if unpaid.compensation > 0 else ""
        if unpaid.interest_percent is not None and unpaid.interest_from is not None:
            values["if_unpaid_rate"] = f.rate(unpaid.interest_percent)
            values["if_unpaid_from"] = f.date(unpaid.interest_from)
    out = []
    for dated in facts.mentions:
        mention = dated.value
        text = _fill(mention.text[claim.language], values, claim.language)
        title = _fill(mention.title[claim.language], values, claim.language) if mention.title else ""
        out.append(
            {
                "id": dated.parameter,
                "text": text,
                "title": title,
                "emphasis": mention.emphasis,
                "annex": mention.placement == "annex",
                "paragraphs": [para.strip() for para in text.split("\n\n") if para.strip()],
                "form": [_form_paragraph(para) for para in text.split("\n\n") if para.strip()],
            }
        )
    return out
