"""``dossier send`` warns the user (standard error, never the debtor) when a letter goes on a channel it was not
rendered for, or against the jurisdiction's sending data."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner
from tests.cli.test_send import Keeper, claim, mail_env, rendered, smtp  # noqa: F401

from dossier.cli.main import main


def test_a_post_letter_sent_by_email_warns_that_its_words_do_not_match(
    claim: Path,  # noqa: F811
    smtp: tuple[Keeper, int],  # noqa: F811
) -> None:
    _, port = smtp
    result = CliRunner().invoke(
        main, ["send", str(claim), "--channel", "email", "--to", "d@dubois.example"], env=mail_env(port)
    )
    assert result.exit_code == 0, result.output
    assert "rendered for post (it says so) and goes by email" in result.stderr


def test_a_formal_notice_sent_by_ordinary_post_warns(claim: Path) -> None:  # noqa: F811
    result = CliRunner().invoke(main, ["send", str(claim), "2", "--channel", "post", "--at", "2025-12-01"])
    assert result.exit_code == 0, result.output
    assert "registered post is customary in BE" in result.stderr
    assert "rendered for" not in result.stderr
