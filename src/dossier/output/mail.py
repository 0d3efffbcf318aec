"""E-mail for ``dossier send``: the sending settings, the message (in the claim's language, the document
attached, DKIM-signed when a key is configured) and its delivery over SMTP.

The message is built once, as bytes with CRLF line ends (``email.policy.SMTP``), signed, and those exact bytes
are both archived (``.eml``) and handed to the server: smtplib only dot-stuffs them for transport, which the
server undoes, so what the server receives is what was archived.

Settings (docs/sending.md): each one comes from its environment variable (``DOSSIER_SMTP_HOST``...) if set, else
from the settings file: the one given (``--settings``), else ``$DOSSIER_SETTINGS``, else ``dossier.toml`` in the
current folder if there is one. Errors name the setting and where it came from, never the password. A secret from
the environment (the password, the DKIM key) is never used with the server or sender of a ``dossier.toml`` merely
found in the working folder: a file planted in a folder one works in (a client's claim folder) would send them
elsewhere; such a file must be named (``--settings`` or ``$DOSSIER_SETTINGS``).
"""

from __future__ import annotations

import os
import re
import smtplib
import ssl
import tomllib
from dataclasses import dataclass, field
from datetime import datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime, make_msgid
from pathlib import Path
from typing import Any

from dossier.errors import DossierError

SETTINGS_ENV = "DOSSIER_SETTINGS"
SETTINGS_FILE = "dossier.toml"
SECURITY = ("starttls", "tls", "none")
#: setting -> (section, key in the settings file, environment variable)
KEYS: dict[str, tuple[str, str, str]] = {
    "host": ("smtp", "host", "DOSSIER_SMTP_HOST"),
    "port": ("smtp", "port", "DOSSIER_SMTP_PORT"),
    "security": ("smtp", "security", "DOSSIER_SMTP_SECURITY"),
    "user": ("smtp", "user", "DOSSIER_SMTP_USER"),
    "password": ("smtp", "password", "DOSSIER_SMTP_PASSWORD"),
    "timeout": ("smtp", "timeout", "DOSSIER_SMTP_TIMEOUT"),
    "sender": ("smtp", "from", "DOSSIER_SMTP_FROM"),
    "message_id_domain": ("smtp", "message_id_domain", "DOSSIER_SMTP_MESSAGE_ID_DOMAIN"),
    "dkim_selector": ("dkim", "selector", "DOSSIER_DKIM_SELECTOR"),
    "dkim_domain": ("dkim", "domain", "DOSSIER_DKIM_DOMAIN"),
    "dkim_key": ("dkim", "key", "DOSSIER_DKIM_KEY"),
}
#: settings that are secrets, and settings that decide where the secrets (or a signature) go
SECRETS = ("password", "dkim_key")
STEERING = ("host", "port", "security", "user", "sender", "dkim_selector", "dkim_domain")
_ADDRESS = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class SendError(DossierError):
    """A document cannot be sent: a setting is missing or wrong, or the mail server refused or cannot be reached.
    ``code``: the server's reply code when it refused the recipient or the message (None otherwise)."""

    def __init__(self, message: str, *, code: int | None = None, **where: Any) -> None:
        super().__init__(message, **where)
        self.code = code

    @property
    def permanent(self) -> bool:
        """The server refused this recipient or message for good (5xx): sending again will not help; the
        delivery failed."""
        return self.code is not None and 500 <= self.code < 600


