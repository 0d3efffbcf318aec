"""The one error tree of dossier.

Every problem a user can cause is a ``DossierError`` that knows *where* it is
(the file, the field path inside it) and *what* is wrong, so that the CLI can
print ``claim.yaml: invoices[2].due_date: 2025-02-30 is not a valid date`` and
the HTTP layer can answer 422 with the same three parts. Tracebacks are for
bugs only.

    DossierError
    ├── ClaimError          a claim folder or claim file is wrong
    ├── RulesError          jurisdiction data is wrong (a bug in our data, or a firm's override)
    │   └── RuleNotFound    no value in force for a parameter at a date
    ├── ComputationError    the claim is valid but the law cannot be applied to it as asked
    └── StatementError      a bank statement file is of no known format, or damaged
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong in one place."""

    message: str
    file: str | None = None
    path: str | None = None
    hint: str | None = None

    def __str__(self) -> str:
        where = ": ".join(p for p in (self.file, self.path) if p)
        text = f"{where}: {self.message}" if where else self.message
        return f"{text} ({self.hint})" if self.hint else text

    def as_dict(self) -> dict[str, str | None]:
        return {"file": self.file, "path": self.path, "message": self.message, "hint": self.hint}


class DossierError(Exception):
    """Base of every user-facing error; carries one or more located problems."""

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        path: str | None = None,
        hint: str | None = None,
        problems: Iterable[Problem] | None = None,
    ) -> None:
        found = list(problems or [])
        if not found:
            found = [Problem(message=message, file=file, path=path, hint=hint)]
        self.problems: list[Problem] = found
        first = found[0]
        self.file, self.path, self.message, self.hint = first.file, first.path, first.message, first.hint
        super().__init__("\n".join(str(p) for p in found))

    def as_dict(self) -> dict[str, object]:
        return {"error": type(self).__name__, "problems": [p.as_dict() for p in self.problems]}


class ClaimError(DossierError):
    """The claim folder or its claim file is invalid."""


class RulesError(DossierError):
    """Jurisdiction data is invalid or inconsistent."""


class RuleNotFound(RulesError):
    """No value of a parameter is in force at the date asked."""


class ComputationError(DossierError):
    """The law cannot be applied to this claim as asked."""


class StatementError(DossierError):
    """A bank statement file is none of the formats read (CODA, camt.053/054, MT940) or is damaged; ``path``
    names the line (CODA, MT940) or the element (camt). Nothing of such a file is used."""
