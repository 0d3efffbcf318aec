"""The HTTP API's answer carries the sending warnings of the jurisdiction's data (for the caller, never in the
letter): a formal notice by ordinary post where registered post is customary."""

from __future__ import annotations

from fastapi.testclient import TestClient
from tests.web.test_app import claim_json, client  # noqa: F401 - the fixture


def test_a_formal_notice_by_post_is_a_warning_in_the_answer(client: TestClient) -> None:  # noqa: F811
    body = {"claim": claim_json("fr-b2b-fr"), "doc": "formal-notice", "date": "2025-12-01"}
    body["options"] = {"channel": "post", "force": True}
    answer = client.post("/v1/documents", json=body, headers={"Accept": "application/json"}).json()
    assert any("registered post is customary in FR" in f for f in answer["findings"]), answer
    body["options"] = {"channel": "registered", "force": True}
    answer = client.post("/v1/documents", json=body, headers={"Accept": "application/json"}).json()
    assert not any("customary" in f for f in answer["findings"]), answer


def test_a_lawyer_letter_without_a_signatory_is_a_warning_in_the_answer(client: TestClient) -> None:  # noqa: F811
    body = {"claim": claim_json("be-b2b-fr"), "doc": "reminder", "date": "2025-12-01", "options": {"force": True}}
    del body["claim"]["representative"]["signatory"]  # the sample names its lawyer
    answer = client.post("/v1/documents", json=body, headers={"Accept": "application/json"}).json()
    assert any(f.startswith("representative.signatory: a letter from a lawyer") for f in answer["findings"]), answer
    body["claim"]["representative"]["signatory"] = "Maître Claire Dupont"
    answer = client.post("/v1/documents", json=body, headers={"Accept": "application/json"}).json()
    assert not any("signatory" in f for f in answer["findings"]), answer
