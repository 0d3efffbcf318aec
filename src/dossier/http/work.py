"""The work behind each endpoint, run in a killable worker process (see ``pool``).

Functions here take and return plain, picklable data. Whatever the input does to the engine, they end in a
result or a ``Refused`` (422 in the documented shape): a ``DossierError``, and also a date or number the engine
cannot compute with (``OverflowError``: 9999-12-31 plus a term; a ``decimal`` error: interest over millennia) or
a claim too deep to walk.
"""

from __future__ import annotations

import decimal
import functools
import hashlib
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

from pydantic import ValidationError

from dossier.api import bundle as make_bundle
from dossier.engine import compute_statement
from dossier.engine.letters import PlanRequest
from dossier.engine.settlement import OFFER_KINDS, OfferRequest
from dossier.errors import ClaimError, DossierError, Problem
from dossier.http.problems import Refused, for_http, problem
from dossier.http.schemas import DocumentBody, PlanOptions
from dossier.model import claim_from_data
from dossier.output.files import document_stem
from dossier.output.mail import MailSettings, build_message, parse_address
from dossier.output.produce import Producer
from dossier.output.request import DocumentRequest, Options
from dossier.output.send import email_text
from dossier.rules import load_rules
from dossier.validation import problems_from
from dossier.workflow.report import portfolio_report

BEYOND = "a date or amount is beyond what can be computed (dates run to 9999-12-31, amounts to 15 digits)"
P = ParamSpec("P")
R = TypeVar("R")

_producer: Producer | None = None


def _warm_producer() -> Producer:
    """One producer per worker process, kept between requests (WeasyPrint fonts and templates stay loaded)."""
    global _producer
    if _producer is None:
        _producer = Producer()
    return _producer


def refusing(func: Callable[P, R]) -> Callable[P, R]:
    """Turn what bad input can raise into ``Refused`` (422); anything else is a bug and stays an exception."""

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return func(*args, **kwargs)
        except DossierError as exc:
            raise Refused(422, type(exc).__name__, for_http(exc.as_dict())["problems"]) from None
        except (OverflowError, decimal.DecimalException):
            raise Refused(422, "ComputationError", [problem(BEYOND, file="request")]) from None
        except ValidationError as exc:  # a model check outside claim_from_data's own translation
            problems = [p.as_dict() for p in problems_from(exc, "request")]
            raise Refused(422, "ClaimError", for_http({"problems": problems})["problems"]) from None
        except MemoryError:
            raise Refused(
                422,
                "ComputationError",
                [problem("this request needs more memory than the service allows one request", file="request")],
            ) from None
        except RecursionError:
            raise Refused(422, "ClaimError", [problem("the claim is nested too deeply", file="claim")]) from None

    return wrapper


@refusing
def validate(data: dict[str, Any]) -> dict[str, Any]:
    claim = claim_from_data(data, file="claim")
    load_rules(claim.jurisdiction)
    return {"valid": True, "reference": claim.reference, "invoices": len(claim.invoices)}


@refusing
def statement(data: dict[str, Any], as_of: date) -> dict[str, Any]:
    claim = claim_from_data(data, file="claim")
    return compute_statement(claim, load_rules(claim.jurisdiction), as_of).as_dict()


@refusing
def document(body: DocumentBody, day: date) -> tuple[bytes, dict[str, Any]]:
    claim = claim_from_data(body.claim, file="claim")
    rules = load_rules(claim.jurisdiction)
    o = body.options
    plan = None
    if body.doc == "payment-plan" or o.offer_plan:
        p = o.plan or PlanOptions()
        count = p.instalments if p.amount is None else None
        if not (count or p.amount):  # the schedule is the creditor's offer: never one dossier made up
            raise ClaimError(
                "a payment plan needs its schedule: options.plan.instalments or options.plan.amount",
                file="request",
                path="options.plan",
            )
        plan = PlanRequest(
            count=count,
            amount=p.amount,
            first=p.first_date,
            frequency=p.frequency,
            waive_interest=p.waive_interest,
            grace_days=p.grace_days,
        )
    offer = OfferRequest(until=o.offer.until, amount=o.offer.amount) if o.offer is not None else None
    if body.doc in OFFER_KINDS and offer is None:
        raise ClaimError(
            f"a {body.doc} needs options.offer.until (and a settlement offer options.offer.amount)",
            file="request",
            path="options.offer",
        )
    request = DocumentRequest(
        body.doc,
        day,
        channel=o.channel,
        level=o.level,
        plan=plan,
        offer=offer,
        formats=(body.format,),
        options=Options(pdfa=o.pdfa, force=o.force, one_page=o.one_page),
    )
    rendered = _warm_producer().produce(claim, rules, request)
    data = rendered.outputs[body.format]
    facts = rendered.facts
    return data, {
        "format": body.format,
        "bytes": len(data),
        "sha256": hashlib.sha256(data).hexdigest(),
        "total_due": f"{facts.statement.totals['due']:.2f}",
        "currency": claim.currency,
        "deadline": facts.offer.until.isoformat() if facts.offer else (
            facts.deadline.last_day.isoformat() if facts.deadline else None
        ),
        "findings": list(facts.findings),
        "rules_version": facts.statement.rules_version,
    }


