"""``dossier templates check``: lint our templates, or a firm's override folder, against every sample."""

from __future__ import annotations

from pathlib import Path

import click

from dossier.cli.errors import reports_errors
from dossier.output.template_check import check, sample_folders


@click.group()
def templates() -> None:
    """Work with document templates."""


@templates.command("check")
@click.option(
    "--templates",
    "override",
    type=click.Path(file_okay=False, exists=True, path_type=Path),
    default=None,
    help="A firm's template folder to check (with ours underneath).",
)
@click.option(
    "--samples",
    type=click.Path(file_okay=False, exists=True, path_type=Path),
    default=None,
    help="A folder of claim folders to render (default: the samples installed with dossier).",
)
@reports_errors
def check_cmd(override: Path | None, samples: Path | None) -> None:
    """Render every template for every sample and language; report missing variables, languages and leftovers."""
    folders = sample_folders(samples)
    problems, rendered = check(folders, override)
    for problem in problems:
        click.echo(f"Problem: {problem}", err=True)
    click.echo(f"{rendered} documents rendered from {len(folders)} sample(s); {len(problems)} problem(s)")
    if problems:
        raise SystemExit(1)
