"""The Python API: thin functions over the layers, the same ones the CLI and HTTP use."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from dossier.model import Claim
from dossier.model import load_claim as _load_claim
from dossier.output.history import with_journal
from dossier.output.journal import Journal
from dossier.rules import Jurisdiction, available_jurisdictions
from dossier.rules import load_rules as _load_rules

# Rendering, bundles, batches and the workflow pull in docx, pypdf, Dask and (for PDF) WeasyPrint: each function
# below imports what it needs when called, so that ``dossier validate`` and ``import dossier`` stay fast and work
# on a machine without WeasyPrint's system libraries.
if TYPE_CHECKING:
    from dossier.batch.runner import Summary
    from dossier.bundle.assemble import Bundle
    from dossier.engine import Deadline, Statement
    from dossier.engine.letters import PlanRequest
    from dossier.engine.portfolio import PortfolioFigures
    from dossier.engine.settlement import OfferRequest
    from dossier.output.produce import Produced
    from dossier.output.request import DocumentRequest
    from dossier.output.send import Sent
    from dossier.output.verify import Restart, Verification
    from dossier.workflow.run import RunResult
    from dossier.workflow.steps import ClaimStep


def __getattr__(name: str) -> Any:
    """``render_report`` (re-exported from the workflow) is imported on first use."""
    if name == "render_report":
        from dossier.workflow.report import render_report

        return render_report
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def load_claim(folder: str | Path, *, with_ledger: bool = True, before: date | None = None) -> Claim:
    """Read and validate a claim folder (``claim.yaml`` or ``claim.json`` and the files it names). The letters its
    journal (``journal.jsonl``, and an older ``out/ledger.jsonl``) records are added to its history unless
    ``with_ledger`` is false (``before``: only those dated before that day)."""
    claim = _load_claim(folder)
    return with_journal(claim, Journal.of_claim(Path(folder)), before=before) if with_ledger else claim


def verify(folder: str | Path) -> Verification:
    """Check the journal of the claim in ``folder``: its chain, and every file it archives against its sha256.
    ``result.broken`` names the first line that breaks, and why; ``result.partial`` a last line cut by a crash."""
    from dossier.output.verify import verify as _verify

    return _verify(Journal.of_folder(Path(folder)))


def start_new_segment(folder: str | Path) -> tuple[Verification, Restart | None]:
    """For a claim whose journal breaks at line N: keep it aside as ``journal.damaged-<time>.jsonl`` and start
    the journal again from its lines before N, with an entry naming the damaged file's sha256 (docs/journal.md).
    Returns the verification that found the break, and what was done (``None``: the journal was intact)."""
    from dossier.output.verify import start_new_segment as _start

    return _start(Journal.of_folder(Path(folder)))


def send(
    folder: str | Path,
    document: str | int | None = None,
    *,
    channel: str,
    at: str | None = None,
    to: str | None = None,
    tracking: str | None = None,
    proof: str | Path | None = None,
    dry_run: bool = False,
    settings: str | Path | None = None,
    templates: str | Path | None = None,
) -> Sent:
    """Send a rendered document of the claim in ``folder`` (``document``: its journal line number or one of its file
    names; default the newest letter not sent yet) by ``email``, ``post`` or ``registered`` post, and record it in
    the claim's journal (``document-sent``). E-mail goes over SMTP with the settings of ``settings`` (a TOML file)
    and the ``DOSSIER_SMTP_*`` environment (docs/sending.md); ``dry_run`` only writes the message (``.eml``).
    ``at``: when a letter was posted (ISO date or date and time; default now)."""
    from dossier.engine.letters import channel_findings
    from dossier.output.mail import MailSettings
    from dossier.output.send import send as _send
    from dossier.render.templates import TemplateSet

    claim = load_claim(folder)
    rules = _load_rules(claim.jurisdiction)
    mail = MailSettings.load(settings) if channel == "email" else None
    sent = _send(
        Journal.of_claim(Path(folder)),
        claim,
        None if document is None else str(document),
        channel=channel,
        at=at,
        to=to,
        tracking=tracking,
        proof=Path(proof) if proof is not None else None,
        dry_run=dry_run,
        settings=mail,
        templates=TemplateSet(claim.language, Path(templates) if templates else None),
        locale=rules.meta.locales.get(claim.language, "en_GB"),
    )
    kind, day = str(sent.document.get("kind")), date.fromisoformat(str(sent.payload["date"]))
    sent.warnings += channel_findings(kind, channel, rules.sending(kind, day), rules.code)
    return sent


def load_rules(jurisdiction: str) -> Jurisdiction:
    """Load the dated rules of a jurisdiction (``BE``, ``FR``, ``NL``, ``GB-EAW``)."""
    return _load_rules(jurisdiction)


def jurisdictions() -> list[dict[str, object]]:
    """Each jurisdiction with the span its rates cover, its rules version and any unconfirmed parameter."""
    rows: list[dict[str, object]] = []
    for code in available_jurisdictions():
        rules = _load_rules(code)
        start, end = rules.coverage()
        unconfirmed = sorted(
            {v.parameter for p in rules.parameters.values() for v in p.values if v.status == "unconfirmed"}
        )
        rows.append(
            {
                "code": code,
                "name": rules.meta.name["en"],
                "currency": rules.currency,
                "languages": list(rules.meta.languages),
                "rates_from": start.isoformat(),
                "rates_until": end.isoformat() if end else None,
                "version": rules.version,
                "unconfirmed": unconfirmed,
            }
        )
    return rows


def statement(claim: Claim, as_of: date | None = None) -> Statement:
    """What the debtor owes on ``as_of`` (default: today), with periods, payments and the rules used."""
    from dossier.engine import compute_statement

    return compute_statement(claim, _load_rules(claim.jurisdiction), as_of or date.today())


def deadline(claim: Claim, kind: str, sent: date, channel: str) -> Deadline:
    """The last day to pay that a letter of ``kind`` (``formal-notice`` or ``formal_notice``, ``reminder``,
    ``reminder-followup``) sent on ``sent`` gives this claim's debtor."""
    from dossier.engine import compute_deadline

    return compute_deadline(
        _load_rules(claim.jurisdiction), kind.replace("-", "_"), claim.debtor.type, sent, channel
    )


