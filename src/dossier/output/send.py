"""``dossier send``: a rendered document (a draft) goes out by e-mail, post or registered post, and the claim's
journal records it as a ``document-sent`` entry (docs/journal.md, docs/sending.md).

Which document: a journal line number, a file name in ``out/``, or by default the newest rendered letter not sent
yet. Its archived files must still have the sha256 the journal recorded: a changed file is never sent.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from dossier.context.formatting import Formatter
from dossier.errors import ClaimError
from dossier.model import Claim
from dossier.output.files import safe_name, sha256_of, write_new, write_problem
from dossier.output.history import mark_failed, mark_sent
from dossier.output.journal import Journal, Record, file_record, read
from dossier.output.mail import MailSettings, SendError, build_message, deliver, parse_address
from dossier.paths import existing_file
from dossier.render.templates import TemplateSet

CHANNELS = ("email", "post", "registered")
#: kinds sent by default (the newest not sent yet) and kinds that may be named to be sent
LETTERS = ("reminder", "formal-notice", "payment-plan", "settlement-offer", "deadline-extension")
SENDABLE = (*LETTERS, "statement")


@dataclass
class Sent:
    """What ``send`` did: the document's journal entry, the ``document-sent`` entry (None on a dry run), and the
    archived message (e-mail)."""

    document: dict[str, Any]
    entry: dict[str, Any] | None
    payload: dict[str, Any]
    eml: Path | None = None
    dry_run: bool = False
    warnings: list[str] = field(default_factory=list)  # for the user: a channel the letter does not say, ...

    def __post_init__(self) -> None:
        rendered_for = self.document.get("channel")
        channel = self.payload.get("channel")
        if rendered_for in CHANNELS and channel != rendered_for:
            self.warnings.append(
                f"the letter was rendered for {rendered_for} (it says so) and goes by {channel}: render it again "
                f"with --channel {channel} for the words to match"
            )


def sent_numbers(records: list[Record]) -> set[int]:
    return {
        r.data["document"] for r in records if r.event == "document-sent" and isinstance(r.data.get("document"), int)
    }


def choose(journal: Journal, document: str | None) -> Record:
    """The ``document-rendered`` entry to send: by journal line number, by one of its files' names, or (None)
    the newest letter that has no ``document-sent`` yet."""
    records = [r for r in read(journal).records if not r.legacy]
    rendered = [r for r in records if r.event == "document-rendered" and r.data.get("kind") in SENDABLE]
    if document is None:
        done = sent_numbers(records)
        waiting = [r for r in rendered if r.data.get("kind") in LETTERS and r.data.get("n") not in done]
        if not waiting:
            raise ClaimError(
                "no rendered letter is waiting to be sent",
                file=str(journal.path),
                hint="render one first (dossier render), or name the document to send",
            )
        return waiting[-1]
    if document.isdigit():
        for record in rendered:
            if record.data.get("n") == int(document):
                return record
        raise ClaimError(
            f"line {document} of the journal is not a rendered document that can be sent ({', '.join(SENDABLE)})",
            file=str(journal.path),
        )
    for record in reversed(rendered):
        files = record.data.get("files")
        if any(isinstance(f, dict) and f.get("name") == document for f in files if isinstance(files, list)):
            return record
    raise ClaimError(
        f"{document[:120]!r} is not a document the journal records",
        file=str(journal.path),
        hint="give a file name from out/ or the journal's line number (dossier verify --json lists them)",
    )


def checked_files(journal: Journal, record: Record) -> list[tuple[dict[str, Any], Path | None]]:
    """The document's files with where they are; a file changed since it was rendered is a ``ClaimError``."""
    out: list[tuple[dict[str, Any], Path | None]] = []
    files = record.data.get("files")
    for index, item in enumerate(files if isinstance(files, list) else []):
        if not isinstance(item, dict):
            continue
        where = f"line {record.line}: files[{index}].file"
        if not isinstance(item.get("file"), str):
            out.append((item, None))
            continue
        path = existing_file(journal.folder, item["file"], file=str(journal.path), field=where)
        if sha256_of(path) != item.get("sha256"):
            raise ClaimError(
                f"{item.get('name')} has changed since it was rendered (its sha256 is not the journal's): it is "
                "not sent",
                file=str(journal.path),
                path=where,
                hint="render the document again, or restore the file (dossier verify)",
            )
        out.append((item, path))
    return out


