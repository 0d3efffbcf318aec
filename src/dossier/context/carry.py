"""Running sums of the tables that may run over a page: what a "carried forward" line shows where the page ends.

The PDF renderer decides where a table breaks (``dossier.render.carry``); the context gives, for every row, the
sums of the amount columns up to and including it, formatted, so that the line printed at a break is the sum of
the rows above it and never reads as the grand total.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from dossier.context.formatting import Formatter
from dossier.engine.letters import LetterFacts
from dossier.money import ZERO


def running(columns: dict[str, Iterable[Decimal]], f: Formatter) -> list[dict[str, str]]:
    """Per row, each column's sum up to that row, formatted (``columns``: name -> the column's amounts)."""
    sums = dict.fromkeys(columns, ZERO)
    rows: list[dict[str, str]] = []
    for values in zip(*columns.values(), strict=True):
        row = {}
        for name, value in zip(columns, values, strict=True):
            sums[name] += value
            row[name] = f.money(sums[name])
        rows.append(row)
    return rows


def carried(facts: LetterFacts, f: Formatter) -> dict[str, Any]:
    """The running sums of the invoices, interest periods, payments and plan schedule tables."""
    st = facts.statement
    periods = [p.amount for line in st.invoices for p in line.periods]
    plan = facts.plan.instalments if facts.plan is not None else ()
    return {
        "invoices": running(
            {"amount": [i.amount for i in st.invoices], "outstanding": [i.outstanding["total"] for i in st.invoices]},
            f,
        ),
        "periods": running({"amount": periods}, f),
        "payments": running({"amount": [a.payment.amount for a in st.payments]}, f),
        "plan": running({"amount": [i.amount for i in plan], "interest": [i.interest for i in plan]}, f),
    }
