"""``dossier next``, ``dossier run`` and ``dossier report``: the collection workflow over a portfolio."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import click

from dossier.cli.batch_cmd import Progress
from dossier.cli.errors import reports_errors
from dossier.cli.types import IsoDate, batch_options, formats_of
from dossier.output.files import replace
from dossier.workflow.report import FORMATS, portfolio_report, render_report
from dossier.workflow.run import run_due
from dossier.workflow.steps import ClaimStep, next_steps

PORTFOLIO = click.Path(exists=True, path_type=Path)


def _line(item: ClaimStep) -> str:
    label = item.loaded.entry.label
    if item.step is None:
        return f"{label}: cannot be read: " + "; ".join(str(p) for p in item.problems)
    step = item.step
    done = f"{step.taken.step.name} sent {step.taken.sent}" if step.taken else "no letter yet"
    if step.status in ("paid", "plan"):
        return f"{label}: {step.status}: {done}; {'; '.join(step.reasons)}"
    name = step.step.name if step.step else "?"
    if step.status == "paused":
        when = f"from {step.earliest}" if step.earliest else "once resumed"
        return f"{label}: paused: {done}; next {name} {when} ({'; '.join(step.reasons)})"
    when = "from" if step.status == "waiting" else "since"
    return f"{label}: {step.status}: {done}; next {name} {when} {step.earliest} ({'; '.join(step.reasons)})"


@click.command(name="next")
@click.argument("portfolio", type=PORTFOLIO)
@click.option("--date", "day", type=IsoDate(), default=None, help="The day to judge on (default: today).")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per claim, in a list.")
@reports_errors
def next_cmd(portfolio: Path, day: date | None, as_json: bool) -> None:
    """The step each claim has reached, its next step, the earliest day for it, and why.

    PORTFOLIO is a claim folder, a folder of claim folders, or a .csv / .jsonl file. Letters a claim's
    journal records as sent (journal.jsonl; every line of an older out/ledger.jsonl) count, from the day they went
    out, with the claim's history; a rendered letter not sent is a draft and counts nowhere."""
    steps = next_steps(portfolio, day or date.today())
    if as_json:
        click.echo(json.dumps([s.as_dict() for s in steps], indent=2, sort_keys=True, ensure_ascii=False))
    else:
        for item in steps:
            click.echo(_line(item))
    if any(s.step is None for s in steps):
        raise SystemExit(3)


