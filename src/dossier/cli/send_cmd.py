"""``dossier send``: a rendered document goes out by e-mail, post or registered post, and the journal records it."""

from __future__ import annotations

import json
from pathlib import Path

import click

from dossier import api
from dossier.cli.errors import reports_errors


@click.command()
@click.argument("claim_dir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.argument("document", required=False)
@click.option("--channel", type=click.Choice(["email", "post", "registered"]), required=True)
@click.option(
    "--at", "at", default=None, help="When a letter was posted (YYYY-MM-DD or YYYY-MM-DDTHH:MM; default now)."
)
@click.option("--to", "to", default=None, help="The recipient: an e-mail address, or a one-line postal address.")
@click.option("--tracking", default=None, help="The registered number (required for --channel registered).")
@click.option(
    "--proof",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="A scan of the posting receipt, copied into out/ and recorded.",
)
@click.option(
    "--settings",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="The sending settings file (default: $DOSSIER_SETTINGS, else ./dossier.toml; see docs/sending.md).",
)
@click.option("--templates", type=click.Path(exists=True, file_okay=False, path_type=Path), default=None)
@click.option("--dry-run", "dry_run", is_flag=True, help="Write the e-mail (.eml) in out/ without sending it.")
@click.option("--json", "as_json", is_flag=True, help="Print the journal entry as JSON.")
@reports_errors
def send(
    claim_dir: Path,
    document: str | None,
    channel: str,
    at: str | None,
    to: str | None,
    tracking: str | None,
    proof: Path | None,
    settings: Path | None,
    templates: Path | None,
    dry_run: bool,
    as_json: bool,
) -> None:
    """Send a rendered document by e-mail, post or registered post and record it in the claim's journal.

    DOCUMENT (of CLAIM_DIR) is a file name in out/ or the journal line number of a rendered document; by default
    the newest rendered letter not sent yet. A document whose file changed since it was rendered is refused.
    E-mail goes over SMTP (settings: docs/sending.md) with the PDF attached; the exact message is archived as .eml
    in out/."""
    result = api.send(
        claim_dir,
        document,
        channel=channel,
        at=at,
        to=to,
        tracking=tracking,
        proof=proof,
        dry_run=dry_run,
        settings=settings,
        templates=templates,
    )
    for warning in result.warnings:
        click.echo(f"Warning: {warning}", err=True)
    if as_json:
        click.echo(
            json.dumps(
                {"dry_run": result.dry_run, "entry": result.entry or result.payload},
                indent=2,
                sort_keys=True,
                ensure_ascii=False,
            )
        )
        return
    names = ", ".join(str(f.get("name")) for f in result.document.get("files", []) if isinstance(f, dict))
    label = f"{result.document.get('kind')} of {result.document.get('date')} ({names})"
    if result.dry_run:
        click.echo(f"dry run: {label}: message written to {result.eml}, NOT sent, nothing recorded")
        return
    payload = result.payload
    click.echo(f"sent: {label} by {channel} to {payload['recipient']} on {payload['sent_at']}")
    if result.eml is not None:
        click.echo(
            f"  message: {result.eml} ({payload['email']['message_id']}); server: {payload['email']['smtp_reply']}"
        )
    if payload.get("tracking"):
        click.echo(f"  registered number: {payload['tracking']}")
    if payload.get("proof"):
        click.echo(f"  proof: {payload['proof'].get('file', payload['proof']['name'])}")
    if result.entry is not None:
        click.echo(f"  journal: line {result.entry['n']}")
