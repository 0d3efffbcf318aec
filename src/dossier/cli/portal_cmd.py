"""``dossier portal``: the lines a firm puts in ``portal.yaml`` for a user (see README, the creditors' portal)."""

from __future__ import annotations

import hashlib
import os
import sys

import click


@click.group()
def portal() -> None:
    """Make the password hashes and API tokens of the portal's users."""


@portal.command("hash-password")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input (one line).")
def hash_password(password_stdin: bool) -> None:
    """Print the argon2 hash of a password, for a user's `password:` in portal.yaml (asked twice, not shown)."""
    from argon2 import PasswordHasher

    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    if len(password) < 12:
        raise click.UsageError("a password needs 12 characters at least")
    click.echo(PasswordHasher().hash(password))


@portal.command("new-token")
def new_token() -> None:
    """Print a new API token (give it to the client's system, once) and the line to keep in the user's `tokens:`
    (or an operator's: the firm's own systems, which read the whole portfolio's report over /v1)."""
    token = "dsr_" + os.urandom(32).hex()
    click.echo(f"token:  {token}")
    click.echo(f"tokens: - sha256:{hashlib.sha256(token.encode()).hexdigest()}")
