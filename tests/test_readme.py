"""README matches behaviour: every command, option and choice its command table shows exists (issue 16, item 18),
and what it says is gone stays gone."""

from __future__ import annotations

import re

import click
import pytest
from tests.conftest import ROOT

from dossier.cli.main import main

README = (ROOT / "README.md").read_text(encoding="utf-8")
ROWS = re.findall(r"^\| `dossier ([^`]+)` \|", README, flags=re.M)


def command_of(words: list[str]) -> tuple[click.Command, list[str]]:
    """The click command a README row names (``templates check`` is a sub-command) and the rest of the row."""
    command: click.Command = main
    ctx = click.Context(main)
    while isinstance(command, click.Group) and words and words[0] in command.list_commands(ctx):
        command = command.get_command(ctx, words.pop(0))
    return command, words


def test_the_readme_table_lists_every_command() -> None:
    ctx = click.Context(main)
    named = {row.split()[0] for row in ROWS}
    assert named == set(main.list_commands(ctx))


@pytest.mark.parametrize("row", ROWS, ids=[r.split(" [")[0] for r in ROWS])
def test_every_option_and_choice_a_readme_row_shows_exists(row: str) -> None:
    command, rest = command_of(row.replace("\\|", "|").split())
    options = {name: p for p in command.params for name in p.opts}
    shown = re.findall(r"(--[a-z][a-z-]*)((?: [a-z0-9|.-]+)?)", " ".join(rest))
    for flag, value in shown:
        assert flag in options, f"README shows {flag} for `dossier {row.split()[0]}`, which has no such option"
        choices = getattr(options[flag].type, "choices", None)
        if choices and "|" in value:
            listed = set(value.strip().split("|"))
            assert listed <= set(choices), f"{flag}: README lists {sorted(listed - set(choices))}"


def test_the_readme_no_longer_claims_what_was_done() -> None:
    assert "no PDF/A output yet" not in README
    assert "Decimal('3227.33')" not in README  # print() shows 3227.33
