"""Benchmark: ``dossier report`` and ``dossier next`` on a large portfolio through the portfolio index, against
computing every claim (today's path before the index), and the portal's claims list page for one client.

Makes a folder of N claim folders (the bundled samples' claims with new references and amounts), then times, each
in a fresh process as a user runs it, wall time and CPU time (user + system, of the process and its workers: on a
shared machine the wall time says how busy it was, the CPU time what the work cost):

- on ``--live`` claims (computing all N without the index takes minutes), one after the other in the same run:
  ``live``, every claim computed on one process without the index (the path before the index); ``cold, 1 core``,
  the index built on one process; ``cold``, the index built on the machine's cores; the ratios per claim;
- on N claims: ``cold``, the first ``dossier report`` (the index built on the machine's cores); ``warm``,
  ``dossier report --format json|html`` and ``dossier next --json`` once the index holds the day; each against
  ``live`` per claim times N;
- the portal's list page (``GET /portal/claims``) for a client owning ``--list`` claims, warm, median of 20.

    python benchmarks/index.py [--claims 100000] [--live 2000] [--list 10000] [--budget 60]

Exit status 1 when a warm command takes more than the budget or the list page more than 300 ms.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ("be-b2b-fr", "be-consumer-nl", "fr-b2b-fr", "nl-consumer-nl", "gb-eaw-b2b-en")
DAY = "2025-12-31"


def make_portfolio(folder: Path, count: int, creditor: str | None = None) -> Path:
    """``count`` claim folders cycling through the samples (their files dropped: figures need none)."""
    folder.mkdir(parents=True, exist_ok=True)
    bases = []
    for name in SAMPLES:
        data = yaml.safe_load((ROOT / "samples" / name / "claim.yaml").read_text(encoding="utf-8"))
        data.pop("pieces", None)
        for item in data.get("history", []):
            item.pop("file", None)
        if creditor:
            data["creditor"]["name"] = creditor
        bases.append(data)
    for i in range(count):
        data = bases[i % len(bases)]
        data["reference"] = f"BENCH-{i:06d}"
        data["invoices"][0]["amount"] = f"{1000 + i % 997}.00"
        claim = folder / f"c{i:06d}"
        claim.mkdir(exist_ok=True)
        (claim / "claim.yaml").write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return folder


def timed(argv: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall and CPU seconds of the command (its workers' CPU too: they are waited for)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(argv, check=True, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime


def dossier(*args: str) -> list[str]:
    return [sys.executable, "-c", "import sys; from dossier.cli.main import main; sys.exit(main())", *args]


LIVE = """
import sys
from datetime import date
from pathlib import Path
from dossier.workflow.claims import portfolio_entries
from dossier.workflow.index import figures_row
folder = Path(sys.argv[1])
for e in portfolio_entries(folder):
    figures_row(e, folder, date.fromisoformat(sys.argv[2]))
