"""Turning pydantic validation errors into located ``Problem``s with readable field paths."""

from __future__ import annotations

import re
import reprlib
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from pydantic import ValidationError

from dossier.errors import Problem

#: how much of a wrong value an error message repeats (a 50 MB field must not become a 50 MB message)
SHOWN = 60

_PATH_PREFIX = re.compile(r"^([A-Za-z_]\w*(?:\[\d+\])?(?:\.[A-Za-z_]\w*(?:\[\d+\])?)*): (.+)$")


_REPR = reprlib.Repr()  # keyword arguments only from Python 3.12
_REPR.maxstring = _REPR.maxother = SHOWN
_REPR.maxlist = _REPR.maxtuple = _REPR.maxdict = _REPR.maxset = 4
_REPR.maxlevel = 2


def shown(value: Any) -> str:
    """``repr(value)`` cut short, whatever its size or depth."""
    return _REPR.repr(value)


def quoted(value: Any) -> str:
    """``value`` as written when it is a short string or a number, else ``shown(value)``: for messages that name
    what was given."""
    if isinstance(value, Decimal) or (isinstance(value, int) and not isinstance(value, bool)):
        text = str(value) if not isinstance(value, int) or value.bit_length() < 1000 else "a huge number"
        return text if len(text) <= SHOWN else text[: SHOWN - 3] + "..."
    return value if isinstance(value, str) and len(value) <= SHOWN and value.isprintable() else shown(value)


def dotted(loc: Iterable[Any]) -> str:
    """``('invoices', 2, 'due_date')`` -> ``invoices[2].due_date``."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def problems_from(exc: ValidationError, file: str, prefix: str = "") -> list[Problem]:
    """One ``Problem`` per pydantic error, with the messages users need rather than pydantic's."""
    problems: list[Problem] = []
    for err in exc.errors(include_url=False):
        loc = [p for p in err["loc"] if not (isinstance(p, str) and p.startswith("function-"))]
        kind = err["type"]
        message = str(err["msg"]).removeprefix("Value error, ")
        path = dotted(loc)
        prefixed = _PATH_PREFIX.match(message)
        if prefixed:
            path = ".".join(p for p in (path, prefixed.group(1)) if p)
            message = prefixed.group(2)
        given = err.get("input")
        limit = (err.get("ctx") or {}).get("max_length")
        if kind == "string_too_long" and isinstance(given, str):
            message = f"is {len(given)} characters long; at most {limit} are allowed"
        elif kind == "too_long":
            count = len(given) if hasattr(given, "__len__") else "too many"
            message = f"has {count} items; at most {limit} are allowed"
        elif kind == "extra_forbidden":
            message = f"unknown field {loc[-1]!r} (check the spelling)"
        elif kind == "missing":
            message = "is required but missing"
        elif kind == "literal_error":
            message = f"{shown(given)} is not allowed: {message.removeprefix('Input should be ')}"
        elif kind not in {"value_error", "assertion_error"} and not isinstance(given, dict | list):
            message = f"{shown(given)}: {message}"
        full = ".".join(p for p in (prefix, path) if p)
        problems.append(Problem(message=message, file=file, path=full or None))
    return problems
