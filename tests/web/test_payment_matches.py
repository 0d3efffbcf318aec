"""POST /v1/payments/matches: a statement file and claims as JSON in, the proposed matches out, nothing written;
bad input is a 422 naming the field."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient
from tests.payments.conftest import claim, ogm, statement, tx
from tests.web.test_bundles import assert_error_shape

import dossier.bank
from dossier.http import app as app_module
from dossier.http import work
from dossier.http.problems import Refused


@pytest.fixture(scope="module")
def client() -> TestClient:
    return TestClient(app_module.app)


def test_the_work_proposes_matches_and_writes_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    parsed = statement(tx("r1", structured=ogm("A-1")), tx("r2", free_text="INV-A-2 and INV-A-1"),
                       tx("r3", credit=False))
    monkeypatch.setattr(dossier.bank, "read_statement_bytes", lambda data, name: parsed, raising=False)
    result = work.payment_matches(b"...", "day.xml", [claim("A-1"), claim("A-2")])
    first, second, third = result["transactions"]
    assert (first["status"], first["claim"], first["match"]["rule"]) == ("matched", "A-1", "ogm")
    assert second["status"] == "queued" and {c["claim"] for c in second["candidates"]} == {"A-1", "A-2"}
    assert third["status"] == "debit"


def test_the_work_refuses_two_claims_with_one_reference() -> None:
    with pytest.raises(Refused) as info:
        work.payment_matches(b"", "x", [claim("A-1"), claim("A-1")])
    (found,) = info.value.body["problems"]
    assert (found["file"], found["path"]) == ("claims[1]", "reference")


def test_missing_or_malformed_parts_are_422(client: TestClient) -> None:
    body = assert_error_shape(client.post("/v1/payments/matches", data={"claims": "[]"}), 422)
    assert body["problems"][0]["path"] == "statement"
    files = {"statement": ("day.xml", b"<x/>", "application/xml")}
    body = assert_error_shape(client.post("/v1/payments/matches", files=files, data={"claims": "{}"}), 422)
    assert body["problems"][0]["message"] == "must be a JSON array of claim objects"
    bad = json.dumps([claim("A-1") | {"currency": "euro"}])
    body = assert_error_shape(client.post("/v1/payments/matches", files=files, data={"claims": bad}), 422)
    assert body["problems"][0]["file"] == "claims[0]"


def test_a_file_that_is_no_statement_is_422(client: TestClient) -> None:
    files = {"statement": ("day.xml", b"not a statement", "application/xml")}
    response = client.post("/v1/payments/matches", files=files, data={"claims": json.dumps([claim("A-1")])})
    assert_error_shape(response, 422)


def test_a_json_field_with_a_number_too_long_for_python_is_422_not_500(client: TestClient) -> None:
    """json.loads raises a plain ValueError (not JSONDecodeError) past Python's 4,300-digit integer limit."""
    files = {"statement": ("day.xml", b"<x/>", "application/xml")}
    huge = '[{"reference": ' + "1" * 5000 + "}]"
    body = assert_error_shape(client.post("/v1/payments/matches", files=files, data={"claims": huge}), 422)
    assert body["problems"][0]["file"] == "claims" and "too long" in body["problems"][0]["message"]
    bundle = client.post("/v1/bundles", data={"claim": '{"reference": ' + "1" * 5000 + "}"})
    assert assert_error_shape(bundle, 422)["problems"][0]["file"] == "claim"
