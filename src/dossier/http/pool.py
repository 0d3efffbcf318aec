"""A small pool of worker processes that can be killed, so a request over its time limit stops using the CPU.

A thread cannot be stopped and ``concurrent.futures.ProcessPoolExecutor`` cannot kill one task, so a request
answered 504 used to keep rendering and starve the next ones. Here each task runs in a worker process of our
own; when the deadline passes (or the request is cancelled) that worker is killed and a fresh one takes its
place on the next request. Workers are forked from a ``forkserver`` that has already imported dossier, so a
replacement is ready in tens of milliseconds, and a worker stays warm (fonts, templates) between requests.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading
import time
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from typing import Any

import anyio.to_thread


class Timeout(Exception):
    """The task ran past its deadline; its worker was killed."""


class WorkerLost(Exception):
    """The worker died under the task (killed by the system, out of memory, a crash in a C library)."""

    def __init__(self, exitcode: int | None) -> None:
        super().__init__(f"worker exited with code {exitcode}")
        self.exitcode = exitcode


class TaskFailed(Exception):
    """The task raised an exception that could not be sent back as it was; ``detail`` holds its traceback."""

    def __init__(self, detail: str) -> None:
        super().__init__(detail.strip().splitlines()[-1] if detail.strip() else "task failed")
        self.detail = detail


def _serve(conn: Connection, memory: int | None) -> None:
    """The worker's loop: run ``(func, args)`` messages until ``None`` or the pipe closes."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C on the server stops it; the server stops us
    if memory:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            return
        if message is None:
            return
        func, args = message
        # After running out of memory, C libraries may be left in a bad state: say so, leave, and a fresh
        # worker takes over.
        leaving = False
        try:
            reply: tuple[Any, ...] = ("ok", func(*args), "", leaving)
        except Exception as exc:
            leaving = isinstance(exc, MemoryError) or isinstance(exc.__context__, MemoryError)
            reply = ("raised", exc, traceback.format_exc(), leaving)
        try:
            conn.send(reply)
        except Exception:  # the result or exception does not pickle
            conn.send(("raised", None, traceback.format_exc(), leaving))
        if leaving:
            return


@dataclass
class _Worker:
    process: BaseProcess
    conn: Connection
    pid: int
    tasks: int = 0


class WorkerPool:
    """At most ``size`` worker processes, started on demand; ``run`` gives a task to an idle one."""

    def __init__(
        self,
        size: int,
        *,
        preload: Sequence[str] = (),
        max_tasks: int = 500,
        memory: int | None = None,
    ) -> None:
        method = "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"
        self._ctx = multiprocessing.get_context(method)
        if method == "forkserver" and preload:
            self._ctx.set_forkserver_preload(list(preload))
        self.size = size
        self.max_tasks = max_tasks
        self.memory = memory
        self._idle: list[_Worker] = []
        self._busy: set[int] = set()
        self._count = 0
        self._cond = threading.Condition()
        self._closed = False

    def pids(self) -> dict[str, list[int]]:
        """The worker processes, idle and busy (for tests and operators)."""
        with self._cond:
            return {"idle": [w.pid for w in self._idle], "busy": sorted(self._busy)}

    async def run(self, func: Callable[..., Any], *args: Any, deadline: float) -> Any:
        """``func(*args)`` in a worker; ``Timeout`` when ``deadline`` (``time.monotonic()``) passes first.
        If the caller is cancelled (client gone, outer time limit), the worker is killed too."""
        abandoned = threading.Event()
        call = partial(self.call, func, *args, deadline=deadline, abandoned=abandoned)
        try:
            return await anyio.to_thread.run_sync(call, abandon_on_cancel=True)
        except BaseException:
            abandoned.set()
            raise

    def call(self, func: Callable[..., Any], *args: Any, deadline: float, abandoned: threading.Event) -> Any:
        """The blocking form of ``run``."""
        worker = self._checkout(deadline, abandoned)
        healthy = False
        try:
            worker.conn.send((func, args))
            while not worker.conn.poll(0.05):
                if abandoned.is_set() or time.monotonic() >= deadline:
                    raise Timeout
            try:
                kind, value, detail, leaving = worker.conn.recv()
            except (EOFError, OSError):
                worker.process.join(1)
                raise WorkerLost(worker.process.exitcode) from None
            healthy = not leaving
        finally:
            self._checkin(worker, healthy)
        if kind == "ok":
            return value
        exc = value
        if isinstance(exc, Exception):
            exc.__notes__ = [*getattr(exc, "__notes__", []), detail]
            raise exc
        raise TaskFailed(detail)

    def _checkout(self, deadline: float, abandoned: threading.Event) -> _Worker:
        with self._cond:
            while True:
                if self._closed:
                    raise RuntimeError("the worker pool is closed")
                if abandoned.is_set() or time.monotonic() >= deadline:
                    raise Timeout  # no work starts after its deadline
                if self._idle:
                    worker = self._idle.pop()
                    self._busy.add(worker.pid)
                    return worker
                if self._count < self.size:
                    self._count += 1  # a place taken; the process starts outside the lock
                    break
                self._cond.wait(0.05)
        worker = self._start_reserved()
        with self._cond:
            self._busy.add(worker.pid)
        return worker

    def fill(self) -> None:
        """Start every worker now (at server start-up), so that the first requests do not wait for one."""
        while True:
            with self._cond:
                if self._closed or self._count >= self.size:
                    return
                self._count += 1
            try:
                worker = self._start_reserved()
            except Exception:
                return
            with self._cond:
                if not self._closed:
                    self._idle.append(worker)
                    self._cond.notify()
                    continue
                self._count -= 1
            self._stop(worker, kill=False)
            return

    def _start_reserved(self) -> _Worker:
        try:
            return self._start()
        except BaseException:
            with self._cond:
                self._count -= 1
                self._cond.notify()
            raise

    def _checkin(self, worker: _Worker, healthy: bool) -> None:
        worker.tasks += 1
        keep = healthy and worker.tasks < self.max_tasks and worker.process.is_alive()
        with self._cond:
            self._busy.discard(worker.pid)
            if keep and not self._closed:
                self._idle.append(worker)
                self._cond.notify()
                return
            self._count -= 1
            self._cond.notify()
        self._stop(worker, kill=not healthy)

    def _start(self) -> _Worker:
        mine, theirs = self._ctx.Pipe(duplex=True)
        process = self._ctx.Process(target=_serve, args=(theirs, self.memory), daemon=True, name="dossier-http-worker")
        process.start()
        theirs.close()
        return _Worker(process, mine, process.pid or 0)

    @staticmethod
    def _stop(worker: _Worker, *, kill: bool) -> None:
        """End a worker: ask it to leave, or kill it (SIGKILL: a render in C code does not see SIGTERM soon)."""
        if kill:
            worker.process.kill()
        else:
            try:
                worker.conn.send(None)
            except OSError:
                worker.process.kill()
        worker.process.join(5)
        if worker.process.is_alive():
            worker.process.kill()
            worker.process.join(5)
        worker.conn.close()
        worker.process.close()

    def close(self) -> None:
        """Stop the idle workers now; busy ones are killed when their task returns (or at interpreter exit)."""
        with self._cond:
            self._closed = True
            idle, self._idle = self._idle, []
            self._count -= len(idle)
        for worker in idle:
            self._stop(worker, kill=False)


def default_size() -> int:
    return max(1, min(4, os.cpu_count() or 1))
