"""Running batch jobs on a Dask distributed cluster (``--scheduler``).

The address is checked before anything runs, and the connection gives up after a few seconds with an error
naming the address, not a traceback after 30 s. Dask is imported only here, when a scheduler is asked for.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

from dossier.errors import DossierError

CONNECT_SECONDS = 5
SCHEMES = ("tcp", "tls", "ws", "wss", "ucx")
_ADDRESS = re.compile(
    r"^(?:(?P<scheme>[a-z]+)://)?(?P<host>\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?):(?P<port>\d{1,5})$"
)


class SchedulerError(DossierError):
    """The Dask scheduler address is malformed, or nothing answers there."""


def check_address(address: str) -> str:
    """``address`` if it has the form SCHEME://HOST:PORT (or HOST:PORT), else a ``SchedulerError``."""
    found = _ADDRESS.match(address.strip())
    problem = None
    if found is None:
        problem = "is not a scheduler address"
    elif found["scheme"] is not None and found["scheme"] not in SCHEMES:
        problem = f"uses the unknown protocol {found['scheme']!r} (known: {', '.join(SCHEMES)})"
    elif not 1 <= int(found["port"]) <= 65535:
        problem = "has a port outside 1-65535"
    if problem:
        raise SchedulerError(f"{address!r} {problem}", path="--scheduler", hint="expected tcp://HOST:PORT")
    return address.strip()


def on_dask(
    jobs: list[dict[str, Any]],
    address: str,
    run: Callable[[dict[str, Any]], dict[str, Any]],
    failed: Callable[[dict[str, Any], BaseException], dict[str, Any]],
) -> Iterator[dict[str, Any]]:
    """``run`` for each job on the cluster, results as they finish; a job the cluster loses (a worker killed)
    comes back as ``failed(job, exc)``. Each Dask worker keeps its own warm Producer."""
    from distributed import Client, as_completed

    try:
        client = Client(check_address(address), timeout=CONNECT_SECONDS)
    except OSError as exc:
        raise SchedulerError(
            f"no Dask scheduler answered at {address} within {CONNECT_SECONDS} s ({type(exc).__name__})",
            path="--scheduler",
            hint="start one with `dask scheduler`, or check the address and the firewall",
        ) from None
    with client:
        futures = client.map(run, jobs, pure=False)
        by_future = dict(zip(futures, jobs, strict=True))
        for future in as_completed(futures):
            try:
                yield future.result()
            except Exception as exc:  # the cluster lost this job; the others go on
                yield failed(by_future[future], exc)
