"""The worker pool: results and errors come back, a task past its deadline is killed, a dead worker is replaced."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator

import psutil
import pytest

from dossier.http.pool import TaskFailed, Timeout, WorkerLost, WorkerPool


def burn(seconds: float) -> int:
    end = time.process_time() + seconds
    while time.process_time() < end:
        pass
    return os.getpid()


def fail() -> None:
    raise ValueError("bad value")


def unpicklable() -> object:
    return threading.Lock()


def die() -> None:
    os._exit(3)


@pytest.fixture
def pool() -> Iterator[WorkerPool]:
    instance = WorkerPool(1)
    yield instance
    instance.close()


def call(pool: WorkerPool, func: object, *args: object, within: float = 30) -> object:
    return pool.call(func, *args, deadline=time.monotonic() + within, abandoned=threading.Event())


def test_results_and_errors_come_back_and_the_worker_stays_warm(pool: WorkerPool) -> None:
    first = call(pool, burn, 0)
    assert first != os.getpid() and call(pool, burn, 0) == first
    with pytest.raises(ValueError, match="bad value") as raised:
        call(pool, fail)
    assert any("raise ValueError" in note for note in raised.value.__notes__)
    with pytest.raises(TaskFailed):
        call(pool, unpicklable)
    assert call(pool, burn, 0) == first


def test_a_task_past_its_deadline_is_killed(pool: WorkerPool) -> None:
    worker = call(pool, burn, 0)
    started = time.monotonic()
    with pytest.raises(Timeout):
        call(pool, burn, 30, within=0.5)
    assert time.monotonic() - started < 3
    assert not psutil.pid_exists(worker)
    assert call(pool, burn, 0) != worker


def test_an_abandoned_task_is_killed(pool: WorkerPool) -> None:
    worker = call(pool, burn, 0)
    abandoned = threading.Event()
    threading.Timer(0.3, abandoned.set).start()
    with pytest.raises(Timeout):
        pool.call(burn, 30, deadline=time.monotonic() + 30, abandoned=abandoned)
    assert not psutil.pid_exists(worker)


def test_a_worker_that_dies_is_reported_and_replaced(pool: WorkerPool) -> None:
    with pytest.raises(WorkerLost) as lost:
        call(pool, die)
    assert lost.value.exitcode == 3
    assert isinstance(call(pool, burn, 0), int)


def test_a_request_waits_for_a_busy_worker_only_until_its_deadline(pool: WorkerPool) -> None:
    runner = threading.Thread(target=lambda: call(pool, burn, 1.5))
    runner.start()
    time.sleep(0.3)
    with pytest.raises(Timeout):
        call(pool, burn, 0, within=0.3)
    runner.join()


def hog() -> int:
    return len(bytearray(1 << 30))


def test_a_task_over_the_memory_limit_fails_alone_and_its_worker_is_replaced() -> None:
    pool = WorkerPool(1, memory=768 << 20)
    try:
        worker = call(pool, burn, 0)
        with pytest.raises(MemoryError):
            call(pool, hog)
        assert not psutil.pid_exists(worker) or psutil.Process(worker).status() == psutil.STATUS_ZOMBIE
        assert call(pool, burn, 0) != worker
    finally:
        pool.close()
