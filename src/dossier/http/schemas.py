"""The request and error bodies of the HTTP API (pydantic models, so they appear in ``/openapi.json``)."""

from __future__ import annotations

import datetime as dt
from datetime import date
from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ClaimBody(_Strict):
    claim: dict[str, Any] = Field(description="the same object as claim.yaml")


class StatementBody(ClaimBody):
    as_of: date | None = None


class PlanOptions(_Strict):
    instalments: int | None = Field(default=None, ge=1, le=120)
    amount: Decimal | None = Field(default=None, gt=0, max_digits=15)
    first_date: date | None = None
    frequency: Literal["weekly", "monthly", "quarterly"] = "monthly"
    waive_interest: bool = False
    grace_days: int = Field(default=10, ge=0, le=60)


class OfferOptions(_Strict):
    amount: Decimal | None = Field(default=None, gt=0, max_digits=15, description="a settlement offer's amount")
    until: date = Field(description="a settlement offer's last day to pay, or an extension's new last day")


class DocumentOptions(_Strict):
    level: int = Field(default=1, ge=1, le=3)
    channel: Literal["post", "registered", "email"] = "post"
    offer_plan: bool = False
    plan: PlanOptions | None = None
    offer: OfferOptions | None = Field(default=None, description="settlement-offer and deadline-extension only")
    pdfa: bool = False
    one_page: bool = Field(default=False, description="leave out the computation annex, tighter layout")
    force: bool = False


class DocumentBody(ClaimBody):
    doc: Literal["reminder", "formal-notice", "payment-plan", "statement", "settlement-offer", "deadline-extension"]
    format: Literal["pdf", "docx"] = "pdf"
    date: dt.date | None = None
    options: DocumentOptions = Field(default_factory=DocumentOptions)
    to: str | None = Field(
        default=None,
        max_length=254,
        description="with Accept: message/rfc822, the e-mail's recipient (default: the claim's debtor.email)",
    )


class ProblemOut(BaseModel):
    file: str | None = Field(description="the file (or request part) the problem is in")
    path: str | None = Field(description="the field path inside it, e.g. invoices[1].due_date")
    message: str
    hint: str | None = None


class ErrorBody(BaseModel):
    """Every answer that is not a success has this shape (422, 400, 404, 405, 413, 500, 504...)."""

    error: str = Field(description="the kind of error, e.g. ClaimError, RequestError, PayloadTooLarge, Timeout")
    problems: list[ProblemOut]
    request_id: str = Field(description="also in the X-Request-ID header and in the server log")


ERRORS: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorBody, "description": text}
    for status, text in {
        400: "the body cannot be parsed",
        404: "not found, or the service lacks what this endpoint needs",
        413: "the body (or one part of it) is over the size limit",
        422: "bad input: every problem with its file and field path",
        500: "an unexpected failure (logged with the request id; no traceback here)",
        504: "the request ran past the time limit and was stopped",
    }.items()
}

BUNDLE_ENCODING: dict[str, Any] = {"claim": {"contentType": "application/json"}}
BUNDLE_FORM: dict[str, Any] = {
    "type": "object",
    "required": ["claim"],
    "properties": {
        "claim": {"type": "object", "description": "the claim as JSON: the same object as claim.yaml"},
        "date": {"type": "string", "format": "date", "description": "the bundle's date (default: today)"},
        "skip_bad": {
            "type": "boolean",
            "default": False,
            "description": "a piece that cannot be read becomes a page saying why, instead of a 422",
        },
        "pdfa": {"type": "boolean", "default": False, "description": "a PDF/A-2b bundle"},
    },
    "additionalProperties": {
        "type": "string",
        "format": "binary",
        "description": "one file part per piece or history file, named by its path in the claim "
        "(pieces[].file, history[].file), e.g. documents/contract.pdf",
    },
}
MATCHES_ENCODING: dict[str, Any] = {"claims": {"contentType": "application/json"}}
MATCHES_FORM: dict[str, Any] = {
    "type": "object",
    "required": ["statement", "claims"],
    "properties": {
        "statement": {"type": "string", "format": "binary", "description": "a CODA, camt.053/054 or MT940 file"},
        "claims": {"type": "array", "items": {"type": "object"}, "description": "the claims, as claim.yaml objects"},
    },
}
