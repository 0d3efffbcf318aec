"""Pre-flight: what the file's state forbids is refused, citing the rule from the jurisdiction data. Claims
state their letters in ``history`` (what was sent), never through rendering."""

from __future__ import annotations

from datetime import date
from typing import Any

from tests.conftest import JURISDICTIONS
from tests.engine.helpers import claim

from dossier.engine.letters import letter_facts
from dossier.model import claim_from_data
from dossier.rules import load_rules


def facts(data: dict[str, Any], kind: str, sent: date, level: int = 1):  # type: ignore[no-untyped-def]
    parsed = claim_from_data(data)
    return letter_facts(parsed, load_rules(parsed.jurisdiction, JURISDICTIONS), kind, sent, level=level)


def be_consumer(**changes: Any) -> dict[str, Any]:
    data = claim(**changes)
    data["debtor"] = dict(data["debtor"], type="consumer", name="Jan Peeters")
    data["debtor"].pop("company_number", None)
    data["invoices"][0].update(date="2025-10-01", due_date="2025-10-31")
    return data


def test_a_second_free_first_reminder_to_a_belgian_consumer_is_refused() -> None:
    """Issue 13: a consumer received a second "this first reminder is free" letter three days after the first."""
    data = be_consumer(history=[{"date": "2025-11-28", "type": "reminder", "channel": "post"}])
    second = facts(data, "reminder", date(2025, 12, 1))
    assert second.blocked_by == ("BE:deadlines/book_xix_first_reminder",)
    (why,) = second.blockers
    assert "already sent on 2025-11-28" in why and "sent once" in why
    assert "BE:deadlines/book_xix_first_reminder: Code de droit économique, Livre XIX" in why
    assert facts(be_consumer(), "reminder", date(2025, 12, 1)).blockers == ()  # the first one is fine
    assert facts(data, "reminder", date(2025, 11, 28)).blockers == ()  # the same letter, redone on its date


def test_a_belgian_consumer_formal_notice_before_the_reminder_period_cites_the_period_rule() -> None:
    data = be_consumer(history=[{"date": "2025-11-28", "type": "reminder", "channel": "post"}])
    early = facts(data, "formal-notice", date(2025, 12, 16))
    assert early.blocked_by == ("BE:deadlines/book_xix_first_reminder",)
    assert "runs until 2025-12-16" in early.blockers[0] and "Livre XIX" in early.blockers[0]
    assert facts(data, "formal-notice", date(2025, 12, 17)).blockers == ()


def test_a_formal_notice_before_the_reminder_period_has_run_is_refused() -> None:
    """Any jurisdiction: the reminder's period (its deadline rule) must have run."""
    data = claim(history=[{"date": "2025-03-03", "type": "reminder", "channel": "post"}])
    early = facts(data, "formal-notice", date(2025, 3, 5))
    (rule,) = early.blocked_by
    assert rule.startswith("BE:deadlines/")
    assert "the reminder sent on 2025-03-03 gave until" in early.blockers[0] and rule in early.blockers[0]
    later = facts(data, "formal-notice", date(2025, 6, 2))
    assert later.blockers == ()


def test_no_letter_while_a_dispute_is_open() -> None:
    data = claim(events=[{"date": "2025-03-01", "type": "dispute"}])
    for kind in ("reminder", "formal-notice"):
        refused = facts(data, kind, date(2025, 3, 10))
        assert refused.blocked_by == ("BE:ladders/business",), kind
        assert "disputed the claim on 2025-03-01" in refused.blockers[0]
    assert facts(data, "statement", date(2025, 3, 10)).blockers == ()  # a statement is not a letter
    data["events"].append({"date": "2025-03-09", "type": "dispute-resolved"})
    assert facts(data, "reminder", date(2025, 3, 10)).blockers == ()


def test_no_letter_after_returned_mail_until_the_address_changes() -> None:
    data = claim(events=[{"date": "2025-03-01", "type": "returned-mail"}])
    refused = facts(data, "reminder", date(2025, 3, 10))
    assert refused.blocked_by == ("BE:ladders/business",)
    assert "an address is needed" in refused.blockers[0]
    data["events"].append({"date": "2025-03-02", "type": "address-changed"})
    assert facts(data, "reminder", date(2025, 3, 10)).blockers == ()
