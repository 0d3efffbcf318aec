"""``dossier record`` (Python API): a ``debtor-event`` per the stage-2 contract, its paper archived, read back
into the claim for the ladder; a forced letter names the rules it overrode in its journal entry."""

from __future__ import annotations

import hashlib
import json
from datetime import date
from pathlib import Path

import pytest
from tests.conftest import copy_sample

from dossier import api
from dossier.errors import ClaimError, ComputationError
from dossier.output.journal import Journal, append, read
from dossier.output.verify import verify


def entries(folder: Path) -> list[dict]:  # type: ignore[type-arg]
    return [r.data for r in read(Journal.of_claim(folder)).records]


def test_a_promise_is_journaled_per_the_contract_with_its_paper(tmp_path: Path) -> None:
    folder = copy_sample("be-b2b-fr", tmp_path / "c")
    paper = tmp_path / "Courrier débiteur.pdf"
    paper.write_bytes(b"%PDF-1.4 promise")
    entry = api.record(folder, "promise", date(2025, 12, 2), until=date(2025, 12, 20), amount="500", note="by phone",
                       file=paper)
    assert {k: entry[k] for k in ("event", "type", "date", "until", "amount", "note")} == {
        "event": "debtor-event",
        "type": "promise",
        "date": "2025-12-02",
        "until": "2025-12-20",
        "amount": "500.00",
        "note": "by phone",
    }
    kept = entry["file"]
    assert kept["file"].startswith("out/2025-12-02_promise_") and kept["format"] == "pdf"
    assert (folder / kept["file"]).read_bytes() == paper.read_bytes()
    assert kept["sha256"] == hashlib.sha256(paper.read_bytes()).hexdigest() and kept["bytes"] == 16
    assert verify(Journal.of_claim(folder)).intact
    again = api.record(folder, "promise", date(2025, 12, 2), until=date(2025, 12, 20), file=paper)
    assert again["file"]["file"] != kept["file"]  # never over a paper already kept
    assert again["amount"] is None and again["note"] is None

    claim = api.load_claim(folder)
    assert [(e.type, e.until, e.amount) for e in claim.events] == [
        ("promise", date(2025, 12, 20), 500),
        ("promise", date(2025, 12, 20), None),
    ]
    assert api.next_steps(folder, date(2025, 12, 10))[0].step.status == "paused"


def test_a_recorded_dispute_pauses_the_ladder_until_resolved(tmp_path: Path) -> None:
    folder = copy_sample("be-b2b-fr", tmp_path / "c")
    assert api.next_steps(folder, date(2025, 12, 10))[0].step.status == "due"
    api.record(folder, "dispute", date(2025, 12, 1), note="contests invoice F-2025-014")
    paused = api.next_steps(folder, date(2025, 12, 10))[0].step
    assert paused.status == "paused" and "disputed the claim on 2025-12-01" in paused.reasons[0]
    api.record(folder, "dispute-resolved", date(2025, 12, 5))
    assert api.next_steps(folder, date(2025, 12, 10))[0].step.status == "due"


@pytest.mark.parametrize(
    ("kwargs", "field", "words"),
    [
        ({"event": "promise"}, "until", "needs the day"),
        ({"event": "dispute", "until": date(2025, 12, 9)}, "until", "only a promise"),
        ({"event": "call", "amount": "10"}, "amount", "only a promise"),
        ({"event": "promise", "until": date(2025, 11, 1)}, "until", "before the promise was made"),
        ({"event": "promise", "until": date(2025, 12, 9), "amount": "1.234"}, "amount", "more than two decimals"),
        ({"event": "promise", "until": date(2025, 12, 9), "amount": "-5"}, "amount", "greater than zero"),
        ({"event": "promise", "until": date(2025, 12, 9), "amount": "ten"}, "amount", "not a valid amount"),
        ({"event": "call", "note": "x" * 2001}, "note", "at most 2000"),
        ({"event": "call", "note": "bell\x07"}, "note", "control character"),
        ({"event": "quarrel"}, "event", "is not an event"),
    ],
)
def test_invalid_input_is_refused_naming_the_field_and_nothing_is_written(
    tmp_path: Path, kwargs: dict, field: str, words: str  # type: ignore[type-arg]
) -> None:
    folder = copy_sample("be-b2b-fr", tmp_path / "c")
    event = kwargs.pop("event")
    with pytest.raises(ClaimError) as info:
        api.record(folder, event, date(2025, 12, 2), **kwargs)
    assert info.value.problems[0].path == field
    assert words in info.value.problems[0].message
    assert not (folder / "journal.jsonl").exists() and not (folder / "out").exists()


