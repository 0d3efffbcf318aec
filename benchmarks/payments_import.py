"""Benchmark: importing a day's bank statement of 100,000 transactions into a 100,000-claim portfolio.

    python benchmarks/payments_import.py [--claims 100000] [--transactions 100000] [--in-memory]

The portfolio is a JSON Lines file of Belgian B2B claims (one invoice each). The transactions pay them: 60 % by
the structured communication the letters print, 20 % by the claim reference typed in the free text, 10 % with
nothing to match (the review queue), 10 % debits.

- import: ``dossier.workflow.payments.import_payments`` (load and index the claims once, match, journal each
  payment, write the ledger), in a process of its own so that its peak memory is its own;
- baseline, in the same run: loading the same portfolio (every claim validated and completed from its journal,
  what ``dossier next`` does before any step) in a process of its own; and parsing the camt.053 file alone.

The statement is a camt.053.001.08 file (``benchmarks/bank_files.py``), written before anything is measured and
read by the real parser (``dossier.bank.read_statement``) inside the import's measure; with ``--in-memory`` the
transactions are generated as ``BankTransaction`` objects instead (the matching and journaling alone).

Prints seconds, peak memory (resource maxrss) and time per transaction, the ratio of the import to the baseline,
the CPU time of each, split into the process's own (user) and the kernel's (system: the file system's work, one
journal folder and file per claim, and the syncs; on a machine shared with other work it varies most, with the
other work's writes) and the load average. Goal (issue 14): under 60 s and
500 MB on 2 cores.
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
DAY = date(2025, 6, 2)
ACCOUNT = "BE71096123456769"
CLAIM = {
    "jurisdiction": "BE",
    "language": "fr",
    "currency": "EUR",
    "creditor": {
        "name": "ACME SRL",
        "type": "business",
        "address": {"street": "Rue de la Loi 16", "postal_code": "1000", "city": "Bruxelles", "country": "BE"},
        "company_number": "BE0403170701",
        "iban": ACCOUNT,
    },
    "debtor": {
        "name": "Dubois SRL",
        "type": "business",
        "address": {"street": "Rue de Fer 42", "postal_code": "5000", "city": "Namur", "country": "BE"},
    },
}


def reference(n: int) -> str:
    return f"BENCH-{n:06d}"


def make_portfolio(path: Path, count: int) -> None:
    with path.open("w", encoding="utf-8") as out:
        for n in range(count):
            claim = copy.deepcopy(CLAIM) | {"reference": reference(n)}
            issued = date(2025, 1, 1) + timedelta(days=n % 120)
            claim["invoices"] = [
                {
                    "number": f"F{n:06d}",
                    "date": issued.isoformat(),
                    "due_date": (issued + timedelta(days=30)).isoformat(),
                    "amount": f"{150 + n % 4000}.50",
                }
            ]
            out.write(json.dumps(claim) + "\n")


def transactions(claims: int, count: int) -> list:
    """The day's transactions, generated in memory (``--in-memory``)."""
    from dossier.bank import BankTransaction

    out = []
    for n in range(count):
        given = remittance(claims, n)
        tx = {
            "account": ACCOUNT, "booking_date": DAY, "value_date": DAY, "amount": Decimal("100.00"), "currency": "EUR",
            "credit": n % 10 != 9, "bank_reference": f"REF{n:08d}", "source": "benchmark", "where": f"Ntry[{n + 1}]",
            "counterparty_iban": None,
        }
        tx["structured" if n % 10 < 6 else "free_text"] = given
        out.append(BankTransaction(**tx))
    return out


def remittance(claims: int, n: int) -> str:
    """What transaction ``n`` carries: 60 % the OGM the letters print, 20 % the claim reference typed in free
    text, 10 % nothing to match, 10 % a debit."""
    from dossier.context.payment import derived_reference

    target, kind = n % claims, n % 10
    if kind < 6:
        return derived_reference(reference(target), "ogm")
    if kind < 8:
        return f"facture {reference(target).lower().replace('-', ' ')} merci"
    return f"virement {n}"


