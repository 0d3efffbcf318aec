"""The sending settings (environment over file, errors naming the setting) and the message's bytes on the wire."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from tests.cli.test_send import Keeper, smtp  # noqa: F401 - the fixture

from dossier.output.mail import MailSettings, SendError, build_message, deliver, parse_address


def test_the_environment_wins_over_the_settings_file(tmp_path: Path) -> None:
    file = tmp_path / "dossier.toml"
    file.write_text('[smtp]\nhost = "smtp.file.example"\nport = 2525\nsecurity = "tls"\nfrom = "a@file.example"\n')
    settings = MailSettings.load(file, {"DOSSIER_SMTP_HOST": "smtp.env.example"})
    assert settings.host == "smtp.env.example" and settings.port == 2525 and settings.security == "tls"
    assert settings.sender().addr_spec == "a@file.example"
    assert settings.origin["host"] == "DOSSIER_SMTP_HOST"
    # DOSSIER_SETTINGS names the file when none is given
    assert MailSettings.load(None, {"DOSSIER_SETTINGS": str(file)}).host == "smtp.file.example"
    # ports follow the security when not given
    assert MailSettings.load(None, {"DOSSIER_SMTP_SECURITY": "starttls"}).port == 587


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ('[smtp]\nport = "x"\n', "smtp.port"),
        ('[smtp]\nsecurity = "ssl"\n', "smtp.security"),
        ('[smtp]\nport = true\n', "smtp.port"),
        ("[smtp\n", "not valid TOML"),
        ('[dkim]\nkey = "k.pem"\n', "dkim.selector"),
    ],
)
def test_a_bad_setting_is_named_with_its_file(tmp_path: Path, text: str, named: str) -> None:
    file = tmp_path / "dossier.toml"
    file.write_text(text)
    with pytest.raises(SendError) as caught:
        _check(file)
    shown = str(caught.value.as_dict())
    assert named in shown and "dossier.toml" in shown


def _check(file: Path) -> None:
    settings = MailSettings.load(file, {})
    settings.port  # noqa: B018
    settings.dkim()


def test_a_dossier_toml_found_in_the_working_folder_never_steers_a_secret_from_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A claim folder from a client may hold a ``dossier.toml``: run from there, its ``smtp.host`` would receive the
    password of ``DOSSIER_SMTP_PASSWORD`` (or its From would get the firm's DKIM signature). Named, it is trusted."""
    (tmp_path / "dossier.toml").write_text('[smtp]\nhost = "smtp.attacker.example"\n')
    monkeypatch.chdir(tmp_path)
    env = {"DOSSIER_SMTP_USER": "firm", "DOSSIER_SMTP_PASSWORD": "hunter2-secret"}
    with pytest.raises(SendError) as caught:
        MailSettings.load(None, env).host  # noqa: B018
    shown = caught.value.as_dict()["problems"][0]
    assert shown["path"] == "smtp.host" and "--settings" in str(shown) and "hunter2" not in str(shown)
    assert MailSettings.load("dossier.toml", env).host == "smtp.attacker.example"  # named by the user: trusted
    assert MailSettings.load(None, env | {"DOSSIER_SETTINGS": "dossier.toml"}).host == "smtp.attacker.example"
    assert MailSettings.load(None, {"DOSSIER_SMTP_PORT": "2525"}).host == "smtp.attacker.example"  # no secret
    assert MailSettings.load(None, env | {"DOSSIER_SMTP_HOST": "smtp.firm.example"}).host == "smtp.firm.example"
    key = {"DOSSIER_DKIM_KEY": str(tmp_path / "k.pem"), "DOSSIER_DKIM_SELECTOR": "s"}
    key |= {"DOSSIER_DKIM_DOMAIN": "firm.example"}
    (tmp_path / "dossier.toml").write_text('[smtp]\nfrom = "ceo@firm.example"\n')
    with pytest.raises(SendError, match=r"smtp\.from comes from a dossier\.toml found in the working folder"):
        MailSettings.load(None, key).dkim()


def test_the_password_is_never_in_an_error(tmp_path: Path) -> None:
    settings = MailSettings.load(None, {"DOSSIER_SMTP_PASSWORD": "hunter2-secret", "DOSSIER_SMTP_PORT": "0"})
    with pytest.raises(SendError) as caught:
        settings.port  # noqa: B018
    assert "hunter2" not in str(caught.value.as_dict())


def test_a_line_starting_with_a_dot_arrives_as_archived(smtp: tuple[Keeper, int]) -> None:  # noqa: F811
    keeper, port = smtp
    message = build_message(
        sender=parse_address("office@cabinet.example"),
        recipient=parse_address("debtor@dubois.example"),
        subject="Test",
        body=".\n..two dots\nend\n",
        attachment=b"%PDF-1.7 test",
        filename="a.pdf",
        when=datetime(2025, 12, 1, 9, 0, tzinfo=UTC),
        message_id_domain="cabinet.example",
    )
    settings = MailSettings.load(
        None, {"DOSSIER_SMTP_HOST": "127.0.0.1", "DOSSIER_SMTP_PORT": str(port), "DOSSIER_SMTP_SECURITY": "none"}
    )
    assert deliver(settings, message).startswith("250")
    assert keeper.envelopes[0].content == message.data
    assert b"\r\n.\r\n" in message.data and b"\r\n..two dots\r\n" in message.data  # lines SMTP must stuff


@pytest.mark.parametrize(
    "text",
    [
        "nobody",
        "a@b",
        "é@b.example",
        "a@b.example\r\nBcc: x@y.example",
        "<>",
        "a b@c.example",
        "Dubois\x00 <a@b.example>",  # a NUL in the display name went into the To: header as is
        "Dubois\x1b[2J <a@b.example>",
        "Dubois\u2028Bcc: x@y.example <a@b.example>",
        "Dubois\rBcc: x@y.example <a@b.example>",
    ],
)
def test_what_is_not_an_address_is_refused(text: str) -> None:
    with pytest.raises(ValueError, match="not an e-mail address"):
        parse_address(text)
