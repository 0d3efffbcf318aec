"""What a claim's journal (and its older ledger) adds to the claim: the letters dossier SENT, as history, and
their files (with the proof of sending), for the bundle.

A ``document-rendered`` entry is a draft: it counts nowhere. A letter counts from the day a ``document-sent``
entry says it went out (its ``date``), on that entry's channel. An older ``out/ledger.jsonl`` line keeps counting
as sent on its ``sent`` day, as it always did (docs/journal.md). A ``debtor-event`` of type ``letter-received`` is
a letter we received: it joins the history as such, never as a letter we wrote.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path, PurePosixPath
from typing import Any

from pydantic import ValidationError

from dossier.engine.settlement import OFFER_KINDS
from dossier.errors import ClaimError, Problem
from dossier.model import Claim
from dossier.model.claim import AgreedPlan, DebtorEvent, HistoryItem, Offer, Payment
from dossier.output.journal import Journal, Record, append, read
from dossier.paths import existing_file, inside

#: document kinds that are letters to the debtor, and the claim-history type each one stands for
LETTER_TYPES = {
    "reminder": "reminder",
    "formal-notice": "formal_notice",
    "payment-plan": "payment_plan",
    "settlement-offer": "settlement_offer",
    "deadline-extension": "deadline_extension",
}
CHANNELS = ("post", "registered", "email")


def _day(record: Record) -> date:
    """The document's date (``date``; ``sent`` in a legacy ledger line)."""
    return date.fromisoformat(str(record.data.get("date") if not record.legacy else record.data["sent"]))


def _date_field(record: Record) -> str:
    return "sent" if record.legacy else "date"


@dataclass(frozen=True)
class Sent:
    """A document that went out: its draft (the ``document-rendered`` entry, or a legacy ledger line) and the
    ``document-sent`` entry that sent it (None for a legacy line, which counts as sent on its date)."""

    draft: Record
    sending: Record | None
    day: date
    channel: str | None

    @property
    def kind(self) -> str:
        return str(self.draft.data.get("kind"))


def sent_documents(records: list[Record]) -> tuple[list[Sent], list[Problem]]:
    """Every document sent, once (its first ``document-sent`` entry), in journal order; and the problems of the
    ``document-sent`` entries that name no draft or carry no valid date."""
    drafts = {r.data.get("n"): r for r in records if not r.legacy and r.event == "document-rendered"}
    found: list[Sent] = []
    done: set[int] = set()
    problems: list[Problem] = []
    for record in records:
        if record.legacy and record.event == "document-rendered":
            try:
                day = _day(record)
            except (KeyError, ValueError):
                problems.append(Problem("must be a date (YYYY-MM-DD)", record.file, f"{record.where}: sent"))
                continue
            channel = record.data.get("channel")
            found.append(Sent(record, None, day, channel if channel in CHANNELS else None))
            continue
        if record.event != "document-sent":
            continue
        n = record.data.get("document")
        draft = drafts.get(n) if isinstance(n, int) and not isinstance(n, bool) else None
        if draft is None:
            field = f"{record.where}: document"
            problems.append(Problem("must be the n of a document-rendered entry", record.file, field))
            continue
        try:
            day = _day(record)
        except (KeyError, ValueError):
            problems.append(Problem("must be a date (YYYY-MM-DD)", record.file, f"{record.where}: date"))
            continue
        if n in done:
            continue
        done.add(n)
        channel = record.data.get("channel")
        found.append(Sent(draft, record, day, channel if channel in CHANNELS else None))
    return found, problems


def mark_sent(
    journal: Journal,
    document_n: int,
    *,
    channel: str,
    day: date,
    recipient: str,
    sent_at: str | datetime | None = None,
    tracking: str | None = None,
    proof: dict[str, Any] | None = None,
    email: dict[str, Any] | None = None,
    forced: list[str] | None = None,
) -> dict[str, Any]:
    """Journal that the draft ``document_n`` (the ``n`` of its ``document-rendered`` entry) went out on ``day``:
    THE ``document-sent`` payload (docs/journal.md). ``sent_at`` defaults to ``day`` at 00:00 local time."""
    if channel not in CHANNELS:
        raise ValueError(f"unknown channel {channel!r}")
    drafts = (r for r in read(journal).records if not r.legacy and r.event == "document-rendered")
    draft = next((r for r in drafts if r.data.get("n") == document_n), None)
    if draft is None:
        raise ClaimError(f"has no document {document_n} to send", file=str(journal.path))
    if sent_at is None:
        sent_at = datetime(day.year, day.month, day.day).astimezone()
    at = sent_at.isoformat(timespec="seconds") if isinstance(sent_at, datetime) else str(sent_at)
    payload = {
        "document": document_n,
        "kind": draft.data.get("kind"),
        "date": day.isoformat(),
        "sent_at": at,
        "channel": channel,
        "recipient": recipient,
        "tracking": tracking,
        "proof": proof,
        "email": email,
        "forced": list(forced or []),
    }
    if draft.data.get("offer"):  # a settlement offer or extension: what was offered goes out with it
        payload["offer"] = draft.data["offer"]
    return append(journal, "document-sent", payload)