def camt_statement(claims: int, count: int, folder: Path):
    """The same transactions as a camt.053.001.08 file (``benchmarks/bank_files.py``), read by the real parser."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from bank_files import write_camt053  # type: ignore[import-not-found]

    from dossier.bank import read_statement

    path = folder / "day.camt.053.xml"
    if not path.exists():  # written once by main(), before anything is measured
        write_camt053(path, count, reference=lambda n: remittance(claims, n), account=ACCOUNT, day=DAY,
                      amount=lambda n: Decimal("-100.00") if n % 10 == 9 else Decimal("100.00"))
    return read_statement(path)


def child(args: argparse.Namespace) -> None:
    """One measured step, in this process: prints seconds and peak memory as JSON."""
    from dossier.bank import Statement

    book = Path(args.book)
    before = resource.getrusage(resource.RUSAGE_SELF)
    cpu_before = before.ru_utime + before.ru_stime
    started = time.perf_counter()
    if args.step == "load":
        from dossier.workflow.payments import load_accounts

        accounts, failed = load_accounts(book)
        assert len(accounts) == args.claims and not failed
        result: dict = {}
    elif args.step == "parse":
        camt_statement(args.claims, args.transactions, book.parent)
        result = {}
    else:
        from dossier.workflow.payments import import_payments

        if args.camt:
            statements = [camt_statement(args.claims, args.transactions, book.parent)]
        else:
            statements = [Statement("day.xml", "camt.053", "0" * 64, tuple(transactions(args.claims,
                                                                                           args.transactions)))]
        result = import_payments(book, statements)
        result = {k: result[k] for k in ("imported", "matched", "queued", "duplicates", "debits")}
    seconds = time.perf_counter() - started
    usage = resource.getrusage(resource.RUSAGE_SELF)
    cpu = usage.ru_utime + usage.ru_stime - cpu_before
    user = usage.ru_utime - before.ru_utime
    print(json.dumps({"seconds": seconds, "cpu": cpu, "user": user, "peak_mb": usage.ru_maxrss / 1024,
                      "result": result}))


def measure(step: str, book: Path, args: argparse.Namespace) -> dict:
    command = [sys.executable, __file__, "--child", step, "--book", str(book), "--claims", str(args.claims),
               "--transactions", str(args.transactions)] + ([] if args.camt else ["--in-memory"])
    done = subprocess.run(command, check=True, capture_output=True, text=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claims", type=int, default=100_000)
    parser.add_argument("--transactions", type=int, default=100_000)
    parser.add_argument("--in-memory", dest="camt", action="store_false",
                        help="generate the transactions in memory instead of writing and parsing a camt.053 file")
    parser.add_argument("--child", dest="step", default=None, help=argparse.SUPPRESS)
    parser.add_argument("--book", default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.step:
        child(args)
        return
    with tempfile.TemporaryDirectory(prefix="dossier-pay-bench-") as tmp:
        book = Path(tmp) / "book.jsonl"
        make_portfolio(book, args.claims)
        if args.camt:
            camt_statement(args.claims, args.transactions, book.parent)
        baseline = measure("load", book, args)
        parse = measure("parse", book, args) if args.camt else None
        run = measure("import", book, args)
        report(args, baseline, parse, run)  # before the 100,000 journal folders are removed


def report(args: argparse.Namespace, baseline: dict, parse: dict | None, run: dict) -> None:
    per_tx = run["seconds"] / args.transactions * 1000
    print(f"portfolio: {args.claims} claims (JSON Lines); statement: {args.transactions} transactions "
          f"({'camt.053 file' if args.camt else 'generated in memory'})")
    for name, step in (("baseline, loading the portfolio", baseline), ("baseline, parsing the camt.053", parse),
                       ("import", run)):
        if step:
            print(f"{name}: {step['seconds']:.1f} s ({step['cpu']:.1f} s of CPU: {step['user']:.1f} s in dossier's "
                  f"code, {step['cpu'] - step['user']:.1f} s in the kernel), peak {step['peak_mb']:.0f} MB")
    print(f"import: {per_tx:.3f} ms per transaction; {run['result']}")
    print(f"ratio import / loading the portfolio: {run['seconds'] / baseline['seconds']:.2f}")
    print("load average (1, 5, 15 min) at the end: " + ", ".join(f"{x:.2f}" for x in os.getloadavg()))
    print(f"goal: under 60 s and 500 MB: {'met' if run['seconds'] < 60 and run['peak_mb'] < 500 else 'NOT met'}",
          flush=True)


if __name__ == "__main__":
    main()