@dataclass(frozen=True)
class MailSettings:
    """The settings for sending e-mail, each with where it came from (for error messages)."""

    values: dict[str, str] = field(default_factory=dict)
    origin: dict[str, str] = field(default_factory=dict)  # setting -> "DOSSIER_SMTP_HOST" or "dossier.toml: smtp.host"
    file: Path | None = None  # the settings file read, if any (a relative DKIM key path is read from its folder)
    found: bool = False  # the file is ``dossier.toml`` found in the working folder, not one named by the user

    @classmethod
    def load(cls, file: str | Path | None = None, environ: dict[str, str] | None = None) -> MailSettings:
        env = dict(os.environ if environ is None else environ)
        path: Path | None = Path(file) if file else None
        if path is None and env.get(SETTINGS_ENV):
            path = Path(env[SETTINGS_ENV])
        found = path is None and Path(SETTINGS_FILE).is_file()
        if found:
            path = Path(SETTINGS_FILE)
        data: dict[str, Any] = {}
        if path is not None:
            try:
                data = tomllib.loads(path.read_text(encoding="utf-8"))
            except FileNotFoundError:
                raise SendError("the settings file does not exist", file=str(path)) from None
            except (OSError, UnicodeDecodeError) as exc:
                raise SendError(f"the settings file cannot be read ({exc})", file=str(path)) from None
            except tomllib.TOMLDecodeError as exc:
                raise SendError(f"not valid TOML: {exc}", file=str(path)) from None
        values: dict[str, str] = {}
        origin: dict[str, str] = {}
        for name, (section, key, variable) in KEYS.items():
            if env.get(variable):
                values[name], origin[name] = env[variable], variable
                continue
            table = data.get(section, {})
            if isinstance(table, dict) and key in table:
                value = table[key]
                if not isinstance(value, str | int) or isinstance(value, bool):
                    raise SendError("must be text or a whole number", file=str(path), path=f"{section}.{key}")
                values[name], origin[name] = str(value), f"{path}: {section}.{key}"
        return cls(values, origin, path, found)

    def check_sources(self) -> None:
        """Refuse an environment secret steered by a ``dossier.toml`` that was only found in the working folder."""
        if not self.found:
            return
        secret = next((n for n in SECRETS if self.origin.get(n, "").startswith("DOSSIER_")), None)
        steered = next((n for n in STEERING if self.origin.get(n, "").startswith(f"{self.file}: ")), None)
        if secret is None or steered is None:
            return
        section, key, _ = KEYS[steered]
        raise SendError(
            f"{section}.{key} comes from a {SETTINGS_FILE} found in the working folder while {KEYS[secret][2]} "
            "comes from the environment: a settings file planted in a folder you work in could send it elsewhere",
            file=str(self.file),
            path=f"{section}.{key}",
            hint=f"name the settings file with --settings or {SETTINGS_ENV}, or give these settings in the environment",
        )

    def problem(self, name: str, message: str, hint: str | None = None) -> SendError:
        """An error naming setting ``name`` where it was given (the environment variable, or the settings file and
        key), or, when it was not given, where it can be."""
        section, key, variable = KEYS[name]
        source = self.origin.get(name)
        if source == variable:
            return SendError(message, path=variable, hint=hint)
        if source is not None:
            return SendError(message, file=source.split(": ")[0], path=f"{section}.{key}", hint=hint)
        return SendError(
            message,
            file=str(self.file) if self.file is not None else "settings",
            path=f"{section}.{key}",
            hint=hint or f"set {section}.{key} in the settings file or {variable}",
        )

    @property
    def security(self) -> str:
        value = self.values.get("security", "starttls").lower()
        if value not in SECURITY:
            raise self.problem("security", f"{value!r} is not one of {', '.join(SECURITY)}")
        return value

    @property
    def port(self) -> int:
        default = {"tls": 465, "starttls": 587, "none": 25}[self.security]
        text = self.values.get("port", str(default))
        if not text.isdigit() or not 0 < int(text) < 65536:
            raise self.problem("port", f"{text!r} is not a port number (1 to 65535)")
        return int(text)

    @property
    def host(self) -> str:
        self.check_sources()
        host = self.values.get("host", "")
        if not host:
            raise self.problem(
                "host",
                "no mail server is set",
                hint="set smtp.host in the settings file or DOSSIER_SMTP_HOST (docs/sending.md)",
            )
        return host

    @property
    def timeout(self) -> float:
        text = self.values.get("timeout", "60")
        try:
            value = float(text)
        except ValueError:
            value = -1
        if not 0 < value <= 3600:
            raise self.problem("timeout", f"{text!r} is not a number of seconds (up to 3600)")
        return value

    def sender(self, fallback: str | None = None) -> Address:
        """The From address: the setting, else ``fallback`` (the creditor's e-mail)."""
        text = self.values.get("sender") or fallback
        if not text:
            raise self.problem("sender", "no sender address is set", hint="set the From address dossier sends from")
        try:
            address = parse_address(text)
        except ValueError as exc:
            raise self.problem("sender", str(exc)) from None
        return address

    def message_id_domain(self, sender: Address) -> str:
        """The Message-ID's domain: the setting, else the sender's domain (never this machine's host name)."""
        domain = self.values.get("message_id_domain") or sender.domain
        if not re.fullmatch(r"[A-Za-z0-9.-]{1,253}", domain):
            raise self.problem("message_id_domain", f"{domain[:80]!r} is not a domain name")
        return domain

    def dkim(self) -> tuple[bytes, bytes, bytes] | None:
        """(selector, domain, private key PEM) when a key is configured, else None. The key signs only the From
        the settings give: a From from claim data (any address, one at the key's domain included) would get
        the firm's signature on a message an HTTP caller or a claim's author wrote."""
        if not self.values.get("dkim_key"):
            return None
        self.check_sources()
        for name in ("dkim_selector", "dkim_domain"):
            if not self.values.get(name):
                raise self.problem(name, "a DKIM key is set, so its selector and domain are needed too")
        if not self.values.get("sender"):  # else whoever writes the claim (or posts it over HTTP) picks the From
            raise self.problem(
                "sender",
                "a DKIM key is set, so the From it signs must be set too: the key never signs the creditor's "
                "address from the claim",
                hint="set smtp.from in the settings file or DOSSIER_SMTP_FROM (docs/sending.md)",
            )
        key = Path(self.values["dkim_key"])
        if not key.is_absolute() and self.file is not None and not self.origin["dkim_key"].startswith("DOSSIER_"):
            key = self.file.parent / key
        try:
            pem = key.read_bytes()
        except OSError as exc:
            raise self.problem("dkim_key", f"the DKIM key cannot be read ({exc.strerror})") from None
        return self.values["dkim_selector"].encode(), self.values["dkim_domain"].encode(), pem