def test_a_missing_paper_or_a_folder_that_is_no_claim_is_named(tmp_path: Path) -> None:
    folder = copy_sample("be-b2b-fr", tmp_path / "c")
    with pytest.raises(ClaimError) as info:
        api.record(folder, "letter-received", date(2025, 12, 2), file=tmp_path / "nope.pdf")
    assert (info.value.file, info.value.path) == (str(tmp_path / "nope.pdf"), "file")
    with pytest.raises(ClaimError) as info:
        api.record(tmp_path, "call", date(2025, 12, 2))
    assert "no claim.yaml" in info.value.message
    assert not (folder / "journal.jsonl").exists()


def test_a_debtor_event_the_model_refuses_is_named_by_line_and_field(tmp_path: Path) -> None:
    folder = copy_sample("be-b2b-fr", tmp_path / "c")
    api.record(folder, "call", date(2025, 12, 2))
    append(Journal.of_claim(folder), "debtor-event", {"type": "promise", "date": "2025-12-03", "until": "2025-12-31",
                                                      "amount": "1.001", "note": None, "file": None})
    with pytest.raises(ClaimError) as info:
        api.load_claim(folder)
    assert info.value.file == str(folder / "journal.jsonl")
    assert info.value.path == "line 2: amount" and "more than two decimals" in info.value.message


def test_a_refused_letter_cites_its_rule_and_force_is_journaled(tmp_path: Path) -> None:
    """The sample's history lists the free first reminder of 2025-11-28: a second one is refused."""
    folder = copy_sample("be-consumer-nl", tmp_path / "c")
    with pytest.raises(ComputationError) as info:
        api.render(folder, "reminder", sent=date(2025, 12, 1))
    assert "BE:deadlines/book_xix_first_reminder" in info.value.message and "--force" in str(info.value.hint)
    assert not (folder / "journal.jsonl").exists()
    forced = api.render(folder, "reminder", sent=date(2025, 12, 1), force=True)
    assert forced.entry["forced"] == ["BE:deadlines/book_xix_first_reminder"]
    plain = api.render(folder, "statement", sent=date(2025, 12, 1))
    assert "forced" not in plain.entry  # nothing overridden, nothing claimed
    assert [e.get("forced") for e in entries(folder)] == [["BE:deadlines/book_xix_first_reminder"], None]


def test_a_letter_under_an_open_dispute_is_refused_unless_forced(tmp_path: Path) -> None:
    folder = copy_sample("be-b2b-fr", tmp_path / "c")
    api.record(folder, "dispute", date(2025, 12, 1))  # the letter's own day: the dispute counts
    with pytest.raises(ComputationError) as info:
        api.render(folder, "formal-notice", sent=date(2025, 12, 1))
    assert "BE:ladders/business" in info.value.message and "disputed the claim on 2025-12-01" in info.value.message
    forced = api.render(folder, "formal-notice", sent=date(2025, 12, 1), force=True)
    assert forced.entry["forced"] == ["BE:ladders/business"]
    line = (folder / "journal.jsonl").read_text().splitlines()[-1]
    assert json.loads(line)["forced"] == ["BE:ladders/business"]
