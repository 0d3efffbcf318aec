"""The creditors' portal under ``/portal``: server-rendered pages (no script), and the same data as JSON under
``/portal/api`` for a client's own systems (``Authorization: Bearer <token>``).

Every route that shows a claim looks it up among the signed-in client's claims only (``data.client_claims``);
anything else is the same 404 as a claim that does not exist. Forms carry a CSRF token, sign-in is rate-limited,
and every answer carries the security headers of ``HEADERS`` (a CSP that allows no inline script)."""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import anyio.to_thread
from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.datastructures import UploadFile
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from dossier.context.formatting import Formatter
from dossier.context.report import LOCALES, report_context
from dossier.engine.ladder import STATUSES
from dossier.engine.portfolio import BUCKETS, ClaimFigures
from dossier.http.portal import data, fees, handin, sessions, store
from dossier.http.portal.accounts import Accounts, Client, ConfigError, Settings, User, load_accounts
from dossier.http.portal.pages import LANGUAGES, negotiate, render, report_labels, texts
from dossier.workflow.index import indexed

PORTFOLIO_ENV = "DOSSIER_PORTFOLIO"
LANG_COOKIE = "dossier_lang"
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'none'"
)
HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
    "Cache-Control": "no-store",  # a client's data (JSON, CSV, redirects, errors) too; the stylesheet says its own
}
STATIC = Path(__file__).parent / "static"

router = APIRouter(prefix="/portal", include_in_schema=False)


class Redirect(Exception):
    def __init__(self, to: str) -> None:
        self.to = to


class Forbidden(Exception):
    """A form without its CSRF token (or with another session's)."""


@dataclass(frozen=True)
class Visitor:
    """Who is asking: a signed-in user (session) or a client system (token), with its client."""

    accounts: Accounts
    user: User
    client: Client
    key: bytes
    nonce: str | None  # the session's; None for a token
    expires: int = 0  # the session's end

    @property
    def csrf(self) -> str:
        return sessions.csrf_token(self.key, self.nonce) if self.nonce else ""


def portfolio() -> Path:
    folder = os.environ.get(PORTFOLIO_ENV)
    if not folder:
        raise data.NotFound("no portfolio")
    return Path(folder)


def today() -> date:
    return date.today()


def _accounts() -> Accounts:
    try:
        return load_accounts(portfolio())
    except ConfigError:
        raise data.NotFound("no portal configuration") from None


def visitor(request: Request) -> Visitor | None:
    """The signed-in user of a session cookie or of a bearer token, or None."""
    accounts = _accounts()
    key = sessions.secret(portfolio())
    auth = request.headers.get("authorization", "")
    if auth[:7].lower() == "bearer ":
        user = accounts.by_token(auth[7:].strip())
        return Visitor(accounts, user, accounts.client(user.client), key, None) if user else None
    session = sessions.read(key, request.cookies.get(sessions.COOKIE))
    if session is None:
        return None
    user = accounts.user(session.email)
    if user is None or user.client != session.client:
        return None  # removed from the configuration, or moved to another client: signed out
    if session.fingerprint != sessions.fingerprint(key, user.password):
        return None  # the password was changed in portal.yaml: every session of the user ends
    if store.is_revoked(portfolio(), session.nonce):
        return None  # signed out (on any instance)
    return Visitor(accounts, user, accounts.client(user.client), key, session.nonce, session.expires)


def signed_in(request: Request) -> Visitor:
    found = visitor(request)
    if found is None:
        raise Redirect("/portal/sign-in")
    return found


def language(request: Request, who: Visitor | None) -> str:
    chosen = request.cookies.get(LANG_COOKIE)
    if chosen in LANGUAGES:
        return chosen
    if who is not None and who.user.language:
        return who.user.language
    return negotiate(request.headers.get("accept-language"))


def page(request: Request, name: str, who: Visitor | None, *, status: int = 200, **context: Any) -> HTMLResponse:
    lang = language(request, who)
    here = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    html = render(
        name,
        lang,
        user=who.user if who else None,
        client=who.client if who else None,
        csrf=context.pop("csrf", who.csrf if who else ""),
        here=here,
        page=context.pop("page_name", ""),
        **context,
    )
    return HTMLResponse(html, status_code=status, headers={"Cache-Control": "no-store"})


