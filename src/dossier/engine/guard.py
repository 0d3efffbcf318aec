"""The last resort against dates at the end of the calendar: the engine adds days, months and years to the dates
it is given, and ``date`` cannot go past 9999-12-31. The model and the CLI refuse such dates first
(``dossier.model.limits``); a caller of the Python API that passes one gets a ``ComputationError``, not an
``OverflowError``."""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import MAXYEAR, MINYEAR
from typing import ParamSpec, TypeVar

from dossier.errors import ComputationError

P = ParamSpec("P")
R = TypeVar("R")


def check_year(year: int) -> int:
    """``year`` when a ``date`` can hold it, else ``OverflowError`` (``date()`` would raise a ``ValueError``)."""
    if not MINYEAR <= year <= MAXYEAR:
        raise OverflowError(f"year {year} is out of range")
    return year


def calendar_bounded(func: Callable[P, R]) -> Callable[P, R]:
    """``func`` with a date running off the calendar turned into a ``ComputationError``."""

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return func(*args, **kwargs)
        except OverflowError:
            raise ComputationError(
                "a date computed from this claim falls after 9999-12-31, the end of the calendar",
                hint="check the claim's dates and the date asked",
            ) from None

    return wrapper
