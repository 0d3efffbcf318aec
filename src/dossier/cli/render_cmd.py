"""``dossier render``: one document of a claim, as PDF and/or DOCX, recorded in the claim's journal."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path

import click
from click.core import ParameterSource

from dossier import api
from dossier.cli.errors import reports_errors
from dossier.cli.types import IsoDate, Kind
from dossier.engine.letters import KINDS, PlanRequest
from dossier.engine.settlement import OFFER_KINDS, OfferRequest

#: options that only some documents use, and which documents: given for another one, they are refused (a
#: plan option on a reminder would otherwise be silently ignored)
PLAN_OPTIONS = ("instalments", "amount", "first_date", "frequency", "waive_interest", "grace_days")
ONLY_FOR = {
    "level": ("reminder",),
    "offer_plan": ("formal-notice",),
    **dict.fromkeys(PLAN_OPTIONS, ("payment-plan", "formal-notice --offer-plan")),
    "offer": ("settlement-offer",),
    "until": ("settlement-offer", "deadline-extension"),
}


class Money(click.ParamType):
    name = "AMOUNT"

    def convert(self, value, param, ctx):  # type: ignore[no-untyped-def]
        try:
            amount = Decimal(str(value))
        except InvalidOperation:
            self.fail(f"{value!r} is not an amount (e.g. 150.00)", param, ctx)
        if not amount.is_finite() or amount <= 0:
            self.fail(f"{value!r} is not a positive amount", param, ctx)
        from dossier.model.limits import MAX_AMOUNT  # here: the claim model is not needed to start the CLI

        if amount > MAX_AMOUNT:
            self.fail(f"{value!r} is above the largest amount dossier accepts ({MAX_AMOUNT})", param, ctx)
        if amount.as_tuple().exponent < -2:  # type: ignore[operator]
            self.fail(f"{value!r} has more than two decimals", param, ctx)
        return amount


@click.command()
@click.argument("claim_dir", type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "--doc", "--kind", "kind", type=Kind(KINDS), required=True, help="Which document (formal_notice is accepted too)."
)
@click.option("--format", "fmt", type=click.Choice(["pdf", "docx", "both"]), default="pdf", show_default=True)
@click.option("--date", "sent", type=IsoDate(), default=None, help="Sending date (default: today).")
@click.option("--channel", type=click.Choice(["post", "registered", "email"]), default="post", show_default=True)
@click.option("--level", type=click.IntRange(1, 3), default=1, show_default=True, help="Reminder level.")
@click.option("--offer-plan", is_flag=True, help="Formal notice: offer a payment plan.")
@click.option(
    "--instalments",
    type=click.IntRange(1, 120),
    default=None,
    help="Payment plan: number of instalments (this or --amount is required for a plan).",
)
@click.option("--amount", type=Money(), default=None, help="Payment plan: amount of each instalment.")
@click.option("--first-date", type=IsoDate(), default=None, help="Payment plan: first instalment (default +30 days).")
@click.option(
    "--frequency", type=click.Choice(["weekly", "monthly", "quarterly"]), default="monthly", show_default=True
)
@click.option("--waive-interest", is_flag=True, help="Payment plan: no interest while the plan is kept.")
@click.option(
    "--grace-days",
    type=click.IntRange(0, 60),
    default=10,
    show_default=True,
    help="Payment plan: days after an instalment's date before the plan lapses.",
)
@click.option("--offer", type=Money(), default=None, help="Settlement offer: the reduced amount that settles it.")
@click.option(
    "--until",
    type=IsoDate(),
    default=None,
    help="Settlement offer: the last day to pay the reduced amount; deadline extension: the new last day to pay.",
)
@click.option(
    "--templates",
    type=click.Path(file_okay=False, exists=True, path_type=Path),
    default=None,
    help="A firm's template folder overriding ours file by file.",
)
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Output folder (default: CLAIM_DIR/out).",
)
@click.option("--pdfa", is_flag=True, help="PDF/A-3b output for archiving.")
@click.option(
    "--one-page",
    is_flag=True,
    help="The letter without its interest computation annex, set tighter (it refers to the statement of account).",
)
@click.option("--force", is_flag=True, help="Render even when the pre-flight check says the letter is premature.")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON manifest.")
@reports_errors
def render(
    claim_dir: Path,
    kind: str,
    fmt: str,
    sent: date | None,
    channel: str,
    level: int,
    offer_plan: bool,
    instalments: int | None,
    amount: Decimal | None,
    first_date: date | None,
    frequency: str,
    waive_interest: bool,
    grace_days: int,
    offer: Decimal | None,
    until: date | None,
    templates: Path | None,
    out: Path | None,
    pdfa: bool,
    one_page: bool,
    force: bool,
    as_json: bool,
) -> None:
    """Render a reminder, formal notice, payment plan, statement, settlement offer or deadline extension for
    CLAIM_DIR."""
    _refuse_options_that_do_not_apply(click.get_current_context(), kind, offer_plan)
    if instalments is not None and amount is not None:
        raise click.UsageError("give --instalments or --amount, not both")
    plan = None
    if kind == "payment-plan" or offer_plan:
        if instalments is None and amount is None:
            # the letter states the schedule and the journal records it as the plan: dossier does not invent one
            what = "a payment plan" if kind == "payment-plan" else "a formal notice offering a plan"
            raise click.UsageError(f"{what} needs --instalments N or --amount X (the schedule the debtor is offered)")
        plan = PlanRequest(
            count=instalments,
            amount=amount,
            first=first_date,
            frequency=frequency,
            waive_interest=waive_interest,
            grace_days=grace_days,
        )
    offered = _offer(kind, offer, until)
    from dossier.output.request import DocumentRequest, Options

    request = DocumentRequest(
        kind,
        sent or date.today(),
        channel=channel,
        level=level,
        plan=plan,
        formats=("pdf", "docx") if fmt == "both" else (fmt,),
        options=Options(pdfa=pdfa, force=force, one_page=one_page),
        offer=offered,
    )
    produced = api.produce(claim_dir, request, out=out, templates=templates)
    entry = produced.entry
    if as_json:
        manifest = {
            "files": [{k: f[k] for k in ("file", "format", "sha256", "bytes")} for f in produced.files],
            "total_due": entry["total_due"],
            "currency": entry["currency"],
            "deadline": entry["deadline"],
            "findings": entry["findings"],
            "rules_version": entry["rules_version"],
        }
        click.echo(json.dumps(manifest, indent=2, sort_keys=True, ensure_ascii=False))
    else:
        for f in produced.files:
            click.echo(f"wrote {f['file']}  sha256 {f['sha256'][:16]}…")
        deadline = f", last day to pay {entry['deadline']}" if entry["deadline"] else ""
        click.echo(f"total due {entry['total_due']} {entry['currency']}{deadline}")
    for finding in entry["findings"]:
        click.echo(f"Warning: {finding}", err=True)


def _offer(kind: str, amount: Decimal | None, until: date | None) -> OfferRequest | None:
    """The offer of a settlement-offer (--offer and --until) or deadline-extension (--until) letter."""
    if kind not in OFFER_KINDS:
        return None
    if until is None or (kind == "settlement-offer" and amount is None):
        needs = "--offer X --until D" if kind == "settlement-offer" else "--until D"
        raise click.UsageError(f"--doc {kind} needs {needs} (what the letter offers the debtor)")
    return OfferRequest(until=until, amount=amount)


def _refuse_options_that_do_not_apply(ctx: click.Context, kind: str, offer_plan: bool) -> None:
    """A usage error (exit 2) for an option given on the command line that the document ``kind`` does not use."""
    applies_to = {kind, "formal-notice --offer-plan"} if kind == "formal-notice" and offer_plan else {kind}
    wrong = [
        f"--{name.replace('_', '-')} (only for {' or '.join(kinds)})"
        for name, kinds in ONLY_FOR.items()
        if ctx.get_parameter_source(name) not in (None, ParameterSource.DEFAULT) and not applies_to & set(kinds)
    ]
    if wrong:
        raise click.UsageError(f"--doc {kind} does not use {', '.join(wrong)}")