def parse_at(text: str | None) -> datetime:
    """``--at``: an ISO date or date and time (without an offset: this machine's time zone); default now."""
    if not text:
        return datetime.now(UTC).replace(microsecond=0)
    try:
        when = datetime.fromisoformat(text)
    except ValueError:
        raise ClaimError(
            f"{text[:40]!r} is not a date or date and time (YYYY-MM-DD or YYYY-MM-DDTHH:MM[+01:00])", path="at"
        ) from None
    return (when if when.tzinfo else when.astimezone()).replace(microsecond=0)


def postal_line(claim: Claim) -> str:
    a = claim.debtor.address
    parts = [claim.debtor.name, a.street, a.line2, f"{a.postal_code} {a.city}", a.country]
    return ", ".join(" ".join(str(p).split()) for p in parts if p)


def email_text(
    claim: Claim, templates: TemplateSet, kind: str, level: int | None, day: date, locale: str
) -> tuple[str, str]:
    """The subject and body, in the claim's language, from the ``email`` section of texts.yaml."""
    values = {
        "kind": kind,
        "level": level or 1,
        "reference": claim.reference,
        "creditor": claim.creditor.name,
        "debtor": claim.debtor.name,
        "date": Formatter(locale, claim.currency).date(day),
    }
    values["title"] = templates.snippet("email", "title", **values)
    wording = templates.section("email", values)
    paragraphs = wording["body"] if isinstance(wording.get("body"), list) else [wording.get("body", "")]
    body = "\n\n".join([wording["salutation"], *paragraphs, f"{wording['closing']}\n{wording['signature']}"])
    return str(wording["subject"]), body + "\n"


def archive_copy(folder: Path, stem: str, suffix: str, data: bytes) -> Path:
    """``data`` under ``folder/stem_vN.suffix``, N the first free number, atomically and never overwriting."""
    version = 1
    while True:
        path = folder / f"{stem}_v{version}.{suffix}"
        try:
            write_new(path, data)
            return path
        except FileExistsError:
            version += 1


def send(
    journal: Journal,
    claim: Claim,
    document: str | None,
    *,
    channel: str,
    at: str | None = None,
    to: str | None = None,
    tracking: str | None = None,
    proof: Path | None = None,
    dry_run: bool = False,
    settings: MailSettings | None = None,
    templates: TemplateSet | None = None,
    locale: str = "en_GB",
) -> Sent:
    """Send the document and journal it (see the module's docstring)."""
    if channel not in CHANNELS:
        raise ClaimError(f"{channel!r} is not a channel ({', '.join(CHANNELS)})", path="channel")
    if channel == "registered" and not (tracking and tracking.strip()):
        raise ClaimError("registered post needs its registered number (--tracking)", path="tracking")
    if tracking is not None and (len(tracking) > 64 or not tracking.isprintable()):
        raise ClaimError("a registered number is one line of at most 64 characters", path="tracking")
    if to is not None and (len(to) > 500 or not to.isprintable() or not to.strip()):
        raise ClaimError("the recipient is one line of at most 500 characters", path="to")
    if channel == "email" and (proof is not None or tracking):
        raise ClaimError(
            "an e-mail's proof is the archived message: --proof and --tracking are for post", path="channel"
        )
    if dry_run and channel != "email":
        raise ClaimError("--dry-run writes the e-mail without sending it: it is for --channel email", path="dry_run")
    record = choose(journal, document)
    files = checked_files(journal, record)
    when = parse_at(at)
    if channel == "email" and when > datetime.now(UTC):
        raise ClaimError("an e-mail goes out now: --at may date it back (a run's date), never ahead", path="at")
    payload: dict[str, Any] = {
        "document": record.data["n"],
        "kind": record.data.get("kind"),
        "date": when.date().isoformat(),
        "sent_at": when.isoformat(),
        "channel": channel,
        "recipient": None,
        "tracking": tracking.strip() if tracking else None,
        "proof": None,
        "email": None,
        "forced": [],
    }
    if channel == "email":
        return _email(journal, claim, record, files, payload, to, dry_run, settings, templates, locale)
    payload["recipient"] = " ".join(to.split()) if to else postal_line(claim)
    if proof is not None:
        payload["proof"] = _proof(journal, record, files, proof, channel)
    entry = _journal_sent(journal, payload)
    return Sent(record.data, entry, payload)


