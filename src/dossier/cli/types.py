"""Click parameter types shared by the commands."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import click


class IsoDate(click.ParamType):
    """A date option, within the dates a claim may hold (far from the calendar's end, which the engine's
    arithmetic would overflow); the rules then refuse a date they do not cover, naming what they cover."""

    name = "YYYY-MM-DD"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> date:
        if isinstance(value, date):
            day = value
        else:
            try:
                day = date.fromisoformat(str(value))
            except ValueError:
                self.fail(f"{value!r} is not a valid date (expected YYYY-MM-DD)", param, ctx)
        from dossier.model.fields import in_date_range  # here: the claim model is not needed to start the CLI

        try:
            return in_date_range(day)
        except ValueError as exc:
            self.fail(str(exc), param, ctx)


class Kind(click.Choice):
    """A document or deadline kind. Written with hyphens (``formal-notice``, as help shows) or underscores
    (``formal_notice``, as claim files spell history types); converts to the hyphen spelling."""

    def __init__(self, kinds: tuple[str, ...] | list[str]) -> None:
        super().__init__([k.replace("_", "-") for k in kinds])

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, str):
            value = value.strip().replace("_", "-")
        return super().convert(value, param, ctx)


def batch_options(command: Any) -> Any:
    """The options ``dossier batch`` and ``dossier run`` share: formats, channel, and where the work runs."""
    for option in reversed(
        [
            click.option(
                "--format", "fmt", type=click.Choice(["pdf", "docx", "both"]), default="pdf", show_default=True
            ),
            click.option(
                "--channel", type=click.Choice(["post", "registered", "email"]), default="post", show_default=True
            ),
            click.option(
                "--workers", type=click.IntRange(1, 256), default=None, help="Processes (default: the machine's cores)."
            ),
            click.option("--scheduler", default=None, help="Run on a Dask cluster instead: tcp://HOST:PORT."),
            click.option("--templates", type=click.Path(file_okay=False, exists=True, path_type=Path), default=None),
            click.option(
                "--one-page", is_flag=True, help="Letters without the computation annex (see dossier render --help)."
            ),
        ]
    ):
        command = option(command)
    return command


def formats_of(fmt: str) -> tuple[str, ...]:
    return ("pdf", "docx") if fmt == "both" else (fmt,)
