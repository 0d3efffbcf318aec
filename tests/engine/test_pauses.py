"""Debtor events pause the ladder: an open dispute, a promise to pay not yet due, mail returned without a new
address (dossier record)."""

from __future__ import annotations

from datetime import date
from typing import Any

from tests.conftest import JURISDICTIONS
from tests.engine.helpers import claim

from dossier.engine.ladder import next_step
from dossier.model import claim_from_data
from dossier.rules import load_rules


def step(data: dict[str, Any], day: date):  # type: ignore[no-untyped-def]
    parsed = claim_from_data(data)
    return next_step(parsed, load_rules(parsed.jurisdiction, JURISDICTIONS), day)


def test_a_dispute_pauses_the_ladder_and_its_resolution_resumes_it() -> None:
    data = claim(events=[{"date": "2025-02-20", "type": "dispute", "note": "says goods were faulty"}])
    paused = step(data, date(2025, 3, 1))
    assert (paused.status, paused.step.name, paused.earliest) == ("paused", "first-reminder", None)
    assert paused.pauses[0].kind == "dispute"
    assert "disputed the claim on 2025-02-20" in paused.reasons[0]
    assert not paused.actionable
    assert paused.as_dict()["paused"][0]["since"] == "2025-02-20"
    assert step(data, date(2025, 2, 19)).status == "due"  # not before it was recorded

    data["events"].append({"date": "2025-03-05", "type": "dispute-resolved"})
    assert step(data, date(2025, 3, 4)).status == "paused"
    resumed = step(data, date(2025, 3, 6))
    assert (resumed.status, resumed.earliest) == ("due", date(2025, 3, 5))
    assert any("resolved on 2025-03-05" in r for r in resumed.reasons)


def test_a_resolution_before_a_later_dispute_does_not_close_it() -> None:
    data = claim(
        events=[
            {"date": "2025-02-20", "type": "dispute"},
            {"date": "2025-02-25", "type": "dispute-resolved"},
            {"date": "2025-03-01", "type": "dispute"},
        ]
    )
    assert step(data, date(2025, 3, 10)).status == "paused"


def test_a_promise_pauses_until_its_date_plus_the_ladder_grace() -> None:
    """BE ladders: promise_grace_days 5. Promised by 10 March: paused to 15 March, the ladder resumes on the 16th."""
    data = claim(events=[{"date": "2025-03-01", "type": "promise", "until": "2025-03-10", "amount": "1000.00"}])
    paused = step(data, date(2025, 3, 15))
    assert (paused.status, paused.earliest) == ("paused", date(2025, 3, 16))
    assert paused.pauses[0].until == date(2025, 3, 15)
    assert "by 2025-03-10" in paused.reasons[0] and "5 day(s) of grace" in paused.reasons[0]
    broken = step(data, date(2025, 3, 16))
    assert (broken.status, broken.earliest) == ("due", date(2025, 3, 16))
    assert any("was not kept" in r for r in broken.reasons)


def test_a_kept_promise_ends_the_pause() -> None:
    data = claim(
        events=[{"date": "2025-03-01", "type": "promise", "until": "2025-03-10", "amount": "400.00"}],
        payments=[{"date": "2025-03-08", "amount": "400.00"}],
    )
    kept = step(data, date(2025, 3, 9))
    assert kept.status == "due" and not kept.pauses
    paid = claim(
        events=[{"date": "2025-03-01", "type": "promise", "until": "2025-03-10"}],
        payments=[{"date": "2025-03-08", "amount": "1500.00"}],  # principal, interest and costs
    )
    assert step(paid, date(2025, 3, 9)).status == "paid"


def test_a_promise_paid_short_still_pauses() -> None:
    data = claim(
        events=[{"date": "2025-03-01", "type": "promise", "until": "2025-03-10", "amount": "400.00"}],
        payments=[{"date": "2025-03-08", "amount": "100.00"}],
    )
    assert step(data, date(2025, 3, 9)).status == "paused"


def test_returned_mail_needs_an_address_change() -> None:
    data = claim(
        history=[{"date": "2025-02-12", "type": "reminder", "channel": "post"}],
        events=[{"date": "2025-02-20", "type": "returned-mail", "note": "moved, no forwarding address"}],
    )
    paused = step(data, date(2025, 4, 1))
    assert (paused.status, paused.pauses[0].kind, paused.earliest) == ("paused", "address-needed", None)
    assert "an address is needed" in paused.reasons[0]
    data["events"].append({"date": "2025-03-01", "type": "address-changed"})
    assert step(data, date(2025, 4, 1)).status == "due"


def test_an_open_dispute_comes_before_a_promise() -> None:
    data = claim(
        events=[
            {"date": "2025-03-01", "type": "promise", "until": "2025-03-10"},
            {"date": "2025-03-02", "type": "dispute"},
        ]
    )
    paused = step(data, date(2025, 3, 5))
    assert [p.kind for p in paused.pauses] == ["dispute", "promise"]
    assert paused.earliest is None