"""

COLD = """
import sys
from datetime import date
from pathlib import Path
from dossier.workflow.index import indexed
indexed(Path(sys.argv[1]), date.fromisoformat(sys.argv[2]), workers=int(sys.argv[3]))
"""


def python(code: str, *args: str) -> list[str]:
    return [sys.executable, "-c", code, *args]


def per_claim(count: int) -> Callable[[tuple[float, float]], str]:
    def said(times: tuple[float, float]) -> str:
        wall, cpu = times
        return f"{wall:.1f} s ({wall / count * 1000:.2f} ms a claim), CPU {cpu:.1f} s ({cpu / count * 1000:.2f} ms)"

    return said


def baseline(tmp: Path, count: int, env: dict[str, str]) -> tuple[float, float]:
    """Live, cold on one core and cold on every core, on the same ``count`` claims in the same run: wall and CPU
    seconds a claim of the live path (the others' ratios to it printed)."""
    small = make_portfolio(tmp / "small", count)
    index = tmp / "small-index.sqlite"
    tiny = make_portfolio(tmp / "tiny", len(SAMPLES))  # every module compiled once before anything is timed
    for argv in (python(LIVE, str(tiny), DAY), dossier("report", str(tiny), "--date", DAY, "--format", "json")):
        timed(argv, env | {"DOSSIER_INDEX": str(tmp / "tiny-index.sqlite")})
    said = per_claim(count)
    live = timed(python(LIVE, str(small), DAY), env)
    print(f"live (no index), {count} claims: {said(live)}")
    for workers in (1, os.cpu_count() or 1):
        index.unlink(missing_ok=True)
        cold = timed(python(COLD, str(small), DAY, str(workers)), env | {"DOSSIER_INDEX": str(index)})
        print(f"cold (index built), {count} claims on {workers} core(s): {said(cold)}; "
              f"x{cold[0] / live[0]:.2f} live's wall time, x{cold[1] / live[1]:.2f} its CPU time")
    return live[0] / count, live[1] / count


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--claims", type=int, default=100_000)
    parser.add_argument("--live", type=int, default=2000, help="claims computed the old way (per-claim time)")
    parser.add_argument("--list", type=int, default=10_000, help="claims of the client whose list page is timed")
    parser.add_argument("--budget", type=float, default=60.0)
    args = parser.parse_args()
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONDONTWRITEBYTECODE", "DOSSIER_INDEX")}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT / "src"), os.environ.get("PYTHONPATH")]))
    failed = False
    with tempfile.TemporaryDirectory() as tmp:
        env["PYTHONPYCACHEPREFIX"] = str(Path(tmp) / "pycache")
        live_wall, live_cpu = baseline(Path(tmp), args.live, env)
        estimate = live_wall * args.claims
        print(f"live, {args.claims} claims (extrapolated from {args.live}): {estimate:.0f} s, CPU "
              f"{live_cpu * args.claims:.0f} s")

        started = time.perf_counter()
        big = make_portfolio(Path(tmp) / "big", args.claims)
        print(f"(made {args.claims} claim folders in {time.perf_counter() - started:.0f} s)")
        said = per_claim(args.claims)
        cold = timed(dossier("report", str(big), "--date", DAY, "--format", "json"), env)
        print(f"cold: dossier report, {args.claims} claims, index built on {os.cpu_count()} cores: {said(cold)}; "
              f"x{cold[0] / estimate:.2f} live's wall time, x{cold[1] / (live_cpu * args.claims):.2f} its CPU time")
        for name, argv in (
            ("report --format json", dossier("report", str(big), "--date", DAY, "--format", "json")),
            ("report --format html", dossier("report", str(big), "--date", DAY, "--out", str(Path(tmp) / "r.html"))),
            ("next --json", dossier("next", str(big), "--date", DAY, "--json")),
        ):
            seconds, cpu = timed(argv, env)
            failed |= seconds > args.budget
            print(f"warm: dossier {name}, {args.claims} claims: {seconds:.1f} s, CPU {cpu:.1f} s "
                  f"({estimate / seconds:.0f}x faster than live)")
        failed |= list_page(Path(tmp), args.list, env)
    return 1 if failed else 0


def list_page(tmp: Path, count: int, env: dict[str, str]) -> bool:
    """The warm list page of a client owning ``count`` claims, through the portal in this process."""
    import re

    sys.path.insert(0, str(ROOT / "src"))
    from fastapi.testclient import TestClient

    from dossier.http.portal import accounts

    folder = make_portfolio(tmp / "client", count, creditor="Bench SA")
    (folder / "_dossier").mkdir(exist_ok=True)
    config = accounts.example("bench", "Bench SA", "u@bench.example", "benchmark-password")
    (folder / "_dossier" / "portal.yaml").write_text(yaml.safe_dump(config), encoding="utf-8")
    os.environ["DOSSIER_PORTFOLIO"] = str(folder)
    os.environ["DOSSIER_TIME_LIMIT"] = "3600"  # the cold page builds the index of every claim while it waits
    from dossier.http.app import app

    client = TestClient(app, base_url="http://127.0.0.1")
    form = client.get("/portal/sign-in").text
    token = re.search(r'name="csrf" value="([^"]+)"', form).group(1)  # type: ignore[union-attr]
    signed = {"email": "u@bench.example", "password": "benchmark-password", "csrf": token}
    client.post("/portal/sign-in", data=signed, follow_redirects=False)  # not to the list: its first load is timed
    started = time.perf_counter()
    client.get("/portal/claims").raise_for_status()
    print(f"portal list page, {count} claims, cold (index built): {time.perf_counter() - started:.1f} s")
    times = []
    for n in range(20):
        started = time.perf_counter()
        answer = client.get("/portal/claims", params={"sort": "due", "order": "desc", "page": n % 3 + 1})
        times.append(time.perf_counter() - started)
        answer.raise_for_status()
    median = statistics.median(times) * 1000
    print(f"portal list page, {count} claims, warm: median {median:.0f} ms, best {min(times) * 1000:.0f} ms "
          "(budget 300 ms)")
    return median > 300


if __name__ == "__main__":
    raise SystemExit(main())
