"""What one request may ask for, checked at the HTTP edge before any work starts.

The claim schema has its own limits; these are the service's: a client of a shared server must not be able to
make one request cost minutes of CPU or gigabytes of memory. Each limit can be raised by the operator.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from dossier.errors import ClaimError, Problem
from dossier.validation import dotted

LISTS = ("invoices", "payments", "history", "pieces")


def _env(name: str, default: int) -> int:
    value = os.environ.get(name, "")
    return int(value) if value.isdigit() else default


@dataclass(frozen=True)
class Bounds:
    body: int  # bytes of a JSON body
    bundle_body: int  # bytes of a /v1/bundles multipart body
    part: int  # bytes of one file part
    parts: int  # file parts of one bundle request
    items: int  # entries of each list of a claim (invoices, payments, history, pieces)
    text: int  # characters of any one text in a claim
    depth: int  # nesting of a claim object

    @classmethod
    def from_env(cls) -> Bounds:
        return cls(
            body=_env("DOSSIER_MAX_BODY", 10 * 1024 * 1024),
            bundle_body=_env("DOSSIER_MAX_BUNDLE_BODY", 100 * 1024 * 1024),
            part=_env("DOSSIER_MAX_PART", 50 * 1024 * 1024),
            parts=_env("DOSSIER_MAX_PARTS", 200),
            items=_env("DOSSIER_MAX_ITEMS", 1000),
            text=_env("DOSSIER_MAX_TEXT", 10_000),
            depth=_env("DOSSIER_MAX_DEPTH", 12),
        )


def check_claim(data: Any, bounds: Bounds, *, file: str = "claim") -> None:
    """Refuse (``ClaimError``, each problem with its field path) a claim whose lists, texts or nesting are over
    the service's bounds. Iterative, so a claim nested 100,000 deep is refused, not a ``RecursionError``."""
    problems: list[Problem] = []
    if isinstance(data, Mapping):
        for name in LISTS:
            value = data.get(name)
            if isinstance(value, list) and len(value) > bounds.items:
                problems.append(
                    Problem(
                        f"{len(value)} entries, over this service's limit of {bounds.items}",
                        file=file,
                        path=name,
                        hint="split the claim, or ask the operator to raise DOSSIER_MAX_ITEMS",
                    )
                )
    stack: list[tuple[Any, tuple[str | int, ...]]] = [(data, ())]
    while stack and len(problems) < 20:
        value, where = stack.pop()
        if len(where) > bounds.depth:
            problems.append(Problem(f"nested deeper than {bounds.depth} levels", file=file, path=dotted(where)))
            continue
        if isinstance(value, str) and len(value) > bounds.text:
            problems.append(
                Problem(
                    f"{len(value)} characters, over this service's limit of {bounds.text}",
                    file=file,
                    path=dotted(where),
                )
            )
        elif isinstance(value, Mapping):
            for key, item in value.items():
                if isinstance(key, str) and len(key) > bounds.text:
                    problems.append(Problem("a field name is too long", file=file, path=dotted(where)))
                    continue
                stack.append((item, (*where, str(key))))
        elif isinstance(value, list):
            if len(value) > bounds.items:
                if not (len(where) == 1 and where[0] in LISTS):  # those are reported above
                    message = f"{len(value)} entries, over the limit of {bounds.items}"
                    problems.append(Problem(message, file=file, path=dotted(where)))
                continue
            stack.extend((item, (*where, i)) for i, item in enumerate(value))
    if problems:
        raise ClaimError("the claim is over this service's bounds", problems=problems)
