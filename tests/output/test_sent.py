"""Only sent letters count: a rendered document is a draft that nothing reads (the ladder, the statement, later
letters, the bundle); a ``document-sent`` entry (``mark_sent``) makes it count, from the day it went out."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from tests.conftest import copy_sample

from dossier import api
from dossier.engine.letters import CostsDue, PlanRequest, letter_facts
from dossier.errors import ClaimError, ComputationError
from dossier.output.history import letter_files, mark_sent
from dossier.output.journal import Journal, append, read
from dossier.workflow.steps import next_steps

LETTERS = ("reminder", "formal-notice", "payment-plan", "statement")


def without_history(folder: Path) -> Path:
    text = (folder / "claim.yaml").read_text()
    (folder / "claim.yaml").write_text(text.split("history:")[0] + "pieces:" + text.split("pieces:")[1])
    return folder


def seen(folder: Path, day: date) -> tuple:
    """Everything that reads the file's state: the next step, the statement, the history, the bundle's letters."""
    (step,) = next_steps(folder, day)
    claim = api.load_claim(folder)
    statement = api.statement(claim, day)
    return (
        step.step.as_dict() if step.step else None,
        {k: str(v) for k, v in statement.totals.items()},
        [(h.type, h.date, h.channel) for h in claim.history],
        letter_files(folder, LETTERS),
    )


def drafts(folder: Path) -> list[dict]:
    return [r.data for r in read(Journal.of_claim(folder)).records if r.event == "document-rendered"]


def test_a_belgian_consumers_first_reminder_counts_only_once_sent_and_from_the_sending_day(tmp_path: Path) -> None:
    folder = without_history(copy_sample("be-consumer-nl", tmp_path / "c"))
    day, later = date(2025, 12, 1), date(2026, 3, 1)
    before = seen(folder, day), seen(folder, later)
    assert before[0][0]["status"] == "due" and before[0][2] == [] and before[0][3] == []

    api.render(folder, "reminder", sent=day)
    api.render(folder, "reminder", sent=day)  # rendered again: a second draft, still nothing sent
    assert (seen(folder, day), seen(folder, later)) == before
    with pytest.raises(ComputationError, match="may not be sent now"):  # the notice still wants the reminder
        api.render(folder, "formal-notice", sent=later)

    journal = Journal.of_claim(folder)
    first = drafts(folder)[0]
    sent_on = date(2025, 12, 3)
    mark_sent(journal, first["n"], channel="post", day=sent_on, recipient="Jan Peeters, Kerkstraat 1, 2000 Antwerpen")
    after = seen(folder, later)
    assert after != before[1]
    assert ("reminder", sent_on, "post") in after[2]
    assert [(f.kind, f.sent, f.name) for f in after[3]] == [("reminder", sent_on, first["files"][0]["name"])]
    earlier = api.load_claim(folder, before=sent_on).history
    assert ("reminder", sent_on, "post") not in [(h.type, h.date, h.channel) for h in earlier]
    (step,) = next_steps(folder, sent_on)
    assert step.step.taken.sent == sent_on  # the ladder counts it from the day it went out, not its draft's date
    api.render(folder, "formal-notice", sent=later)  # now allowed: the reminder was sent


def test_a_re_render_adds_a_draft_not_a_second_letter_in_the_bundle(tmp_path: Path) -> None:
    folder = copy_sample("be-b2b-fr", tmp_path / "c")
    api.render(folder, "formal-notice", sent=date(2025, 12, 1))
    api.render(folder, "formal-notice", sent=date(2025, 12, 1))
    _, second = drafts(folder)
    assert letter_files(folder, LETTERS) == []
    journal = Journal.of_claim(folder)
    mark_sent(journal, second["n"], channel="registered", day=date(2025, 12, 2), recipient="x", tracking="RR1BE")
    mark_sent(journal, second["n"], channel="email", day=date(2025, 12, 4), recipient="a@b.be")  # sent twice: once
    (letter,) = letter_files(folder, LETTERS)
    assert (letter.name, letter.sent, letter.channel) == (second["files"][0]["name"], date(2025, 12, 2), "registered")


def test_mark_sent_writes_the_contracts_payload_and_refuses_a_document_that_is_not_there(tmp_path: Path) -> None:
    folder = copy_sample("be-b2b-fr", tmp_path / "c")
    api.render(folder, "reminder", sent=date(2025, 12, 1))
    journal = Journal.of_claim(folder)
    (draft,) = drafts(folder)
    entry = mark_sent(journal, draft["n"], channel="post", day=date(2025, 12, 1), recipient="Dubois, Namur, BE")
    assert {k: entry[k] for k in entry if k not in ("n", "at", "prev", "digest", "sent_at")} == {
        "event": "document-sent",
        "document": draft["n"],
        "kind": "reminder",
        "date": "2025-12-01",
        "channel": "post",
        "recipient": "Dubois, Namur, BE",
        "tracking": None,
        "proof": None,
        "email": None,
        "forced": [],
    }
    assert entry["sent_at"].startswith("2025-12-01T00:00:00")
    with pytest.raises(ClaimError, match="has no document 99"):
        mark_sent(journal, 99, channel="post", day=date(2025, 12, 1), recipient="x")
    append(journal, "document-sent", {"document": 42, "kind": "reminder", "date": "2025-12-01", "channel": "post"})
    with pytest.raises(ClaimError, match="must be the n of a document-rendered entry") as caught:
        api.load_claim(folder)
    assert caught.value.problems[0].path == "line 3: document"


def test_a_letter_received_is_listed_apart_never_as_a_letter_we_wrote(tmp_path: Path) -> None:
    folder = without_history(copy_sample("be-b2b-fr", tmp_path / "c"))
    journal = Journal.of_claim(folder)
    event = {"type": "letter-received", "date": "2025-11-20", "until": None, "amount": None, "note": "disputes F2"}
    append(journal, "debtor-event", event)
    append(journal, "debtor-event", event | {"type": "call", "date": "2025-11-21"})
    history = api.load_claim(folder).history
    assert [(h.type, h.date) for h in history] == [("letter_received", date(2025, 11, 20))]
    (step,) = next_steps(folder, date(2025, 12, 1))
    assert step.step.taken is None  # not a step of the ladder


def test_a_payment_plan_letter_records_its_plan_only_once_sent(tmp_path: Path) -> None:
    folder = copy_sample("be-b2b-fr", tmp_path / "c")
    claim = api.load_claim(folder)
    api.render(folder, "payment-plan", sent=date(2025, 12, 1), plan=PlanRequest(count=3))
    assert api.load_claim(folder).payment_plan == claim.payment_plan
    (draft,) = drafts(folder)
    mark_sent(Journal.of_claim(folder), draft["n"], channel="post", day=date(2025, 12, 2), recipient="x")
    plan = api.load_claim(folder).payment_plan
    assert plan is not None and plan != claim.payment_plan
    assert plan.agreed == date.fromisoformat(draft["plan"]["agreed"])


def test_dutch_collection_costs_follow_a_sent_fourteen_day_letter_never_a_draft(tmp_path: Path) -> None:
    """Art. 6:96 lid 6 BW: the costs are due once the 14 days after a SENT 14-day letter have run; a draft of it
    changes nothing: later letters still announce the costs, out of the total."""
    folder = without_history(copy_sample("nl-consumer-nl", tmp_path / "c"))
    day, later = date(2025, 12, 1), date(2026, 1, 5)
    api.render(folder, "formal-notice", sent=day)
    rules = api.load_rules("NL")
    draft_only = letter_facts(api.load_claim(folder), rules, "formal-notice", later)
    assert draft_only.costs_due is None and draft_only.statement.totals["compensation"] == 0
    assert [m.parameter for m in draft_only.mentions] == ["NL:texts/fourteen_day_letter"]

    mark_sent(Journal.of_claim(folder), drafts(folder)[0]["n"], channel="post", day=day, recipient="S. de Vries")
    facts = letter_facts(api.load_claim(folder), rules, "formal-notice", later)
    # Posted Mon 1 Dec 2025, delivered Wed 3 Dec; 14 days from Thu 4 Dec end Wed 17 Dec: due from 18 Dec. The base
    # is the principal the letter stated on 1 Dec: 1,821.88 + 180.00 = 2,001.88 x 15 % = 300.28.
    assert facts.costs_due == CostsDue(Decimal("300.28"), date(2025, 12, 18), day)
    assert facts.statement.totals["compensation"] == Decimal("300.28") and facts.if_unpaid is None
    assert [m.parameter for m in facts.mentions] == ["NL:texts/collection_costs_due"]
