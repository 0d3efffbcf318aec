"""A letter that did not reach the debtor is a ``delivery-failed`` entry: a permanent SMTP refusal at send time, a
bounce or returned post recorded afterwards (``dossier record --event returned-mail --document N``). The ladder
reads it as returned mail; the bundle files its paper behind the letter, and an e-mailed letter's ``.eml`` as
its proof of sending. ``--at`` dates an e-mail back (never ahead)."""

from __future__ import annotations

import email
import email.policy
import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from pypdf import PdfReader
from tests.cli.test_send import Keeper, claim, entries, free_port, invoke, mail_env, rendered, smtp  # noqa: F401

from dossier import api
from dossier.workflow.steps import next_steps


class Refuser(Keeper):
    """Refuses every recipient with the reply it is given (a 5xx is for good, a 4xx for now)."""

    def __init__(self, reply: str) -> None:
        super().__init__()
        self.reply = reply

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str, options: Any) -> str:
        return self.reply


@pytest.fixture
def refusing(request: pytest.FixtureRequest) -> Iterator[int]:
    port = free_port()
    controller = Controller(Refuser(request.param), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield port
    finally:
        controller.stop()


def status(folder: Path, day: date) -> Any:
    (step,) = next_steps(folder, day)
    return step.step


@pytest.mark.parametrize("refusing", ["550 5.1.1 no such mailbox"], indirect=True)
def test_a_permanent_refusal_is_a_failed_delivery_and_pauses_the_ladder(claim: Path, refusing: int) -> None:  # noqa: F811
    result = invoke("send", str(claim), "--channel", "email", "--to", "nobody@dubois.example", env=mail_env(refusing))
    assert result.exit_code == 1 and "550" in result.output
    assert entries(claim, "document-sent") == []
    (failed,) = entries(claim, "delivery-failed")
    assert (failed["document"], failed["kind"], failed["channel"]) == (2, "formal-notice", "email")
    assert (failed["source"], failed["smtp_code"], failed["recipient"]) == ("smtp", 550, "nobody@dubois.example")
    assert "no such mailbox" in failed["reason"]
    assert not list((claim / "out").glob("*.eml"))  # nothing that looks like a proof of sending
    step = status(claim, date.fromisoformat(failed["date"]))
    assert step.status == "paused" and any("mail came back" in r or "returned" in r for r in step.reasons)
    assert invoke("verify", str(claim)).exit_code == 0


@pytest.mark.parametrize("refusing", ["450 4.2.1 mailbox busy, try later"], indirect=True)
def test_a_temporary_refusal_is_no_failed_delivery(claim: Path, refusing: int) -> None:  # noqa: F811
    result = invoke("send", str(claim), "--channel", "email", "--to", "busy@dubois.example", env=mail_env(refusing))
    assert result.exit_code == 1 and "450" in result.output
    assert entries(claim, "delivery-failed") == [] and entries(claim, "document-sent") == []


def test_returned_post_is_recorded_for_its_letter_paused_and_filed_in_the_bundle(claim: Path, tmp_path: Path) -> None:  # noqa: F811
    assert invoke("send", str(claim), "2", "--channel", "post", "--at", "2025-12-01").exit_code == 0
    scan = tmp_path / "envelope.pdf"
    _one_page_pdf(scan, "Retour a l'expediteur: destinataire inconnu")
    refused = invoke("record", str(claim), "--event", "dispute", "--date", "2025-12-08", "--document", "2")
    assert refused.exit_code != 0 and "--document" in refused.output
    result = invoke(
        "record",
        str(claim),
        "--event",
        "returned-mail",
        "--date",
        "2025-12-08",
        "--document",
        "2",
        "--file",
        str(scan),
        "--note",
        "inconnu a l'adresse",
    )
    assert result.exit_code == 0, result.output
    (failed,) = entries(claim, "delivery-failed")
    assert (failed["document"], failed["source"], failed["channel"], failed["date"]) == (
        2,
        "returned-mail",
        "post",
        "2025-12-08",
    )
    assert failed["file"]["file"].startswith("out/") and failed["note"] == "inconnu a l'adresse"
    assert entries(claim, "debtor-event") == []
    assert status(claim, date(2025, 12, 20)).status == "paused"
    api.record(claim, "address-changed", date(2025, 12, 10))
    assert status(claim, date(2025, 12, 20)).status != "paused"
    bundle, target = api.bundle(claim, day=date(2025, 12, 20), out=tmp_path / "b.pdf")
    titles = [e["title"] for e in bundle.index]
    letter = titles.index("Mise en demeure (courrier)")
    assert titles[letter + 1] == "Avis de non-distribution – Mise en demeure (courrier)"
    first = bundle.index[letter + 1]["first_page"]
    assert "destinataire inconnu" in PdfReader(target).pages[first - 1].extract_text()


def test_a_letter_never_sent_cannot_come_back(claim: Path) -> None:  # noqa: F811
    result = invoke("record", str(claim), "--event", "returned-mail", "--date", "2025-12-08", "--document", "2")
    assert result.exit_code != 0 and "never sent" in result.output
    assert entries(claim, "delivery-failed") == []


def test_the_bundle_files_the_eml_behind_an_emailed_letter_and_at_dates_it(
    claim: Path,  # noqa: F811
    smtp: tuple[Keeper, int],  # noqa: F811
    tmp_path: Path,
) -> None:
    keeper, port = smtp
    at = "2025-12-01T09:30:00+01:00"
    result = invoke(
        "send", str(claim), "--channel", "email", "--to", "d@dubois.example", "--at", at, env=mail_env(port)
    )
    assert result.exit_code == 0, result.output
    (sent,) = entries(claim, "document-sent")
    assert (sent["date"], sent["sent_at"]) == ("2025-12-01", at)
    message = email.message_from_bytes(keeper.envelopes[0].content, policy=email.policy.default)
    assert message["Date"] == "Mon, 01 Dec 2025 09:30:00 +0100"
    bundle, target = api.bundle(claim, day=date(2025, 12, 20), out=tmp_path / "b.pdf")
    titles = [e["title"] for e in bundle.index]
    letter = titles.index("Mise en demeure (courriel)")
    assert titles[letter + 1] == "Preuve d'envoi – Mise en demeure (courriel)"
    page = PdfReader(target).pages[bundle.index[letter + 1]["first_page"] - 1].extract_text()
    flat = re.sub(r"\s+", "", page)
    assert re.sub(r"\s+", "", sent["email"]["message_id"]) in flat
    assert sent["email"]["eml"]["sha256"] in flat
    ahead = invoke(
        "send",
        str(claim),
        "1",
        "--channel",
        "email",
        "--to",
        "d@dubois.example",
        "--at",
        "2999-01-01",
        env=mail_env(port),
    )
    assert ahead.exit_code != 0 and "never ahead" in ahead.output


def _one_page_pdf(path: Path, text: str) -> None:
    from tests.bundle.test_bundle import text_pdf

    text_pdf(path, [text])
