"""Click parameter types shared by the commands."""

from __future__ import annotations

from datetime import date
from typing import Any

import click


class IsoDate(click.ParamType):
    name = "YYYY-MM-DD"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> date:
        if isinstance(value, date):
            return value
        try:
            return date.fromisoformat(str(value))
        except ValueError:
            self.fail(f"{value!r} is not a valid date (expected YYYY-MM-DD)", param, ctx)
