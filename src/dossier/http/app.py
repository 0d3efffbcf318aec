"""``dossier serve``: a stateless HTTP API, so it scales by running more instances behind a load balancer.

Bad input gets 422 with the file, field path and message of every problem; a request over the size limit 413;
one that runs past the time limit 504; an unexpected failure 500 with no traceback.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import json
import os
import tempfile
import threading
from datetime import date
from decimal import Decimal
from pathlib import Path, PurePosixPath
from typing import Annotated, Any, Literal

from fastapi import FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, ConfigDict, Field
from starlette.datastructures import FormData, UploadFile

from dossier.api import bundle as make_bundle
from dossier.api import jurisdictions as list_jurisdictions
from dossier.engine import compute_statement
from dossier.engine.letters import PlanRequest
from dossier.errors import ClaimError, DossierError
from dossier.model import claim_from_data
from dossier.output.produce import Producer
from dossier.rules import load_rules
from dossier.validation import dotted
from dossier.workflow.report import portfolio_report

MAX_BODY = int(os.environ.get("DOSSIER_MAX_BODY", 10 * 1024 * 1024))
MAX_BUNDLE_BODY = int(os.environ.get("DOSSIER_MAX_BUNDLE_BODY", 100 * 1024 * 1024))
TIME_LIMIT = float(os.environ.get("DOSSIER_TIME_LIMIT", 60))
PORTFOLIO_ENV = "DOSSIER_PORTFOLIO"
MIME = {"pdf": "application/pdf", "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}

_local = threading.local()


def _producer() -> Producer:
    """One warm producer per worker thread (WeasyPrint objects are not shared between threads)."""
    if not hasattr(_local, "producer"):
        _local.producer = Producer()
    return _local.producer


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ClaimBody(_Strict):
    claim: dict[str, Any] = Field(description="the same object as claim.yaml")


class StatementBody(ClaimBody):
    as_of: date | None = None


class PlanOptions(_Strict):
    instalments: int | None = Field(default=None, ge=1, le=120)
    amount: Decimal | None = Field(default=None, gt=0)
    first_date: date | None = None
    frequency: Literal["weekly", "monthly", "quarterly"] = "monthly"
    waive_interest: bool = False
    grace_days: int = Field(default=10, ge=0, le=60)


class DocumentOptions(_Strict):
    level: int = Field(default=1, ge=1, le=3)
    channel: Literal["post", "registered", "email"] = "post"
    offer_plan: bool = False
    plan: PlanOptions | None = None
    pdfa: bool = False
    one_page: bool = Field(default=False, description="leave out the computation annex, tighter layout")
    force: bool = False


class DocumentBody(ClaimBody):
    doc: Literal["reminder", "formal-notice", "payment-plan", "statement"]
    format: Literal["pdf", "docx"] = "pdf"
    date: dt.date | None = None
    options: DocumentOptions = Field(default_factory=DocumentOptions)


app = FastAPI(
    title="dossier",
    version="0.1.0",
    description="Debt-collection documents from claim data and dated, sourced jurisdiction rules.",
)


@app.middleware("http")
async def limits(request: Request, call_next: Any) -> Response:
    limit = MAX_BUNDLE_BODY if request.url.path.startswith("/v1/bundles") else MAX_BODY
    length = request.headers.get("content-length")
    if length is not None and length.isdigit() and int(length) > limit:
        return JSONResponse(
            {
                "error": "PayloadTooLarge",
                "problems": [{"file": None, "path": None, "message": f"request body over {limit} bytes", "hint": None}],
            },
            status_code=413,
        )
    try:
        return await asyncio.wait_for(call_next(request), timeout=TIME_LIMIT)
    except TimeoutError:
        return JSONResponse(
            {
                "error": "Timeout",
                "problems": [
                    {"file": None, "path": None, "message": f"took longer than {TIME_LIMIT:.0f} s", "hint": None}
                ],
            },
            status_code=504,
        )


class NotConfigured(DossierError):
    """The service was started without what this endpoint needs."""


@app.exception_handler(NotConfigured)
async def not_configured(_: Request, exc: NotConfigured) -> JSONResponse:
    return JSONResponse(exc.as_dict(), status_code=404)


@app.exception_handler(DossierError)
async def dossier_error(_: Request, exc: DossierError) -> JSONResponse:
    return JSONResponse(exc.as_dict(), status_code=422)


@app.exception_handler(RequestValidationError)
async def request_error(_: Request, exc: RequestValidationError) -> JSONResponse:
    problems = [
        {"file": "request", "path": dotted(p for p in e["loc"] if p != "body"), "message": str(e["msg"]), "hint": None}
        for e in exc.errors()
    ]
    return JSONResponse({"error": "RequestError", "problems": problems}, status_code=422)


@app.exception_handler(Exception)
async def unexpected(_: Request, exc: Exception) -> JSONResponse:
    return JSONResponse(
        {
            "error": "InternalError",
            "problems": [
                {"file": None, "path": None, "message": "internal error; the request was not processed", "hint": None}
            ],
        },
        status_code=500,
    )


def _claim(data: dict[str, Any]):
    return claim_from_data(data, file="claim")


async def _in_thread(func: Any, *args: Any) -> Any:
    return await asyncio.get_running_loop().run_in_executor(None, func, *args)


@app.get("/healthz")
def healthz() -> dict[str, str]:
    return {"status": "ok"}


@app.get("/v1/jurisdictions")
def jurisdictions() -> list[dict[str, Any]]:
    return list_jurisdictions()


@app.get("/v1/reports")
async def reports(day: Annotated[date | None, Query(alias="date")] = None) -> JSONResponse:
    """The portfolio report (JSON) of the portfolio this service is pointed at (``dossier serve --portfolio``)."""
    folder = os.environ.get(PORTFOLIO_ENV)
    if not folder:
        raise NotConfigured(
            "this service has no portfolio",
            path="portfolio",
            hint=f"start it with dossier serve --portfolio PATH (or set {PORTFOLIO_ENV})",
        )

    def work() -> dict[str, Any]:
        return portfolio_report(Path(folder), day or date.today()).as_dict()

    return JSONResponse(await _in_thread(work))


@app.post("/v1/validate")
def validate(body: ClaimBody) -> dict[str, Any]:
    claim = _claim(body.claim)
    load_rules(claim.jurisdiction)
    return {"valid": True, "reference": claim.reference, "invoices": len(claim.invoices)}


@app.post("/v1/statements")
async def statements(body: StatementBody) -> JSONResponse:
    def work() -> dict[str, Any]:
        claim = _claim(body.claim)
        return compute_statement(claim, load_rules(claim.jurisdiction), body.as_of or date.today()).as_dict()

    return JSONResponse(await _in_thread(work))


@app.post("/v1/documents", response_model=None)
async def documents(body: DocumentBody, request: Request) -> Response:
    def work() -> tuple[bytes, dict[str, Any]]:
        claim = _claim(body.claim)
        rules = load_rules(claim.jurisdiction)
        o = body.options
        plan = None
        if body.doc == "payment-plan" or o.offer_plan:
            p = o.plan or PlanOptions()
            count = p.instalments if p.amount is None else None
            plan = PlanRequest(
                count=count if (count or p.amount) else 6,
                amount=p.amount,
                first=p.first_date,
                frequency=p.frequency,
                waive_interest=p.waive_interest,
                grace_days=p.grace_days,
            )
        rendered = _producer().render(
            claim,
            rules,
            body.doc,
            body.date or date.today(),
            channel=o.channel,
            level=o.level,
            plan=plan,
            formats=(body.format,),
            pdfa=o.pdfa,
            one_page=o.one_page,
            force=o.force,
        )
        data = rendered.outputs[body.format]
        facts = rendered.facts
        return data, {
            "format": body.format,
            "bytes": len(data),
            "sha256": hashlib.sha256(data).hexdigest(),
            "total_due": f"{facts.statement.totals['due']:.2f}",
            "currency": claim.currency,
            "deadline": facts.deadline.last_day.isoformat() if facts.deadline else None,
            "findings": list(facts.findings),
            "rules_version": facts.statement.rules_version,
        }

    data, manifest = await _in_thread(work)
    if "application/json" in request.headers.get("accept", ""):
        return JSONResponse(manifest)
    name = f"{body.doc}.{body.format}"
    return Response(
        data,
        media_type=MIME[body.format],
        headers={
            "Content-Disposition": f'attachment; filename="{name}"',
            "X-Dossier-Sha256": manifest["sha256"],
            "X-Dossier-Total-Due": manifest["total_due"],
        },
    )


async def _read_bundle_form(form: FormData) -> tuple[dict[str, Any], str | None, dict[str, bytes]]:
    raw = form.get("claim")
    if not isinstance(raw, str):
        raise ClaimError("the multipart body needs a 'claim' field holding the claim as JSON", path="claim")
    try:
        data = json.loads(raw, parse_float=Decimal)
    except json.JSONDecodeError as exc:
        raise ClaimError(f"not valid JSON: {exc.msg}", file="claim") from None
    day = form.get("date")
    if isinstance(day, str):
        try:
            date.fromisoformat(day)
        except ValueError:
            raise ClaimError(f"{day} is not a valid date (expected YYYY-MM-DD)", file="request", path="date") from None
    contents = {name: await value.read() for name, value in form.multi_items() if isinstance(value, UploadFile)}
    return data, day if isinstance(day, str) else None, contents


@app.post("/v1/bundles", response_model=None)
async def bundles(request: Request) -> Response:
    """Multipart: a ``claim`` field (JSON), an optional ``date``, and one file part per piece, named by the
    relative path the claim gives it (``documents/contract.pdf``)."""
    async with request.form(max_files=500, max_fields=50) as form:
        raw, day, contents = await _read_bundle_form(form)

    def work() -> bytes:
        with tempfile.TemporaryDirectory() as tmp:
            root = Path(tmp) / "claim"
            root.mkdir()
            for name, content in contents.items():
                rel = PurePosixPath(name)
                if rel.is_absolute() or ".." in rel.parts:
                    raise ClaimError(f"{name} must be a relative path inside the claim", path="files")
                (root / rel).parent.mkdir(parents=True, exist_ok=True)
                (root / rel).write_bytes(content)
            (root / "claim.json").write_text(json.dumps(raw, default=str), encoding="utf-8")
            result, _ = make_bundle(root, day=date.fromisoformat(str(day)) if day else None)
            return result.pdf

    pdf = await _in_thread(work)
    return Response(
        pdf,
        media_type="application/pdf",
        headers={
            "Content-Disposition": 'attachment; filename="bundle.pdf"',
            "X-Dossier-Sha256": hashlib.sha256(pdf).hexdigest(),
        },
    )
