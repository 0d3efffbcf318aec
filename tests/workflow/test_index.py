"""The portfolio index: the same figures as computing every claim, read back without computing, and never older
than the claim files and journals."""

from __future__ import annotations

import csv
import json
import os
import time
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from tests.conftest import copy_sample, send_drafts

from dossier.output.journal import Journal, append
from dossier.workflow import index
from dossier.workflow.index import INDEX, figures_row, indexed
from dossier.workflow.report import portfolio_report

DAY = date(2025, 12, 31)
HOUR = 3600 * 10**9


def age(folder: Path) -> None:
    """Every file of the folder as if last written an hour ago (past the racy window)."""
    for path in folder.rglob("*"):
        st = path.stat()
        os.utime(path, ns=(st.st_atime_ns - HOUR, st.st_mtime_ns - HOUR))


@pytest.fixture
def portfolio(tmp_path: Path) -> Path:
    folder = tmp_path / "portfolio"
    for name in ("be-b2b-fr", "nl-consumer-nl", "gb-eaw-b2b-en"):
        copy_sample(name, folder / name)
    (folder / "broken").mkdir()
    (folder / "broken" / "claim.yaml").write_text("reference: X\njurisdiction: BE\n")
    age(folder)
    return folder


def live(portfolio: Path, name: str) -> dict:
    from dossier.workflow.claims import portfolio_entries

    entry = next(e for e in portfolio_entries(portfolio) if e.key == name)
    return figures_row(entry, portfolio, DAY)


def no_computing(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_: object) -> dict:
        raise AssertionError("computed a claim the index holds")

    monkeypatch.setattr(index, "figures_row", refuse)