@click.command()
@click.argument("portfolio", type=PORTFOLIO)
@click.option("--date", "day", type=IsoDate(), required=True, help="The sending date of the letters.")
@batch_options
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Folder of this run's letters (default: PORTFOLIO/_dossier/runs/DATE).",
)
@click.option(
    "--hold-post",
    is_flag=True,
    help="Keep the post letters as drafts (send them later with dossier send) instead of recording them as sent "
    "on --date.",
)
@click.option(
    "--send",
    is_flag=True,
    help="E-mail the letters the jurisdiction allows by e-mail to debtors with an e-mail address (SMTP settings as "
    "dossier send), and write the day's post for the mailroom: one PDF to print (each letter on an odd page) "
    "and the mailroom list (CSV and HTML) in the run folder's mailroom/.",
)
@click.option(
    "--settings",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="--send: the sending settings file (default: $DOSSIER_SETTINGS, else ./dossier.toml; docs/sending.md).",
)
@click.option("--json", "as_json", is_flag=True)
@reports_errors
def run(
    portfolio: Path,
    day: date,
    fmt: str,
    channel: str,
    workers: int | None,
    scheduler: str | None,
    templates: Path | None,
    one_page: bool,
    out: Path | None,
    hold_post: bool,
    send: bool,
    settings: Path | None,
    as_json: bool,
) -> None:
    """Render every letter due on --date and record each in its claim's journal, a post letter as sent on --date
    (unless --hold-post). With --send, e-mail what may go by e-mail and prepare the day's post for the mailroom.
    A second run on the same date does nothing: the letters it would send are already recorded."""
    result = run_due(
        portfolio,
        day,
        out=out,
        formats=formats_of(fmt),
        channel=channel,
        workers=workers,
        templates=templates,
        scheduler=scheduler,
        progress=Progress(enabled=not as_json),
        one_page=one_page,
        hold_post=hold_post,
        send=send,
        settings=settings,
    )
    if as_json:
        click.echo(json.dumps(result.as_dict(), indent=2, sort_keys=True, ensure_ascii=False))
    else:
        mailed = {m["claim"]: m for m in result.mailed}
        for item in result.recorded:
            how = f"sent by {item['channel']} on {day}" if item["sent"] else "a draft, to send with dossier send"
            if item["channel"] == "email" and item["claim"] in mailed:
                m = mailed[item["claim"]]
                how = f"e-mailed to {m['to']}" if m["sent"] else f"NOT e-mailed: {m['error']}"
            click.echo(f"{item['claim']}: {item['step']} recorded in its journal ({how})")
            for warning in item.get("warnings", []):
                click.echo(f"Warning: {item['claim']}: {warning}", err=True)
        for m in result.mailed:
            if m["claim"] not in {i["claim"] for i in result.recorded}:  # a draft an earlier run could not send
                how = f"e-mailed to {m['to']}" if m["sent"] else f"NOT e-mailed: {m['error']}"
                click.echo(f"{m['claim']}: {m['kind']} of line {m['document']} {how}")
        if result.mail:
            click.echo(
                f"post: {result.mail['letters']} letter(s), {result.mail['pages']} page(s) to print: "
                f"{result.mail['print']}; mailroom list: {result.mail['list_csv']}, {result.mail['list_html']}"
            )
        decisions = [s for s in result.steps if s.step is not None and s.step.status == "decision"]
        for item in decisions:
            click.echo(f"{item.loaded.entry.label}: needs a decision: {'; '.join(item.step.reasons)}")  # type: ignore[union-attr]
        unreadable = [s for s in result.steps if s.step is None]
        for item in unreadable:
            click.echo(_line(item), err=True)
        summary = result.summary
        click.echo(
            f"{day}: {len(result.due)} letter(s) due, {summary.done} rendered, {summary.skipped} already rendered, "
            f"{summary.failed} failed, {len(result.recorded)} recorded, {len(decisions)} decision(s) to take"
            + (f" -> {result.out}" if result.due else "")
        )
        if summary.failed:
            click.echo(f"see {result.out / 'errors.jsonl'}", err=True)
    if result.summary.failed or any(s.step is None for s in result.steps):
        raise SystemExit(3)


@click.command()
@click.argument("portfolio", type=PORTFOLIO)
@click.option("--date", "day", type=IsoDate(), default=None, help="The day of the figures (default: today).")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="html", show_default=True)
@click.option("--lang", type=click.Choice(["en", "fr", "nl"]), default="en", show_default=True)
@click.option("--templates", type=click.Path(file_okay=False, exists=True, path_type=Path), default=None)
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="File to write (default: standard output for json, report-DATE.FORMAT in the current folder otherwise).",
)
@reports_errors
def report(portfolio: Path, day: date | None, fmt: str, lang: str, templates: Path | None, out: Path | None) -> None:
    """Totals, ageing, steps, jurisdictions, collections and the claims that need a decision.

    Exit code 3 when a claim could not be read or computed (the report is still written, and lists it under
    "failed"), as `dossier next` and `dossier run` do: a script must not take a partial report for a whole one."""
    when = day or date.today()
    figures = portfolio_report(portfolio, when)
    data = render_report(figures, fmt, lang, templates)
    if out is None and fmt == "json":
        click.echo(data.decode("utf-8"), nl=False)
    else:
        target = out or Path(f"report-{when.isoformat()}.{fmt}")
        replace(target, data)
        click.echo(f"wrote {target} ({len(figures.claims)} claim(s), {len(figures.failed)} unreadable)")
    for failed in figures.failed:
        problems = failed.get("problems") or []
        reasons = "; ".join(_problem_text(p) for p in problems) if isinstance(problems, list) else ""
        click.echo(f"{failed['claim']}: not in the report: {reasons}", err=True)
    if figures.failed:
        raise SystemExit(3)


def _problem_text(problem: object) -> str:
    if not isinstance(problem, dict):
        return str(problem)
    where = ": ".join(str(problem[k]) for k in ("file", "path") if problem.get(k))
    return f"{where}: {problem.get('message')}" if where else str(problem.get("message"))