def parse_address(text: str) -> Address:
    """``name@domain`` or ``Name <name@domain>`` as an ``Address``; ``ValueError`` saying why not. Only ASCII
    addresses (the servers dossier talks to need not support SMTPUTF8), one printable line."""
    raw = text.strip()
    if not raw.isprintable():  # a NUL, an escape, a CR or a line separator would go into the To: header as is
        raise ValueError(f"{text[:80]!r} is not an e-mail address (it holds a control character)")
    display = ""
    found = re.fullmatch(r"(.*?)\s*<([^<>]+)>", raw)
    if found:
        display, raw = found.group(1).strip().strip('"'), found.group(2).strip()
    if len(raw) > 254 or not _ADDRESS.fullmatch(raw) or not raw.isascii() or any(c in raw for c in '<>(),;:"[]\\'):
        raise ValueError(f"{text[:80]!r} is not an e-mail address")
    user, _, domain = raw.rpartition("@")
    return Address(display_name=display, username=user, domain=domain)


@dataclass(frozen=True)
class Message:
    """A message ready to go: the bytes archived and handed to the server, and its envelope."""

    data: bytes
    message_id: str
    sender: str
    recipient: str


def build_message(
    *,
    sender: Address,
    recipient: Address,
    subject: str,
    body: str,
    attachment: bytes,
    filename: str,
    when: datetime,
    message_id_domain: str,
    dkim: tuple[bytes, bytes, bytes] | None = None,
) -> Message:
    """The message as bytes with CRLF line ends: plain-text body (quoted-printable UTF-8), the PDF attached,
    signed with DKIM when ``dkim`` is given."""
    message = EmailMessage(policy=SMTP)
    message["From"] = sender
    message["To"] = recipient
    message["Subject"] = " ".join(subject.split())
    message["Date"] = format_datetime(when)
    message_id = make_msgid(domain=message_id_domain)
    message["Message-ID"] = message_id
    message.set_content(body, charset="utf-8", cte="quoted-printable")
    message.add_attachment(attachment, maintype="application", subtype="pdf", filename=filename)
    data = message.as_bytes()
    if dkim is not None:
        data = sign(data, *dkim)
    if not data.endswith(b"\r\n"):
        data += b"\r\n"
    return Message(data, message_id, sender.addr_spec, recipient.addr_spec)


