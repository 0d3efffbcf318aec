from __future__ import annotations

import copy
from datetime import date
from decimal import Decimal
from typing import Any

from tests.conftest import BASE_CLAIM, JURISDICTIONS

from dossier.engine import Statement, compute_statement
from dossier.model import claim_from_data
from dossier.rules import load_rules


def claim(**changes: Any) -> dict[str, Any]:
    data = copy.deepcopy(BASE_CLAIM)
    data.update(changes)
    return data


def run(data: dict[str, Any], as_of: date) -> Statement:
    parsed = claim_from_data(data)
    return compute_statement(parsed, load_rules(parsed.jurisdiction, JURISDICTIONS), as_of)


def money(statement: Statement) -> dict[str, str]:
    return {k: str(v) for k, v in statement.totals.items()}


def D(text: str) -> Decimal:
    return Decimal(text)