#: how a failed delivery became known: refused by the mail server at send time, a bounce that came back later,
#: a letter the post brought back
FAILURE_SOURCES = ("smtp", "bounce", "returned-mail")


def mark_failed(
    journal: Journal,
    document_n: int,
    *,
    day: date,
    channel: str,
    recipient: str | None,
    source: str,
    reason: str | None = None,
    smtp_code: int | None = None,
    note: str | None = None,
    file: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Journal that the letter ``document_n`` did not reach the debtor, known on ``day``: THE ``delivery-failed``
    payload (docs/journal.md). The ladder reads it as returned mail (it pauses until an address change)."""
    if channel not in CHANNELS or source not in FAILURE_SOURCES:
        raise ValueError(f"unknown channel {channel!r} or source {source!r}")
    records = read(journal).records
    if not any(not r.legacy and r.event == "document-rendered" and r.data.get("n") == document_n for r in records):
        raise ClaimError(f"has no document {document_n}", file=str(journal.path), path="document")
    kind = next(r.data.get("kind") for r in records if not r.legacy and r.data.get("n") == document_n)
    payload = {
        "document": document_n,
        "kind": kind,
        "date": day.isoformat(),
        "channel": channel,
        "recipient": recipient,
        "source": source,
        "reason": reason,
        "smtp_code": smtp_code,
        "note": note,
        "file": file,
    }
    return append(journal, "delivery-failed", payload)


def with_journal(claim: Claim, journal: Journal, *, before: date | None = None) -> Claim:
    """The claim with the letters its journal SENT (and its older ledger records) added to its history, from the
    day they went out (a letter already in the history, same type and date, is not added twice), the letters the
    debtor sent us (``letter-received`` debtor events), and the newest payment plan a SENT payment-plan letter
    records, if newer than the claim's. Drafts count nowhere. ``before``: only what happened before that day (a
    letter being redone on its date does not cite itself). A journal line cut by a crash becomes one of the
    claim's warnings."""
    reading = read(journal)
    if not reading.records and not reading.warnings:
        return claim
    seen = {(h.type, h.date) for h in claim.history}
    added: list[HistoryItem] = []
    plan = claim.payment_plan
    letters, problems = sent_documents(reading.records)
    offers = sent_offers(journal, letters, before, problems)
    for letter in letters:
        kind = LETTER_TYPES.get(letter.kind)
        if kind is None:
            continue
        record = letter.sending or letter.draft
        shown = str(journal.folder / record.file) if not record.legacy else str(journal.legacy)
        try:
            if before is not None and letter.day >= before:
                continue
            if (kind, letter.day) not in seen:
                seen.add((kind, letter.day))
                added.append(HistoryItem(date=letter.day, type=kind, channel=letter.channel))
            if kind == "payment_plan" and letter.draft.data.get("plan"):
                recorded = AgreedPlan.model_validate(letter.draft.data["plan"])
                if plan is None or recorded.agreed > plan.agreed:
                    plan = recorded
        except (KeyError, ValueError, ValidationError) as exc:
            problems.append(Problem(f"is not a valid journal entry ({exc})".splitlines()[0], shown, record.where))
    for record in reading.records:
        if record.event != "debtor-event" or record.data.get("type") != "letter-received":
            continue
        try:
            day = date.fromisoformat(str(record.data.get("date")))
        except ValueError:
            problems.append(Problem("must be a date (YYYY-MM-DD)", record.file, f"{record.where}: date"))
            continue
        if (before is not None and day >= before) or ("letter_received", day) in seen:
            continue
        seen.add(("letter_received", day))
        note = record.data.get("note")
        summary = note.strip() if isinstance(note, str) and note.strip().isprintable() else None
        try:
            added.append(HistoryItem(date=day, type="letter_received", summary=summary))
        except ValidationError:
            added.append(HistoryItem(date=day, type="letter_received"))
    events = debtor_events(journal, reading.records)  # all of them: a dispute of the letter's day still counts
    paid = imported_payments(claim, reading.records, problems)
    reference = claim.payment_reference or assigned_reference(reading.records)
    if problems:
        raise ClaimError(problems[0].message, problems=problems)
    unchanged = not added and not events and not offers and not paid and reference == claim.payment_reference
    if unchanged and plan is claim.payment_plan and not reading.warnings:
        return claim
    history = sorted([*claim.history, *added], key=lambda h: h.date)
    update = {
        "history": history,
        "payment_plan": plan,
        "events": sorted([*claim.events, *events], key=_day_of),
        "offers": sorted([*claim.offers, *offers], key=lambda o: o.date),
        "payments": sorted([*claim.payments, *paid], key=lambda p: p.date),
        "payment_reference": reference,
    }
    copy = claim.model_copy(update=update)
    copy.add_warnings(reading.warnings)
    return copy


