"""``dossier payments``: bank statements in, matched to the portfolio's claims, and the review queue."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from dossier import api
from dossier.cli.errors import reports_errors

PORTFOLIO = click.Path(exists=True, path_type=Path)


def _shown(value: Any) -> str:
    """A bank's text as visible characters: a statement is the sender's text, and a control character in it
    (an escape sequence that clears the screen or retitles the window, a bidi override) is shown escaped."""
    return "".join(ch if ch.isprintable() else ascii(ch)[1:-1] for ch in str(value))


def _dump(data: Any) -> None:
    click.echo(json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False))


@click.group()
def payments() -> None:
    """Import bank statements into a portfolio, review what could not be matched, settle it."""


@payments.command("import")
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--portfolio", type=PORTFOLIO, required=True, help="The portfolio the payments are for.")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@reports_errors
def import_cmd(files: tuple[Path, ...], portfolio: Path, as_json: bool) -> None:
    """Import bank statement FILES (CODA, camt.053/054, MT940) into PORTFOLIO: book what matches one claim by its
    reference, queue the rest for review; a transaction already imported adds nothing."""
    summary = api.import_payments(portfolio, list(files))
    if as_json:
        _dump(summary)
        return
    for item in summary["files"]:
        click.echo(f"{item['file']} ({item['format']}): {item['transactions']} transaction(s)")
    rules = ", ".join(f"{rule} {count}" for rule, count in summary["matched"].items()) or "none"
    click.echo(f"imported {summary['imported']} (by {rules}); queued for review {summary['queued']}; "
               f"duplicates skipped {summary['duplicates']}; debits {summary['debits']}; "
               f"reversals {summary['reversals']}")
    for refund in summary["refunds"]:
        click.echo(f"refund to make: {refund['amount']} to claim {refund['claim']} (transaction {refund['key']})")
    for item in summary["references_assigned"]:
        click.echo(f"claim {item['claim']}: shared its payment reference, now {item['reference']}")
    for failed in summary["unreadable_claims"]:
        click.echo(f"Warning: {failed['claim']} could not be read; nothing matched it", err=True)


@payments.command("review")
@click.argument("portfolio", type=PORTFOLIO)
@click.option("--json", "as_json", is_flag=True, help="Print the queue as JSON.")
@reports_errors
def review_cmd(portfolio: Path, as_json: bool) -> None:
    """List the transactions of PORTFOLIO waiting for a decision, with the candidates and why."""
    queue = api.payments_review(portfolio)
    if as_json:
        _dump(queue)
        return
    if not queue:
        click.echo("the review queue is empty")
    for entry in queue:
        tx = entry["tx"]
        who = _shown(tx.get("counterparty_name") or tx.get("counterparty_iban") or "?")
        click.echo(_shown(f"{entry['key']}  {tx['value_date']}  {tx['amount']} {tx['currency']}  from ") + who)
        if tx.get("structured") or tx.get("remittance"):
            text = f"{tx.get('structured') or ''} {tx.get('remittance') or ''}".rstrip()
            click.echo(f"    remittance: {_shown(text)}")
        for reason in entry.get("reasons", []):
            click.echo(f"    why: {_shown(reason)}")
        for candidate in entry.get("candidates", []):
            invoice = f" invoice {candidate['invoice']}" if candidate.get("invoice") else ""
            click.echo("    candidate: " + _shown(f"{candidate['claim']} ({candidate['reference']}){invoice}"))


@payments.command("assign")
@click.argument("tx")
@click.argument("claim")
@click.option("--portfolio", type=PORTFOLIO, required=True, help="The portfolio the transaction was imported into.")
@click.option("--invoice", default=None, help="The invoice the payment is for (one of the claim's).")
@reports_errors
def assign_cmd(tx: str, claim: str, portfolio: Path, invoice: str | None) -> None:
    """Book the queued transaction TX (its key, from `payments review`) to CLAIM (its key or reference)."""
    entry = api.assign_payment(portfolio, tx, claim, invoice)
    click.echo(f"{tx}: booked to claim {entry['claim']}" + (f", invoice {invoice}" if invoice else ""))


@payments.command("ignore")
@click.argument("tx")
@click.option("--portfolio", type=PORTFOLIO, required=True, help="The portfolio the transaction was imported into.")
@click.option("--reason", required=True, help="Why it is not a payment of any claim.")
@reports_errors
def ignore_cmd(tx: str, portfolio: Path, reason: str) -> None:
    """Take the queued transaction TX out of the review queue, with the reason."""
    api.ignore_payment(portfolio, tx, reason)
    click.echo(f"{tx}: ignored ({reason})")