def check_csrf(form: Any, who: Visitor) -> None:
    if not sessions.csrf_ok(who.key, who.nonce, _text(form.get("csrf"))):
        raise Forbidden()


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) else None


# -- sign-in


@router.get("", response_class=HTMLResponse)
@router.get("/", response_class=HTMLResponse)
def home(request: Request) -> Response:
    return RedirectResponse("/portal/claims" if visitor(request) else "/portal/sign-in", status_code=303)


@router.get("/sign-in", response_class=HTMLResponse)
def sign_in_page(request: Request) -> Response:
    return _sign_in(request, None, "", 200)


def _sign_in(request: Request, error: str | None, email: str, status: int) -> Response:
    key = sessions.secret(portfolio())
    pre = os.urandom(16).hex()
    response = page(request, "sign_in.html", None, status=status, csrf=sessions.csrf_token(key, "pre:" + pre),
                    error=error, email=email)
    _cookie(response, sessions.PRE_COOKIE, pre, 3600)
    return response


@router.post("/sign-in", response_class=HTMLResponse)
async def sign_in(request: Request) -> Response:
    accounts = _accounts()
    key = sessions.secret(portfolio())
    async with request.form(max_files=0, max_fields=5) as form:
        pre = request.cookies.get(sessions.PRE_COOKIE)
        if not pre or not sessions.csrf_ok(key, "pre:" + pre, _text(form.get("csrf"))):
            raise Forbidden()
        email = (_text(form.get("email")) or "").strip()[:200]
        password = (_text(form.get("password")) or "")[:1000]
    lang = language(request, None)
    settings = accounts.settings
    limiter = sessions.Limiter(portfolio())
    limits = _limits(settings, email, request.client.host if request.client else "-")
    window = settings.sign_in_window_minutes * 60
    rows = await anyio.to_thread.run_sync(limiter.attempt, limits, window)
    if rows is None:
        return _sign_in(request, texts(lang)["too_many"], email, 429)
    user = await anyio.to_thread.run_sync(accounts.check_password, email, password)
    if user is None:
        return _sign_in(request, texts(lang)["wrong"], email, 401)
    await anyio.to_thread.run_sync(limiter.succeeded, limits[0][0], rows)
    fingerprint = sessions.fingerprint(key, user.password)
    cookie, _ = sessions.issue(key, user.email, user.client, settings.session_hours, fingerprint)
    response = RedirectResponse("/portal/claims", status_code=303)
    _cookie(response, sessions.COOKIE, cookie, settings.session_hours * 3600)
    response.delete_cookie(sessions.PRE_COOKIE, path="/portal")
    return response


def _limits(settings: Settings, email: str, address: str) -> list[tuple[str, int]]:
    """The counters a sign-in attempt adds to, each with its limit: the e-mail from this address (the first: a
    good password clears it), this address (whatever the e-mail), and the e-mail from anywhere (much higher, so
    that one address cannot lock a user out, but many addresses guessing one password are still stopped)."""
    wanted = email.lower()
    return [
        (f"pair:{wanted}|{address}", settings.sign_in_attempts),
        (f"address:{address}", settings.sign_in_attempts_per_address),
        (f"email:{wanted}", settings.sign_in_attempts_per_email),
    ]


def _cookie(response: Response, name: str, value: str, seconds: int) -> None:
    secure = _accounts().settings.secure_cookies
    response.set_cookie(name, value, max_age=seconds, path="/portal", secure=secure, httponly=True, samesite="lax")


@router.post("/sign-out")
async def sign_out(request: Request) -> Response:
    who = signed_in(request)
    async with request.form(max_files=0, max_fields=5) as form:
        check_csrf(form, who)
    if who.nonce is not None:
        await anyio.to_thread.run_sync(store.revoke, portfolio(), who.nonce, who.expires)
    response = RedirectResponse("/portal/sign-in", status_code=303)
    response.delete_cookie(sessions.COOKIE, path="/portal")
    return response