def render(
    folder: str | Path,
    doc: str,
    *,
    sent: date | None = None,
    channel: str = "post",
    level: int = 1,
    formats: tuple[str, ...] = ("pdf",),
    out: str | Path | None = None,
    templates: str | Path | None = None,
    plan: PlanRequest | None = None,
    pdfa: bool = False,
    force: bool = False,
    one_page: bool = False,
    offer: OfferRequest | None = None,
) -> Produced:
    """Render a document of the claim in ``folder``, write it under ``out`` (default ``folder/out``) with a new
    file name, and record it in the claim's journal. Returns the files with their sha256 and the journal entry.
    ``offer``: what a ``settlement-offer`` (amount and until) or ``deadline-extension`` (until) gives."""
    from dossier.output.request import DocumentRequest, Options

    options = Options(pdfa=pdfa, force=force, one_page=one_page)
    request = DocumentRequest(doc, sent or date.today(), channel, level, plan, tuple(formats), options, offer)
    return produce(folder, request, out=out, templates=templates)


def produce(
    folder: str | Path,
    request: DocumentRequest,
    *,
    out: str | Path | None = None,
    templates: str | Path | None = None,
) -> Produced:
    """``render`` with the document asked for as one ``DocumentRequest`` (kind, date, channel, level, plan,
    formats, options, offer): what the CLI builds."""
    from dossier.output.produce import Producer

    claim = load_claim(folder, before=request.date)
    rules = _load_rules(claim.jurisdiction)
    producer = Producer(Path(templates) if templates else None)
    rendered = producer.produce(claim, rules, request)
    journal = Journal.of_claim(Path(folder))
    out_dir = Path(out) if out else journal.own_archive()
    return producer.write(rendered, claim, out_dir, journal=journal)


def bundle(
    folder: str | Path,
    *,
    day: date | None = None,
    out: str | Path | None = None,
    templates: str | Path | None = None,
    skip_bad: bool = False,
    max_size: int | None = None,
    pdfa: bool = False,
) -> tuple[Bundle, Path]:
    """Assemble the court bundle of the claim in ``folder`` and write it atomically (default ``folder/out/``);
    the bundle is recorded in the claim's journal. ``max_size`` is in bytes: a larger bundle is refused.
    ``pdfa`` makes a PDF/A-2b bundle, refused when a piece's fonts are not embedded."""
    from dossier.bundle.assemble import BundleError
    from dossier.bundle.assemble import build as build_bundle
    from dossier.bundle.save import save as save_bundle
    from dossier.bundle.save import target_for as bundle_target
    from dossier.output.journal import document_entry, file_record, record_document
    from dossier.output.produce import Producer

    root = Path(folder)
    sent = day or date.today()
    claim = load_claim(root, before=sent + timedelta(days=1))
    rules = _load_rules(claim.jurisdiction)
    result = build_bundle(
        claim,
        root,
        rules,
        sent,
        producer=Producer(Path(templates) if templates else None),
        skip_bad=skip_bad,
        pdfa=pdfa,
    )
    if max_size is not None and len(result.pdf) > max_size:
        raise BundleError(
            f"the bundle is {len(result.pdf) / 1e6:.1f} MB, over the limit of {max_size / 1e6:.1f} MB",
            path="max_size",
            hint="split or compress the largest pieces",
        )
    target = bundle_target(Path(out) if out is not None else None, root, f"{sent.isoformat()}_bundle_{claim.reference}")
    save_bundle(target, result.pdf, root)
    journal = Journal.of_claim(root)
    files = [file_record(journal, target, "pdf", result.pdf)]
    record_document(journal, document_entry("bundle", sent, files, pages=result.pages, skipped=result.skipped))
    return result, target