def test_the_index_holds_the_same_figures_and_a_second_read_computes_nothing(
    portfolio: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = portfolio_report(portfolio, DAY).as_dict()
    assert (portfolio / "_dossier" / INDEX).is_file()
    assert (first["claims"], len(first["failed"])) == (3, 1)
    for claim in first["per_claim"]:
        assert live(portfolio, claim["key"])["totals"]["due"] == claim["totals"]["due"]
    no_computing(monkeypatch)
    assert portfolio_report(portfolio, DAY).as_dict() == first  # the failed claim too, with its problems


def test_a_claim_changed_in_place_with_the_same_size_and_time_is_computed_again(
    portfolio: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    claim = portfolio / "be-b2b-fr" / "claim.yaml"
    before = {c.key: c for c in (i.figures for i in indexed(portfolio, DAY)) if c}["be-b2b-fr"]
    st = claim.stat()
    text = claim.read_text(encoding="utf-8")
    claim.write_text(text.replace('amount: "2420.00"', 'amount: "2920.00"'), encoding="utf-8")
    os.utime(claim, ns=(st.st_atime_ns, st.st_mtime_ns))  # the modification time put back: the change time moves
    after = {c.key: c for c in (i.figures for i in indexed(portfolio, DAY)) if c}["be-b2b-fr"]
    assert after.totals["principal"] - before.totals["principal"] == 500


def test_a_journal_line_changes_the_step(portfolio: Path) -> None:
    from dossier.api import render

    first = {i.entry.key: i.figures for i in indexed(portfolio, DAY)}["be-b2b-fr"]
    render(str(portfolio / "be-b2b-fr"), "formal-notice", sent=date(2025, 12, 1))
    send_drafts(portfolio / "be-b2b-fr")
    after = {i.entry.key: i.figures for i in indexed(portfolio, DAY)}["be-b2b-fr"]
    assert first is not None and after is not None
    assert (first.taken, after.taken) == ("second-reminder", "formal-notice")


def test_a_debtor_event_appended_now_pauses_the_claim_at_once(portfolio: Path) -> None:
    indexed(portfolio, DAY)
    append(Journal.of_claim(portfolio / "be-b2b-fr"), "debtor-event", {"type": "dispute", "date": "2025-12-30"})
    after = {i.entry.key: i.figures for i in indexed(portfolio, DAY)}["be-b2b-fr"]
    assert after is not None and after.status == "paused"


def test_a_row_computed_right_after_a_change_is_not_trusted(portfolio: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (portfolio / "be-b2b-fr" / "claim.yaml").touch()  # within the racy window: the stat may not show a 2nd change
    indexed(portfolio, DAY)
    computed: list[str] = []
    real = index.figures_row

    def counting(entry, folder, day):  # type: ignore[no-untyped-def]
        computed.append(entry.key)
        return real(entry, folder, day)

    monkeypatch.setattr(index, "figures_row", counting)
    indexed(portfolio, DAY)
    assert computed == ["be-b2b-fr"]


def test_csv_rows_are_indexed_by_their_data(tmp_path: Path, claim_data: dict) -> None:
    path = tmp_path / "claims.csv"

    def write(amount: str) -> None:
        claim_data["invoices"][0]["amount"] = amount
        row = {k: json.dumps(v) if isinstance(v, dict | list) else v for k, v in claim_data.items()}
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=list(row))
            writer.writeheader()
            writer.writerow(row)

    write("1000.00")
    assert portfolio_report(path, DAY).totals["EUR"]["principal"] == 1000
    assert (tmp_path / f"claims_dossier/{INDEX}").is_file()
    write("2000.00")
    assert portfolio_report(path, DAY).totals["EUR"]["principal"] == 2000


def test_other_days_and_changed_rules_are_computed(portfolio: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    indexed(portfolio, DAY)
    later = {i.entry.key: i.figures for i in indexed(portfolio, date(2026, 1, 31))}["be-b2b-fr"]
    assert later is not None and later.totals["interest"] > Decimal(live(portfolio, "be-b2b-fr")["totals"]["interest"])
    monkeypatch.setattr(index, "generation", lambda: "other rules")
    computed: list[str] = []
    monkeypatch.setattr(index, "figures_row", lambda e, *_: computed.append(e.key) or {"problems": []})
    indexed(portfolio, DAY)
    assert sorted(computed) == ["be-b2b-fr", "broken", "gb-eaw-b2b-en", "nl-consumer-nl"]


def test_an_index_that_cannot_be_written_still_gives_the_figures(
    portfolio: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    monkeypatch.setenv(index.INDEX_ENV, str(blocker / INDEX))
    assert portfolio_report(portfolio, DAY).as_dict()["claims"] == 3


def test_rows_are_built_on_two_processes_the_same(portfolio: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(index.INDEX_ENV, str(portfolio.parent / "a.sqlite"))
    alone = [i.figures.as_row() if i.figures else i.problems for i in indexed(portfolio, DAY, workers=1)]
    monkeypatch.setattr(index, "PARALLEL_FROM", 1)
    monkeypatch.setenv(index.INDEX_ENV, str(portfolio.parent / "b.sqlite"))
    started = time.monotonic()
    both = [i.figures.as_row() if i.figures else i.problems for i in indexed(portfolio, DAY, workers=2)]
    assert both == alone, time.monotonic() - started


def test_a_damaged_index_is_made_again(portfolio: Path) -> None:
    first = portfolio_report(portfolio, DAY).as_dict()
    index._memos.clear()
    (portfolio / "_dossier" / INDEX).write_bytes(b"this is not a database" * 100)
    for name in (f"{INDEX}-wal", f"{INDEX}-shm"):
        (portfolio / "_dossier" / name).unlink(missing_ok=True)
    assert portfolio_report(portfolio, DAY).as_dict() == first
    assert (portfolio / "_dossier" / INDEX).read_bytes().startswith(b"SQLite format 3")


@pytest.mark.parametrize(
    "planted", ["a string", {"key": "be-b2b-fr"}, {"problems": 3}, {"problems": [{"x": 1}]}, {"key": 1, "totals": []}]
)
def test_a_row_that_is_not_a_claims_figures_is_computed_again(portfolio: Path, planted: object) -> None:
    """A row of the file is marshal data of any shape (a poisoned or foreign index, another version's row):
    one that is not a claim's figures is computed again, never a traceback (an HTTP 500 on every portal page)."""
    import marshal
    import sqlite3

    first = portfolio_report(portfolio, DAY).as_dict()
    index._memos.clear()
    db = sqlite3.connect(portfolio / "_dossier" / INDEX)
    with db:
        db.execute("UPDATE rows SET row = ?", (marshal.dumps(planted),))
    db.close()
    assert portfolio_report(portfolio, DAY).as_dict() == first


def test_the_index_and_its_folder_are_the_users_alone(portfolio: Path) -> None:
    import stat

    old = os.umask(0)
    try:
        indexed(portfolio, DAY)
    finally:
        os.umask(old)
    state = portfolio / "_dossier"
    assert stat.S_IMODE(state.stat().st_mode) == 0o700
    assert stat.S_IMODE((state / INDEX).stat().st_mode) == 0o600


def test_an_index_planted_as_a_link_is_never_written_through(portfolio: Path, tmp_path: Path) -> None:
    """The state folder may be a shared drive: SQLite followed a link planted as index.sqlite and added its tables
    to (and deleted rows from) a database elsewhere; it is not used, and the figures are computed."""
    import sqlite3

    first = portfolio_report(portfolio, DAY).as_dict()
    index._memos.clear()
    victim = tmp_path / "someone-elses.db"
    with sqlite3.connect(victim) as db:
        db.execute("CREATE TABLE rows (key TEXT, day TEXT, signature TEXT, row BLOB, PRIMARY KEY (key, day))")
        db.execute("INSERT INTO rows VALUES ('k', 'd', 's', x'00')")
    before = victim.read_bytes()
    for name in (INDEX, f"{INDEX}-wal", f"{INDEX}-shm"):
        (portfolio / "_dossier" / name).unlink(missing_ok=True)
    (portfolio / "_dossier" / INDEX).symlink_to(victim)
    assert portfolio_report(portfolio, DAY).as_dict() == first
    assert victim.read_bytes() == before


def stored(portfolio: Path) -> list[str]:
    import sqlite3

    db = sqlite3.connect(portfolio / "_dossier" / INDEX)
    try:
        return sorted(key for (key,) in db.execute("SELECT key FROM rows"))
    finally:
        db.close()


def test_an_interrupted_cold_build_keeps_the_chunks_it_wrote(portfolio: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The first report of a day on a big portfolio computes every claim: killed halfway, the next one starts
    from what the first computed."""
    monkeypatch.setattr(index, "CHUNK", 1, raising=False)
    real = index.figures_row
    computed: list[str] = []

    def stopping(entry, folder, day):  # type: ignore[no-untyped-def]
        if len(computed) == 2:
            raise KeyboardInterrupt
        computed.append(entry.key)
        return real(entry, folder, day)

    monkeypatch.setattr(index, "figures_row", stopping)
    with pytest.raises(KeyboardInterrupt):
        indexed(portfolio, DAY)
    assert stored(portfolio) == sorted(computed)
    index._memos.clear()
    done = list(computed)
    computed.clear()
    monkeypatch.setattr(index, "figures_row", lambda e, f, d: computed.append(e.key) or real(e, f, d))
    assert len(indexed(portfolio, DAY)) == 4
    assert sorted(computed + done) == ["be-b2b-fr", "broken", "gb-eaw-b2b-en", "nl-consumer-nl"]


def test_a_claim_changed_during_a_cold_build_is_computed_again(
    portfolio: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A claim changed after its chunk was computed and written (while the build goes on) is never served with
    the figures of before."""
    monkeypatch.setattr(index, "CHUNK", 1, raising=False)
    real = index.figures_row
    claim = portfolio / "be-b2b-fr" / "claim.yaml"

    def changing(entry, folder, day):  # type: ignore[no-untyped-def]
        if entry.key == "gb-eaw-b2b-en":  # after be-b2b-fr and broken, in the portfolio's order
            claim.write_text(claim.read_text(encoding="utf-8").replace('"2420.00"', '"2920.00"'), encoding="utf-8")
        return real(entry, folder, day)

    monkeypatch.setattr(index, "figures_row", changing)
    before = {i.entry.key: i.figures for i in indexed(portfolio, DAY)}["be-b2b-fr"]
    monkeypatch.setattr(index, "figures_row", real)
    index._memos.clear()
    after = {i.entry.key: i.figures for i in indexed(portfolio, DAY)}["be-b2b-fr"]
    assert before is not None and after is not None
    assert after.totals["principal"] - before.totals["principal"] == 500


def test_small_chunks_on_two_processes_come_back_in_order(portfolio: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(index.INDEX_ENV, str(portfolio.parent / "a.sqlite"))
    alone = [i.figures.as_row() if i.figures else i.problems for i in indexed(portfolio, DAY, workers=1)]
    monkeypatch.setattr(index, "PARALLEL_FROM", 1)
    monkeypatch.setattr(index, "CHUNK", 1, raising=False)
    monkeypatch.setenv(index.INDEX_ENV, str(portfolio.parent / "b.sqlite"))
    both = [i.figures.as_row() if i.figures else i.problems for i in indexed(portfolio, DAY, workers=2)]
    assert both == alone


def test_the_rules_are_looked_up_once_a_chunk(portfolio: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """``load_rules`` resolves the data folder on every call: a cold build asks once per jurisdiction and chunk;
    the claim with an unreadable file still gets its own problems."""
    for n in range(3):
        copy_sample("be-b2b-fr", portfolio / f"be-{n}")
    age(portfolio)
    asked: list[str] = []
    real = index.load_rules
    monkeypatch.setattr(index, "load_rules", lambda code: asked.append(code) or real(code))
    items = indexed(portfolio, DAY)
    assert sorted(asked) == ["BE", "GB-EAW", "NL"]
    assert [i.entry.key for i in items if i.figures is None] == ["broken"]


def test_claims_share_the_values_they_repeat_and_read_back_the_same(
    portfolio: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A server keeps every claim's figures in memory: the legal sources, step labels, dates and amounts many
    claims repeat are kept once (about 8.7 kB a claim down to 3.3 kB); the figures are the claim's own."""
    copy_sample("be-b2b-fr", portfolio / "be-again")
    age(portfolio)
    for source in ("computed", "read from the file"):
        items = {i.entry.key: i.figures for i in indexed(portfolio, DAY)}
        one, two = items["be-b2b-fr"], items["be-again"]
        assert one is not None and two is not None, source
        assert one.step["sources"] is two.step["sources"], source
        assert one.labels is two.labels, source
        assert one.totals["due"] is two.totals["due"], source
        for key, figures in items.items():
            assert figures is None or figures.as_row() == live(portfolio, key), (source, key)
        index._memos.clear()
