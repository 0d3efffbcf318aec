"""The one error shape of the HTTP API, the request id that ties an answer to the server log, and that log.

Every answer that is not a success, whatever raised it (our code, FastAPI, Starlette, a limit), has the body
``{"error", "problems": [{"file", "path", "message", "hint"}], "request_id"}`` and an ``X-Request-ID`` header.
Every 5xx is logged on the ``dossier.http`` logger as one JSON line with that id, so an operator finds the
server-side cause of what a client reports; the client never sees a traceback.
"""

from __future__ import annotations

import json
import logging
import re
import uuid
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from typing import Any

from starlette.exceptions import HTTPException
from starlette.responses import JSONResponse
from starlette.types import Scope

LOGGER = logging.getLogger("dossier.http")
REQUEST_ID_HEADER = "X-Request-ID"
_CLIENT_ID = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")
_STANDARD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime"}


class Refused(Exception):
    """An answer other than success, already in the documented shape (raised anywhere, answered by one handler)."""

    def __init__(self, status: int, error: str, problems: Iterable[Mapping[str, Any]]) -> None:
        self.status = status
        self.body: dict[str, Any] = {"error": error, "problems": [dict(p) for p in problems]}
        super().__init__(f"{status} {error}")

    def __reduce__(self) -> tuple[Any, ...]:  # it crosses from a worker process
        return (Refused, (self.status, self.body["error"], self.body["problems"]))


class BodyTooLarge(HTTPException):
    """Raised while the body streams in; an ``HTTPException`` so FastAPI's body reader lets it through."""

    def __init__(self, limit: int) -> None:
        super().__init__(status_code=413, detail=f"the request body is over the limit of {limit} bytes")
        self.limit = limit


def problem(message: str, *, file: str | None = None, path: str | None = None, hint: str | None = None) -> dict:
    return {"file": file, "path": path, "message": message, "hint": hint}


def request_id(scope: Scope) -> str:
    """The id of this request: the client's own ``X-Request-ID`` if it is a plain token, else a new one."""
    state = scope.setdefault("state", {})
    if "request_id" not in state:
        given = next((v.decode("latin-1") for k, v in scope.get("headers", []) if k == b"x-request-id"), "")
        state["request_id"] = given if _CLIENT_ID.match(given) else uuid.uuid4().hex
    return state["request_id"]


def answer(scope: Scope, status: int, body: Mapping[str, Any]) -> JSONResponse:
    rid = request_id(scope)
    return JSONResponse({**body, "request_id": rid}, status_code=status, headers={REQUEST_ID_HEADER: rid})


def simple(scope: Scope, status: int, error: str, message: str, *, path: str | None = None) -> JSONResponse:
    return answer(scope, status, {"error": error, "problems": [problem(message, path=path)]})


# What the CLI's hints ask for, said the HTTP way (longest first so "--skip-bad" wins over a shorter flag).
HTTP_EQUIVALENTS: dict[str, str] = {
    "pass --skip-bad": "send the form field skip_bad=true",
    "--skip-bad": "the form field skip_bad=true",
    "pass --force": 'send "options": {"force": true}',
    "--force": 'the option "force": true',
    "drop --pdfa": 'set pdfa to false',
    "--pdfa": 'the option "pdfa"',
    "--as-of": 'the field "as_of"',
    "--date": 'the field "date"',
    "--sent": 'the field "date"',
    "--instalments": 'the option "plan": {"instalments": N}',
    "--amount": 'the option "plan": {"amount": X}',
    "--level": 'the option "level"',
    "--channel": 'the option "channel"',
}
_FLAG = re.compile(r"--[a-z][a-z0-9-]*")


def http_hint(hint: str | None) -> str | None:
    """A hint written for the CLI (``pass --skip-bad``) rewritten to name what an HTTP client sends instead."""
    if not hint or "--" not in hint:
        return hint
    for cli in sorted(HTTP_EQUIVALENTS, key=len, reverse=True):
        hint = hint.replace(cli, HTTP_EQUIVALENTS[cli])
    return _FLAG.sub(lambda m: f'the request field "{m.group()[2:].replace("-", "_")}"', hint)


# An absolute POSIX path not glued to a word (so "+++090/9337/55493+++" and "01/02/2025" are left alone).
_SERVER_PATH = re.compile(r"""(?<![\w+.~-])/(?:[^\s/'"(),;:]+/)*[^\s/'"(),;:]+""")


def without_server_paths(text: str | None) -> str | None:
    """Defence in depth: whatever a lower layer put in a message, an HTTP client never reads a server path."""
    return _SERVER_PATH.sub("(a server path)", text) if text else text


def for_http(body: Mapping[str, Any]) -> dict[str, Any]:
    """An error body (``DossierError.as_dict()``) with its hints said the HTTP way and no server path in it."""
    problems = [
        {
            **p,
            "file": without_server_paths(p.get("file")),
            "message": without_server_paths(p.get("message")) or "",
            "hint": without_server_paths(http_hint(p.get("hint"))),
        }
        for p in body.get("problems", [])
    ]
    return {**body, "problems": problems}


class JsonLines(logging.Formatter):
    """One JSON object per record: time, level, logger, message and every ``extra=`` field."""

    def format(self, record: logging.LogRecord) -> str:
        data: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        data.update({k: v for k, v in vars(record).items() if k not in _STANDARD})
        if record.exc_info:
            data["traceback"] = self.formatException(record.exc_info)
        return json.dumps(data, default=str, ensure_ascii=False)


def configure_logging(level: int = logging.INFO, *, unless_configured: bool = False) -> None:
    """Send the ``dossier.http`` log to stderr as JSON lines (idempotent). ``unless_configured``: only when
    nobody has set up logging (no handler on the root logger), as at ``dossier serve`` start-up."""
    if any(isinstance(h.formatter, JsonLines) for h in LOGGER.handlers):
        return
    if unless_configured and (logging.getLogger().handlers or LOGGER.handlers):
        return
    handler = logging.StreamHandler()
    handler.setFormatter(JsonLines())
    LOGGER.addHandler(handler)
    LOGGER.setLevel(level)
    LOGGER.propagate = False