def sent_offers(journal: Journal, letters: list[Sent], before: date | None, problems: list[Problem]) -> list[Offer]:
    """The settlement offers and deadline extensions the journal SENT (from the day they went out), each with
    what its draft recorded under ``offer``; an entry the model refuses is a problem naming its line."""
    out = []
    for letter in letters:
        kind = OFFER_KINDS.get(letter.kind)
        if kind is None or (before is not None and letter.day >= before):
            continue
        recorded = letter.draft.data.get("offer")
        data = dict(recorded) if isinstance(recorded, dict) else {}
        try:
            out.append(Offer.model_validate({"date": letter.day.isoformat(), "kind": kind, **data}))
        except ValidationError as exc:
            where = str(journal.folder / letter.draft.file)
            problems.append(Problem(f"is not a valid offer ({exc.errors()[0]['msg']})", where, letter.draft.where))
    return out


def _day_of(event: DebtorEvent) -> date:
    return event.date


def imported_payments(claim: Claim, records: list[Record], problems: list[Problem]) -> list[Payment]:
    """The payments ``payment-imported`` entries record, each once (its transaction ``key``), less those a
    ``payment-reversed`` entry undid: dated by their value date, with the reference the debtor gave and the
    invoice it designates (when it is one of the claim's). A malformed entry is a problem naming its line."""
    reversed_keys = {r.data.get("key") for r in records if r.event == "payment-reversed" and not r.legacy}
    invoices = {i.number for i in claim.invoices}
    out: dict[str, Payment] = {}
    for record in records:
        key = record.data.get("key")
        if record.event != "payment-imported" or record.legacy or key in reversed_keys or key in out:
            continue
        invoice = record.data.get("invoice")
        try:
            out[str(key)] = Payment.model_validate(
                {
                    "date": record.data.get("value_date"),
                    "amount": record.data.get("amount"),
                    "reference": record.data.get("reference") or None,
                    "invoice": invoice if invoice in invoices else None,
                }
            )
        except ValidationError as exc:
            error = exc.errors()[0]
            where = ".".join(str(p) for p in error["loc"])
            problems.append(Problem(f"is not a valid imported payment ({error['msg']})", record.file,
                                    f"{record.where}: {where}"))
    return list(out.values())


def assigned_reference(records: list[Record]) -> str | None:
    """The newest structured reference a ``reference-assigned`` entry gave the claim (letters print it)."""
    found = [r.data.get("reference") for r in records if r.event == "reference-assigned" and not r.legacy]
    return str(found[-1]) if found and isinstance(found[-1], str) else None


#: the payload keys of a ``debtor-event`` entry that the claim model reads
EVENT_FIELDS = ("type", "date", "until", "amount", "note", "file")


def debtor_events(journal: Journal, records: list[Record]) -> list[DebtorEvent]:
    """The ``debtor-event`` entries (``dossier record``) as typed events, in the journal's order, a
    ``delivery-failed`` entry as returned mail (the ladder pauses until an address change); an entry the model
    refuses is a ``ClaimError`` naming the journal line and the field. The engine reads each from its date
    (``dossier.engine.pauses``)."""
    out: list[DebtorEvent] = []
    for record in records:
        if record.legacy or record.event not in ("debtor-event", "delivery-failed"):
            continue
        data = {k: record.data.get(k) for k in EVENT_FIELDS if record.data.get(k) is not None}
        if record.event == "delivery-failed":  # a letter that did not arrive is returned mail to the ladder
            data = {"type": "returned-mail", "date": record.data.get("date")}
        if isinstance(data.get("file"), dict):
            data["file"] = data["file"].get("file")
        try:
            event = DebtorEvent.model_validate(data)
        except ValidationError as exc:
            error = exc.errors()[0]
            where = ".".join(str(p) for p in error["loc"])
            field = f"{record.where}: {where}" if where else record.where
            raise ClaimError(
                f"is not a valid debtor event ({error['msg']})", file=str(journal.folder / record.file), path=field
            ) from None
        out.append(event)
    return out


