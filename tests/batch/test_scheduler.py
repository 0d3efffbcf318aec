"""``--scheduler``: a malformed address is refused at once, an address where nothing answers within seconds;
both name the address, neither is a traceback. No test needs a fixed port (8787 taken or not)."""

from __future__ import annotations

import json
import socket
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner
from tests.conftest import copy_sample

from dossier.batch.runner import run_batch
from dossier.cli.main import main

DAY = date(2025, 12, 1)


def portfolio(tmp_path: Path) -> Path:
    folder = tmp_path / "portfolio"
    for name in ("be-b2b-fr", "fr-b2b-fr"):
        copy_sample(name, folder / name)
    broken = copy_sample("be-b2b-fr", folder / "zz-broken")
    (broken / "claim.yaml").write_text((broken / "claim.yaml").read_text().replace("2025-02-09", "2025-02-30"))
    return folder


def batch(folder: Path, out: Path, scheduler: str) -> tuple[object, float]:
    started = time.monotonic()
    result = CliRunner().invoke(
        main, ["batch", str(folder), "--doc", "reminder", "--out", str(out), "--scheduler", scheduler]
    )
    return result, time.monotonic() - started


@pytest.mark.parametrize("address", ["not an address", "tcp://host", "http://127.0.0.1:8786", "tcp://h:99999"])
def test_a_malformed_scheduler_address_is_refused_at_once(tmp_path: Path, address: str) -> None:
    result, seconds = batch(portfolio(tmp_path), tmp_path / "out", address)
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit), result.exception
    assert f"Error: --scheduler: {address!r}" in result.stderr and "tcp://HOST:PORT" in result.stderr
    assert seconds < 3
    assert not (tmp_path / "out" / "manifest.jsonl").exists()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_a_scheduler_that_does_not_answer_is_a_clear_error_within_seconds(tmp_path: Path) -> None:
    address = f"tcp://127.0.0.1:{free_port()}"  # nothing listens there
    result, seconds = batch(portfolio(tmp_path), tmp_path / "out", address)
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit), result.exception
    assert f"no Dask scheduler answered at {address} within 5 s" in result.stderr
    assert "Traceback" not in result.stderr
    assert seconds < 15


@pytest.fixture
def port_8787_taken() -> Iterator[None]:
    """Port 8787 (Dask's default dashboard) in use, as on a machine running another cluster."""
    holder = socket.socket()
    try:
        holder.bind(("127.0.0.1", 8787))
        holder.listen()
    except OSError:
        pass  # already taken by someone else: the same situation
    yield
    holder.close()


def test_same_batch_on_a_dask_cluster_with_port_8787_taken(tmp_path: Path, port_8787_taken: None) -> None:
    distributed = pytest.importorskip("distributed")
    folder = portfolio(tmp_path)
    out = tmp_path / "out"
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, scheduler_port=0, dashboard_address=":0"
    ) as cluster:
        first = run_batch(folder, "reminder", out=out, day=DAY, scheduler=cluster.scheduler_address)
        assert (first.done, first.failed) == (2, 1)
        second = run_batch(folder, "reminder", out=out, day=DAY, scheduler=cluster.scheduler_address)
    assert (second.done, second.skipped, second.failed) == (0, 2, 1)
    assert json.loads((out / "errors.jsonl").read_text().splitlines()[0])["field"] == "invoices[0].due_date"
