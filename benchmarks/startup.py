"""Benchmark: how long a `dossier` command takes to start, against `python -c pass`.

Runs each command N times in a fresh process and prints the median wall time in seconds and its ratio to the
baseline (the interpreter starting and doing nothing). The aim: every command here under 0.4 s.

    python benchmarks/startup.py [--runs 15] [--budget 0.4]

Exit status 1 when a command's median is over the budget.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def median_seconds(argv: list[str], runs: int, env: dict[str, str]) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(argv, check=True, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--budget", type=float, default=0.4, help="Seconds a command may take (median).")
    args = parser.parse_args()

    # the console script's own interpreter; `python -m dossier.cli.main` costs the same plus runpy
    dossier = [sys.executable, "-c", "import sys; from dossier.cli.main import main; sys.exit(main())"]
    with tempfile.TemporaryDirectory() as tmp:
        # bytecode compiled once and kept, as an installed package has it (PYTHONDONTWRITEBYTECODE would make every
        # run compile our sources again), in a folder of its own so that the source tree stays clean
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT / "src"), os.environ.get("PYTHONPATH")]))
        env["PYTHONPYCACHEPREFIX"] = str(Path(tmp) / "pycache")
        claim = Path(tmp) / "be-b2b-fr"  # a copy: statement reads the ledger a rendered letter leaves in out/
        shutil.copytree(ROOT / "samples" / "be-b2b-fr", claim, ignore=shutil.ignore_patterns("out"))
        cases = {
            "python -c pass": [sys.executable, "-c", "pass"],
            "dossier --version": [*dossier, "--version"],
            "dossier validate samples/be-b2b-fr": [*dossier, "validate", str(claim)],
            "dossier statement samples/be-b2b-fr --as-of 2025-12-31": [
                *dossier,
                "statement",
                str(claim),
                "--as-of",
                "2025-12-31",
            ],
        }
        for argv in cases.values():  # warm the file cache and byte-compile once
            subprocess.run(argv, check=True, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        results = {name: median_seconds(argv, args.runs, env) for name, argv in cases.items()}

    baseline = results["python -c pass"]
    width = max(len(name) for name in results)
    print(f"median of {args.runs} runs each, budget {args.budget:.2f} s")
    over = []
    for name, seconds in results.items():
        mark = ""
        if name != "python -c pass" and seconds > args.budget:
            mark = "  OVER BUDGET"
            over.append(name)
        print(f"{name:<{width}}  {seconds:6.3f} s  {seconds / baseline:6.1f} x baseline{mark}")
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
