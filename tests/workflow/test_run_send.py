"""``dossier run --send``: the day's letters e-mailed where the debtor has an address and the jurisdiction's data
allows e-mail for that letter (through a real SMTP server), the post printed in one file (each letter on an odd
page) with the mailroom list, everything journaled; the same input gives the same bytes."""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner, Result
from pypdf import PdfReader
from tests.cli.test_send import Keeper, free_port, mail_env, smtp  # noqa: F401
from tests.conftest import copy_sample
from tests.output.test_delivery_failed import refusing  # noqa: F401

from dossier.cli.main import main
from dossier.output.journal import Journal, read

DAY = "2025-12-20"


def portfolio(tmp_path: Path, *, emails: dict[str, bool]) -> Path:
    """The samples whose letters are due on DAY; ``emails[name]`` False takes the debtor's e-mail address away."""
    folder = tmp_path / "portfolio"
    folder.mkdir()
    for name, keep in emails.items():
        claim = copy_sample(name, folder / name)
        if not keep:
            data = yaml.safe_load((claim / "claim.yaml").read_text(encoding="utf-8"))
            del data["debtor"]["email"]
            (claim / "claim.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return folder


def run(folder: Path, env: dict[str, str], *more: str, day: str = DAY) -> Result:
    return CliRunner().invoke(main, ["run", str(folder), "--date", day, "--workers", "1", "--send", *more], env=env)


def events(claim: Path, event: str) -> list[dict[str, Any]]:
    return [r.data for r in read(Journal.of_claim(claim)).records if r.event == event]


def pack(folder: Path) -> dict[str, Path]:
    base = folder / "_dossier" / "runs" / DAY / "mailroom"
    return {k: base / f"{DAY}_{k}" for k in ("post.pdf", "mailroom.csv", "mailroom.html")}


def test_run_send_emails_what_may_go_by_email_and_prints_the_post(
    tmp_path: Path, smtp: tuple[Keeper, int]  # noqa: F811
) -> None:
    keeper, port = smtp
    folder = portfolio(tmp_path, emails={"be-b2b-fr": False, "be-consumer-nl": False, "gb-eaw-b2b-en": True})
    twin = Path(shutil.copytree(folder, tmp_path / "twin" / "portfolio"))
    result = run(folder, mail_env(port))
    assert result.exit_code == 0, result.output

    # e-mail: the GB second reminder, to the debtor's address, the archived message byte for byte, dated the run
    [envelope] = keeper.envelopes
    assert envelope.rcpt_tos == ["payables@harbourinteriors.co.uk"]
    gb = folder / "gb-eaw-b2b-en"
    [draft] = events(gb, "document-rendered")
    [sent] = events(gb, "document-sent")
    assert draft["channel"] == "email" and (sent["document"], sent["channel"]) == (draft["n"], "email")
    assert sent["date"] == DAY and envelope.content == (gb / sent["email"]["eml"]["file"]).read_bytes()
    assert "e-mailed to payables@harbourinteriors.co.uk" in result.output

    # post: both BE formal notices, sent on the run's date, with the warning (registered is customary in BE)
    for name in ("be-b2b-fr", "be-consumer-nl"):
        [letter] = events(folder / name, "document-sent")
        assert (letter["channel"], letter["date"], letter["email"]) == ("post", DAY, None)
    assert "registered post is customary in BE" in result.stderr

    # one print file: each letter on an odd page; the mailroom list names each letter with room for its number
    files = pack(folder)
    printed = PdfReader(files["post.pdf"])
    rows = list(csv.DictReader(io.StringIO(files["mailroom.csv"].read_text(encoding="utf-8"))))
    assert [(r["reference"], r["addressee"], r["channel"], r["registered_number"]) for r in rows] == [
        ("ACME-2025-0042", "Boulangerie Dubois SRL", "post", ""),
        ("FV-2025-3381", "Jan Peeters", "post", ""),
    ]
    first, second = (int(r["pages"]) for r in rows)
    start = first + first % 2  # a blank page after a letter with an odd page count
    assert len(printed.pages) == start + second + second % 2
    if first % 2:
        assert printed.pages[first].extract_text().strip() == ""  # the blank back of the first letter
    assert "FV-2025-3381" in printed.pages[start].extract_text()  # the second letter starts on an odd page
    assert rows[1]["address"] == "Naamsestraat 87 bus 2, 3000 Leuven, BE" and rows[1]["claim"] == "be-consumer-nl"
    assert "Boulangerie Dubois SRL" in files["mailroom.html"].read_text(encoding="utf-8")
    before = {k: (p.read_bytes(), p.stat().st_mtime_ns) for k, p in files.items()}

    # the same day again: nothing due, nothing sent twice, the same files untouched
    again = run(folder, mail_env(port))
    assert again.exit_code == 0, again.output
    assert len(keeper.envelopes) == 1
    assert {k: (p.read_bytes(), p.stat().st_mtime_ns) for k, p in files.items()} == before

    # the same input elsewhere: the same bytes
    assert run(twin, mail_env(port)).exit_code == 0
    assert {k: p.read_bytes() for k, p in pack(twin).items()} == {k: v[0] for k, v in before.items()}

    # later, the GB letter before claim: the data does not allow e-mail for it, so it goes by post
    later = run(folder, mail_env(port), day="2026-01-20")
    assert later.exit_code == 0, later.output
    assert len(keeper.envelopes) == 2  # the first run's and the twin's: none now
    notice = [e for e in events(gb, "document-rendered") if e["kind"] == "formal-notice"]
    assert [e["channel"] for e in notice] == ["post"]


@pytest.mark.parametrize("refusing", ["550 5.1.1 no such mailbox"], indirect=True)
def test_a_refused_email_is_a_failed_delivery_and_the_run_goes_on(tmp_path: Path, refusing: int) -> None:  # noqa: F811
    folder = portfolio(tmp_path, emails={"be-consumer-nl": False, "gb-eaw-b2b-en": True})
    result = run(folder, mail_env(refusing))
    assert result.exit_code == 3 and "NOT e-mailed" in result.output and "550" in result.output
    gb = folder / "gb-eaw-b2b-en"
    [failed] = events(gb, "delivery-failed")
    assert (failed["source"], failed["smtp_code"]) == ("smtp", 550) and events(gb, "document-sent") == []
    assert events(folder / "be-consumer-nl", "document-sent")[0]["channel"] == "post"
    assert pack(folder)["post.pdf"].is_file()
    again = run(folder, mail_env(refusing))  # not tried again: the ladder pauses on returned mail
    assert "NOT e-mailed" not in again.output and len(events(gb, "delivery-failed")) == 1


def test_no_mail_server_keeps_the_email_a_draft_that_the_next_run_sends(
    tmp_path: Path, smtp: tuple[Keeper, int]  # noqa: F811
) -> None:
    keeper, port = smtp
    folder = portfolio(tmp_path, emails={"gb-eaw-b2b-en": True})
    nowhere = mail_env(port) | {"DOSSIER_SMTP_HOST": ""}
    result = run(folder, nowhere)
    assert result.exit_code == 3 and "NOT e-mailed" in result.output and "no mail server is set" in result.output
    gb = folder / "gb-eaw-b2b-en"
    assert events(gb, "document-sent") == [] and len(events(gb, "document-rendered")) == 1
    again = run(folder, mail_env(port))
    assert again.exit_code == 0, again.output
    [envelope] = keeper.envelopes
    [sent] = events(gb, "document-sent")
    assert len(events(gb, "document-rendered")) == 1 and sent["date"] == DAY  # not rendered twice
    assert envelope.content == (gb / sent["email"]["eml"]["file"]).read_bytes()
