"""``dossier serve``: a stateless HTTP API, so it scales by running more instances behind a load balancer.

Bad input gets 422 with the file, field path and message of every problem; a body over the size limit 413 (counted
while it streams in, so a chunked body cannot pass it); a request past the time limit 504, and its work is stopped
(it runs in a worker process that is killed); an unexpected failure 500, logged with its request id, and no
traceback. Every error body has the same shape (see ``schemas.ErrorBody``) and every answer an ``X-Request-ID``.
"""

from __future__ import annotations

import asyncio
import contextlib
import decimal
import hashlib
import json
import os
import shutil
import tempfile
import threading
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import date
from decimal import Decimal
from http import HTTPStatus
from pathlib import Path
from typing import Annotated, Any

import anyio.to_thread
from fastapi import FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.datastructures import FormData, MutableHeaders, UploadFile
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from dossier.api import jurisdictions as list_jurisdictions
from dossier.errors import ClaimError, DossierError
from dossier.http import work
from dossier.http.bounds import Bounds, check_claim
from dossier.http.pool import Timeout, WorkerPool, default_size
from dossier.http.portal import routes as portal
from dossier.http.portal import v1 as portal_v1
from dossier.http.problems import (
    LOGGER,
    BodyTooLarge,
    Refused,
    answer,
    configure_logging,
    for_http,
    problem,
    request_id,
    simple,
)
from dossier.http.schemas import (
    BUNDLE_ENCODING,
    BUNDLE_FORM,
    ERRORS,
    MATCHES_ENCODING,
    MATCHES_FORM,
    ClaimBody,
    DocumentBody,
    StatementBody,
)
from dossier.model.load import CLAIM_FILES
from dossier.output.journal import JOURNAL
from dossier.paths import inside
from dossier.validation import dotted

