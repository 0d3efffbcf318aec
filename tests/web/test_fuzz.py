"""The schema-driven fuzzer (schemathesis, in-process over ASGI): whatever it sends, no answer is a 5xx, and every
error answer has the documented shape."""

from __future__ import annotations

import os
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, settings
from schemathesis.checks import not_a_server_error

from dossier.http import app as app_module


async def without_lifespan(scope: dict[str, Any], receive: Any, send: Any) -> None:
    """The app, minus start-up and shut-down: the fuzzer's client enters both around every request, and the
    worker pool would be started and stopped each time."""
    if scope["type"] == "lifespan":
        while (await receive())["type"] != "lifespan.shutdown":
            await send({"type": "lifespan.startup.complete"})
        await send({"type": "lifespan.shutdown.complete"})
        return
    await app_module.app(scope, receive, send)


schema = schemathesis.openapi.from_asgi("/openapi.json", without_lifespan)


@pytest.fixture(autouse=True)
def portfolio(monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.conftest import SAMPLES

    monkeypatch.setenv(app_module.PORTFOLIO_ENV, str(SAMPLES / "be-b2b-fr"))


def test_the_bundle_form_is_in_the_schema() -> None:
    body = app_module.app.openapi()["paths"]["/v1/bundles"]["post"]["requestBody"]
    form = body["content"]["multipart/form-data"]["schema"]
    assert form["required"] == ["claim"] and form["additionalProperties"]["format"] == "binary"


@schema.parametrize()
@settings(
    max_examples=int(os.environ.get("DOSSIER_FUZZ_EXAMPLES", "25")),  # more for a deeper run by hand
    deadline=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
def test_no_input_makes_a_5xx(case: Any) -> None:
    response = case.call()
    case.validate_response(response, checks=[not_a_server_error])
    if response.status_code >= 400:
        body = response.json()
        assert set(body) == {"error", "problems", "request_id"}, body
        header = response.headers["x-request-id"]
        assert [body["request_id"]] == (header if isinstance(header, list) else [header])
