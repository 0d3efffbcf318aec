"""``dossier`` commands. Each validates its input first and reports problems without a traceback."""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path
from typing import Any

import click

from dossier import api
from dossier.cli.batch_cmd import batch
from dossier.cli.bundle_cmd import bundle
from dossier.cli.errors import reports_errors
from dossier.cli.render_cmd import render
from dossier.cli.serve_cmd import serve
from dossier.cli.table import render_table
from dossier.cli.templates_cmd import templates
from dossier.cli.types import IsoDate
from dossier.cli.workflow_cmd import next_cmd, report, run
from dossier.model import Claim

CLAIM_DIR = click.Path(exists=False, file_okay=False, path_type=Path)


def _dump(data: Any) -> None:
    click.echo(json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False))


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="dossier")
def main() -> None:
    """Debt-collection documents from a claim folder and dated, sourced jurisdiction rules."""


@main.command()
@click.argument("claim_dir", type=CLAIM_DIR)
@reports_errors
def validate(claim_dir: Path) -> None:
    """Check CLAIM_DIR: its claim file, the rules it needs, and the files it names."""
    claim = api.load_claim(claim_dir)
    api.load_rules(claim.jurisdiction)
    click.echo(
        f"{claim_dir}: valid ({claim.reference}, {claim.jurisdiction}, {len(claim.invoices)} invoice(s), "
        f"{len(claim.payments)} payment(s), {len(claim.pieces)} piece(s))"
    )


@main.command()
@click.argument("claim_dir", type=CLAIM_DIR)
@click.option("--as-of", "as_of", type=IsoDate(), default=None, help="Date of the statement (default: today).")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object instead of a table.")
@reports_errors
def statement(claim_dir: Path, as_of: date | None, as_json: bool) -> None:
    """What the debtor owes: invoices, interest periods, compensation, payments and the rules used."""
    claim = api.load_claim(claim_dir)
    result = api.statement(claim, as_of)
    if as_json:
        _dump(result.as_dict())
        return
    rules = api.load_rules(claim.jurisdiction)
    click.echo(render_table(result, rules.meta.locales.get(claim.language, "en_GB")))
    for warning in result.warnings:
        click.echo(f"Warning: {warning}", err=True)


@main.command()
@click.argument("claim_dir", type=CLAIM_DIR)
@click.option(
    "--kind",
    type=click.Choice(["reminder", "reminder_followup", "formal_notice"]),
    default="formal_notice",
    show_default=True,
)
@click.option("--sent", type=IsoDate(), default=None, help="Sending date (default: today).")
@click.option("--channel", type=click.Choice(["post", "registered", "email"]), default="post", show_default=True)
@click.option("--json", "as_json", is_flag=True)
@reports_errors
def deadline(claim_dir: Path, kind: str, sent: date | None, channel: str, as_json: bool) -> None:
    """The last day to pay that a letter sent today (or --sent) gives the claim's debtor, and why."""
    claim: Claim = api.load_claim(claim_dir)
    result = api.deadline(claim, kind, sent or date.today(), channel)
    if as_json:
        _dump(result.as_dict())
        return
    click.echo(f"Last day to pay: {result.last_day.isoformat()}")
    for step in result.trail:
        click.echo(f"  {step}")
    click.echo(f"  rule: {result.rule.parameter} ({result.rule.sources[0].title})")


@main.command()
@click.option("--json", "as_json", is_flag=True)
@reports_errors
def jurisdictions(as_json: bool) -> None:
    """The jurisdictions and the dates their rates cover."""
    rows = api.jurisdictions()
    if as_json:
        _dump(rows)
        return
    for row in rows:
        line = (
            f"{row['code']:<8}{row['name']:<20}{row['currency']:<5}rates {row['rates_from']} to "
            f"{row['rates_until'] or 'open'}  ({row['version']})"
        )
        if row["unconfirmed"]:
            line += f"  unconfirmed: {', '.join(row['unconfirmed'])}"
        click.echo(line)


@main.command()
def schema() -> None:
    """Print the claim file format as JSON Schema."""
    _dump(Claim.model_json_schema(mode="validation"))


main.add_command(render)
main.add_command(bundle)
main.add_command(batch)
main.add_command(serve)
main.add_command(templates)
main.add_command(next_cmd)
main.add_command(run)
main.add_command(report)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