@router.get("/language")
def choose_language(request: Request, lang: str = "en", next: str = "/portal/claims") -> Response:
    """Keep the language chosen (a cookie) and go back where the user was (a path of the portal only)."""
    safe = next.startswith("/portal") and not any(bad in next for bad in ("//", "\\", "..", "\r", "\n"))
    target = next if safe else "/portal/claims"
    response = RedirectResponse(target, status_code=303)
    if lang in LANGUAGES:
        secure = _accounts().settings.secure_cookies
        response.set_cookie(LANG_COOKIE, lang, max_age=365 * 86400, path="/portal", secure=secure, samesite="lax")
    return response


@router.get("/static/portal.css")
def stylesheet() -> Response:
    return FileResponse(STATIC / "portal.css", media_type="text/css", headers={"Cache-Control": "max-age=3600"})


# -- claims


def filters_of(request: Request) -> data.Filters:
    q = request.query_params

    def one(name: str, allowed: tuple[str, ...] | None = None, default: str = "") -> str:
        value = q.get(name, default)[:100]
        return value if allowed is None or value in allowed else default

    page_text = q.get("page", "1")
    return data.Filters(
        status=one("status", STATUSES),
        step=one("step")[:60],
        jurisdiction=one("jurisdiction")[:10],
        age=one("age", tuple(name for name, _, _ in BUCKETS)),
        q=one("q"),
        sort=one("sort", data.SORTS, "reference"),
        order=one("order", ("asc", "desc"), "asc"),
        page=int(page_text) if page_text.isdigit() and 0 < int(page_text) < 10**6 else 1,
    )


def _query(f: data.Filters, **changes: Any) -> str:
    values = {k: getattr(f, k) for k in ("status", "step", "jurisdiction", "age", "q", "sort", "order", "page")}
    values |= changes
    return urlencode({k: v for k, v in values.items() if v not in ("", None)})


def _row(f: ClaimFigures, lang: str, pause_labels: dict[str, str]) -> dict[str, Any]:
    fmt = Formatter(LOCALES[lang], f.currency)
    pause = f.pause
    return {
        "key": f.key,
        "reference": f.reference,
        "debtor": f.debtor,
        "jurisdiction": f.jurisdiction,
        "taken": f.label(f.taken, lang) or report_labels(lang)["positions"]["no_letter"],
        "next": f.label(f.next, lang),
        "earliest": fmt.short_date(f.earliest) if f.earliest else "",
        "principal": fmt.money(f.totals["principal"]),
        "interest": fmt.money(f.totals["interest"]),
        "costs": fmt.money(f.totals["compensation"] + f.totals["costs"]),
        "paid": fmt.money(f.totals["paid"]),
        "due": fmt.money(f.totals["due"]),
        "paused": (pause_labels.get(pause["kind"]) or pause["reason"]) if pause else "",
    }


