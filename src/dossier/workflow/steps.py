"""``dossier next``: the next collection step of every claim of a portfolio on a date."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from dossier.engine.ladder import NextStep, next_step
from dossier.errors import DossierError, Problem
from dossier.workflow.claims import Loaded, load_all
from dossier.workflow.index import indexed


@dataclass(frozen=True)
class ClaimStep:
    loaded: Loaded
    step: NextStep | None
    problems: tuple[Problem, ...] = ()

    def as_dict(self) -> dict[str, object]:
        base: dict[str, object] = {"claim": self.loaded.entry.label, "key": self.loaded.entry.key}
        if self.step is None:
            base["problems"] = [p.as_dict() for p in self.problems]
            return base
        return base | self.step.as_dict()


def next_steps(portfolio: Path, day: date) -> list[ClaimStep]:
    """One line per claim, in the portfolio's order; a claim that cannot be read carries its problems."""
    out = []
    for loaded in load_all(portfolio):
        if loaded.claim is None or loaded.rules is None:
            out.append(ClaimStep(loaded, None, loaded.problems))
            continue
        try:
            out.append(ClaimStep(loaded, next_step(loaded.claim, loaded.rules, day)))
        except DossierError as exc:
            out.append(ClaimStep(loaded, None, tuple(exc.problems)))
    return out


def indexed_steps(portfolio: Path, day: date) -> list[dict[str, object]]:
    """``ClaimStep.as_dict()`` of every claim, from the portfolio's index where its files have not changed."""
    out: list[dict[str, object]] = []
    for item in indexed(portfolio, day):
        base: dict[str, object] = {"claim": item.entry.label, "key": item.entry.key}
        if item.figures is None:
            out.append(base | {"problems": list(item.problems)})
        else:
            out.append(base | item.figures.step)
    return out