def batch(
    portfolio: str | Path,
    doc: str,
    *,
    out: str | Path,
    day: date | None = None,
    formats: tuple[str, ...] = ("pdf",),
    channel: str = "post",
    workers: int | None = None,
    templates: str | Path | None = None,
    scheduler: str | None = None,
    redo: bool = False,
) -> Summary:
    """Render ``doc`` for every claim of ``portfolio`` (folder of claim folders, .csv or .jsonl) into ``out``,
    on ``workers`` processes (or a Dask cluster at ``scheduler``); resumable (a document whose claim, rules,
    templates or options changed is redone; ``redo``: all are); failures go to errors.jsonl."""
    from dossier.batch.runner import run_batch

    return run_batch(
        Path(portfolio),
        doc,
        out=Path(out),
        day=day or date.today(),
        formats=formats,
        channel=channel,
        workers=workers,
        templates=Path(templates) if templates else None,
        scheduler=scheduler,
        redo=redo,
    )


def next_steps(portfolio: str | Path, day: date | None = None) -> list[ClaimStep]:
    """For each claim of ``portfolio`` (a claim folder, a folder of them, a .csv or .jsonl): the step reached,
    the next one, the earliest day for it and why."""
    from dossier.workflow.steps import next_steps as _next_steps

    return _next_steps(Path(portfolio), day or date.today())


def run(
    portfolio: str | Path,
    day: date,
    *,
    formats: tuple[str, ...] = ("pdf",),
    channel: str = "post",
    workers: int | None = None,
    out: str | Path | None = None,
    scheduler: str | None = None,
    hold_post: bool = False,
    send: bool = False,
    settings: str | Path | None = None,
) -> RunResult:
    """Render every letter due on ``day`` and record each in its claim's journal, a post letter as sent on ``day``
    unless ``hold_post`` (idempotent). ``send``: e-mail what the jurisdiction's data allows by e-mail to a debtor
    with an address (SMTP ``settings``, docs/sending.md) and write the day's post for the mailroom
    (``RunResult.mailed``, ``RunResult.mail``)."""
    from dossier.workflow.run import run_due

    return run_due(
        Path(portfolio),
        day,
        out=Path(out) if out else None,
        formats=formats,
        channel=channel,
        workers=workers,
        scheduler=scheduler,
        hold_post=hold_post,
        send=send,
        settings=Path(settings) if settings else None,
    )


def record(
    folder: str | Path,
    event: str,
    day: date,
    *,
    until: date | None = None,
    amount: Decimal | str | None = None,
    note: str | None = None,
    file: str | Path | None = None,
    document: str | int | None = None,
) -> dict[str, Any]:
    """Journal what happened outside dossier (``event``: dispute, dispute-resolved, promise, call,
    letter-received, returned-mail, address-changed) on ``day``; a promise needs ``until`` (and may give
    ``amount``); ``file``: a paper to archive with it; ``document`` (returned mail): the letter that came back,
    journaled as its ``delivery-failed``. Returns the journal entry written."""
    from dossier.output.record import record_event

    return record_event(
        Path(folder),
        event,
        day,
        until=until,
        amount=amount,
        note=note,
        file=Path(file) if file else None,
        document=None if document is None else str(document),
    )


def report(portfolio: str | Path, day: date | None = None) -> PortfolioFigures:
    """The portfolio's figures on ``day``; ``render_report(figures, "html" | "pdf" | "json")`` gives the bytes."""
    from dossier.workflow.report import portfolio_report

    return portfolio_report(Path(portfolio), day or date.today())


def import_payments(portfolio: str | Path, files: list[str | Path]) -> dict[str, Any]:
    """Import bank statement files (CODA, camt.053/054, MT940; format read from the content) into ``portfolio``:
    each transaction booked to a claim's journal or put in the review queue, once however often it is delivered.
    Every file is parsed before anything is written. Returns the summary (``dossier payments import --json``)."""
    from dossier.workflow.payments import import_payments as _import
    from dossier.workflow.payments import read_statements

    return _import(Path(portfolio), read_statements([Path(f) for f in files]))


def payments_review(portfolio: str | Path) -> list[dict[str, Any]]:
    """The transactions waiting for a person, each with its candidates and why."""
    from dossier.workflow.payments import review_queue

    return review_queue(Path(portfolio))


def assign_payment(portfolio: str | Path, key: str, claim: str, invoice: str | None = None) -> dict[str, Any]:
    """Book the queued transaction ``key`` to ``claim`` (key or reference), optionally to one of its invoices."""
    from dossier.workflow.payments import assign_payment as _assign

    return _assign(Path(portfolio), key, claim, invoice)


def ignore_payment(portfolio: str | Path, key: str, reason: str) -> dict[str, Any]:
    """Take the queued transaction ``key`` out of the review queue, with the reason."""
    from dossier.workflow.payments import ignore_payment as _ignore

    return _ignore(Path(portfolio), key, reason)
