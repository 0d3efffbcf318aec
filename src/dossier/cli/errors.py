"""Showing a ``DossierError`` on the terminal: one line per problem, exit code 1, no traceback."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from typing import Any, TypeVar

import click

from dossier.errors import DossierError

F = TypeVar("F", bound=Callable[..., Any])


def reports_errors(func: F) -> F:
    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except DossierError as exc:
            for problem in exc.problems:
                click.echo(f"Error: {problem}", err=True)
            count = len(exc.problems)
            if count > 1:
                click.echo(f"{count} problems found.", err=True)
            sys.exit(1)

    return wrapper  # type: ignore[return-value]
