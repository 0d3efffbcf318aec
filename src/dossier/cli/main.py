"""``dossier`` commands. Each validates its input first and reports problems without a traceback."""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path
from typing import Any

import click

from dossier import __version__
from dossier.cli.errors import reports_errors
from dossier.cli.lazy import LazyCommand, LazyGroup
from dossier.cli.types import IsoDate, Kind

# Each command imports the API (pydantic, the rules, the engine) when it runs: ``dossier --version`` and
# ``dossier --help`` import click and nothing else.

#: commands that render, bundle, batch or serve: imported when run, so the others start fast without Pango
LAZY = {
    "render": LazyCommand(
        "dossier.cli.render_cmd:render",
        "Render a reminder, formal notice, payment plan, statement, settlement offer or deadline extension for "
        "CLAIM_DIR.",
    ),
    "bundle": LazyCommand(
        "dossier.cli.bundle_cmd:bundle",
        "Assemble cover, index, statements, correspondence and pieces into one numbered, bookmarked PDF.",
    ),
    "batch": LazyCommand(
        "dossier.cli.batch_cmd:batch",
        "Render one document kind for every claim of PORTFOLIO (a folder of claim folders, a .csv or a .jsonl).",
    ),
    "serve": LazyCommand(
        "dossier.cli.serve_cmd:serve",
        "Serve the HTTP API (OpenAPI docs at /docs) and, with --portfolio, the creditors' portal at /portal.",
    ),
    "templates": LazyCommand("dossier.cli.templates_cmd:templates", "Work with document templates."),
    "next": LazyCommand(
        "dossier.cli.workflow_cmd:next_cmd",
        "The step each claim has reached, its next step, the earliest day for it, and why.",
    ),
    "run": LazyCommand(
        "dossier.cli.workflow_cmd:run",
        "Render every letter due on --date and record each in its claim's journal, a post letter as sent on --date "
        "(unless --hold-post).",
    ),
    "verify": LazyCommand(
        "dossier.cli.verify_cmd:verify",
        "Check the chain of CLAIM_DIR's journal and every file it archives; name the first line that breaks.",
    ),
    "record": LazyCommand(
        "dossier.cli.record_cmd:record",
        "Record what happened outside dossier in CLAIM_DIR's journal.",
    ),
    "send": LazyCommand(
        "dossier.cli.send_cmd:send",
        "Send a rendered document by e-mail, post or registered post and record it in the claim's journal.",
    ),
    "portal": LazyCommand(
        "dossier.cli.portal_cmd:portal", "Make the password hashes and API tokens of the portal's users."
    ),
    "payments": LazyCommand(
        "dossier.cli.payments_cmd:payments",
        "Import bank statements into a portfolio, review what could not be matched, settle it.",
    ),
    "report": LazyCommand(
        "dossier.cli.workflow_cmd:report",
        "Totals, ageing, steps, jurisdictions, collections and the claims that need a decision.",
    ),
}

CLAIM_DIR = click.Path(exists=False, file_okay=False, path_type=Path)


def _dump(data: Any) -> None:
    click.echo(json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False))


@click.group(cls=LazyGroup, lazy=LAZY, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="dossier")
def main() -> None:
    """Debt-collection documents from a claim folder and dated, sourced jurisdiction rules."""


@main.command()
@click.argument("claim_dir", type=CLAIM_DIR)
@reports_errors
def validate(claim_dir: Path) -> None:
    """Check CLAIM_DIR: its claim file, the rules it needs, and the files it names."""
    from dossier import api

    claim = api.load_claim(claim_dir)
    api.load_rules(claim.jurisdiction)
    click.echo(
        f"{claim_dir}: valid ({claim.reference}, {claim.jurisdiction}, {len(claim.invoices)} invoice(s), "
        f"{len(claim.payments)} payment(s), {len(claim.pieces)} piece(s))"
    )
    for warning in claim.warnings:
        click.echo(f"Warning: {warning}", err=True)


@main.command()
@click.argument("claim_dir", type=CLAIM_DIR)
@click.option("--as-of", "as_of", type=IsoDate(), default=None, help="Date of the statement (default: today).")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object instead of a table.")
@reports_errors
def statement(claim_dir: Path, as_of: date | None, as_json: bool) -> None:
    """What the debtor owes: invoices, interest periods, compensation, payments and the rules used."""
    from dossier import api
    from dossier.cli.table import render_table

    claim = api.load_claim(claim_dir)
    result = api.statement(claim, as_of)
    for warning in claim.warnings:  # the JSON carries the statement's own warnings, not the claim's
        click.echo(f"Warning: {warning}", err=True)
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
    type=Kind(["reminder", "reminder-followup", "formal-notice"]),
    default="formal-notice",
    show_default=True,
    help="The letter (formal_notice is accepted too).",
)
@click.option("--sent", type=IsoDate(), default=None, help="Sending date (default: today).")
@click.option("--channel", type=click.Choice(["post", "registered", "email"]), default="post", show_default=True)
@click.option("--json", "as_json", is_flag=True)
@reports_errors
def deadline(claim_dir: Path, kind: str, sent: date | None, channel: str, as_json: bool) -> None:
    """The last day to pay that a letter sent today (or --sent) gives the claim's debtor, and why."""
    from dossier import api

    claim = api.load_claim(claim_dir)
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
    from dossier import api

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
    from dossier.model import Claim

    _dump(Claim.model_json_schema(mode="validation"))


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
