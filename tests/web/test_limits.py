"""What one request may cost: body size (chunked too), time (the work is stopped), and what the claim asks for."""

from __future__ import annotations

import dataclasses
import json
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psutil
import pytest
import uvicorn
from fastapi.testclient import TestClient
from tests.web.test_app import claim_json
from tests.web.test_bundles import assert_error_shape

from dossier.http import app as app_module
from dossier.http.pool import WorkerPool


@pytest.fixture(scope="module")
def client() -> TestClient:
    return TestClient(app_module.app)


@pytest.fixture
def server() -> Iterator[int]:
    """The app under a real uvicorn on 127.0.0.1, on a port the system chooses."""
    config = uvicorn.Config(app_module.app, host="127.0.0.1", port=0, log_level="warning", lifespan="off")
    instance = uvicorn.Server(config)
    thread = threading.Thread(target=instance.run, daemon=True)
    thread.start()
    for _ in range(200):
        if instance.started:
            break
        time.sleep(0.05)
    else:
        pytest.fail("uvicorn did not start")
    try:
        yield instance.servers[0].sockets[0].getsockname()[1]
    finally:
        instance.should_exit = True
        thread.join(10)


def test_a_chunked_body_over_the_limit_is_cut_off_with_413(server: int, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(app_module, "BOUNDS", dataclasses.replace(app_module.BOUNDS, body=100_000))
    chunk = b"x" * 10_000
    with socket.create_connection(("127.0.0.1", server), timeout=10) as sock:
        sock.sendall(
            b"POST /v1/validate HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\n"
            b"Transfer-Encoding: chunked\r\n\r\n"
        )
        for _ in range(11):  # 110,000 bytes and the body never ends: only counting as it streams can stop it
            sock.sendall(b"%x\r\n" % len(chunk) + chunk + b"\r\n")
        answer = b""
        while b"\r\n\r\n" not in answer or not answer.rstrip().endswith(b"}"):
            data = sock.recv(65536)
            if not data:
                break
            answer += data
    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 413"), head
    assert b"x-request-id" in head.lower()
    error = json.loads(body[body.index(b"{") : body.rindex(b"}") + 1])
    assert error["error"] == "PayloadTooLarge" and error["problems"][0]["message"].endswith("100000 bytes")


def test_a_declared_length_over_the_limit_is_refused_before_reading(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(app_module, "BOUNDS", dataclasses.replace(app_module.BOUNDS, body=1000))
    response = client.post("/v1/validate", json={"claim": claim_json("be-b2b-fr")})
    assert assert_error_shape(response, 413)["error"] == "PayloadTooLarge"


def big_claim(invoices: int) -> dict[str, Any]:
    claim = claim_json("be-b2b-fr")
    template = claim["invoices"][0]
    claim["invoices"] = [{**template, "number": f"F-{i}"} for i in range(invoices)]
    claim["payments"] = []
    return claim


def test_a_request_past_the_time_limit_gets_504_and_its_worker_is_killed(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    pool = WorkerPool(1, preload=["dossier.http.preload"])
    monkeypatch.setattr(app_module, "_pool", pool)
    try:
        assert client.post("/v1/validate", json={"claim": claim_json("be-b2b-fr")}).status_code == 200
        (worker,) = pool.pids()["idle"]
        monkeypatch.setattr(app_module, "TIME_LIMIT", 1.0)
        started = time.monotonic()
        response = client.post(
            "/v1/documents", json={"claim": big_claim(400), "doc": "formal-notice", "date": "2025-12-01"}
        )
        assert time.monotonic() - started < 4
        body = assert_error_shape(response, 504)
        assert body["error"] == "Timeout"
        assert not psutil.pid_exists(worker) or psutil.Process(worker).status() == psutil.STATUS_ZOMBIE
        assert pool.pids() == {"idle": [], "busy": []}
        monkeypatch.setattr(app_module, "TIME_LIMIT", 60.0)
        again = client.post("/v1/validate", json={"claim": claim_json("be-b2b-fr")})
        assert again.status_code == 200  # a fresh worker took its place
        assert pool.pids()["idle"] != [worker]
    finally:
        pool.close()


def test_a_claim_over_the_request_bounds_is_a_422_naming_the_field(client: TestClient) -> None:
    over = big_claim(app_module.BOUNDS.items + 1)
    body = assert_error_shape(client.post("/v1/validate", json={"claim": over}), 422)
    assert body["problems"][0]["path"] == "invoices"
    long_name = claim_json("be-b2b-fr")
    long_name["debtor"]["name"] = "x" * (app_module.BOUNDS.text + 1)
    body = assert_error_shape(client.post("/v1/statements", json={"claim": long_name}), 422)
    assert [p["path"] for p in body["problems"]] == ["debtor.name"]
    deep: Any = "x"
    for _ in range(50):
        deep = {"a": deep}
    nested = {**claim_json("be-b2b-fr"), "terms": deep}
    body = assert_error_shape(client.post("/v1/validate", json={"claim": nested}), 422)
    assert body["problems"][0]["path"].startswith("terms.a.a")


def test_a_body_nested_100000_deep_is_refused_in_the_error_shape(client: TestClient) -> None:
    body = b'{"claim": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    response = client.post("/v1/validate", content=body, headers={"content-type": "application/json"})
    assert response.status_code in (400, 422)
    assert_error_shape(response, response.status_code)


@pytest.mark.parametrize(
    ("method", "url", "payload"),
    [
        ("get", "/v1/reports?date=9454-02-14", None),
        ("get", "/v1/reports?date=9999-12-31", None),
        ("post", "/v1/statements", {"as_of": "9999-12-31"}),
        ("post", "/v1/documents", {"doc": "reminder", "date": "9999-12-31"}),
        ("post", "/v1/statements", {"due_date": "9999-12-31", "as_of": "9999-12-31"}),
    ],
)
def test_far_dates_are_a_422_not_a_500(
    client: TestClient,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    method: str,
    url: str,
    payload: dict[str, Any] | None,
) -> None:
    from tests.conftest import copy_sample, sample_dirs

    for sample in sample_dirs():  # a copy: the report keeps its index in the portfolio's state folder
        copy_sample(sample.name, tmp_path / sample.name)
    monkeypatch.setenv(app_module.PORTFOLIO_ENV, str(tmp_path))
    if payload is None:
        response = client.get(url)
    else:
        claim = claim_json("be-b2b-fr")
        if "due_date" in payload:
            claim["invoices"][0]["due_date"] = payload.pop("due_date")
        response = client.post(url, json={"claim": claim, **payload})
    assert "Traceback" not in response.text
    if url.startswith("/v1/reports") and response.status_code == 200:
        return  # a report may also list the claims it cannot compute that far, as unreadable
    assert assert_error_shape(response, 422)["problems"]


def test_a_chunked_bundle_body_over_its_limit_is_a_413(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(app_module, "BOUNDS", dataclasses.replace(app_module.BOUNDS, bundle_body=50_000))

    def body() -> Iterator[bytes]:
        yield b'--b\r\nContent-Disposition: form-data; name="x.pdf"; filename="x.pdf"\r\n\r\n'
        for _ in range(200):
            yield b"x" * 10_000
        yield b"\r\n--b--\r\n"

    response = client.post("/v1/bundles", content=body(), headers={"content-type": "multipart/form-data; boundary=b"})
    assert response.request.headers["transfer-encoding"] == "chunked"
    assert assert_error_shape(response, 413)["error"] == "PayloadTooLarge"