@dataclass(frozen=True)
class LetterFile:
    """A PDF of a document dossier sent (or the proof of its sending), inside the claim folder."""

    kind: str
    sent: date  # the day it went out
    name: str
    path: Path | None  # None: recorded, but no longer there (or never written in the claim folder)
    shown: str  # how errors name it (``out/<name>``): never a server path
    field: str  # where the journal names it: ``line N: files[K].file``
    file: str  # the journal (or ledger) that names it, from the claim folder
    channel: str | None = None  # how it went out
    proof: bool = False  # the proof of sending of the letter listed just before it
    failed: bool = False  # the paper of its failed delivery (a bounce, the returned envelope)


def letter_files(claim_folder: Path, kinds: tuple[str, ...]) -> list[LetterFile]:
    """The PDF files of the SENT documents of ``kinds`` (drafts never), each followed by its proof of sending
    when the ``document-sent`` entry records one (a receipt's scan; an e-mail's archived ``.eml``) and by the paper
    of a failed delivery (``delivery-failed``: the bounce, the returned envelope), in the order they were sent.

    The journal is a file anyone with access to the claim folder can edit, so a file's name is only trusted once
    ``dossier.paths`` finds it inside the claim folder, symlinks resolved; anything else is a ``ClaimError``
    naming the journal line, never the path. A legacy ledger names a file by ``name`` in ``out/`` (a ``path`` an
    older ``dossier run`` line may hold is never read); the journal by ``file``, from the claim folder."""
    journal = Journal.of_claim(claim_folder)
    found: list[LetterFile] = []
    records = read(journal).records
    letters, problems = sent_documents(records)
    failures = [r for r in records if not r.legacy and r.event == "delivery-failed"]
    for letter in letters:
        record, entry = letter.draft, letter.draft.data
        if letter.kind not in kinds:
            continue
        where, line = record.file, record.where
        files = entry.get("files", [])
        if not isinstance(files, list):
            problems.append(Problem("must be a list", where, f"{line}: files"))
            continue
        for k, item in enumerate(files):
            if not isinstance(item, dict) or item.get("format") != "pdf":
                continue
            found += _file(claim_folder, letter, record, item, f"files[{k}]", problems)
        if letter.sending is None:
            continue
        proof = letter.sending.data.get("proof")
        if isinstance(proof, dict):
            found += _file(claim_folder, letter, letter.sending, proof, "proof", problems, proof=True)
        mail = letter.sending.data.get("email")
        if isinstance(mail, dict) and isinstance(mail.get("eml"), dict):  # the message the server accepted
            found += _file(claim_folder, letter, letter.sending, mail["eml"], "email.eml", problems, proof=True)
        for failure in (f for f in failures if f.data.get("document") == entry.get("n")):
            if isinstance(failure.data.get("file"), dict):
                found += _file(claim_folder, letter, failure, failure.data["file"], "file", problems, failed=True)
    if problems:
        raise ClaimError(problems[0].message, problems=problems)
    return found


def _file(
    claim_folder: Path, letter: Sent, record: Record, item: dict[str, Any], key: str, problems: list[Problem],
    *, proof: bool = False, failed: bool = False,
) -> list[LetterFile]:
    """One file a journal line names, once ``dossier.paths`` finds it inside the claim folder."""
    where, line = record.file, record.where
    name = item.get("name")
    if record.legacy or "file" not in item:
        field = f"{line}: {key}.name"
        if not isinstance(name, str):
            problems.append(Problem("must be a file name", where, field))
            return []
        shown = (PurePosixPath("out") / name.replace("\\", "/")).as_posix() if name else ""
        if not record.legacy:  # written outside the claim folder: recorded, not archived here
            return [LetterFile(letter.kind, letter.day, name, None, shown, field, where, letter.channel, proof, failed)]
    else:
        field = f"{line}: {key}.file"
        shown = item["file"] if isinstance(item["file"], str) else ""
        if not isinstance(name, str):
            name = PurePosixPath(shown).name
    try:
        target = inside(claim_folder, shown, file=where, field=field)
        path = existing_file(claim_folder, shown, file=where, field=field) if target.exists() else None
    except ClaimError as exc:
        problems += exc.problems
        return []
    return [LetterFile(letter.kind, letter.day, name, path, shown, field, where, letter.channel, proof, failed)]
