"""``dossier serve``: the HTTP API under uvicorn."""

from __future__ import annotations

import os
from pathlib import Path

import click


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option(
    "--workers",
    default=1,
    show_default=True,
    type=click.IntRange(1, 64),
    help="Worker processes; the service is stateless, so more instances can also run behind a balancer.",
)
@click.option(
    "--portfolio",
    type=click.Path(exists=True, path_type=Path),
    default=None,
    help="The portfolio GET /v1/reports reports on and the portal serves (read on each request). With a portal, "
    "/v1/reports needs a bearer token; at start-up, a warning when others may write the state folder or portal.yaml.",
)
@click.option(
    "--jobs",
    type=click.IntRange(1, 64),
    default=None,
    help="Worker processes per server process that do the rendering (default: cores, at most 4). "
    "A request past DOSSIER_TIME_LIMIT is stopped by killing its worker.",
)
@click.option(
    "--portal",
    "portal_config",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="The portal's clients, users and fees (default: portal.yaml in the portfolio's state folder).",
)
def serve(
    host: str, port: int, workers: int, portfolio: Path | None, jobs: int | None, portal_config: Path | None
) -> None:
    """Serve the HTTP API (OpenAPI docs at /docs) and, with --portfolio, the creditors' portal at /portal.
    Errors (5xx) are logged to stderr as JSON lines."""
    import uvicorn

    if portfolio is not None:
        os.environ["DOSSIER_PORTFOLIO"] = str(portfolio.resolve())
    if portal_config is not None:
        os.environ["DOSSIER_PORTAL"] = str(portal_config.resolve())
    if jobs is not None:
        os.environ["DOSSIER_JOBS"] = str(jobs)
    if portfolio is not None:
        warn_exposed(portfolio.resolve(), portal_config)

    uvicorn.run("dossier.http.app:app", host=host, port=port, workers=workers, log_level="info")


def warn_exposed(portfolio: Path, portal_config: Path | None) -> None:
    """Warn (not fail: the operator may have reasons) about a state folder or portal.yaml others may write."""
    from dossier.workflow.claims import exposed, state_folder

    config = portal_config or Path(os.environ.get("DOSSIER_PORTAL") or state_folder(portfolio) / "portal.yaml")
    for path in exposed(portfolio, config):
        click.echo(
            f"warning: {path} is writable by group or others: whoever can write it can change which client sees "
            f"which claim; make it the server's user's alone (chmod go-w)",
            err=True,
        )
