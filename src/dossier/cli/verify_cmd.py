"""``dossier verify``: is the claim's journal as it was written, and is every file it archives unchanged?"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from dossier import api
from dossier.cli.errors import reports_errors


@click.command()
@click.argument("claim_dir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@click.option(
    "--start-new-segment",
    "restart",
    is_flag=True,
    help="If a line breaks: keep the journal aside as journal.damaged-<time>.jsonl and start it again from the "
    "lines before the break, with an entry naming the damaged file's sha256.",
)
@reports_errors
def verify(claim_dir: Path, as_json: bool, restart: bool) -> None:
    """Check the chain of CLAIM_DIR's journal and every file it archives; name the first line that breaks.

    Every line must carry its own digest, its sequence number and the sha256 of the line before it; every file
    a line archives must still have the sha256 recorded. Exit 0 when the journal is intact (a last line cut by a
    crash is a warning: it recorded nothing), 1 when a line breaks. CLAIM_DIR may also be a portfolio row's
    folder (<portfolio>_dossier/ledgers/<key>). With --start-new-segment, exit 0 once the journal is whole again
    (what the lines from the break on recorded no longer counts: see docs/journal.md)."""
    if restart:
        _restart(claim_dir, as_json)
        return
    result = api.verify(claim_dir)
    journal = claim_dir / result.journal
    if as_json:
        click.echo(json.dumps(result.as_dict() | {"journal": str(journal)}, indent=2, sort_keys=True))
    elif not result.exists:
        click.echo(f"{journal}: no journal yet")
    elif result.intact:
        head = f"; head {result.head}" if result.head else ""
        click.echo(f"{journal}: intact: {result.entries} entries, {result.files} archived files checked{head}")
    if result.partial is not None:
        click.echo(
            f"Warning: {journal}: line {result.partial} was cut while it was written (a crash?): it recorded "
            "nothing; the next entry records it as cut",
            err=True,
        )
    if result.legacy:
        how_many = "cannot be read" if result.legacy < 0 else f"holds {result.legacy} older entries"
        click.echo(
            f"Note: {claim_dir / result.legacy_file} {how_many}, without a chain: verify cannot vouch for it",
            err=True,
        )
    if result.unarchived:
        click.echo(f"Note: {result.unarchived} file(s) were written outside the claim folder: not checked", err=True)
    if result.broken is not None:
        click.echo(f"Error: {journal}: line {result.broken.line}: {result.broken.message}", err=True)
        click.echo("docs/journal.md says how to recover a damaged journal", err=True)
        sys.exit(1)


def _restart(claim_dir: Path, as_json: bool) -> None:
    found, done = api.start_new_segment(claim_dir)
    journal = claim_dir / found.journal
    after = api.verify(claim_dir) if done is not None else found
    if as_json:
        restarted = None
        if done is not None:
            restarted = {"damaged": str(claim_dir / done.damaged), "sha256": done.sha256, "kept_lines": done.kept}
        data = {"journal": str(journal), "found": found.as_dict(), "restarted": restarted, "now": after.as_dict()}
        click.echo(json.dumps(data, indent=2, sort_keys=True))
    elif done is None:
        click.echo(f"{journal}: {'intact' if found.exists else 'no journal yet'}: nothing to do")
    else:
        assert found.broken is not None
        click.echo(f"{journal}: line {found.broken.line}: {found.broken.message}")
        click.echo(f"kept aside, unchanged, as {claim_dir / done.damaged} (sha256 {done.sha256})")
        click.echo(
            f"{journal}: started again from its {done.kept} line(s) before line {found.broken.line}, then an entry "
            "naming the damaged file; what the later lines recorded no longer counts (docs/journal.md)"
        )
    if not after.intact:
        assert after.broken is not None
        click.echo(f"Error: {journal}: line {after.broken.line}: {after.broken.message}", err=True)
        sys.exit(1)