def _journal_sent(journal: Journal, payload: dict[str, Any]) -> dict[str, Any]:
    """The ``document-sent`` entry, written by the one function that writes them (``history.mark_sent``)."""
    return mark_sent(
        journal,
        payload["document"],
        channel=payload["channel"],
        day=date.fromisoformat(payload["date"]),
        recipient=payload["recipient"],
        sent_at=payload["sent_at"],
        tracking=payload["tracking"],
        proof=payload["proof"],
        email=payload["email"],
        forced=payload["forced"],
    )


def _stem(record: Record, files: list[tuple[dict[str, Any], Path | None]]) -> str:
    names = [str(item.get("name", "")) for item, _ in files]
    name = next((n for n in names if n.endswith(".pdf")), names[0] if names else f"document-{record.data['n']}")
    return safe_name(Path(name).stem)


def _proof(
    journal: Journal, record: Record, files: list[tuple[dict[str, Any], Path | None]], proof: Path, channel: str
) -> dict[str, Any]:
    """The receipt's scan, copied into the archive; its file record."""
    if not proof.is_file():
        raise ClaimError("the proof of posting is not a file", file=str(proof), path="proof")
    try:
        data = proof.read_bytes()
    except OSError as exc:
        raise ClaimError(f"the proof of posting cannot be read ({exc.strerror})", file=str(proof)) from None
    suffix = safe_name(proof.suffix.lstrip(".").lower() or "bin")[:10]
    path = archive_copy(journal.own_archive(), f"{_stem(record, files)}_{channel}-proof", suffix, data)
    return file_record(journal, path, suffix, data)


def _email(
    journal: Journal,
    claim: Claim,
    record: Record,
    files: list[tuple[dict[str, Any], Path | None]],
    payload: dict[str, Any],
    to: str | None,
    dry_run: bool,
    settings: MailSettings | None,
    templates: TemplateSet | None,
    locale: str,
) -> Sent:
    pdf = next(((item, path) for item, path in files if item.get("format") == "pdf"), None)
    if pdf is None or pdf[1] is None:
        raise ClaimError(
            "this document has no PDF in the claim folder to attach",
            file=str(journal.path),
            path=f"line {record.line}: files",
            hint="render it as a PDF (dossier render) and send that",
        )
    recipient_text = to or claim.debtor.email
    if not recipient_text:
        raise ClaimError(
            "the debtor has no e-mail address",
            path="debtor.email",
            hint="add debtor.email to the claim, or give --to",
        )
    try:
        recipient = parse_address(recipient_text)
    except ValueError as exc:
        raise ClaimError(str(exc), path="to" if to else "debtor.email") from None
    settings = settings or MailSettings.load()
    sender = settings.sender(claim.creditor.email)
    day = date.fromisoformat(str(record.data.get("date")))
    kind, level = str(record.data.get("kind")), record.data.get("level")
    subject, body = email_text(claim, templates or TemplateSet(claim.language), kind, level, day, locale)
    data = pdf[1].read_bytes()
    message = build_message(
        sender=sender,
        recipient=recipient,
        subject=subject,
        body=body,
        attachment=data,
        filename=f"{_stem(record, files)}.pdf",  # the journal's name, made safe: it may have been edited
        when=datetime.fromisoformat(payload["sent_at"]),
        message_id_domain=settings.message_id_domain(sender),
        dkim=settings.dkim(),
    )
    if not dry_run:
        settings.host  # noqa: B018 - a missing server is named before anything is written
    eml = archive_copy(
        journal.own_archive(), f"{_stem(record, files)}_email{'-draft' if dry_run else ''}", "eml", message.data
    )
    payload["recipient"] = recipient.addr_spec
    record_eml = file_record(journal, eml, "eml", message.data)
    payload["email"] = {"message_id": message.message_id, "eml": record_eml, "smtp_reply": None}
    if dry_run:
        return Sent(record.data, None, payload, eml, dry_run=True)
    try:
        payload["email"]["smtp_reply"] = deliver(settings, message)
    except SendError as exc:
        _discard(eml)
        if exc.permanent:  # the server refused this recipient or message for good: the delivery failed
            mark_failed(
                journal,
                record.data["n"],
                day=date.fromisoformat(payload["date"]),
                channel="email",
                recipient=payload["recipient"],
                source="smtp",
                reason=exc.message,
                smtp_code=exc.code,
            )
        raise
    entry = _journal_sent(journal, payload)
    return Sent(record.data, entry, payload, eml)


def _discard(path: Path) -> None:
    """The message was not sent: its archive goes (it would be taken for proof of sending)."""
    try:
        path.unlink(missing_ok=True)
    except OSError as exc:
        raise write_problem(exc, path.parent) from None
