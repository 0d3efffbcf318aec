"""A legal parameter: dated values, each with its status and sources, looked up by date."""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from dossier.errors import RuleNotFound
from dossier.rules.schema import Source


@dataclass(frozen=True)
class DatedValue:
    """One value of a parameter with the period it is in force and where it comes from."""

    parameter: str
    value: Any
    start: date
    end: date | None
    status: str
    sources: tuple[Source, ...]
    note: str | None = None
    citation: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (language, primary sources a document cites)

    def cited(self, language: str) -> tuple[str, ...]:
        """The primary sources a document in ``language`` cites for this value (none for research-only data)."""
        return next((texts for lang, texts in self.citation if lang == language), ())

    def covers(self, day: date) -> bool:
        return self.start <= day and (self.end is None or day <= self.end)

    def cite(self) -> dict[str, Any]:
        """The JSON form used in a statement's ``rules`` list."""
        value = self.value
        shown: Any = str(value) if not hasattr(value, "model_dump") else value.model_dump(mode="json", by_alias=True)
        return {
            "id": self.parameter,
            "value": shown,
            "from": self.start.isoformat(),
            "until": self.end.isoformat() if self.end else None,
            "status": self.status,
            "sources": [s.model_dump(mode="json", exclude_none=True) for s in self.sources],
            **({"note": self.note} if self.note else {}),
        }


@dataclass(frozen=True)
class Parameter:
    """All dated values of one parameter, contiguous and sorted (the loader guarantees it)."""

    id: str
    file: str
    description: str
    unit: str
    cadence: str
    checked_on: date
    legal_basis: tuple[Source, ...]
    values: tuple[DatedValue, ...]
    currency: str | None = None
    _starts: tuple[date, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_starts", tuple(v.start for v in self.values))

    @property
    def first_day(self) -> date:
        return self.values[0].start

    @property
    def last_day(self) -> date | None:
        return self.values[-1].end

    def at(self, day: date) -> DatedValue:
        """The value in force on ``day``; ``RuleNotFound`` when the data does not cover it."""
        index = bisect.bisect_right(self._starts, day) - 1
        if index >= 0 and self.values[index].covers(day):
            return self.values[index]
        span = (
            f"{self.first_day.isoformat()} to {self.last_day.isoformat()}"
            if self.last_day
            else (f"{self.first_day.isoformat()} onwards")
        )
        after_end = self.last_day is not None and day > self.last_day
        raise RuleNotFound(
            f"no value in force on {day.isoformat()} (the data covers {span})",
            file=self.file,
            path="values",
            hint=(
                f"the rules data ends on {self.last_day.isoformat()}; the value from "
                f"{(self.last_day + timedelta(days=1)).isoformat()} is added, with its source, once it is published"
                if after_end and self.last_day is not None
                else "add the value in force then, with its source, to this file"
            ),
        )

    def changes_between(self, start: date, end: date) -> list[date]:
        """Days in ``(start, end]`` on which a new value takes effect."""
        return [s for s in self._starts if start < s <= end]

    def segments(self, start: date, end: date) -> list[tuple[date, date, DatedValue]]:
        """Split ``[start, end]`` at each change of value: ``(first day, last day, value)`` triples.
        ``RuleNotFound`` when the data stops before ``end``: the last value never stands in for days after it."""
        cuts = [start, *self.changes_between(start, end)]
        out = []
        for i, first in enumerate(cuts):
            last = cuts[i + 1] - timedelta(days=1) if i + 1 < len(cuts) else end
            value = self.at(first)
            if value.end is not None and value.end < last:
                self.at(value.end + timedelta(days=1))  # raises, naming the first day the data does not cover
            out.append((first, last, value))
        return out
