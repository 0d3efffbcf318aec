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


def fr_creditor() -> dict[str, Any]:
    """The base claim's creditor, established in France."""
    creditor = dict(BASE_CLAIM["creditor"], company_number=None)
    creditor["address"] = {"street": "1 rue X", "postal_code": "75001", "city": "Paris", "country": "FR"}
    return creditor


def run(data: dict[str, Any], as_of: date) -> Statement:
    parsed = claim_from_data(data)
    return compute_statement(parsed, load_rules(parsed.jurisdiction, JURISDICTIONS), as_of)


def money(statement: Statement) -> dict[str, str]:
    return {k: str(v) for k, v in statement.totals.items()}


def D(text: str) -> Decimal:
    return Decimal(text)
