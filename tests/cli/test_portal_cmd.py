"""``dossier portal``: a hash the portal accepts, a token whose line the portal recognises."""

from __future__ import annotations

import hashlib

from argon2 import PasswordHasher
from click.testing import CliRunner

from dossier.cli.main import main


def test_hash_password_gives_a_hash_of_that_password() -> None:
    result = CliRunner().invoke(main, ["portal", "hash-password", "--password-stdin"], input="correct horse battery\n")
    assert result.exit_code == 0, (result.output, result.exception)
    assert PasswordHasher().verify(result.output.strip(), "correct horse battery")
    short = CliRunner().invoke(main, ["portal", "hash-password", "--password-stdin"], input="short\n")
    assert short.exit_code == 2 and "12 characters" in short.output


def test_new_token_prints_the_token_and_its_hash_line() -> None:
    result = CliRunner().invoke(main, ["portal", "new-token"])
    token = result.output.split("token:")[1].split()[0]
    assert f"sha256:{hashlib.sha256(token.encode()).hexdigest()}" in result.output
