"""``dossier record``: what happened outside dossier, in the claim's journal; the ladder reads it back."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from pathlib import Path

import click

from dossier import api
from dossier.cli.errors import reports_errors
from dossier.cli.types import IsoDate
from dossier.errors import ClaimError
from dossier.output.record import EVENT_TYPES


@click.command()
@click.argument("claim_dir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--event", "event", type=click.Choice(EVENT_TYPES), required=True, help="What happened.")
@click.option("--date", "day", type=IsoDate(), required=True, help="The day it happened.")
@click.option("--until", type=IsoDate(), default=None, help="A promise: the day the debtor promised to pay by.")
@click.option("--amount", default=None, help="A promise: the amount promised (e.g. 250.00).")
@click.option("--note", default=None, help="What was said or received, in a few words.")
@click.option(
    "--file",
    "paper",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="A paper to keep with it (the debtor's letter, the returned envelope): copied into CLAIM_DIR/out/.",
)
@click.option(
    "--document",
    default=None,
    help="Returned mail: the letter that came back (its journal line number or file name), recorded as its failed "
    "delivery (a bounce for an e-mail).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the journal entry written.")
@reports_errors
def record(
    claim_dir: Path,
    event: str,
    day: date,
    until: date | None,
    amount: str | None,
    note: str | None,
    paper: Path | None,
    document: str | None,
    as_json: bool,
) -> None:
    """Record what happened outside dossier in CLAIM_DIR's journal.

    A dispute pauses the ladder until a dispute-resolved; a promise (--until, optionally --amount) until the
    promised day plus the ladder's grace, unless it is kept; returned mail until an address-changed. A call or
    a letter received is kept for the file. `dossier next` and the report show paused claims and why. Returned
    mail with --document records that letter's failed delivery (delivery-failed; the bundle files its paper
    behind the letter)."""
    try:
        entry = api.record(
            claim_dir, event, day, until=until, amount=amount, note=note, file=paper, document=document
        )
    except ClaimError as exc:  # name the options as typed here
        options = {"until", "amount", "note", "file", "event", "document"}
        problems = [replace(p, path=f"--{p.path}") if p.path in options else p for p in exc.problems]
        raise ClaimError(exc.message, problems=problems) from None
    if as_json:
        click.echo(json.dumps(entry, indent=2, sort_keys=True, ensure_ascii=False))
        return
    kept = f"; kept {entry['file']['file']}" if entry.get("file") else ""
    what = f"the failed delivery of line {entry['document']}" if entry.get("event") == "delivery-failed" else event
    click.echo(f"{claim_dir}: recorded {what} of {day} (journal line {entry['n']}){kept}")