@refusing
def email(body: DocumentBody, day: date) -> tuple[bytes, dict[str, Any]]:
    """The document as a ready e-mail (``.eml`` bytes, CRLF) with the PDF attached, for a caller that sends mail
    itself: From is the service's sending setting (``DOSSIER_SMTP_FROM``) or the creditor's e-mail; To is the
    request's ``to`` or the debtor's e-mail. Signed when the service has a DKIM key (docs/sending.md)."""
    claim = claim_from_data(body.claim, file="claim")
    rules = load_rules(claim.jurisdiction)
    text = body.to or claim.debtor.email
    if not text:
        raise ClaimError(
            "an e-mail needs a recipient: the claim's debtor.email or the request's to", file="request", path="to"
        )
    try:
        recipient = parse_address(text)
    except ValueError as exc:
        raise ClaimError(
            str(exc), file="request" if body.to else "claim", path="to" if body.to else "debtor.email"
        ) from None
    data, manifest = document(body.model_copy(update={"format": "pdf"}), day)
    settings = MailSettings.load()
    sender = settings.sender(claim.creditor.email)
    templates = _warm_producer().template_set(claim.language)
    locale = rules.meta.locales.get(claim.language, "en_GB")
    subject, text_body = email_text(claim, templates, body.doc, body.options.level, day, locale)
    message = build_message(
        sender=sender,
        recipient=recipient,
        subject=subject,
        body=text_body,
        attachment=data,
        filename=document_stem(day.isoformat(), body.doc, body.options.level, claim.reference) + ".pdf",
        when=datetime.now(UTC),
        message_id_domain=settings.message_id_domain(sender),
        dkim=settings.dkim(),
    )
    return message.data, manifest | {"message_id": message.message_id, "eml_sha256": sha256(message.data)}


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@refusing
def bundle(folder: str, day: date | None, skip_bad: bool, pdfa: bool) -> bytes:
    """The bundle of the claim the request's parts were written to in ``folder`` (a temporary folder whose
    name must not reach the client: it is cut out of any error)."""
    try:
        result, _ = make_bundle(Path(folder), day=day, skip_bad=skip_bad, pdfa=pdfa)
    except DossierError as exc:
        cleaned = DossierError(exc.message, problems=[_without(p, folder) for p in exc.problems])
        raise Refused(422, type(exc).__name__, for_http(cleaned.as_dict())["problems"]) from None
    return result.pdf


def _without(found: Problem, folder: str) -> Problem:
    def cut(text: str | None) -> str | None:
        return text.replace(folder + "/", "").replace(folder, "the claim") if text else text

    return Problem(cut(found.message) or "", cut(found.file), cut(found.path), cut(found.hint))


@refusing
def report(folder: str, day: date) -> dict[str, Any]:
    """The portfolio report; a claim that cannot be read is named by its place in the portfolio folder (the
    CLI's report names its path, which over HTTP would be a server path)."""
    result = portfolio_report(Path(folder), day).as_dict()
    root = Path(folder)
    for failed in result.get("failed", []):
        label = Path(str(failed.get("claim", "")))
        failed["claim"] = label.relative_to(root).as_posix() if label.is_relative_to(root) else label.name
        failed["problems"] = for_http(failed)["problems"]
    return result


def warm_up() -> None:
    """Render one small letter so that fonts, templates and rules are loaded before workers are forked from
    this process (the forkserver): a replacement for a killed worker is then ready at once. Best effort."""
    sample = {
        "reference": "WARM-UP",
        "jurisdiction": "BE",
        "language": "fr",
        "currency": "EUR",
        "creditor": {
            "name": "A",
            "type": "business",
            "address": {"street": "Rue 1", "postal_code": "1000", "city": "Bruxelles", "country": "BE"},
            "company_number": "BE0403170701",
            "iban": "BE71096123456769",
        },
        "debtor": {
            "name": "B",
            "type": "business",
            "address": {"street": "Rue 2", "postal_code": "5000", "city": "Namur", "country": "BE"},
        },
        "invoices": [{"number": "1", "date": "2025-01-10", "due_date": "2025-02-09", "amount": "100.00"}],
    }
    try:
        document(DocumentBody(claim=sample, doc="reminder"), date(2025, 6, 1))
    except Exception:  # a worker renders without it, only slower on its first request
        return