BOUNDS = Bounds.from_env()
TIME_LIMIT = float(os.environ.get("DOSSIER_TIME_LIMIT", 60))
PORTFOLIO_ENV = "DOSSIER_PORTFOLIO"
JOBS_ENV = "DOSSIER_JOBS"
WORKER_MEMORY_ENV = "DOSSIER_WORKER_MEMORY"
DEFAULT_WORKER_MEMORY = 2048  # MB of address space per worker (an idle warm worker uses about 220); 0: no limit
MIME = {"pdf": "application/pdf", "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}
FORM_FIELDS = ("claim", "date", "skip_bad", "pdfa")
GRACE = 1.0  # the outer time limit leaves the worker's own deadline this long to answer 504 first

_pool: WorkerPool | None = None


def pool() -> WorkerPool:
    """The worker processes of this server process, started on first use."""
    global _pool
    if _pool is None:
        jobs = os.environ.get(JOBS_ENV, "")
        memory = os.environ.get(WORKER_MEMORY_ENV, "")
        megabytes = int(memory) if memory.isdigit() else DEFAULT_WORKER_MEMORY
        _pool = WorkerPool(
            int(jobs) if jobs.isdigit() and int(jobs) > 0 else default_size(),
            preload=["dossier.http.preload"],
            memory=megabytes * 1024 * 1024 if megabytes > 0 else None,
        )
    return _pool


async def _work(request: Request, func: Any, *args: Any) -> Any:
    deadline = request.scope.get("state", {}).get("deadline", time.monotonic() + TIME_LIMIT)
    return await pool().run(func, *args, deadline=deadline)


@asynccontextmanager
async def lifespan(_: FastAPI) -> AsyncIterator[None]:
    configure_logging(unless_configured=True)
    threading.Thread(target=pool().fill, daemon=True, name="dossier-pool-fill").start()
    portal.warm()
    yield
    global _pool
    if _pool is not None:
        closing, _pool = _pool, None
        await anyio.to_thread.run_sync(closing.close)


app = FastAPI(
    title="dossier",
    version="0.1.0",
    description="Debt-collection documents from claim data and dated, sourced jurisdiction rules. "
    "Every error has the body ErrorBody and every answer an X-Request-ID header.",
    lifespan=lifespan,
)


class Guard:
    """Pure ASGI middleware around the app: request id, body limit while streaming, time limit, and the last
    word on anything unexpected (logged with the request id, answered 500 with no traceback)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.monotonic()
        rid = request_id(scope)
        scope["state"]["deadline"] = started + TIME_LIMIT
        limit = BOUNDS.bundle_body if scope["path"].startswith("/v1/bundles") else BOUNDS.body
        status: list[int] = []

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                status.append(message["status"])
                MutableHeaders(scope=message)["X-Request-ID"] = rid
            await send(message)

        received = 0

        async def receive_counted() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge(limit)
            return message

        failure: BaseException | None = None
        try:
            declared = dict(scope.get("headers", [])).get(b"content-length", b"")
            if declared.isdigit() and int(declared) > limit:
                raise BodyTooLarge(limit)
            await asyncio.wait_for(self.app(scope, receive_counted, send_with_id), TIME_LIMIT + GRACE)
        except BodyTooLarge as exc:
            if not status:
                await simple(scope, 413, "PayloadTooLarge", exc.detail)(scope, receive, send_with_id)
        except TimeoutError:
            if not status:
                await _timeout(scope)(scope, receive, send_with_id)
        except Exception as exc:
            failure = exc
            if not status:
                await _internal(scope)(scope, receive, send_with_id)
        finally:
            code = status[0] if status else 500
            if code >= 500 and (status or failure):  # not when the server cancels it on shutting down
                LOGGER.error(
                    "%s %s answered %d",
                    scope["method"],
                    scope["path"],
                    code,
                    exc_info=(type(failure), failure, failure.__traceback__) if failure else None,
                    extra={
                        "request_id": rid,
                        "method": scope["method"],
                        "path": scope["path"],
                        "status": code,
                        "seconds": round(time.monotonic() - started, 3),
                    },
                )


app.add_middleware(Guard)


def _timeout(scope: Scope) -> JSONResponse:
    return simple(scope, 504, "Timeout", f"took longer than {TIME_LIMIT:g} s and was stopped")


def _internal(scope: Scope) -> JSONResponse:
    return simple(scope, 500, "InternalError", "internal error; the request was not processed")


class NotConfigured(DossierError):
    """The service was started without what this endpoint needs."""


@app.exception_handler(NotConfigured)
async def not_configured(request: Request, exc: NotConfigured) -> JSONResponse:
    return answer(request.scope, 404, for_http(exc.as_dict()))


@app.exception_handler(DossierError)
async def dossier_error(request: Request, exc: DossierError) -> JSONResponse:
    return answer(request.scope, 422, for_http(exc.as_dict()))


@app.exception_handler(Refused)
async def refused(request: Request, exc: Refused) -> JSONResponse:
    return answer(request.scope, exc.status, exc.body)


@app.exception_handler(OverflowError)
@app.exception_handler(decimal.DecimalException)
async def beyond(request: Request, _: ArithmeticError) -> JSONResponse:
    return answer(request.scope, 422, {"error": "ComputationError", "problems": [problem(work.BEYOND, file="request")]})


@app.exception_handler(Timeout)
async def timeout(request: Request, _: Timeout) -> JSONResponse:
    return _timeout(request.scope)


@app.exception_handler(RequestValidationError)
async def request_error(request: Request, exc: RequestValidationError) -> JSONResponse:
    problems = []
    for e in exc.errors():
        if e.get("type") == "json_invalid":
            where = e["loc"][-1] if e.get("loc") else "?"
            reason = e.get("ctx", {}).get("error", "")
            problems.append(problem(f"not valid JSON at character {where}: {reason}".rstrip(": "), file="request"))
        else:
            problems.append(problem(str(e["msg"]), file="request", path=_loc(e.get("loc", ()))))
    return answer(request.scope, 422, {"error": "RequestError", "problems": problems})


def _loc(loc: Any) -> str | None:
    """``("body", "options", "level")`` -> ``options.level``; ``("query", "date")`` -> ``date``."""
    parts = list(loc)
    if parts[:1] in (["body"], ["query"], ["path"], ["header"]):
        parts = parts[1:]
    return dotted(parts) or None


@app.exception_handler(HTTPException)
async def http_error(request: Request, exc: HTTPException) -> JSONResponse:
    """404, 405, 400 (a body that does not parse) and the like, in the documented shape."""
    try:
        name = HTTPStatus(exc.status_code).phrase.title().replace(" ", "").replace("-", "")
    except ValueError:
        name = "HTTPError"
    name = {"ContentTooLarge": "PayloadTooLarge", "RequestEntityTooLarge": "PayloadTooLarge"}.get(name, name)
    message = exc.detail if isinstance(exc.detail, str) else HTTPStatus(exc.status_code).phrase
    response = simple(request.scope, exc.status_code, name, message)
    for key, value in (exc.headers or {}).items():
        response.headers[key] = value
    return response


def _checked(data: dict[str, Any], file: str = "claim") -> dict[str, Any]:
    check_claim(data, BOUNDS, file=file)
    return data


@app.get("/healthz")
def healthz() -> dict[str, str]:
    return {"status": "ok"}


@app.get("/v1/jurisdictions")
def jurisdictions() -> list[dict[str, Any]]:
    return list_jurisdictions()


@app.exception_handler(portal_v1.NoToken)
async def no_token(request: Request, exc: portal_v1.NoToken) -> JSONResponse:
    response = simple(request.scope, 401, "Unauthorized", str(exc), path="Authorization")
    response.headers["WWW-Authenticate"] = "Bearer"
    return response


@app.get("/v1/reports", responses=ERRORS)
async def reports(request: Request, day: Annotated[date | None, Query(alias="date")] = None) -> JSONResponse:
    """The portfolio report (JSON) of the portfolio this service is pointed at (``dossier serve --portfolio``).
    When the server also serves the portal, it needs ``Authorization: Bearer <token>``: an operator's token gets
    the whole portfolio, a portal user's token its client's claims only (``dossier.http.portal.v1``)."""
    folder = os.environ.get(PORTFOLIO_ENV)
    if not folder:
        raise NotConfigured(
            "this service has no portfolio",
            path="portfolio",
            hint=f"its operator starts it with a portfolio ({PORTFOLIO_ENV})",
        )
    client = await anyio.to_thread.run_sync(portal_v1.reader, Path(folder), request.headers.get("authorization"))
    if client is not None:
        return JSONResponse(
            await anyio.to_thread.run_sync(portal_v1.client_report, Path(folder), client, day or date.today())
        )
    return JSONResponse(await _work(request, work.report, folder, day or date.today()))


@app.post("/v1/validate", responses=ERRORS)
async def validate(body: ClaimBody, request: Request) -> dict[str, Any]:
    return await _work(request, work.validate, _checked(body.claim))


@app.post("/v1/statements", responses=ERRORS)
async def statements(body: StatementBody, request: Request) -> JSONResponse:
    result = await _work(request, work.statement, _checked(body.claim), body.as_of or date.today())
    return JSONResponse(result)


@app.post("/v1/documents", response_model=None, responses=ERRORS)
async def documents(body: DocumentBody, request: Request) -> Response:
    _checked(body.claim)
    if "message/rfc822" in request.headers.get("accept", ""):
        eml, facts = await _work(request, work.email, body, body.date or date.today())
        return Response(
            eml,
            media_type="message/rfc822",
            headers={
                "Content-Disposition": f'attachment; filename="{body.doc}.eml"',
                "X-Dossier-Sha256": facts["sha256"],
                "X-Dossier-Total-Due": facts["total_due"],
                "X-Dossier-Message-ID": facts["message_id"],
            },
        )
    data, manifest = await _work(request, work.document, body, body.date or date.today())
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


@app.post(
    "/v1/bundles",
    response_model=None,
    responses={**ERRORS, 200: {"content": {"application/pdf": {}}, "description": "the bundle PDF"}},
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"multipart/form-data": {"schema": BUNDLE_FORM, "encoding": BUNDLE_ENCODING}},
        }
    },
)
async def bundles(request: Request) -> Response:
    """Multipart: a ``claim`` field (JSON), optional ``date``, ``skip_bad`` and ``pdfa`` fields, and one file part
    per piece or history file, named by the relative path the claim gives it (``documents/contract.pdf``).
    A part the claim does not name is refused (422)."""
    async with request.form(max_files=BOUNDS.parts, max_fields=len(FORM_FIELDS), max_part_size=BOUNDS.body) as form:
        fields = _bundle_fields(form)
        tmp = Path(tempfile.mkdtemp(prefix="dossier-bundle-"))
        try:
            root = tmp / "claim"
            root.mkdir()
            await anyio.to_thread.run_sync(_write_parts, root, fields["claim"], _file_parts(form))
            pdf = await _work(request, work.bundle, str(root), fields["date"], fields["skip_bad"], fields["pdfa"])
        finally:
            await anyio.to_thread.run_sync(lambda: shutil.rmtree(tmp, ignore_errors=True))
    return Response(
        pdf,
        media_type="application/pdf",
        headers={
            "Content-Disposition": 'attachment; filename="bundle.pdf"',
            "X-Dossier-Sha256": hashlib.sha256(pdf).hexdigest(),
        },
    )


@app.post(
    "/v1/payments/matches",
    responses=ERRORS,
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"multipart/form-data": {"schema": MATCHES_FORM, "encoding": MATCHES_ENCODING}},
        }
    },
)
async def payment_matches(request: Request) -> JSONResponse:
    """Multipart: a ``statement`` file part (CODA, camt.053/054 or MT940) and a ``claims`` field (a JSON array of
    claim objects). Returns, per transaction, the claim it would be booked to (rule, evidence) or why it would go
    to review, with the candidates; no state is read or written."""
    async with request.form(max_files=1, max_fields=1, max_part_size=BOUNDS.body) as form:
        upload = form.get("statement")
        if not isinstance(upload, UploadFile):
            raise ClaimError("the multipart body needs a 'statement' file part", file="request", path="statement")
        if upload.size is not None and upload.size > BOUNDS.part:
            raise Refused(413, "PayloadTooLarge",
                          [problem(f"over the limit of {BOUNDS.part} bytes for one file", file="request",
                                   path="statement")])
        claims = _claims_field(form.get("claims"))
        data = await upload.read()
        name = Path(upload.filename or "statement").name[:120]
    return JSONResponse(await _work(request, work.payment_matches, data, name, claims))


def _claims_field(raw: Any) -> list[dict[str, Any]]:
    """The ``claims`` field: a JSON array of claim objects, each within the service's bounds."""
    if not isinstance(raw, str):
        raise ClaimError("the multipart body needs a 'claims' field holding a JSON array of claims", path="claims")
    data = _json_field(raw, "claims")
    if not isinstance(data, list) or not all(isinstance(c, dict) for c in data):
        raise ClaimError("must be a JSON array of claim objects", file="claims")
    if len(data) > BOUNDS.items:
        raise ClaimError(f"{len(data)} claims, over this service's limit of {BOUNDS.items}", file="claims",
                         hint="ask the operator to raise DOSSIER_MAX_ITEMS")
    return [_checked(c, f"claims[{i}]") for i, c in enumerate(data)]


def _json_field(raw: str, file: str) -> Any:
    """A multipart field's JSON (decimals exact), or a ``ClaimError`` naming the field."""
    try:
        return json.loads(raw, parse_float=Decimal)
    except json.JSONDecodeError as exc:
        raise ClaimError(f"not valid JSON: {exc.msg}", file=file) from None
    except RecursionError:
        raise ClaimError("nested too deeply", file=file) from None
    except ValueError:  # Python's limit on an integer's digits (a 5,000-digit number)
        raise ClaimError("not valid JSON: a number is too long", file=file) from None


def _bundle_fields(form: FormData) -> dict[str, Any]:
    """The text fields of a bundle request, checked: ``claim`` (JSON, within bounds), ``date``, two flags."""
    for name, value in form.multi_items():
        if isinstance(value, str) and name not in FORM_FIELDS:
            raise ClaimError(
                f"{name[:80]!r} is not a field of this request (known: {', '.join(FORM_FIELDS)})",
                file="request",
                path="form",
                hint="send each file as a file part (with a filename)",
            )
    raw = form.get("claim")
    if not isinstance(raw, str):
        raise ClaimError("the multipart body needs a 'claim' field holding the claim as JSON", path="claim")
    data = _json_field(raw, "claim")
    if not isinstance(data, dict):
        raise ClaimError("must be a JSON object (the same object as claim.yaml)", file="claim")
    fields: dict[str, Any] = {"claim": _checked(data)}
    day = form.get("date")
    fields["date"] = None
    if day is not None:
        try:
            fields["date"] = date.fromisoformat(str(day))
        except ValueError:
            raise ClaimError("not a valid date (expected YYYY-MM-DD)", file="request", path="date") from None
    for flag in ("skip_bad", "pdfa"):
        value = str(form.get(flag, "false")).strip().lower()
        if value not in ("true", "false", "1", "0", "yes", "no", "on", "off", ""):
            raise ClaimError("expected true or false", file="request", path=flag)
        fields[flag] = value in ("true", "1", "yes", "on")
    return fields


def _file_parts(form: FormData) -> list[tuple[str, UploadFile]]:
    parts = [(name, value) for name, value in form.multi_items() if isinstance(value, UploadFile)]
    for name, value in parts:
        if value.size is not None and value.size > BOUNDS.part:
            raise Refused(
                413,
                "PayloadTooLarge",
                [problem(f"over the limit of {BOUNDS.part} bytes for one file", file="request", path=_part(name))],
            )
    return parts


def _part(name: str) -> str:
    return f"files[{json.dumps(name[:120])}]" if name and "\x00" not in name else "files"


def _write_parts(root: Path, claim: dict[str, Any], parts: list[tuple[str, UploadFile]]) -> None:
    """Write the claim and its files into ``root``. A part must name, through ``paths.inside``, a file the claim
    lists as a piece or history file; any other part (``journal.jsonl``, ``out/ledger.jsonl``, ``claim.json``...)
    is refused: the journal of a request's claim is dossier's own, never the caller's."""
    named: set[Path] = set()
    for section in ("pieces", "history"):
        entries = claim.get(section)
        for entry in entries if isinstance(entries, list) else []:
            rel = entry.get("file") if isinstance(entry, dict) else None
            if isinstance(rel, str):
                with contextlib.suppress(ClaimError):  # the claim's own check names it
                    named.add(inside(root, rel))
    reserved = {(root / name).resolve() for name in (*CLAIM_FILES, JOURNAL)}
    output = (root / "out").resolve()
    written: set[Path] = set()
    for name, upload in parts:
        target = inside(root, name, file="request", field="files")
        under = (output, *reserved)  # a part may not be, nor be inside, a claim file, the journal or out/
        if any(target.is_relative_to(place) for place in under) or target not in named:
            raise ClaimError(
                f"{name[:120]} is not a piece or history file of this claim",
                file="request",
                path=_part(name),
                hint="name each file part by the pieces[].file or history[].file it stands for",
            )
        if target in written:
            raise ClaimError(f"{name[:120]} is sent twice", file="request", path=_part(name))
        written.add(target)
        upload.file.seek(0)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            with target.open("xb") as out:
                shutil.copyfileobj(upload.file, out)
        except OSError:
            raise ClaimError(
                f"{name[:120]} cannot be stored: it clashes with another file of the claim",
                file="request",
                path=_part(name),
            ) from None
    (root / "claim.json").write_text(json.dumps(claim, default=str), encoding="utf-8")



portal.install(app)  # the creditors' portal under /portal (dossier.http.portal)
