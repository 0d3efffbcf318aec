"""``dossier batch``: one document kind for every claim of a portfolio, on warm workers, resumable."""

from __future__ import annotations

import json
import os
import sys
import time
from datetime import date
from pathlib import Path

import click

from dossier.batch.runner import run_batch
from dossier.cli.errors import reports_errors
from dossier.cli.types import IsoDate, Kind, batch_options, formats_of
from dossier.engine.letters import KINDS
from dossier.render.libs import harfbuzz_subsetting_available


class Progress:
    """A bar on a terminal (done / total, rate, time left); a plain line every 10 % or 10 s otherwise."""

    def __init__(self, enabled: bool) -> None:
        self.tty = sys.stderr.isatty()
        self.enabled = enabled
        self.last = 0.0
        self.last_share = -1

    def __call__(self, done: int, total: int, seconds: float) -> None:
        if not self.enabled or total == 0:
            return
        rate = done / seconds if seconds else 0.0
        left = (total - done) / rate if rate else 0.0
        if self.tty:
            width = 30
            filled = int(width * done / total)
            click.echo(
                f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total}  {rate:5.1f}/s  {left:5.0f} s left ",
                nl=done == total,
                err=True,
            )
            return
        share = done * 10 // total
        now = time.monotonic()
        if share != self.last_share or now - self.last >= 10 or done == total:
            click.echo(f"batch: {done}/{total} done, {rate:.1f}/s, about {left:.0f} s left", err=True)
            self.last, self.last_share = now, share


def default_out(portfolio: Path) -> Path:
    """Beside the portfolio: ``NAME-out`` for a folder, ``NAME-csv-out`` / ``NAME-jsonl-out`` for a file, so
    two portfolio files with the same name never share (and resume) one output folder."""
    whole = Path(os.path.abspath(portfolio))  # "." or "..": the folder's own name
    if whole.is_dir():
        return whole.with_name(whole.name + "-out")
    suffix = whole.suffix.lstrip(".").lower()
    return whole.with_name(f"{whole.stem}-{suffix}-out" if suffix else f"{whole.name}-out")


@click.command()
@click.argument("portfolio", type=click.Path(exists=True, path_type=Path))
@click.option("--doc", "kind", type=Kind(KINDS), required=True)
@click.option("--date", "day", type=IsoDate(), default=None, help="Sending date (default: today).")
@batch_options
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Output folder (default: beside the portfolio, PORTFOLIO-out for a folder, NAME-csv-out / NAME-jsonl-out "
    "for a file).",
)
@click.option("--force", is_flag=True, help="Render letters the pre-flight check calls premature.")
@click.option(
    "--redo",
    is_flag=True,
    help="Render every document again, even those already done from the same claim, rules and templates "
    "(a document that changes keeps the old one as _vN).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@reports_errors
def batch(
    portfolio: Path,
    kind: str,
    fmt: str,
    day: date | None,
    channel: str,
    workers: int | None,
    scheduler: str | None,
    templates: Path | None,
    one_page: bool,
    out: Path | None,
    force: bool,
    redo: bool,
    as_json: bool,
) -> None:
    """Render one document kind for every claim of PORTFOLIO (a folder of claim folders, a .csv or a .jsonl)."""
    if kind == "payment-plan":  # each debtor's schedule is agreed with that debtor: nothing to apply to all claims
        raise click.UsageError(
            "a payment plan is agreed per debtor: render it claim by claim with "
            "dossier render CLAIM_DIR --doc payment-plan --instalments N (or --amount X)"
        )
    if kind in ("settlement-offer", "deadline-extension"):  # what is offered is decided debtor by debtor
        raise click.UsageError(
            f"a {kind} is decided per debtor: render it claim by claim with "
            f"dossier render CLAIM_DIR --doc {kind} {'--offer X ' if kind == 'settlement-offer' else ''}--until D"
        )
    if not harfbuzz_subsetting_available():
        click.echo(
            "Warning: libharfbuzz-subset0 is missing: every PDF will take about 4 times as long "
            "(apt-get install libharfbuzz-subset0)",
            err=True,
        )
    target = out or default_out(portfolio)
    formats = formats_of(fmt)
    summary = run_batch(
        portfolio,
        kind,
        out=target,
        day=day or date.today(),
        formats=formats,
        channel=channel,
        workers=workers,
        templates=templates,
        force=force,
        scheduler=scheduler,
        progress=Progress(enabled=not as_json),
        one_page=one_page,
        redo=redo,
    )
    data = summary.as_dict()
    if as_json:
        click.echo(json.dumps(data, indent=2, sort_keys=True))
    else:
        click.echo(
            f"{data['done']} done, {data['skipped']} skipped (already done), {data['failed']} failed "
            f"of {data['total']} in {data['seconds']} s ({data['documents_per_second']}/s, "
            f"{data['pages_per_second']} pages/s) -> {data['out']}"
        )
        if summary.failed:
            click.echo(f"see {target / 'errors.jsonl'} (lines of run {summary.run})", err=True)
    if summary.failed:
        raise SystemExit(3)
