"""``dossier send``: e-mail through a real SMTP server started in the test (aiosmtpd), post and registered post.

What the server receives is the archived ``.eml`` byte for byte; its attachment is the rendered PDF the journal
records; a DKIM signature verifies; a failure names the setting and records nothing."""

from __future__ import annotations

import base64
import email
import email.policy
import hashlib
import json
import shutil
import socket
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from click.testing import CliRunner, Result
from tests.conftest import copy_sample

from dossier.cli.main import main
from dossier.output.journal import Journal, read


class Keeper:
    """An aiosmtpd handler that keeps every envelope it is handed."""

    def __init__(self) -> None:
        self.envelopes: list[Any] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.envelopes.append(envelope)
        return "250 2.0.0 queued as TEST1"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def smtp() -> Iterator[tuple[Keeper, int]]:
    keeper = Keeper()
    port = free_port()
    controller = Controller(keeper, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield keeper, port
    finally:
        controller.stop()


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A claim with a reminder (line 1) and a formal notice (line 2) rendered, copied by each test."""
    claim = copy_sample("be-b2b-fr", tmp_path_factory.mktemp("rendered") / "claim")
    for doc, day in (("reminder", "2025-11-01"), ("formal-notice", "2025-12-01")):
        assert invoke("render", str(claim), "--doc", doc, "--date", day).exit_code == 0
    return claim


@pytest.fixture
def claim(rendered: Path, tmp_path: Path) -> Path:
    return Path(shutil.copytree(rendered, tmp_path / "claim", symlinks=True))


def invoke(*args: str, env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(main, list(args), env=env, catch_exceptions=False)


def mail_env(port: int, **more: str) -> dict[str, str]:
    return {
        "DOSSIER_SETTINGS": "",
        "DOSSIER_SMTP_HOST": "127.0.0.1",
        "DOSSIER_SMTP_PORT": str(port),
        "DOSSIER_SMTP_SECURITY": "none",
        "DOSSIER_SMTP_FROM": "Cabinet Test <office@cabinet.example>",
        "DOSSIER_SMTP_MESSAGE_ID_DOMAIN": "mail.cabinet.example",
        **more,
    }


def entries(claim: Path, event: str) -> list[dict[str, Any]]:
    return [r.data for r in read(Journal.of_claim(claim)).records if r.event == event]


def test_the_server_receives_the_archived_eml_byte_for_byte(claim: Path, smtp: tuple[Keeper, int]) -> None:
    keeper, port = smtp
    result = invoke("send", str(claim), "--channel", "email", "--to", "debtor@dubois.example", env=mail_env(port))
    assert result.exit_code == 0, result.output
    [envelope] = keeper.envelopes
    [sent] = entries(claim, "document-sent")
    eml = claim / sent["email"]["eml"]["file"]
    archived = eml.read_bytes()
    assert envelope.content == archived  # byte for byte, CRLF line ends included
    assert hashlib.sha256(archived).hexdigest() == sent["email"]["eml"]["sha256"]
    assert envelope.mail_from == "office@cabinet.example"
    assert envelope.rcpt_tos == ["debtor@dubois.example"]
    # the newest letter not sent yet: the formal notice, line 2
    notice = entries(claim, "document-rendered")[1]
    assert sent["document"] == notice["n"] == 2 and sent["kind"] == "formal-notice"
    assert sent["channel"] == "email" and sent["recipient"] == "debtor@dubois.example"
    assert sent["tracking"] is None and sent["proof"] is None and sent["forced"] == []
    assert sent["email"]["smtp_reply"].startswith("250")
    assert "TEST1" in sent["email"]["smtp_reply"]
    message = email.message_from_bytes(archived, policy=email.policy.default)
    assert message["Message-ID"] == sent["email"]["message_id"]
    assert sent["email"]["message_id"].endswith("@mail.cabinet.example>")
    assert message["Subject"] == "Mise en demeure – dossier ACME-2025-0042"
    [attachment] = [part for part in message.walk() if part.get_filename()]
    assert attachment.get_filename() == notice["files"][0]["name"]
    payload = attachment.get_payload(decode=True)
    assert hashlib.sha256(payload).hexdigest() == notice["files"][0]["sha256"]
    body = next(part for part in message.walk() if part.get_content_type() == "text/plain")
    assert "Madame, Monsieur," in body.get_content() and "1er décembre 2025" in body.get_content()
    assert invoke("verify", str(claim)).exit_code == 0
    eml.write_bytes(archived.replace(b"Madame", b"Monsieur", 1))
    broken = CliRunner().invoke(main, ["verify", str(claim)])
    assert broken.exit_code == 1 and "email.eml" in broken.output and "was changed" in broken.output


def rsa_key(folder: Path) -> tuple[Path, bytes]:
    """A fresh RSA key (PEM file) and its public half (DER) for the test's DNS."""
    if shutil.which("openssl") is None:  # pragma: no cover - openssl is on every CI image we use
        pytest.skip("openssl is needed to make a test key")
    key = folder / "dkim.pem"
    subprocess.run(["openssl", "genrsa", "-traditional", "-out", str(key), "2048"], check=True, capture_output=True)
    public = subprocess.run(
        ["openssl", "rsa", "-in", str(key), "-pubout", "-outform", "DER"], check=True, capture_output=True
    ).stdout
    return key, public


def test_a_dkim_signature_verifies(claim: Path, smtp: tuple[Keeper, int], tmp_path: Path) -> None:
    import dkim

    keeper, port = smtp
    _, public = rsa_key(tmp_path)
    settings = tmp_path / "dossier.toml"
    settings.write_text('[dkim]\nselector = "mail2026"\ndomain = "cabinet.example"\nkey = "dkim.pem"\n')
    result = invoke(
        "send",
        str(claim),
        "--channel",
        "email",
        "--to",
        "debtor@dubois.example",
        "--settings",
        str(settings),
        env=mail_env(port),
    )
    assert result.exit_code == 0, result.output
    [envelope] = keeper.envelopes
    assert envelope.content.startswith(b"DKIM-Signature:")
    record = b"v=DKIM1; k=rsa; p=" + base64.b64encode(public)

    def dns(name: bytes, timeout: int = 5) -> bytes:
        return record if name == b"mail2026._domainkey.cabinet.example." else b""

    assert dkim.verify(envelope.content, dnsfunc=dns)
    tampered = envelope.content.replace(b"Madame, Monsieur,", b"Madame, Monsieur!", 1)
    assert tampered != envelope.content and not dkim.verify(tampered, dnsfunc=dns)


def test_dry_run_writes_the_message_and_records_nothing(claim: Path, smtp: tuple[Keeper, int]) -> None:
    keeper, port = smtp
    result = invoke(
        "send", str(claim), "--channel", "email", "--to", "debtor@dubois.example", "--dry-run", env=mail_env(port)
    )
    assert result.exit_code == 0, result.output
    assert "NOT sent" in result.output
    assert keeper.envelopes == []
    assert entries(claim, "document-sent") == []
    [eml] = sorted((claim / "out").glob("*.eml"))
    assert b"Content-Type: application/pdf" in eml.read_bytes()


def test_a_refused_connection_names_the_setting_and_records_nothing(claim: Path) -> None:
    port = free_port()  # nobody listens there
    result = CliRunner().invoke(
        main, ["send", str(claim), "--channel", "email", "--to", "debtor@dubois.example"], env=mail_env(port)
    )
    assert result.exit_code != 0
    assert "DOSSIER_SMTP_HOST" in result.output and "refused the connection" in result.output
    assert "Traceback" not in result.output
    assert entries(claim, "document-sent") == []
    assert list((claim / "out").glob("*.eml")) == []


def test_no_mail_server_or_a_bad_setting_is_named(claim: Path, tmp_path: Path) -> None:
    env = dict.fromkeys(mail_env(1), "") | {"DOSSIER_SMTP_FROM": "office@cabinet.example"}
    result = CliRunner().invoke(main, ["send", str(claim), "--channel", "email", "--to", "a@b.example"], env=env)
    assert result.exit_code != 0 and "smtp.host" in result.output and "no mail server" in result.output
    settings = tmp_path / "dossier.toml"
    settings.write_text('[smtp]\nhost = "127.0.0.1"\nsecurity = "ssl3"\n')
    result = CliRunner().invoke(
        main, ["send", str(claim), "--channel", "email", "--to", "a@b.example", "--settings", str(settings)], env=env
    )
    assert result.exit_code != 0 and "smtp.security" in result.output and "dossier.toml" in result.output
    assert entries(claim, "document-sent") == []


def test_an_email_goes_to_the_debtors_address_or_needs_one(claim: Path, smtp: tuple[Keeper, int]) -> None:
    _, port = smtp
    result = invoke("send", str(claim), "--channel", "email", "--dry-run", env=mail_env(port))
    assert result.exit_code == 0, result.output
    [eml] = (claim / "out").glob("*.eml")
    assert b"\r\nTo: info@boulangerie-dubois.be\r\n" in eml.read_bytes()
    text = (claim / "claim.yaml").read_text(encoding="utf-8")
    (claim / "claim.yaml").write_text(text.replace("  email: info@boulangerie-dubois.be\n", ""), encoding="utf-8")
    result = CliRunner().invoke(main, ["send", str(claim), "--channel", "email"], env=mail_env(port))
    assert result.exit_code != 0 and "debtor.email" in result.output
    result = CliRunner().invoke(main, ["send", str(claim), "--channel", "email", "--to", "nobody"], env=mail_env(port))
    assert result.exit_code != 0 and "not an e-mail address" in result.output
    assert entries(claim, "document-sent") == []


def test_post_records_the_day_and_the_address(claim: Path) -> None:
    result = invoke("send", str(claim), "1", "--channel", "post", "--at", "2025-11-01T16:30+01:00", "--json")
    assert result.exit_code == 0, result.output
    [sent] = entries(claim, "document-sent")
    assert json.loads(result.output)["entry"] == sent
    assert sent["document"] == 1 and sent["kind"] == "reminder" and sent["channel"] == "post"
    assert sent["date"] == "2025-11-01" and sent["sent_at"] == "2025-11-01T16:30:00+01:00"
    assert "Namur" in sent["recipient"] and sent["email"] is None and sent["tracking"] is None


def test_registered_post_needs_its_number_and_archives_the_proof(claim: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["send", str(claim), "--channel", "registered"])
    assert result.exit_code != 0 and "--tracking" in result.output
    assert entries(claim, "document-sent") == []
    scan = tmp_path / "receipt.JPG"
    scan.write_bytes(b"\xff\xd8\xff receipt scan")
    name = entries(claim, "document-rendered")[1]["files"][0]["name"]
    result = invoke(
        "send",
        str(claim),
        name,
        "--channel",
        "registered",
        "--tracking",
        "RR123456785BE",
        "--proof",
        str(scan),
        "--at",
        "2025-12-01",
    )
    assert result.exit_code == 0, result.output
    [sent] = entries(claim, "document-sent")
    assert sent["document"] == 2 and sent["tracking"] == "RR123456785BE" and sent["date"] == "2025-12-01"
    proof = sent["proof"]
    assert proof["format"] == "jpg" and proof["file"].startswith("out/")
    assert (claim / proof["file"]).read_bytes() == scan.read_bytes()
    assert proof["sha256"] == hashlib.sha256(scan.read_bytes()).hexdigest()
    assert invoke("verify", str(claim)).exit_code == 0
    (claim / proof["file"]).unlink()
    broken = CliRunner().invoke(main, ["verify", str(claim)])
    assert broken.exit_code == 1 and "proof" in broken.output and "is missing" in broken.output


def test_the_default_is_the_newest_letter_not_sent(claim: Path) -> None:
    assert invoke("send", str(claim), "--channel", "post").exit_code == 0
    assert invoke("send", str(claim), "--channel", "post").exit_code == 0
    assert [s["document"] for s in entries(claim, "document-sent")] == [2, 1]
    result = CliRunner().invoke(main, ["send", str(claim), "--channel", "post"])
    assert result.exit_code != 0 and "no rendered letter is waiting" in result.output


def test_a_changed_document_is_not_sent(claim: Path, smtp: tuple[Keeper, int]) -> None:
    keeper, port = smtp
    notice = entries(claim, "document-rendered")[1]["files"][0]
    with (claim / notice["file"]).open("ab") as handle:
        handle.write(b"%% tampered")
    for channel in ("email", "post"):
        result = CliRunner().invoke(
            main, ["send", str(claim), "--channel", channel, "--to", "debtor@dubois.example"], env=mail_env(port)
        )
        assert result.exit_code != 0 and "has changed since it was rendered" in result.output
    assert keeper.envelopes == [] and entries(claim, "document-sent") == []


def test_an_unknown_document_is_named(claim: Path) -> None:
    for document in ("9", "nothing.pdf"):
        result = CliRunner().invoke(main, ["send", str(claim), document, "--channel", "post"])
        assert result.exit_code != 0 and "Traceback" not in result.output
        assert "journal" in result.output and ("line 9" in result.output or "nothing.pdf" in result.output)
    assert entries(claim, "document-sent") == []


def test_an_edited_file_name_in_the_journal_never_reaches_the_headers(claim: Path, smtp: tuple[Keeper, int]) -> None:
    """The journal is a file anyone with the claim folder can edit: a file name with a line break in it went into
    the attachment's Content-Disposition (a traceback: "Header values may not contain linefeed...")."""
    _, port = smtp
    journal = claim / "journal.jsonl"
    lines = journal.read_bytes().splitlines()
    entry = json.loads(lines[1])
    entry["files"][0]["name"] = "notice\r\nBcc: someone@else.example\r\n.pdf"
    lines[1] = json.dumps(entry).encode()
    journal.write_bytes(b"\n".join(lines) + b"\n")
    result = CliRunner().invoke(main, ["send", str(claim), "2", "--channel", "email", "--dry-run"], env=mail_env(port))
    assert result.exit_code == 0, result.output
    eml = next((claim / "out").glob("*_email-draft_v1.eml")).read_bytes()
    message = email.message_from_bytes(eml, policy=email.policy.default)
    [attachment] = [part for part in message.walk() if part.get_filename()]
    assert "\n" not in attachment.get_filename() and b"Bcc" not in eml.split(b"\r\n\r\n")[0]
