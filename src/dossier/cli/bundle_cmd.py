"""``dossier bundle``: the court-ready PDF of the whole file."""

from __future__ import annotations

import hashlib
import json
from datetime import date
from pathlib import Path

import click

from dossier import api
from dossier.cli.errors import reports_errors
from dossier.cli.types import IsoDate


@click.command()
@click.argument("claim_dir", type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "--out",
    type=click.Path(path_type=Path),
    default=None,
    help="A .pdf file (an existing one is replaced only if it is a previous bundle of this claim), or a folder "
    "where a new numbered version is written (default: CLAIM_DIR/out/).",
)
@click.option("--date", "day", type=IsoDate(), default=None, help="Date of the bundle (default: today).")
@click.option("--templates", type=click.Path(file_okay=False, exists=True, path_type=Path), default=None)
@click.option("--skip-bad", is_flag=True, help="Put a page saying why in place of a piece that cannot be read.")
@click.option(
    "--max-size",
    type=click.FloatRange(min=0.001),
    default=None,
    help="Refuse a bundle larger than this many MB (court platforms limit uploads).",
)
@click.option("--pdfa", is_flag=True, help="PDF/A-2b for archiving (refused if a piece's fonts are not embedded).")
@click.option("--json", "as_json", is_flag=True)
@reports_errors
def bundle(
    claim_dir: Path,
    out: Path | None,
    day: date | None,
    templates: Path | None,
    skip_bad: bool,
    max_size: float | None,
    pdfa: bool,
    as_json: bool,
) -> None:
    """Assemble cover, index, statements, correspondence and pieces into one numbered, bookmarked PDF."""
    result, target = api.bundle(
        claim_dir,
        day=day,
        out=out,
        templates=templates,
        skip_bad=skip_bad,
        max_size=int(max_size * 1_000_000) if max_size else None,
        pdfa=pdfa,
    )
    digest = hashlib.sha256(result.pdf).hexdigest()
    if as_json:
        click.echo(
            json.dumps(
                {
                    "file": str(target),
                    "sha256": digest,
                    "pages": result.pages,
                    "bytes": len(result.pdf),
                    "skipped": result.skipped,
                    "index": [{k: e[k] for k in ("number", "title", "first_page", "last_page")} for e in result.index],
                },
                indent=2,
                sort_keys=True,
                ensure_ascii=False,
            )
        )
    else:
        click.echo(f"wrote {target}: {result.pages} pages, {len(result.pdf) / 1e6:.2f} MB, sha256 {digest[:16]}…")
        for entry in result.index:
            click.echo(f"  {entry['number']:>3}. {entry['title']}  (p. {entry['first_page']}-{entry['last_page']})")
    for skipped in result.skipped:
        click.echo(f"Warning: skipped {skipped}", err=True)