def sign(data: bytes, selector: bytes, domain: bytes, key: bytes) -> bytes:
    """``data`` with a DKIM-Signature header first (relaxed/simple, rsa-sha256 or ed25519 by the key)."""
    import dkim

    headers = [b"From", b"To", b"Subject", b"Date", b"Message-ID", b"MIME-Version", b"Content-Type"]
    try:
        signature = dkim.sign(data, selector, domain, key, include_headers=headers, linesep=b"\r\n")
    except dkim.DKIMException as exc:
        raise SendError(f"the message cannot be DKIM-signed: {exc}", path="dkim.key") from None
    return signature + data


def deliver(settings: MailSettings, message: Message) -> str:
    """Hand ``message.data`` to the mail server; returns its reply to the data (``250 ...``). Every failure is
    a ``SendError`` naming the setting to look at."""
    host, port, security, timeout = settings.host, settings.port, settings.security, settings.timeout
    user, password = settings.values.get("user"), settings.values.get("password")
    where = f"{host}:{port}"
    try:
        context = ssl.create_default_context()
        if security == "tls":
            smtp: smtplib.SMTP = smtplib.SMTP_SSL(host, port, timeout=timeout, context=context)
        else:
            smtp = smtplib.SMTP(host, port, timeout=timeout)
        with smtp:
            if security == "starttls":
                smtp.starttls(context=context)
            if user:
                smtp.login(user, password or "")
            smtp.ehlo_or_helo_if_needed()
            code, reply = smtp.mail(message.sender)
            if code != 250:
                raise SendError(f"{where} refused the sender {message.sender}: {code} {_text(reply)}", path="smtp.from")
            code, reply = smtp.rcpt(message.recipient)
            if code not in (250, 251):
                raise SendError(f"{where} refused the recipient {message.recipient}: {code} {_text(reply)}", code=code)
            code, reply = smtp.data(message.data)
            if code != 250:
                raise SendError(f"{where} refused the message: {code} {_text(reply)}", code=code)
            return f"{code} {_text(reply)}"
    except smtplib.SMTPAuthenticationError as exc:
        raise settings.problem("user", f"{where} refused the login: {exc.smtp_code} {_text(exc.smtp_error)}") from None
    except smtplib.SMTPNotSupportedError as exc:
        raise settings.problem("security", f"{where}: {exc}") from None
    except smtplib.SMTPDataError as exc:
        refused = f"{where} refused the message: {exc.smtp_code} {_text(exc.smtp_error)}"
        raise SendError(refused, code=exc.smtp_code) from None
    except smtplib.SMTPResponseException as exc:
        raise SendError(f"{where} answered {exc.smtp_code} {_text(exc.smtp_error)}", path="smtp.host") from None
    except ssl.SSLError as exc:
        raise settings.problem("security", f"no secure connection to {where} ({exc.reason or exc})") from None
    except ConnectionRefusedError:
        raise settings.problem("host", f"{where} refused the connection (is the host or port right?)") from None
    except TimeoutError:
        raise settings.problem("host", f"{where} did not answer within {timeout:g} s") from None
    except (OSError, smtplib.SMTPException) as exc:
        reason = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
        raise settings.problem("host", f"cannot send through {where}: {reason}") from None


def _text(reply: bytes | str) -> str:
    text = reply.decode("utf-8", "replace") if isinstance(reply, bytes) else str(reply)
    return " ".join(text.split())