@router.get("/claims", response_class=HTMLResponse)
async def claims_page(request: Request) -> Response:
    who = signed_in(request)
    lang = language(request, who)
    f = filters_of(request)
    day = today()
    claims = await anyio.to_thread.run_sync(data.client_claims, portfolio(), who.client, day)
    rows, count = data.listing(claims, f, day)
    r, t = report_labels(lang), texts(lang)
    pages = max((count + data.PAGE - 1) // data.PAGE, 1)
    steps: dict[str, str] = {"no_letter": r["positions"]["no_letter"]}
    for item in claims:
        if item.figures is not None and item.figures.taken:
            steps.setdefault(item.figures.taken, item.figures.label(item.figures.taken, lang))
    return page(
        request,
        "claims.html",
        who,
        page_name="claims",
        f=f,
        rows=[_row(x, lang, r["pauses"]) for x in rows],
        count_text=t["count"].format(n=count),
        page_text=t["page"].format(page=min(f.page, pages), pages=pages),
        previous=_query(f, page=f.page - 1) if f.page > 1 else "",
        following=_query(f, page=f.page + 1) if f.page < pages else "",
        query=_query(f, page=""),
        statuses=[(s, r["statuses"][s]) for s in STATUSES],
        steps=sorted(steps.items(), key=lambda kv: kv[1]),
        jurisdictions=sorted({i.figures.jurisdiction for i in claims if i.figures}),
        buckets=[(name, r["buckets"][name]) for name, _, _ in BUCKETS],
        sorts=[(k, _sort_label(k, r, t)) for k in data.SORTS],
    )


def _sort_label(key: str, r: dict[str, Any], t: dict[str, Any]) -> str:
    return {"status": r["status"], "earliest": t["next_date"], "age": t["age"]}.get(key) or str(r.get(key, key))


@router.get("/claims.csv")
async def claims_csv(request: Request) -> Response:
    who = signed_in_or_token(request)
    day = today()
    claims = await anyio.to_thread.run_sync(data.client_claims, portfolio(), who.client, day)
    text = data.csv_text(data.matching(claims, filters_of(request), day))
    return Response(
        text.encode("utf-8-sig"),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="claims-{day.isoformat()}.csv"'},
    )


def signed_in_or_token(request: Request) -> Visitor:
    """Pages redirect to the sign-in; a client system with a wrong token gets 401."""
    if request.headers.get("authorization"):
        found = visitor(request)
        if found is None:
            raise Unauthorized()
        return found
    return signed_in(request)


class Unauthorized(Exception):
    pass


@router.get("/claims/{key}", response_class=HTMLResponse)
async def claim_page(request: Request, key: str) -> Response:
    who = signed_in(request)
    lang = language(request, who)
    day = today()
    claims = await anyio.to_thread.run_sync(data.client_claims, portfolio(), who.client, day)
    item = data.find(claims, key)
    view = await anyio.to_thread.run_sync(data.claim_view, portfolio(), item, day)
    return page(request, "claim.html", who, page_name="claims", **_claim_context(view, lang))


def _claim_context(view: data.ClaimView, lang: str) -> dict[str, Any]:
    f = view.item.figures
    assert f is not None
    st = view.statement
    fmt = Formatter(LOCALES[lang], st.currency)
    r = report_labels(lang)
    timeline = []
    for record in view.records:
        files = [
            {"name": x.get("name") or Path(str(x["file"])).name, "sha256": x["sha256"], "n": record.data.get("n"),
             "i": i, "format": x.get("format", "")}
            for i, x in enumerate(data.archived(record))
        ]
        timeline.append({"record": record.data, "event": record.event, "files": files})
    sent = {r.data.get("document") for r in view.records if r.event == "document-sent"}
    return {
        "f": f,
        "key": f.key,
        "fmt": fmt,
        "totals": {k: fmt.money(v) for k, v in st.totals.items()},
        "invoices": [
            {"number": line.number, "due": fmt.short_date(line.due_date), "amount": fmt.money(line.amount),
             "outstanding": fmt.money(line.outstanding["total"])}
            for line in st.invoices
        ],
        "payments": [{"date": fmt.short_date(p.payment.date), "amount": fmt.money(p.payment.amount)}
                     for p in st.payments],
        "state": r["statuses"].get(f.status, f.status),
        "taken": f.label(f.taken, lang) or r["positions"]["no_letter"],
        "next": f.label(f.next, lang),
        "earliest": fmt.short_date(f.earliest) if f.earliest else "",
        "pause": (r["pauses"].get(f.pause["kind"]) or f.pause["reason"]) if f.pause else "",
        "timeline": timeline,
        "sent": sent,
        "as_of": fmt.date(st.as_of),
    }


@router.get("/claims/{key}/files/{n}/{index}")
async def claim_file(request: Request, key: str, n: int, index: int) -> Response:
    who = signed_in_or_token(request)
    claims = await anyio.to_thread.run_sync(data.client_claims, portfolio(), who.client, today())
    item = data.find(claims, key)
    path, record = await anyio.to_thread.run_sync(data.document, portfolio(), item, n, index)
    fmt = str(record.get("format", "")).lower()
    return FileResponse(
        path,
        media_type=data.MIME.get(fmt, "application/octet-stream"),
        filename=path.name,
        headers={"X-Dossier-Sha256": str(record["sha256"]), "Cache-Control": "no-store"},
    )


# -- portfolio, fees, hand-in


@router.get("/portfolio", response_class=HTMLResponse)
async def portfolio_page(request: Request) -> Response:
    who = signed_in(request)
    lang = language(request, who)
    claims = await anyio.to_thread.run_sync(data.client_claims, portfolio(), who.client, today())
    figures = data.client_figures(claims, today())
    context = report_context(figures, report_labels(lang), lang)
    return page(request, "portfolio.html", who, page_name="portfolio", report=context)


@router.get("/fees", response_class=HTMLResponse)
async def fees_page(request: Request) -> Response:
    who = signed_in(request)
    lang = language(request, who)
    schedule = who.accounts.fees(who.client)
    claims = await anyio.to_thread.run_sync(data.client_claims, portfolio(), who.client, today())
    if schedule is None:
        return page(request, "fees.html", who, page_name="fees", schedule=None, rows=[], totals=[])
    per_claim = [fees.claim_fees(i.figures, schedule) for i in claims if i.figures is not None]
    per_claim = [x for x in per_claim if x.total or x.recoverable]
    fmt = {c: Formatter(LOCALES[lang], c) for c in {x.figures.currency for x in per_claim} | {schedule.currency}}
    rows = [
        {"key": x.figures.key, "reference": x.figures.reference, "debtor": x.figures.debtor,
         **{k: fmt[x.figures.currency].money(getattr(x, k)) for k in ("collected", "commission", "letters",
                                                                      "total", "recoverable")}}
        for x in sorted(per_claim, key=lambda x: x.figures.reference)[:500]
    ]
    totals = [{"currency": c, **{k: fmt[c].money(v) for k, v in t.items()}} for c, t in fees.totals(per_claim).items()]
    letters = [(kind, fmt[schedule.currency].money(amount)) for kind, amount in schedule.per_document.items()]
    return page(request, "fees.html", who, page_name="fees", schedule=schedule, rows=rows, totals=totals,
                letters=letters, count=len(per_claim), percent=_percent(schedule.commission_percent, lang))


def _percent(value: Decimal, lang: str) -> str:
    return Formatter(LOCALES[lang], "EUR").rate(value).removesuffix("%").rstrip("\u00a0")


@router.get("/hand-in", response_class=HTMLResponse)
def handin_page(request: Request) -> Response:
    who = signed_in(request)
    return page(request, "handin.html", who, page_name="handin", results=None)


@router.post("/hand-in", response_class=HTMLResponse)
async def handin_post(request: Request) -> Response:
    who = signed_in(request)
    settings = who.accounts.settings
    t = texts(language(request, who))
    async with request.form(max_files=50, max_fields=5) as form:
        check_csrf(form, who)
        uploads = [(v.filename or "claims.csv", await v.read(settings.hand_in_max_bytes + 1))
                   for _, v in form.multi_items() if isinstance(v, UploadFile)]
    if sum(len(content) for _, content in uploads) > settings.hand_in_max_bytes:
        error = t["handin_too_large"].format(mb=f"{settings.hand_in_max_bytes / 1024 / 1024:g}")
        return page(request, "handin.html", who, page_name="handin", results=None, error=error, status=413)
    quota = store.Quota(portfolio(), who.client.id, settings.hand_in_claims_per_day, today())
    results = await anyio.to_thread.run_sync(handin.hand_in, portfolio(), who.client, uploads, settings.clients,
                                            quota, t["handin_quota"].format(n=settings.hand_in_claims_per_day))
    status = 200 if not any(r.problems for r in results) else 422
    return page(request, "handin.html", who, page_name="handin", results=results, status=status)


# -- JSON for a client's own systems


@router.get("/api/claims")
async def api_claims(request: Request) -> JSONResponse:
    who = signed_in_or_token(request)
    day = today()
    claims = await anyio.to_thread.run_sync(data.client_claims, portfolio(), who.client, day)
    rows = data.matching(claims, filters_of(request), day)
    return JSONResponse({"date": day.isoformat(), "claims": [_public(f) for f in rows]})


def _public(f: ClaimFigures) -> dict[str, Any]:
    """A claim as the client sees it (what the list shows)."""
    return f.as_dict() | {"paused": f.pause, "reasons": f.reasons}


@router.get("/api/claims/{key}")
async def api_claim(request: Request, key: str) -> JSONResponse:
    who = signed_in_or_token(request)
    day = today()
    claims = await anyio.to_thread.run_sync(data.client_claims, portfolio(), who.client, day)
    item = data.find(claims, key)
    view = await anyio.to_thread.run_sync(data.claim_view, portfolio(), item, day)
    assert item.figures is not None
    timeline = [
        {k: v for k, v in r.data.items() if k not in ("prev", "digest", "cut")}
        | {"downloads": [f"/portal/claims/{key}/files/{r.data.get('n')}/{i}" for i, _ in enumerate(data.archived(r))]}
        for r in view.records
    ]
    return JSONResponse(
        _public(item.figures) | {"statement": view.statement.as_dict(), "timeline": timeline}
    )


@router.get("/api/portfolio")
async def api_portfolio(request: Request) -> JSONResponse:
    who = signed_in_or_token(request)
    claims = await anyio.to_thread.run_sync(data.client_claims, portfolio(), who.client, today())
    return JSONResponse(data.client_figures(claims, today()).as_dict())


# -- wiring


class SecurityHeaders:
    """The portal's security headers on every answer under ``/portal`` (errors included)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not str(scope.get("path", "")).startswith("/portal"):
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                names = {k.lower() for k, _ in message.get("headers", [])}
                extra = [(k.lower().encode(), v.encode()) for k, v in HEADERS.items()]
                extra = [(k, v) for k, v in extra if k not in names]
                if _secure():
                    extra.append((b"strict-transport-security", b"max-age=31536000"))
                message["headers"] = [*message.get("headers", []), *extra]
            await send(message)

        await self.app(scope, receive, with_headers)


def _secure() -> bool:
    try:
        return _accounts().settings.secure_cookies
    except data.NotFound:
        return True


def warm() -> None:
    """Fill the index (and this process's memory of it) for today in the background, so that the first list of
    the day does not compute every claim while a user waits."""
    folder = os.environ.get(PORTFOLIO_ENV)
    if not folder:
        return
    try:
        load_accounts(Path(folder))
    except ConfigError:
        return  # no portal here: the index is not this server's business
    threading.Thread(target=indexed, args=(Path(folder), today()), daemon=True, name="dossier-portal-warm").start()


def install(app: FastAPI) -> None:
    app.include_router(router)
    app.add_middleware(SecurityHeaders)

    @app.exception_handler(Redirect)
    async def redirect(request: Request, exc: Redirect) -> Response:
        if request.url.path.startswith("/portal/api"):
            return JSONResponse({"error": "Unauthorized", "problems": []}, status_code=401)
        return RedirectResponse(exc.to, status_code=303)

    @app.exception_handler(Unauthorized)
    async def unauthorized(request: Request, exc: Unauthorized) -> Response:
        return JSONResponse({"error": "Unauthorized", "problems": []}, status_code=401,
                            headers={"WWW-Authenticate": "Bearer"})

    @app.exception_handler(Forbidden)
    async def forbidden(request: Request, exc: Forbidden) -> Response:
        return HTMLResponse("<!doctype html><title>403</title><p>The form has expired: reload the page.</p>",
                            status_code=403)

    @app.exception_handler(data.NotFound)
    async def not_found(request: Request, exc: data.NotFound) -> Response:
        if request.url.path.startswith("/portal/api") or request.headers.get("authorization"):
            return JSONResponse({"error": "NotFound", "problems": []}, status_code=404)
        try:
            who = visitor(request)
        except data.NotFound:
            who = None
        return page(request, "not_found.html", who, status=404)
