"""Imported payments reach payment-plan tracking as they arrive: an instalment paid by bank transfer keeps the
plan honoured; without it the plan lapses."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from tests.payments.conftest import claim, journal, ogm, portfolio, statement, tx

from dossier.engine.plan_tracking import plan_status
from dossier.model import claim_from_data
from dossier.output.history import with_journal
from dossier.workflow.payments import import_payments

PLAN = {
    "agreed": "2025-04-01",
    "grace_days": 10,
    "instalments": [{"due_date": "2025-05-01", "amount": "500.00"}, {"due_date": "2025-06-01", "amount": "560.00"}],
}


def test_an_imported_instalment_keeps_the_plan_honoured(tmp_path: Path) -> None:
    data = claim("P-1", payment_plan=PLAN)
    book = portfolio(tmp_path, data)
    day = date(2025, 5, 20)  # the first instalment's grace ended on 11 May
    assert plan_status(claim_from_data(data).payment_plan, claim_from_data(data), day).state == "lapsed"
    paid_on = date(2025, 5, 2)
    import_payments(book, [statement(tx("r1", "500.00", structured=ogm("P-1"), value_date=paid_on,
                                        booking_date=paid_on))])
    completed = with_journal(claim_from_data(data), journal(book, "P-1"))
    status = plan_status(completed.payment_plan, completed, day)
    assert status.state == "honoured" and str(status.paid_so_far) == "500.00"
