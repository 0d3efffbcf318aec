"""The edges of time: the last day the rules data covers works, the day after is a clear error, and no date
given to the engine makes it overflow the calendar."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from tests.conftest import JURISDICTIONS, SAMPLES

from dossier.engine import compute_deadline, compute_statement
from dossier.engine.instalments import schedule
from dossier.engine.ladder import next_step
from dossier.engine.letters import letter_facts
from dossier.errors import ComputationError, RuleNotFound
from dossier.model import Claim, load_claim
from dossier.rules import Jurisdiction, load_rules

#: samples whose interest follows a statutory rate that changes per period (GB-EAW fixes it per debt)
PERIODIC = {"be-b2b-fr": "interest/commercial_late_payment", "fr-b2b-fr": "interest/commercial_penalty"}


def loaded(name: str) -> tuple[Claim, Jurisdiction]:
    claim = load_claim(SAMPLES / name)
    return claim, load_rules(claim.jurisdiction, JURISDICTIONS)


@pytest.mark.parametrize(("name", "parameter"), PERIODIC.items())
def test_the_last_day_the_data_covers_gives_a_statement(name: str, parameter: str) -> None:
    claim, rules = loaded(name)
    rate = rules.parameter(parameter)
    last = rate.last_day
    assert last is not None
    statement = compute_statement(claim, rules, last)
    # the per-day figure after the last day uses the last known rate, and says so
    expected = sum(
        (line.outstanding["principal"] * rate.at(last).value / Decimal(36500) for line in statement.invoices),
        Decimal(0),
    )
    assert statement.daily_interest == expected.quantize(Decimal("0.01"))
    assert statement.daily_interest > 0
    assert any(
        f"no rate in force on {(last + timedelta(days=1)).isoformat()} yet" in w
        and f"given at the rate in force on {last.isoformat()}" in w
        for w in statement.warnings
    ), statement.warnings


def test_the_day_before_the_end_needs_no_warning() -> None:
    claim, rules = loaded("be-b2b-fr")
    last = rules.parameter(PERIODIC["be-b2b-fr"]).last_day
    assert last is not None
    statement = compute_statement(claim, rules, last - timedelta(days=1))
    assert not any("no rate in force" in w for w in statement.warnings)


@pytest.mark.parametrize("name", PERIODIC)
def test_the_day_after_the_data_is_a_clear_error_not_the_last_rate_stretched(name: str) -> None:
    claim, rules = loaded(name)
    last = rules.parameter(PERIODIC[name]).last_day
    assert last is not None
    for as_of in (last + timedelta(days=1), last + timedelta(days=90)):
        with pytest.raises(RuleNotFound, match=f"no value in force on {(last + timedelta(days=1)).isoformat()}"):
            compute_statement(claim, rules, as_of)


def test_a_date_at_the_end_of_the_calendar_is_a_computation_error_never_an_overflow() -> None:
    claim, rules = loaded("gb-eaw-b2b-en")  # rate fixed per debt: the rules do not stop the computation first
    invoice = claim.invoices[0].model_copy(update={"due_date": date(9999, 12, 31), "date": date(9999, 12, 1)})
    odd = claim.model_copy(update={"invoices": [invoice, *claim.invoices[1:]]})  # past the model's own checks
    calls = [
        lambda: compute_statement(odd, rules, date(2025, 12, 31)),
        lambda: compute_statement(claim, rules, date.max),
        lambda: compute_deadline(rules, "formal_notice", "business", date.max, "post"),
        lambda: next_step(claim, rules, date.max),
        lambda: letter_facts(claim, rules, "formal-notice", date.max),
        lambda: schedule(Decimal("100.00"), date(9999, 1, 1), date(9999, 6, 1), count=12),
    ]
    for call in calls:
        with pytest.raises(ComputationError, match="falls after 9999-12-31"):
            call()
