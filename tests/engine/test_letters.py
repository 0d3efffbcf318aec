"""Letter facts the engine refuses to make up."""

from __future__ import annotations

from datetime import date

import pytest
from tests.conftest import JURISDICTIONS, SAMPLES

from dossier.engine.letters import PlanRequest, letter_facts
from dossier.errors import ComputationError
from dossier.model import load_claim
from dossier.rules import load_rules


def test_a_payment_plan_needs_the_schedule_the_creditor_offers() -> None:
    """Issue 16: a plan without instalments or an amount used to become six instalments nobody chose."""
    claim = load_claim(SAMPLES / "be-b2b-fr")
    rules = load_rules(claim.jurisdiction, JURISDICTIONS)
    with pytest.raises(ComputationError) as info:
        letter_facts(claim, rules, "payment-plan", date(2025, 12, 1))
    assert info.value.path == "plan"
    facts = letter_facts(claim, rules, "payment-plan", date(2025, 12, 1), plan=PlanRequest(count=3))
    assert facts.plan is not None and len(facts.plan.instalments) == 3
