"""Who may read the portfolio's report over ``GET /v1/reports`` when the server also serves the portal.

Without a portal (no ``portal.yaml``), the report is the firm's, as before: keep ``/v1`` behind the proxy. With a
portal, the report needs ``Authorization: Bearer <token>``: an operator's token (``operators:`` in ``portal.yaml``)
gets the whole portfolio; a user's token gets its client's claims only, the same ones the portal's pages show;
anything else is 401. A ``portal.yaml`` that cannot be read shuts the report (503), never opens it.
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path
from typing import Any

from dossier.http.portal import data
from dossier.http.portal.accounts import CONFIG_ENV, Client, ConfigError, config_path, load_accounts
from dossier.http.problems import LOGGER, Refused, problem


class NoToken(Exception):
    """No bearer token, or one nobody holds (401, with ``WWW-Authenticate: Bearer``)."""


def has_portal(portfolio: Path) -> bool:
    """A portal is configured: ``--portal`` / ``DOSSIER_PORTAL`` names a file, or ``<state>/portal.yaml`` exists."""
    return bool(os.environ.get(CONFIG_ENV)) or config_path(portfolio).exists()


def reader(portfolio: Path, authorization: str | None) -> Client | None:
    """The client whose claims the caller may see; None for the whole portfolio (no portal, or an operator)."""
    if not has_portal(portfolio):
        return None
    try:
        accounts = load_accounts(portfolio)
    except ConfigError as exc:
        LOGGER.error("the portal's configuration cannot be read: %s", exc)
        closed = problem("the report is closed until the portal's configuration is right (the operator is told)")
        raise Refused(503, "ServiceUnavailable", [closed]) from None
    scheme, _, token = (authorization or "").strip().partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise NoToken("this report needs an API token: send Authorization: Bearer <token>")
    if accounts.operator(token.strip()) is not None:
        return None
    user = accounts.by_token(token.strip())
    if user is None:
        raise NoToken("the token is not valid")
    return accounts.client(user.client)


def client_report(portfolio: Path, client: Client, day: date) -> dict[str, Any]:
    """The report over the client's claims alone (claims no one can read are the firm's, not listed)."""
    return data.client_figures(data.client_claims(portfolio, client, day), day).as_dict()
